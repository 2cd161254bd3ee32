"""Text search over published content, shared by the finders and the site search.

On PostgreSQL, case studies and resources carry a weighted ``search_vector`` (title A, summary
B, body C) kept up to date by a database trigger and indexed with GIN. Queries use the web
search syntax people know (``"exact phrase"``, ``or``, ``-exclude``), are ranked with
``ts_rank``, and plain words also match titles by trigram word similarity, so a small typo
still finds the item.

Matches are found through the indexes first: the GIN index gives the ids whose
``search_vector`` matches and the trigram index the titles that nearly match (at most
``TRIGRAM_LIMIT``), and the published-items index, read without touching the table, keeps the
newest of them (the site search, ``newest_match_ids``, reads both through one bitmap over
the table instead). Only a word in a large share of all items (``walk_is_cheaper``, from the
planner's estimate) is instead tested along the newest-first index, which then finds enough
matches within a few thousand rows; such a word needs no typo path. Either way a search
visits at most about ``sqrt(2 × cap × items)`` rows, whether its words are rare or common.

On SQLite (the quick start) every word must appear somewhere in the text
fields, ``-word`` excludes and quoted phrases match as a whole.
"""

import hashlib
import json
import math
import re
import shlex
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import caches
from django.db import connection, models
from django.db.models import DateTimeField, ExpressionWrapper, F, Lookup, Q, Value
from django.db.models.functions import Coalesce

from psc_portal.caching import PAGES_CACHE

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
TRIGRAM_LIMIT = 200  # near-miss titles considered (a typo's matches; bounded)
# Full-text matches read from the GIN index at most. Also keeps PostgreSQL from turning the
# id list into a join that tests every newest item's search_vector (a LIMIT cannot be
# pulled up), so the index is read first.
MATCH_LIMIT = 100_000
CANDIDATES = 1000  # newest matches listed and ranked (core.finders.COUNT_CAP)
PLAN_CACHE_SECONDS = 600
# Web-search operators: a trigram match must not bring back what "-word" or a phrase excluded.
_OPERATORS = re.compile(r'["\-]|\bor\b', re.IGNORECASE)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text: str) -> str:
    return " ".join(text.split())


def _has_operators(text: str) -> bool:
    return bool(_OPERATORS.search(text))


def _search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def matching(queryset: models.QuerySet, text: str, fields: Iterable[str]) -> models.QuerySet:
    """Items of a model with a ``search_vector`` that match ``text``.

    ``fields`` are the text fields the SQLite fallback looks in (title first).
    """
    text = clean_query(text)
    if not text:
        return queryset
    if not uses_postgres():
        return queryset.filter(_simple_match(text, fields))
    return queryset.filter(match_condition(queryset.model, text))


def match_condition(model, text: str) -> Q:
    """PostgreSQL: the condition for items of ``model`` that match ``text`` (cleaned)."""
    query = _search_query(text)
    if walk_is_cheaper(model, text):
        # So many items hold the words that exact matches come quickly: no typo path.
        return Q(search_vector=query)
    everything = model._default_manager.order_by()
    matched = everything.filter(search_vector=query).values("pk")[:MATCH_LIMIT]
    if not _has_operators(text):
        # One id list (UNION), which PostgreSQL joins to the published items by primary key;
        # "id IN (…) OR id IN (…)" would be tested against every published item instead.
        matched = matched.union(_near_titles(model, text))
    return Q(pk__in=matched)


def _near_titles(model, text: str) -> models.QuerySet:
    """The ids of at most ``TRIGRAM_LIMIT`` items whose title nearly matches (a typo)."""
    near = model._default_manager.order_by().filter(title__trigram_word_similar=text)
    return near.values("pk")[:TRIGRAM_LIMIT]


class AnyOf(Lookup):
    """``pk = ANY(ARRAY(subquery))``: unlike ``IN (subquery)``, PostgreSQL can read the ids
    through the primary key into the same bitmap as the other conditions of an OR."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def newest_match_ids(queryset: models.QuerySet, text: str, fields, cap: int):
    """The ids of the newest ``cap`` items of ``queryset`` that match ``text``, and whether
    more match: one statement that reads the matches through the indexes.

    For a word that is not everywhere, the GIN index and the near-miss titles (at most
    ``TRIGRAM_LIMIT`` ids, fetched first) are combined into one bitmap over the table, and
    the newest are picked from those rows. The order is written as an expression the
    newest-first index cannot supply: otherwise PostgreSQL may walk that index and test each
    row's ``search_vector`` (ten times slower for a word in a few per cent of items).
    """
    text = clean_query(text)
    model = queryset.model
    if not uses_postgres() or not text or walk_is_cheaper(model, text):
        ordered = matching(queryset, text, fields).newest_first()
    else:
        condition = Q(search_vector=_search_query(text))
        if not _has_operators(text):
            condition |= Q(AnyOf(F("pk"), _near_titles(model, text)))
        since = ExpressionWrapper(F("publish_from") + Value(timedelta(0)), DateTimeField())
        ordered = queryset.filter(condition).order_by(since.desc(), "-pk")
    ids = list(ordered.values_list("pk", flat=True)[: cap + 1])
    return ids[:cap], len(ids) > cap


def walk_is_cheaper(model, text: str) -> bool:
    """Is ``text`` in so many items that testing the newest, in order, beats the GIN index?

    Reading the GIN matches costs a row per match (share × items); walking the newest-first
    index costs about candidates ÷ share rows, each a random read (counted twice). The share
    is the planner's estimate, remembered for a while per model and words.
    """
    key = "search-walk:" + hashlib.sha256(f"{model._meta.label} {text}".encode()).hexdigest()
    store = caches[PAGES_CACHE]
    decision = store.get(key)
    if decision is None:
        matches, items = _estimated_rows(model, text)
        share = matches / items if items else 0.0
        decision = items > 0 and share > math.sqrt(2 * CANDIDATES / items)
        store.set(key, decision, PLAN_CACHE_SECONDS)
    return decision


def _estimated_rows(model, text: str) -> tuple[float, float]:
    """The planner's estimates: rows whose search_vector matches, and rows in the table."""
    manager = model._default_manager
    matched, matched_params = (
        manager.filter(search_vector=_search_query(text))
        .order_by()
        .values("pk")
        .query.sql_with_params()
    )
    every, every_params = manager.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) ({matched}) UNION ALL ({every})",
            (*matched_params, *every_params),
        )
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        first, second = plan[0]["Plan"]["Plans"][:2]
        return float(first["Plan Rows"]), float(second["Plan Rows"])
    except (KeyError, IndexError, ValueError):
        return 0.0, 0.0


def ranked(queryset: models.QuerySet, ids: list[int], text: str) -> models.QuerySet:
    """The items with the given ids (newest first), best match first.

    Full-text rank (title weighted over summary over body), helped by how closely the title
    matches. Only the given candidates are ranked, so the cost is bounded. On SQLite the
    order stays newest first.
    """
    candidates = queryset.filter(pk__in=ids)
    text = clean_query(text)
    if not uses_postgres() or not text:
        return candidates.order_by("-publish_from", "-pk")
    rank = SearchRank(F("search_vector"), _search_query(text))
    similarity = Coalesce(TrigramWordSimilarity(text, "title"), Value(0.0))
    return candidates.annotate(relevance=rank + similarity * Value(0.5)).order_by(
        "-relevance", "-publish_from", "-pk"
    )


def rank_ids(queryset: models.QuerySet, ids: list[int], text: str) -> list[int]:
    """The given ids (newest first) reordered best match first (see ``ranked``)."""
    if not uses_postgres() or not clean_query(text) or len(ids) < 2:
        return ids
    return list(ranked(queryset, ids, text).values_list("pk", flat=True))


def _terms(text: str) -> tuple[list[str], list[str]]:
    """Words and quoted phrases to include, and those to exclude (``-word``)."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unbalanced quote: treat the quotes as plain characters
        tokens = text.replace('"', " ").split()
    include, exclude = [], []
    for token in tokens:
        if token.lower() == "or":
            continue
        if token.startswith("-") and len(token) > 1:
            exclude.append(token[1:])
        else:
            include.append(token.strip("-"))
    return [t for t in include if t], exclude


def _simple_match(text: str, fields: Iterable[str]) -> Q:
    fields = list(fields)

    def anywhere(term: str) -> Q:
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": term})
        return q

    include, exclude = _terms(text)
    condition = Q()
    for term in include:
        condition &= anywhere(term)
    for term in exclude:
        condition &= ~anywhere(term)
    return condition


def simple_search(queryset: models.QuerySet, text: str, fields: Iterable[str]) -> models.QuerySet:
    """Plain matching for the small reference tables (programmes, collaboratives)."""
    text = clean_query(text)
    if not text:
        return queryset
    return queryset.filter(_simple_match(text, fields))
