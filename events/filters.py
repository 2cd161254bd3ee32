"""The event finder's filters: search words, programme, collaborative, online or in person,
and month (in UK time)."""

from datetime import datetime

from django.db.models import CharField, Q
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from collaboratives.models import Organisation
from core import search
from core.finders import ChoiceFacetFilter, FacetFilter, FinderFilterSet, VocabularyFilter
from events.dates import UK
from events.models import Event, EventFormat
from programmes.models import Programme


def _month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UK)


def _next_month_start(year: int, month: int) -> datetime:
    return _month_start(year + month // 12, month % 12 + 1)


class MonthFilter(FacetFilter):
    """The month an event starts in, UK time, as "2026-03"; options are the months that the
    list's own events fall in."""

    def load_choices(self, cached=None):
        months = self.parent.queryset.order_by().datetimes("start", "month", tzinfo=UK)
        return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in sorted(set(months))]

    def condition(self, values):
        condition = Q()
        for value in values:
            year, month = (int(part) for part in value.split("-"))
            condition |= Q(
                start__gte=_month_start(year, month), start__lt=_next_month_start(year, month)
            )
        return condition

    def key_expression(self):
        year_month = ExtractYear("start", tzinfo=UK) * 100 + ExtractMonth("start", tzinfo=UK)
        return Cast(year_month, CharField())

    def value_for_key(self, key):
        key = str(key)
        return f"{key[:4]}-{key[4:]}"


class EventFilter(FinderFilterSet):
    programme = VocabularyFilter(
        vocabulary=Programme, relation="programmes", noun="programme", label="Programme"
    )
    collaborative = VocabularyFilter(
        vocabulary=Organisation,
        relation="organisation",
        noun="collaborative",
        label="Collaborative",
    )
    format = ChoiceFacetFilter(
        field_name="format",
        choices=EventFormat.choices,
        noun="format",
        label="Online or in person",
    )
    month = MonthFilter(noun="month", label="Month")

    text_fields = ("title", "summary", "description", "location")

    class Meta:
        model = Event
        fields = ["q", "programme", "collaborative", "format", "month"]

    def filter_text(self, queryset, name, value):
        # Events are few and carry no search vector: every word must appear somewhere.
        return search.simple_search(queryset, value, self.text_fields)

    @property
    def sort_order(self) -> str:
        return "date"
