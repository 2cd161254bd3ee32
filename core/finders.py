"""The finder behind the case-study and resource lists: filters, facet counts, sort, pages.

Built to stay index-backed at 100,000 items. One query fetches the ids of the newest
``COUNT_LIMIT`` + 1 matching items (an index scan that stops early, or a GIN bitmap scan for
search words). Pages are slices of the first ``COUNT_CAP`` of them, so there is no OFFSET at
all; beyond that the page asks for narrower filters. Totals and option counts are exact up to
``COUNT_LIMIT``: options are counted over that id set (GROUP BY on the link tables' indexes).
When more match and there are no search words, each option is counted by its own query that
stops at ``COUNT_CAP`` ("1,000+"), all in one UNION ALL statement, cached for a few minutes;
with search words the counts over the newest matches are shown as minimums ("120+").
Relevance ranks the listed candidates, so a very common word is ranked among its newest
1,000 matches.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import caches
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value, Window
from django.db.models.functions import Cast, ExtractYear, RowNumber
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters import CharFilter, ChoiceFilter, FilterSet, MultipleChoiceFilter

from core import search
from psc_portal.caching import PAGES_CACHE, request_generation

COUNT_CAP = 1000  # items listed (50 pages of 20), and the cap on per-option counts
# Exact totals and option counts up to this many matches. Measured at 100,000 items (see
# bench/): counting over 10,000 ids made PostgreSQL scan whole link tables, so it stays at
# the listing cap; raise it only with new measurements.
COUNT_LIMIT = COUNT_CAP
COUNTS_CACHE_SECONDS = 300
FIRST_YEAR = 2014  # the Patient Safety Collaboratives were set up in 2014
SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_CHOICES = [(SORT_RELEVANCE, "Relevance"), (SORT_NEWEST, "Newest first")]


def format_count(count: int, cap: int = COUNT_CAP, at_least: bool = False) -> str:
    if count > cap:
        return f"{cap:,}+"
    return f"{count:,}+" if at_least else f"{count:,}"


def _key(expression):
    return Cast(expression, CharField())


class FacetFilter(MultipleChoiceFilter):
    """A multiple-choice filter whose options are shown with counts. Values are slugs."""

    def __init__(self, *args, noun: str, **kwargs):
        self.noun = noun
        kwargs.setdefault("label", noun.capitalize())
        super().__init__(*args, **kwargs)

    def cache_key(self) -> str | None:
        """Where the choices may be kept between requests (None: computed every time)."""
        return None

    def prepare(self, cached=None) -> None:
        """Set the choices (called once per request, before the form is built)."""
        self.extra["choices"] = self.load_choices(cached)
        self.extra["error_messages"] = {
            "invalid_choice": f"There is no {self.noun} “%(value)s”. Choose one from the list."
        }

    def load_choices(self, cached=None) -> list[tuple[str, str]]:
        return list(self.extra.get("choices") or [])

    def cacheable_state(self):
        """What ``prepare`` loaded that may be kept for ``cached`` next time."""
        return None

    def options(self) -> list[tuple[str, str]]:
        return list(self.extra["choices"])

    def condition(self, values: list[str]) -> Q:
        raise NotImplementedError

    def grouped_counts(self, model, ids):
        """A values queryset of (key, n): how many of ``ids`` have each option."""
        return (
            model.objects.filter(pk__in=ids)
            .order_by()
            .values(key=self.key_expression())
            .annotate(n=Count("pk"))
        )

    def key_expression(self):
        raise NotImplementedError

    def value_for_key(self, key: str) -> str:
        return key

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(self.condition(value))


class VocabularyFilter(FacetFilter):
    """Options from a vocabulary table (programmes, care settings...), by slug."""

    def __init__(self, *args, vocabulary, relation: str, label_field: str = "name", **kwargs):
        self.vocabulary, self.relation, self.label_field = vocabulary, relation, label_field
        super().__init__(*args, **kwargs)

    def cache_key(self):
        return f"finder-vocabulary:{self.vocabulary._meta.label}:{self.label_field}"

    def load_choices(self, cached=None):
        rows = cached
        if rows is None:
            rows = list(self.vocabulary.objects.values_list("pk", "slug", self.label_field))
        self.rows = rows
        self.ids = {slug: pk for pk, slug, _ in rows}
        self.slugs = {str(pk): slug for pk, slug, _ in rows}
        return [(slug, label) for _, slug, label in rows]

    def cacheable_state(self):
        return self.rows

    def value_for_key(self, key):
        return self.slugs.get(key, "")

    def grouped_counts(self, model, ids):
        field = model._meta.get_field(self.relation)
        if not field.many_to_many:
            return super().grouped_counts(model, ids)
        through = field.remote_field.through
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        return (
            through.objects.filter(**{f"{field.m2m_field_name()}__in": ids})
            .order_by()
            .values(key=_key(target))
            .annotate(n=Count("pk"))
        )

    def key_expression(self):
        return _key(f"{self.relation}_id")

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

    def key_expression(self):
        return _key(self.field_name)


class ConditionFacetFilter(FacetFilter):
    """One option that keeps the items matching a condition (e.g. "has measured impact").

    ``make_condition`` builds the ``Q`` when asked, so a condition on the clock (what is
    published now) is never stale.
    """

    def __init__(self, *args, value: str, option_label: str, make_condition, **kwargs):
        self.value, self.make_condition = value, make_condition
        kwargs["choices"] = [(value, option_label)]
        super().__init__(*args, **kwargs)

    def condition(self, values):
        return self.make_condition() if self.value in values else Q()

    def grouped_counts(self, model, ids):
        # No GROUP BY: a constant key and one count over the matching ids.
        return (
            model.objects.filter(pk__in=ids)
            .filter(self.make_condition())
            .order_by()
            .values(key=Value(self.value, output_field=CharField()))
            .annotate(n=Count("pk"))
        )


class YearFilter(FacetFilter):
    """The year an item was published, from 2014 to this year."""

    def load_choices(self, cached=None):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]

    def condition(self, values):
        condition = Q()
        for year in values:
            condition |= Q(publish_from__year=int(year))
        return condition

    def key_expression(self):
        return _key(ExtractYear("publish_from"))


def vocabulary_rows(facet_filters: list) -> dict:
    """(pk, slug, label) rows of several vocabularies, in their usual order, in one statement."""
    if not facet_filters:
        return {}
    branches = []
    for index, f in enumerate(facet_filters):
        ordering = f.vocabulary._meta.ordering or ["pk"]
        rows = (
            f.vocabulary.objects.order_by()
            .annotate(position=Window(RowNumber(), order_by=ordering))
            .values_list("pk", "slug", f.label_field, "position")
        )
        branches.append((index, rows))
    loaded = {f: [] for f in facet_filters}
    for branch, pk, slug, label, _position in sorted(
        run_union_all(branches), key=lambda row: (row[0], row[4])
    ):
        loaded[facet_filters[branch]].append((pk, slug, label))
    return loaded


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
        self.prepare_facets()

    def prepare_facets(self) -> None:
        """Load every facet's options: one cache round trip for all the vocabularies, keyed by
        the content generation (so a renamed option shows at once), the database on a miss."""
        facet_filters = self.facet_filters().values()
        generation = request_generation(self.request) if self.request is not None else None
        keys = {}
        if generation:
            keys = {f: f"{generation}:{f.cache_key()}" for f in facet_filters if f.cache_key()}
        store = caches[PAGES_CACHE]
        found = store.get_many(list(keys.values())) if keys else {}
        loaded = vocabulary_rows(
            [
                f
                for f in facet_filters
                if isinstance(f, VocabularyFilter) and keys.get(f) not in found
            ]
        )
        missing = {}
        for f in facet_filters:
            key = keys.get(f)
            f.prepare(found[key] if key in found else loaded.get(f))
            if key and key not in found:
                missing[key] = f.cacheable_state()
        if missing:
            store.set_many(missing, COUNTS_CACHE_SECONDS)

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
    count: int | None  # None: not counted (the filters were invalid)
    selected: bool
    cap: int = COUNT_CAP
    at_least: bool = False  # counted over the newest matches only: a minimum

    @property
    def count_display(self) -> str:
        if self.count is None:
            return ""
        return format_count(self.count, self.cap, self.at_least)


@dataclass
class Facet:
    name: str
    legend: str
    options: list[FacetOption]


def run_union_all(branches: list[tuple[int, object]], *, count: bool = False) -> list[tuple]:
    """Run several ORM querysets as one UNION ALL statement; rows start with the branch key.

    With ``count`` each branch gives one row, (key, number of rows the queryset matches).
    """
    parts, params = [], []
    for key, queryset in branches:
        sql, sql_params = queryset.query.sql_with_params()
        alias = f"b{len(parts)}"
        selected = "COUNT(*)" if count else f"{alias}.*"
        parts.append(f"SELECT {int(key)} AS branch, {selected} FROM ({sql}) AS {alias}")
        params.extend(sql_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def _facets(filterset, counts: dict, cap: int, at_least: dict) -> list[Facet]:
    facets = []
    for name, facet_filter in filterset.facet_filters().items():
        chosen = set(filterset.selected(name))
        options = [
            FacetOption(
                value,
                label,
                counts.get((name, value), 0),
                value in chosen,
                cap,
                at_least.get(name, False),
            )
            for value, label in facet_filter.options()
        ]
        facets.append(
            Facet(name, str(facet_filter.label), [o for o in options if o.count or o.selected])
        )
    return facets


def newest_first(queryset):
    return queryset.newest_first()


def counts_over_ids(
    filterset, ids: list[int], capped: bool, cap: int, order=newest_first
) -> list[Facet]:
    """Option counts over the candidate ids, with each active facet's own filter lifted.

    A facet with options chosen is counted over the items matching every *other* filter
    (its own candidate list, at most ``cap`` + 1 ids, all fetched in one statement), so people
    see what ticking one more option would add. Counts over a capped list are minimums.
    Two statements in all, each bounded by the cap. ``order`` is the listing's order, so a
    capped list counts the same items it lists.
    """
    model = filterset.queryset.model
    facet_filters = filterset.facet_filters()
    names = list(facet_filters)
    sources = dict.fromkeys(names, ids)
    at_least = dict.fromkeys(names, capped)
    lifted = [
        (index, filterset.filter_queryset(filterset.queryset, exclude=name))
        for index, name in enumerate(names)
        if filterset.selected(name)
    ]
    if lifted:
        rows = run_union_all(
            [(index, order(others).values("pk")[: cap + 1]) for index, others in lifted]
        )
        for index, _others in lifted:
            found = [pk for branch, pk in rows if branch == index]
            sources[names[index]] = found[:cap]
            at_least[names[index]] = len(found) > cap
    branches = [
        (index, facet_filters[name].grouped_counts(model, sources[name]))
        for index, name in enumerate(names)
        if sources[name]
    ]
    counts = {}
    for branch, key, n in run_union_all(branches):
        name = names[branch]
        counts[(name, facet_filters[name].value_for_key(key))] = n
    return _facets(filterset, counts, cap, at_least)


def capped_option_counts(
    filterset, cap: int, generation: str | None = None, scope: str = ""
) -> list[Facet]:
    """Exact counts up to ``cap`` per option, each by a subquery that stops at ``cap`` + 1.

    For many matches without search words: every option's count uses the same indexes as
    the list, and the cost is bounded by the cap, whatever the size of the tables. These
    broad views (the landing page, one filter) are the most requested, so their counts are
    cached for ``COUNTS_CACHE_SECONDS`` (in memory or Redis: one round trip at most), under
    the content generation when there is one, so a publish shows in the counts at once.
    ``scope`` tells apart two lists of one model (upcoming and past events).
    """
    model = filterset.queryset.model
    state = sorted((name, tuple(filterset.selected(name))) for name in filterset.facet_filters())
    cache_key = (
        f"finder-counts:{generation or '-'}:"
        + hashlib.sha256(repr((model._meta.label, scope, cap, state)).encode()).hexdigest()
    )
    store = caches[PAGES_CACHE]
    counts = store.get(cache_key)
    if counts is None:
        counts = _capped_option_counts(filterset, cap)
        store.set(cache_key, counts, COUNTS_CACHE_SECONDS)
    return _facets(filterset, counts, cap, {})


def _capped_option_counts(filterset, cap: int) -> dict:
    branches, keys = [], []
    for name, facet_filter in filterset.facet_filters().items():
        base = filterset.filter_queryset(filterset.queryset, exclude=name)
        for value, _label in facet_filter.options():
            limited = facet_filter.filter(base, [value]).order_by().values("pk")[: cap + 1]
            branches.append((len(keys), limited))
            keys.append((name, value))
    rows = run_union_all(branches, count=True)
    return {keys[index]: n for index, n in rows}


def uncounted_facets(filterset: FinderFilterSet) -> list[Facet]:
    """Every option, without counts, ticked as submitted: the form shown with its errors."""
    data = filterset.form.data
    return [
        Facet(
            name,
            str(facet_filter.label),
            [
                FacetOption(value, label, None, value in data.getlist(name))
                for value, label in facet_filter.options()
            ],
        )
        for name, facet_filter in filterset.facet_filters().items()
    ]


def candidate_ids(queryset, cap: int, order=newest_first) -> tuple[list[int], bool]:
    """The ids of the first ``cap`` matches in the listing order, and whether more match."""
    ids = list(order(queryset).values_list("pk", flat=True)[: cap + 1])
    return ids[:cap], len(ids) > cap


def fetch_in_order(queryset, ids: list[int]) -> list:
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


class FinderView(TemplateView):
    """A filterable, searchable list of published items.

    Subclasses set ``model``, ``filterset_class``, ``template_name`` and ``noun_plural``; a
    list in another order than newest first (events, soonest first) overrides ``order`` and
    ``order_label`` and offers no ``sort_choices``.
    """

    # Its filter form refuses a NUL in the search box with a message (core.nulbytes).
    validates_nul = True

    model = None
    filterset_class: type[FinderFilterSet]
    paginate_by = 20
    noun_plural = "items"
    count_cap = COUNT_CAP
    count_limit = COUNT_LIMIT
    sort_choices = SORT_CHOICES
    order_label = "newest first"
    deferred_fields: tuple[str, ...] = ("search_vector",)

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(
            request.GET, queryset=self.published_queryset(), request=request
        )
        if not self.filterset.is_valid():
            return self.render_to_response(self.invalid_context(), status=400)
        return self.render_to_response(self.get_context_data())

    def published_queryset(self):
        return self.model.objects.published()

    def list_select_related(self) -> tuple[str, ...]:
        return ()

    def order(self, queryset):
        """The listing order (newest published first)."""
        return queryset.newest_first()

    def base_context(self) -> dict:
        return {
            "filterset": self.filterset,
            "form": self.filterset.form,
            "sort_choices": self.sort_choices,
            "order_label": self.order_label,
            "noun_plural": self.noun_plural,
            "count_cap": self.count_cap,
            "count_limit": self.count_limit,
            "errors": [],
        }

    def invalid_context(self) -> dict:
        form = self.filterset.form
        context = self.base_context()
        context.update(
            errors=[
                (name, str(form.fields[name].label), message)
                for name, messages in form.errors.items()
                for message in messages
            ],
            facets=uncounted_facets(self.filterset),
            text=form.data.get("q", "")[: search.MAX_QUERY_LENGTH],
            sort=SORT_NEWEST,
            object_list=[],
            paginator=None,
            page_obj=None,
            is_capped=False,
            is_over=False,
            total=0,
            total_display="0",
        )
        return super().get_context_data(**context)

    def get_context_data(self, **kwargs):
        filterset, cap = self.filterset, self.count_cap
        # SQLite limits the parameters of one statement: count over the listed items only.
        limit = self.count_limit if search.uses_postgres() else cap
        ids, over = candidate_ids(filterset.qs, limit, self.order)
        listed = ids[:cap]
        text = filterset.text
        if filterset.sort_order == SORT_RELEVANCE:
            listed = search.rank_ids(self.model.objects.all(), listed, text)
        paginator = Paginator(listed, self.paginate_by)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(f"No such page: {error}") from error
        objects = fetch_in_order(
            self.model.objects.select_related(*self.list_select_related()).defer(
                *self.deferred_fields
            ),
            list(page.object_list),
        )
        if over and not text:
            facets = capped_option_counts(
                filterset, cap, request_generation(self.request), scope=self.request.path
            )
        else:
            facets = counts_over_ids(filterset, ids, over, limit, self.order)
        context = {**self.base_context(), **kwargs}
        context.update(
            facets=facets,
            text=text,
            sort=filterset.sort_order,
            object_list=objects,
            paginator=paginator,
            page_obj=page,
            count_limit=limit,
            is_over=over,
            is_capped=over or len(ids) > cap,
            total=len(ids),
            total_display=format_count(len(ids) + over, limit),
        )
        return super().get_context_data(**context)
