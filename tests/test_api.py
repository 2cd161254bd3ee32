"""The open-data API: published content only, finder filters, cursors, CSV, headers, limits."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collaboratives.models import ContactDetail, ContactKind, CoverageKind
from core.publishing import PublicationStatus
from programmes.models import Measure
from tests.factories import (
    CareSettingFactory,
    CaseStudyFactory,
    CoverageFactory,
    ImpactFigureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
    ThemeFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.API_RATE_LIMIT = "1000/m"
    cache.clear()


def ago(days: float):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def unpublished():
    """A draft, an archived item and a published item scheduled for tomorrow, of each kind."""
    items = {}
    for name, status, when in (
        ("draft", PublicationStatus.DRAFT, ago(3)),
        ("archived", PublicationStatus.ARCHIVED, ago(3)),
        ("future", PublicationStatus.PUBLISHED, ago(-1)),
    ):
        items[name] = (
            CaseStudyFactory(slug=f"cs-{name}", title=f"Hidden {name}", status=status,
                             publish_from=when),
            ResourceFactory(slug=f"res-{name}", title=f"Hidden {name}", status=status,
                            publish_from=when),
        )  # fmt: skip
    return items


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- Case studies -------------------------------------------------------------------------


def test_a_case_study_is_given_with_sections_figures_and_its_public_address(client):
    programme = ProgrammeFactory(slug="maternity", name="Maternity")
    case_study = CaseStudyFactory(
        slug="magnesium",
        issue="<p>Too few <strong>mothers</strong></p><script>alert(1)</script>",
        what_we_did="Plain text\n\nin two paragraphs",
    )
    case_study.programmes.add(programme)
    case_study.themes.add(ThemeFactory(slug="co-design", name="Co-design"))
    case_study.care_settings.add(CareSettingFactory(slug="maternity-units", name="Maternity"))
    ImpactFigureFactory(case_study=case_study, value=84, unit="%", period="2021/22")

    data = client.get("/api/case-studies/magnesium").json()

    assert data["url"] == "http://testserver/case-studies/magnesium/"
    assert data["sections"]["issue"]["html"] == "<p>Too few <strong>mothers</strong></p>"
    assert data["sections"]["issue"]["text"] == "Too few mothers"
    assert data["sections"]["what_we_did"]["text"] == "Plain text\n\nin two paragraphs"
    assert data["impact_figures"][0] | {} == {
        "label": "eligible women given magnesium sulphate",
        "value": 84.0,
        "unit": "%",
        "baseline": None,
        "target": None,
        "period": "2021/22",
        "source": "",
        "measure": None,
    }
    assert data["measures"] == []
    assert data["programmes"] == [{"slug": "maternity", "name": "Maternity"}]
    assert data["themes"] == [{"slug": "co-design", "name": "Co-design"}]
    assert data["settings"] == [{"slug": "maternity-units", "name": "Maternity"}]
    assert data["organisation"]["slug"] == case_study.organisation.slug


def test_the_case_study_list_takes_the_finders_filters(client):
    wanted = ProgrammeFactory(slug="deterioration")
    other = ProgrammeFactory(slug="medication")
    in_programme = CaseStudyFactory(slug="news2-wards")
    in_programme.programmes.add(wanted)
    CaseStudyFactory(slug="elsewhere").programmes.add(other)

    assert slugs(client.get("/api/case-studies?programme=deterioration")) == ["news2-wards"]
    both = client.get("/api/case-studies?programme=deterioration&programme=medication")
    assert sorted(slugs(both)) == ["elsewhere", "news2-wards"]
    assert slugs(client.get(f"/api/case-studies?year={ago(1).year}&sort=newest")) != []


def test_search_words_filter_as_in_the_finder(client):
    CaseStudyFactory(slug="sepsis", title="Spotting sepsis early")
    CaseStudyFactory(slug="falls", title="Fewer falls")
    assert slugs(client.get("/api/case-studies?q=sepsis")) == ["sepsis"]


def test_drafts_archived_and_scheduled_items_never_appear(client, unpublished):
    CaseStudyFactory(slug="cs-public")
    ResourceFactory(slug="res-public")
    for path in ("/api/case-studies", "/api/resources"):
        assert slugs(client.get(path)) in (["cs-public"], ["res-public"])
        text = client.get(f"{path}.csv").content.decode()
        assert "Hidden" not in text
    for name in unpublished:
        assert client.get(f"/api/case-studies/cs-{name}").status_code == 404
        assert client.get(f"/api/resources/res-{name}").status_code == 404


def test_unknown_filters_are_refused_with_a_clear_message(client):
    response = client.get("/api/case-studies?programm=deterioration")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Unknown parameter: programm.",
        "errors": {"programm": ["This API does not take this parameter."]},
    }
    assert client.get("/api/organisations?colour=blue").status_code == 400
    assert client.get("/api/programmes/anything?x=1").status_code == 400


def test_a_filter_value_that_does_not_exist_is_refused(client):
    response = client.get("/api/case-studies?programme=no-such-programme")
    assert response.status_code == 400
    assert "programme" in response.json()["errors"]
    assert client.get("/api/resources?kind=hologram").status_code == 400
    assert client.get("/api/case-studies?year=abc").status_code == 400


# --- Pagination --------------------------------------------------------------------------


def test_the_cursor_walks_every_item_once_even_as_new_items_are_published(client):
    for day in range(5):
        CaseStudyFactory(slug=f"item-{day}", publish_from=ago(day + 1))
    first = client.get("/api/case-studies?limit=2").json()
    assert [i["slug"] for i in first["items"]] == ["item-0", "item-1"]
    assert first["next"].startswith("http://testserver/api/case-studies?")

    CaseStudyFactory(slug="brand-new", publish_from=ago(0.1))
    CaseStudyFactory(slug="older-insert", publish_from=ago(2.5))  # after the cursor: shown

    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert [i["slug"] for i in second["items"]] == ["older-insert", "item-2"]
    assert [i["slug"] for i in third["items"]] == ["item-3", "item-4"]
    assert third["next"] is None and third["next_cursor"] is None


def test_the_cursor_keeps_the_filters(client):
    programme = ProgrammeFactory(slug="deterioration")
    for day in range(3):
        CaseStudyFactory(slug=f"in-{day}", publish_from=ago(day + 1)).programmes.add(programme)
        CaseStudyFactory(slug=f"out-{day}", publish_from=ago(day + 1))
    first = client.get("/api/case-studies?programme=deterioration&limit=2").json()
    assert "programme=deterioration" in first["next"]
    assert slugs(client.get(first["next"])) == ["in-2"]


@pytest.mark.parametrize(
    "cursor", ["garbage", "W10:abc", "eyJhIjoxfQ", "%00%ff", "WyIyMDIwIiwxXQ:1rX"]
)
def test_a_malformed_or_tampered_cursor_is_refused(client, cursor):
    response = client.get(f"/api/case-studies?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"]["cursor"] == ["The cursor is not one this API gave out."]


def test_a_cursor_from_another_list_kind_still_only_pages(client):
    CaseStudyFactory(slug="one", publish_from=ago(1))
    CaseStudyFactory(slug="two", publish_from=ago(2))
    cursor = client.get("/api/case-studies?limit=1").json()["next_cursor"]
    assert client.get(f"/api/resources?cursor={cursor}").status_code == 200


@pytest.mark.parametrize("limit", ["0", "-1", "101", "100000", "ten"])
def test_page_sizes_outside_1_to_100_are_refused(client, limit):
    response = client.get(f"/api/case-studies?limit={limit}")
    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_a_page_of_100_is_allowed(client):
    assert client.get("/api/case-studies?limit=100").status_code == 200


# --- CSV ---------------------------------------------------------------------------------


def test_case_studies_download_as_csv_with_flat_columns_and_the_same_filters(client):
    programme = ProgrammeFactory(slug="deterioration", name="Deterioration")
    case_study = CaseStudyFactory(slug="news2", title="NEWS2 everywhere")
    case_study.programmes.add(programme, ProgrammeFactory(slug="sepsis", name="Sepsis"))
    ImpactFigureFactory(case_study=case_study, label="wards", value=12, unit="")
    CaseStudyFactory(slug="other")

    for path in ("/api/case-studies.csv?programme=deterioration",
                 "/api/case-studies?programme=deterioration&format=csv"):  # fmt: skip
        response = client.get(path)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="case-studies.csv"' in response["Content-Disposition"]
        rows = csv_rows(response)
        assert [row["slug"] for row in rows] == ["news2"]
        assert rows[0]["programmes"] == "Deterioration; Sepsis"
        assert rows[0]["impact_figures"] == "wards: 12"
        assert rows[0]["url"] == "http://testserver/case-studies/news2/"
        assert list(rows[0]) == [
            "slug", "title", "url", "organisation", "publish_from", "updated_at", "summary",
            "programmes", "workstreams", "settings", "themes", "impact_figures", "measures",
            "issue", "what_we_did", "impact", "next_steps",
        ]  # fmt: skip


def test_a_csv_of_nothing_still_has_its_header(client):
    response = client.get("/api/resources.csv")
    assert response.content.decode().startswith("slug,title,url,kind,")


def test_resources_download_as_csv(client):
    ResourceFactory(slug="toolkit", url="https://example.org/t", kind="toolkit")
    rows = csv_rows(client.get("/api/resources.csv?kind=toolkit"))
    assert rows[0]["kind"] == "Toolkit"
    assert rows[0]["link"] == "https://example.org/t"
    assert rows[0]["download_url"] == ""


def test_a_long_csv_links_to_the_rest(client):
    for day in range(3):
        CaseStudyFactory(publish_from=ago(day + 1))
    response = client.get("/api/case-studies.csv?limit=2")
    assert len(csv_rows(response)) == 2
    assert 'rel="next"' in response["Link"]


def test_organisations_and_programmes_download_as_csv(client):
    OrganisationFactory(slug="wessex", acronym="Wessex", former_names="Wessex AHSN\nOld name")
    ProgrammeFactory(slug="deterioration")
    rows = csv_rows(client.get("/api/organisations.csv"))
    assert rows[0]["former_names"] == "Wessex AHSN; Old name"
    assert csv_rows(client.get("/api/programmes?format=csv"))[0]["slug"] == "deterioration"


# --- Reference data ----------------------------------------------------------------------


def test_an_organisation_shows_only_verified_contact_facts_and_its_ics_coverage(client):
    org = OrganisationFactory(slug="wessex", former_names="Wessex AHSN")
    ContactDetail.objects.create(
        organisation=org, kind=ContactKind.WEBSITE, value="https://a.example", verified=True
    )
    ContactDetail.objects.create(
        organisation=org, kind=ContactKind.EMAIL, value="guess@example.org", verified=False
    )
    CoverageFactory(organisation=org, kind=CoverageKind.ICS, value="Dorset")
    CoverageFactory(organisation=org, kind=CoverageKind.POSTCODE_AREA, value="BH")

    data = client.get("/api/organisations/wessex").json()
    assert data["former_names"] == ["Wessex AHSN"]
    assert data["contacts"] == [
        {"kind": "website", "value": "https://a.example", "is_current": True}
    ]
    assert data["integrated_care_systems"] == ["Dorset"]
    assert data["url"] == "http://testserver/collaboratives/wessex/"
    assert [o["slug"] for o in client.get("/api/organisations").json()["items"]] == ["wessex"]


def test_a_programme_has_its_workstreams_and_targets(client):
    programme = ProgrammeFactory(slug="deterioration", status="paused", status_note="COVID-19")
    workstream = WorkstreamFactory(programme=programme, slug="news2", name="NEWS2")
    Measure.objects.create(
        programme=programme,
        workstream=workstream,
        key="news2-uptake",
        label="Trusts using NEWS2",
        target="100%",
        period="by March 2020",
        source="NHS England",
    )
    data = client.get("/api/programmes/deterioration").json()
    assert data["status"] == "paused"
    assert data["workstreams"] == [{"slug": "news2", "name": "NEWS2", "aim": ""}]
    assert data["measures"][0]["target"] == "100%"
    assert data["measures"][0]["workstream"] == "news2"
    assert client.get("/api/programmes").json()["items"][0]["slug"] == "deterioration"


def test_an_unknown_slug_is_a_json_404(client):
    response = client.get("/api/organisations/nowhere")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_resource_gives_its_kind_and_link(client):
    ResourceFactory(slug="webinar", kind="webinar", url="https://example.org/w")
    data = client.get("/api/resources/webinar").json()
    assert (data["kind"], data["kind_label"], data["link"]) == (
        "webinar",
        "Webinar",
        "https://example.org/w",
    )
    assert data["download_url"] is None


def test_lists_take_a_constant_number_of_queries(client):
    def queries_for_list():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/case-studies?limit=100").status_code == 200
        return len(captured)

    def add_case_studies(count):
        for _ in range(count):
            case_study = CaseStudyFactory()
            case_study.programmes.add(ProgrammeFactory())
            ImpactFigureFactory(case_study=case_study)

    add_case_studies(2)
    few = queries_for_list()
    add_case_studies(15)
    assert queries_for_list() == few


# --- HTTP: caching, CORS, rate limit, the documents --------------------------------------


def test_api_answers_carry_public_caching_and_an_etag(client):
    CaseStudyFactory()
    response = client.get("/api/case-studies")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]
    assert not response.cookies
    again = client.get("/api/case-studies", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_cors_is_open_for_reading_the_api_only(client):
    response = client.get("/api/programmes", headers={"origin": "https://example.com"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/programmes",
        headers={"origin": "https://example.com", "access-control-request-method": "GET"},
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    elsewhere = client.get("/programmes/", headers={"origin": "https://example.com"})
    assert "Access-Control-Allow-Origin" not in elsewhere


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/programmes").status_code == 200
    response = client.get("/api/programmes")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["detail"]
    assert "no-store" in response["Cache-Control"]
    other = client.get("/api/programmes", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    assert client.get("/programmes/").status_code == 200  # pages outside /api/ are not counted


def test_the_openapi_document_is_openapi_3_1_and_lists_every_endpoint(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    expected = {"/api/case-studies", "/api/resources", "/api/organisations", "/api/programmes",
                "/api/case-studies/{slug}", "/api/case-studies.csv"}  # fmt: skip
    assert expected <= set(document["paths"])


def test_the_api_page_explains_the_licence_limits_and_examples(client):
    response = client.get("/api/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Government Licence v3.0" in html
    assert "429" in html and "Retry-After" in html
    assert 'curl "http://testserver/api/case-studies?programme=managing-deterioration' in html
    assert html.count("<h1") == 1
