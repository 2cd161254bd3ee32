"""The finder behind the case-study and resource lists: filters, facet counts, sort, pages.

Built to stay index-backed at 100,000 items: counts (the total and one per filter option)
stop at ``COUNT_CAP`` + 1 rows and show "1,000+" beyond, all option counts travel in one SQL
statement, and pages stop where the capped count ends, so no query walks a deep OFFSET.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView
from django_filters import CharFilter, ChoiceFilter, FilterSet, MultipleChoiceFilter

from psc_portal import search

COUNT_CAP = 1000
FIRST_YEAR = 2014  # the Patient Safety Collaboratives were set up in 2014
SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_CHOICES = [(SORT_RELEVANCE, "Relevance"), (SORT_NEWEST, "Newest first")]


def format_count(count: int, cap: int = COUNT_CAP) -> str:
    return f"{cap:,}+" if count > cap else f"{count:,}"


class FacetFilter(MultipleChoiceFilter):
    """A multiple-choice filter whose options are shown with counts. Values are slugs."""

    def __init__(self, *args, noun: str, **kwargs):
        self.noun = noun
        kwargs.setdefault("label", noun.capitalize())
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        """Set the choices (called once per request, before the form is built)."""
        self.extra["choices"] = self.load_choices()
        self.extra["error_messages"] = {
            "invalid_choice": f"There is no {self.noun} “%(value)s”. Choose one from the list."
        }

    def load_choices(self) -> list[tuple[str, str]]:
        return list(self.extra.get("choices") or [])

    def options(self) -> list[tuple[str, str]]:
        return list(self.extra["choices"])

    def condition(self, values: list[str]) -> Q:
        raise NotImplementedError

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(self.condition(value))


class VocabularyFilter(FacetFilter):
    """Options from a vocabulary table (programmes, care settings...), by slug."""

    def __init__(self, *args, vocabulary, relation: str, label_field: str = "name", **kwargs):
        self.vocabulary, self.relation, self.label_field = vocabulary, relation, label_field
        super().__init__(*args, **kwargs)

    def load_choices(self):
        rows = self.vocabulary.objects.values_list("pk", "slug", self.label_field)
        self.ids = {slug: pk for pk, slug, _ in rows}
        return [(slug, label) for _, slug, label in rows]

    def condition(self, values):
        ids = [self.ids[slug] for slug in values]
        field = self.parent.queryset.model._meta.get_field(self.relation)
        if not field.many_to_many:
            return Q(**{f"{field.attname}__in": ids})
        # EXISTS, not a join: an item in two chosen programmes is still one result.
        through = field.remote_field.through
        return Q(
            Exists(
                through.objects.filter(
                    **{
                        field.m2m_field_name(): OuterRef("pk"),
                        f"{field.m2m_reverse_field_name()}__in": ids,
                    }
                )
            )
        )


class ChoiceFacetFilter(FacetFilter):
    """Options from a fixed list of choices on a plain field (e.g. a resource's kind)."""

    def condition(self, values):
        return Q(**{f"{self.field_name}__in": values})


class YearFilter(FacetFilter):
    """The year an item was published, from 2014 to this year."""

    def load_choices(self):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]

    def condition(self, values):
        condition = Q()
        for year in values:
            condition |= Q(publish_from__year=int(year))
        return condition


class FinderFilterSet(FilterSet):
    """Search words, facet filters and a sort order, all validated as a form."""

    q = CharFilter(
        method="filter_text",
        label="Search",
        max_length=search.MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "Search words must be %(limit_value)d characters or fewer "
            "(you entered %(show_value)d)."
        },
    )
    sort = ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_nothing",
        label="Sort by",
        error_messages={"invalid_choice": "Sort by relevance or newest first."},
    )

    # Text fields the SQLite fallback searches; the Postgres path uses search_vector.
    text_fields: tuple[str, ...] = ("title", "summary")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.facet_filters().values():
            f.prepare()

    def facet_filters(self) -> dict[str, FacetFilter]:
        return {name: f for name, f in self.filters.items() if isinstance(f, FacetFilter)}

    def filter_text(self, queryset, name, value):
        return search.matching(queryset, value, self.text_fields)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset, exclude: str | None = None):
        """Apply every valid filter, except ``exclude`` (used for that facet's own counts)."""
        for name, value in self.form.cleaned_data.items():
            if name != exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def text(self) -> str:
        return search.clean_query(self.form.cleaned_data.get("q") or "")

    @property
    def sort_order(self) -> str:
        chosen = self.form.cleaned_data.get("sort")
        if chosen == SORT_RELEVANCE and not self.text:
            return SORT_NEWEST
        return chosen or (SORT_RELEVANCE if self.text else SORT_NEWEST)

    def selected(self, name: str) -> list[str]:
        return list(self.form.cleaned_data.get(name) or [])

    @property
    def active_filter_count(self) -> int:
        return sum(len(self.selected(name)) for name in self.facet_filters())


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def count_display(self) -> str:
        return format_count(self.count)


@dataclass
class Facet:
    name: str
    legend: str
    options: list[FacetOption]

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)


def facet_counts(filterset: FinderFilterSet, cap: int = COUNT_CAP) -> list[Facet]:
    """Per-option counts, each reflecting every other active filter, in one SQL statement.

    Each count stops at ``cap`` + 1 matching rows, so the cost is bounded however many items
    match; the page shows "1,000+" beyond the cap.
    """
    parts, params, keys = [], [], []
    for name, facet_filter in filterset.facet_filters().items():
        base = filterset.filter_queryset(filterset.queryset, exclude=name)
        for value, _label in facet_filter.options():
            subquery = facet_filter.filter(base, [value]).order_by().values("pk")[: cap + 1]
            sql, sql_params = subquery.query.sql_with_params()
            parts.append(f"SELECT {len(keys)}, COUNT(*) FROM ({sql}) AS option_{len(keys)}")
            params.extend(sql_params)
            keys.append((name, value))
    counts = {}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            counts = {keys[index]: count for index, count in cursor.fetchall()}
    facets = []
    for name, facet_filter in filterset.facet_filters().items():
        chosen = set(filterset.selected(name))
        options = [
            FacetOption(value, label, counts[(name, value)], value in chosen)
            for value, label in facet_filter.options()
        ]
        facets.append(
            Facet(name, str(facet_filter.label), [o for o in options if o.count or o.selected])
        )
    return facets


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows, and so never offers pages beyond the cap."""

    def __init__(self, *args, cap: int = COUNT_CAP, **kwargs):
        self.cap = cap
        super().__init__(*args, **kwargs)

    @cached_property
    def true_count_exceeds_cap(self) -> bool:
        return self._capped_count > self.cap

    @cached_property
    def _capped_count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)


class FinderView(ListView):
    """A filterable, searchable list of published items.

    Subclasses set ``model``, ``filterset_class``, ``template_name`` and ``noun_plural``.
    """

    filterset_class: type[FinderFilterSet]
    paginate_by = 20
    paginator_class = CappedPaginator
    noun_plural = "items"

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(
            request.GET, queryset=self.published_queryset(), request=request
        )
        if not self.filterset.is_valid():
            self.object_list = self.model.objects.none()
            context = self.get_context_data(invalid=True)
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def published_queryset(self):
        return self.model.objects.published()

    def get_queryset(self):
        queryset = self.filterset.qs.select_related(*self.list_select_related())
        if self.filterset.sort_order == SORT_RELEVANCE:
            return search.by_relevance(queryset, self.filterset.text)
        return queryset.order_by("-publish_from", "-pk")

    def list_select_related(self) -> tuple[str, ...]:
        return ()

    def get_context_data(self, **kwargs):
        invalid = kwargs.pop("invalid", False)
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context.update(
            filterset=self.filterset,
            form=form,
            errors=[
                (name, str(form.fields[name].label), message)
                for name, messages in form.errors.items()
                for message in messages
            ]
            if invalid
            else [],
            facets=[] if invalid else facet_counts(self.filterset),
            text=self.filterset.form.data.get("q", "")[: search.MAX_QUERY_LENGTH]
            if invalid
            else self.filterset.text,
            sort=SORT_NEWEST if invalid else self.filterset.sort_order,
            sort_choices=SORT_CHOICES,
            noun_plural=self.noun_plural,
            count_cap=COUNT_CAP,
        )
        paginator = context.get("paginator")
        context["total_display"] = (
            format_count(paginator._capped_count) if paginator else format_count(0)
        )
        context["is_capped"] = bool(paginator and paginator.true_count_exceeds_cap)
        return context
