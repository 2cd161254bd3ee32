"""Text search over published content, shared by the finders and the site search.

On PostgreSQL, case studies and resources carry a weighted ``search_vector`` (title A, summary
B, body C) kept up to date by a database trigger and indexed with GIN. Queries use the web
search syntax people know (``"exact phrase"``, ``or``, ``-exclude``), are ranked with
``ts_rank``, and plain words also match titles by trigram word similarity, so a small typo
still finds the item. On SQLite (the quick start) every word must appear somewhere in the text
fields, ``-word`` excludes and quoted phrases match as a whole.
"""

import re
import shlex
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
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
    condition = Q(search_vector=_search_query(text))
    if not _has_operators(text):
        condition |= Q(title__trigram_word_similar=text)
    return queryset.filter(condition)


def rank_ids(queryset: models.QuerySet, ids: list[int], text: str) -> list[int]:
    """The given ids (newest first) reordered best match first.

    Full-text rank (title weighted over summary over body), helped by how closely the title
    matches. Only the given candidates are ranked, so the cost is bounded. On SQLite the
    order stays newest first.
    """
    text = clean_query(text)
    if not uses_postgres() or not text or len(ids) < 2:
        return ids
    rank = SearchRank(F("search_vector"), _search_query(text))
    similarity = Coalesce(TrigramWordSimilarity(text, "title"), Value(0.0))
    return list(
        queryset.filter(pk__in=ids)
        .annotate(relevance=rank + similarity * Value(0.5))
        .order_by("-relevance", "-publish_from", "-pk")
        .values_list("pk", flat=True)
    )


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
