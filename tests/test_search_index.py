"""Search finds its matches through the indexes, whether a word is rare or common, and the
admin changelists search the same way instead of LIKE '%word%' over every row."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy
from core import admin_mixins, search
from core.publishing import PublicationStatus
from search import views as search_views
from tests.factories import CaseStudyFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test table is tiny, so the planner would read it whole; forbid that to see
        # which index the query can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def common_word():
    for n in range(30):
        CaseStudyFactory(title=f"Patient safety work {n}", summary="Safety first.")
    CaseStudyFactory(title="Sepsis screening", summary="Safety and sepsis.")


def candidates(text):
    matches = search.matching(CaseStudy.objects.published(), text, ("title", "summary"))
    return matches.newest_first().values("pk")[:1001]


def test_a_word_in_every_item_is_found_through_the_gin_index(common_word):
    explained = plan(candidates("safety"))
    assert "casestudy_search_vector_gin" in explained
    assert "casestudy_title_trgm" in explained


def test_a_rare_word_uses_the_gin_index_too(common_word):
    assert "casestudy_search_vector_gin" in plan(candidates("sepsis"))


def test_the_typo_path_is_bounded(common_word):
    sql = str(candidates("sepsiss").query)
    assert "%>" in sql
    assert f"LIMIT {search.TRIGRAM_LIMIT}" in sql
    assert set(
        search.matching(CaseStudy.objects.published(), "sepsiss", ()).values_list(
            "title", flat=True
        )
    ) == {"Sepsis screening"}


def test_only_a_word_in_a_large_share_of_many_items_walks_the_date_index(monkeypatch):
    estimates = {}
    monkeypatch.setattr(search, "_estimated_rows", lambda model, text: estimates[text])
    estimates.update(
        {
            "safety": (99_000.0, 100_000.0),  # nearly everywhere: newest 1,000 come quickly
            "deterioration": (6_500.0, 100_000.0),
            "opioids": (2_500.0, 100_000.0),
            "anything": (40.0, 40.0),  # a small table: the index, always
        }
    )
    assert search.walk_is_cheaper(CaseStudy, "safety")
    assert not search.walk_is_cheaper(CaseStudy, "deterioration")
    assert not search.walk_is_cheaper(CaseStudy, "opioids")
    assert not search.walk_is_cheaper(CaseStudy, "anything")


def test_both_paths_find_the_same_items(common_word, monkeypatch):
    gin_first = set(candidates("safety -sepsis").values_list("pk", flat=True))
    monkeypatch.setattr(search, "walk_is_cheaper", lambda model, text: True)
    walked = set(candidates("safety -sepsis").values_list("pk", flat=True))
    assert gin_first == walked
    assert len(walked) == 30


def changelist_queries(admin_client, url, text):
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(url, {"q": text})
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    "route", ["admin:casestudies_casestudy_changelist", "admin:resources_resource_changelist"]
)
def test_the_admin_changelist_search_uses_the_indexes_not_like(admin_client, route):
    for n in range(3):
        CaseStudyFactory(title=f"Falls prevention {n}", status=PublicationStatus.DRAFT)
        ResourceFactory(title=f"Falls prevention toolkit {n}")
    CaseStudyFactory(title="Hydration", slug="hydration-in-care-homes")
    ResourceFactory(title="Hydration poster", slug="hydration-poster")
    url = reverse(route)
    response, sqls = changelist_queries(admin_client, url, "falls")
    assert not [sql for sql in sqls if " LIKE " in sql.upper()]
    assert any("@@" in sql for sql in sqls)
    assert "Falls prevention 0" in response.content.decode() or "Falls prevention toolkit 0" in (
        response.content.decode()
    )
    response, _sqls = changelist_queries(admin_client, url, "fals prevention")  # a typo
    assert "Falls prevention" in response.content.decode()
    slug = "hydration-in-care-homes" if "casestudy" in route else "hydration-poster"
    response, _sqls = changelist_queries(admin_client, url, slug)
    assert "Hydration" in response.content.decode()


def test_the_admin_changelist_counts_are_bounded_and_there_is_no_date_drill_down(admin_client):
    CaseStudyFactory.create_batch(3)
    url = reverse("admin:casestudies_casestudy_changelist")
    _response, sqls = changelist_queries(admin_client, url, "")
    counts = [sql for sql in sqls if "COUNT(" in sql.upper() and "casestudies_casestudy" in sql]
    assert counts
    assert all("LIMIT 10001" in sql for sql in counts)
    assert not [sql for sql in sqls if "DATE_TRUNC" in sql.upper() or "EXTRACT" in sql.upper()]


def test_the_admin_year_filter_lists_years_without_a_query(admin_client):
    CaseStudyFactory(title="Old work", publish_from="2019-05-01T12:00:00Z")
    CaseStudyFactory(title="New work")
    url = reverse("admin:casestudies_casestudy_changelist")
    page = admin_client.get(url, {"year": "2019"}).content.decode()
    assert "Old work" in page
    assert "New work" not in page
    assert "year=2014" in page


def test_the_site_search_reads_few_rows_for_a_word_that_is_everywhere(client, monkeypatch):
    for n in range(3):
        CaseStudyFactory(title=f"Patient safety work {n}")
    monkeypatch.setattr(search_views, "RANKED", 2)
    monkeypatch.setattr(search, "walk_is_cheaper", lambda model, text: model is CaseStudy)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/search/", {"q": "safety"}).content.decode()
    assert "1,000+" in page
    assert any("LIMIT 3" in query["sql"] for query in captured.captured_queries)


def site_search_statement(text):
    """The site search's candidate statement for case studies, as run."""
    queries = []

    def keep(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        ids, _capped = search.newest_match_ids(
            CaseStudy.objects.published(), text, ("title", "summary"), 1000
        )
    return ids, queries[-1]


def test_the_site_search_reads_a_rare_word_through_one_bitmap_not_the_date_index(common_word):
    ids, (sql, params) = site_search_statement("sepsis")
    assert ids == list(
        CaseStudy.objects.filter(title="Sepsis screening").values_list("pk", flat=True)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        explained = "\n".join(row[0] for row in cursor.fetchall())
    # No index can supply the order, so PostgreSQL never walks the newest-first index testing
    # each row's words: it collects the matches (the GIN index at 100,000 items, see
    # bench/speed.py) and sorts out the newest. The near-miss titles come from their index.
    assert "  ->  Sort  " in explained
    assert "Incremental Sort" not in explained
    assert "Sort Key: ((casestudies_casestudy.publish_from + " in explained
    assert "Bitmap Index Scan on casestudy_title_trgm" in explained
    assert "= ANY ($0)" in explained  # the near-miss ids join the same condition


def test_the_site_search_finds_typos_and_honours_exclusions(common_word):
    typo, _statement = site_search_statement("sepsiss")
    assert list(CaseStudy.objects.filter(pk__in=typo).values_list("title", flat=True)) == [
        "Sepsis screening"
    ]
    excluded, _statement = site_search_statement("safety -sepsis")
    assert len(excluded) == 30
    newest = list(CaseStudy.objects.published().newest_first().values_list("pk", flat=True))
    assert excluded == [pk for pk in newest if pk in set(excluded)]  # newest first


def test_a_searched_changelist_counts_to_a_lower_cap_and_says_so(admin_client, monkeypatch):
    monkeypatch.setattr(admin_mixins.SearchCountPaginator, "cap", 3)
    for n in range(5):
        CaseStudyFactory(title=f"Falls prevention {n}")
    url = reverse("admin:casestudies_casestudy_changelist")
    response, sqls = changelist_queries(admin_client, url, "falls")
    page = response.content.decode()
    assert any("COUNT(" in sql.upper() and "LIMIT 4" in sql for sql in sqls)
    assert "more than 3" in page
    unsearched = admin_client.get(url).content.decode()
    assert "more than" not in unsearched
    assert "5 case studies" in unsearched
