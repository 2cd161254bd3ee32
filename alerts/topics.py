"""What people can follow: a finder (case studies, resources or events) with its filters.

A subscription keeps the finder's filters exactly as the finder's URL writes them, checked
by the finder's own FilterSet, so an alert, a feed and the finder always agree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy
from core.finders import FinderFilterSet
from events.filters import EventFilter
from events.models import Event
from resources.filters import ResourceFilter
from resources.models import Resource

# Parameters of a finder's address that are not filters.
NOT_FILTERS = ("sort", "page")


@dataclass(frozen=True)
class Topic:
    slug: str
    model: type
    filterset_class: type[FinderFilterSet]
    singular: str
    plural: str
    list_route: str
    # What the finder lists, when it is not every published item (events: upcoming ones).
    listed: Callable[[], QuerySet] | None = None
    # The finder's order, for the feed; newest published first unless said otherwise.
    order: Callable[[QuerySet], QuerySet] | None = None

    def public(self) -> QuerySet:
        return self.listed() if self.listed else self.model.objects.published()

    def ordered(self, queryset: QuerySet) -> QuerySet:
        return self.order(queryset) if self.order else queryset.newest_first()

    def filterset(self, data: QueryDict, queryset=None) -> FinderFilterSet:
        return self.filterset_class(
            data, queryset=queryset if queryset is not None else self.public()
        )


TOPICS = {
    "case-studies": Topic(
        "case-studies", CaseStudy, CaseStudyFilter, "case study", "case studies",
        "casestudies:list",
    ),
    "resources": Topic(
        "resources", Resource, ResourceFilter, "resource", "resources", "resources:list"
    ),
    "events": Topic(
        "events", Event, EventFilter, "event", "events", "events:list",
        listed=lambda: Event.objects.published().upcoming(),
        order=lambda queryset: queryset.soonest_first(),
    ),
}  # fmt: skip
TOPIC_CHOICES = [(slug, topic.plural.capitalize()) for slug, topic in TOPICS.items()]


class InvalidFilters(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("The filters are not valid.")
        self.errors = errors


def unknown_parameters(data: QueryDict, topic: Topic, allowed_extra=()) -> list[str]:
    known = set(topic.filterset_class.base_filters) | set(NOT_FILTERS) | set(allowed_extra)
    return sorted(set(data) - known)


def clean_filters(topic: Topic, data: QueryDict) -> dict[str, list[str]]:
    """The valid, non-empty filters of ``data`` as {name: sorted values}; raises if invalid."""
    unknown = unknown_parameters(data, topic)
    if unknown:
        raise InvalidFilters({name: ["This is not one of the filters."] for name in unknown})
    filterset = topic.filterset(data)
    if not filterset.is_valid():
        raise InvalidFilters({k: list(v) for k, v in filterset.form.errors.items()})
    filters = {}
    for name in topic.filterset_class.base_filters:
        if name in NOT_FILTERS:
            continue
        values = [v.strip() for v in data.getlist(name) if v.strip()]
        if values:
            filters[name] = sorted(set(values))
    return filters


def as_query(filters: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name in sorted(filters):
        query.setlist(name, filters[name])
    return query


def describe(topic: Topic, filters: dict[str, list[str]]) -> str:
    """'Case studies: search “sepsis”; Programme: Managing deterioration', for people."""
    if not filters:
        return f"All {topic.plural}"
    filterset = topic.filterset(as_query(filters))
    parts = []
    for name, values in filters.items():
        if name == "q":
            parts.append(f"search “{' '.join(values)}”")
            continue
        field = filterset.filters[name]
        labels = dict(field.extra.get("choices") or [])
        parts.append(f"{field.label}: {', '.join(str(labels.get(v, v)) for v in values)}")
    return f"{topic.plural.capitalize()} – " + "; ".join(parts)
