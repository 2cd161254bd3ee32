"""The open-data API's improvement measures and events: published only, computed statistics,
the finders' filters, cursors and CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.publishing import PublicationStatus
from measures.models import Measure, PhaseChange
from tests.factories import (
    CaseStudyFactory,
    DataPointFactory,
    EventFactory,
    ImpactFigureFactory,
    MeasureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = (
    ("draft", PublicationStatus.DRAFT, -3),
    ("archived", PublicationStatus.ARCHIVED, -3),
    ("future", PublicationStatus.PUBLISHED, 1),
)


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.API_RATE_LIMIT = "1000/m"
    cache.clear()


def days(n: float):
    return timezone.now() + timedelta(days=n)


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def add_series(measure, values, start=date(2023, 1, 1)):
    for index, value in enumerate(values):
        year, month = divmod(start.month - 1 + index, 12)
        DataPointFactory(measure=measure, period=date(start.year + year, month + 1, 1), value=value)


# Twelve steady months, then eight well above: a shift, with points beyond the upper limit.
STEADY_THEN_HIGHER = [
    50,
    52,
    49,
    51,
    50,
    48,
    52,
    50,
    51,
    49,
    50,
    52,
    70,
    71,
    69,
    72,
    70,
    71,
    73,
    70,
]


# --- Measures -----------------------------------------------------------------------------


def test_a_measure_gives_every_point_with_the_flags_the_chart_computes(client):
    programme = ProgrammeFactory(slug="deterioration", name="Deterioration")
    measure = MeasureFactory(
        slug="news2", name="NEWS2 on admission", target=60, baseline_points=12,
        is_illustrative=True,
    )  # fmt: skip
    measure.programmes.add(programme)
    add_series(measure, STEADY_THEN_HIGHER)
    DataPointFactory(measure=measure, period=date(2024, 9, 1), value=71, annotation="New tool")

    data = client.get("/api/measures/news2").json()

    result = Measure.objects.get(slug="news2").analysis()
    assert [p["flags"] for p in data["points"]] == [
        [str(flag) for flag in point.flags] for point in result.points
    ]
    assert {"shift", "beyond_limit"} <= {flag for p in data["points"] for flag in p["flags"]}
    assert [p["value"] for p in data["points"]][:3] == [50.0, 52.0, 49.0]
    assert data["points"][-1]["annotation"] == "New tool"
    assert data["points"][0]["mean"] == pytest.approx(result.phases[0].mean)
    assert data["phases"][0] | {} == data["phases"][0] | {
        "mean": pytest.approx(result.phases[0].mean),
        "lower": pytest.approx(result.phases[0].lower),
        "upper": pytest.approx(result.phases[0].upper),
        "baseline_count": 12,
        "reason": "",
    }
    assert data["variation_icon"] == str(result.variation_icon) == "improvement_high"
    assert data["assurance_icon"] == (result.assurance_icon and str(result.assurance_icon))
    assert data["summary"] == result.summary
    assert data["is_illustrative"] is True
    assert (data["unit"], data["direction"], data["target"], data["frequency"]) == (
        "%", "increase", 60.0, "monthly",
    )  # fmt: skip
    assert data["latest"] == {"period": "2024-09-01", "value": 71.0}
    assert data["programmes"] == [
        {"slug": "deterioration", "name": "Deterioration",
         "url": "http://testserver/programmes/deterioration/"},
    ]  # fmt: skip
    assert data["url"] == "http://testserver/measures/news2/"
    assert data["csv_url"] == "http://testserver/measures/news2/data.csv"
    assert client.get("/measures/news2/data.csv").status_code == 200


def test_a_recalculation_starts_a_phase_with_its_own_limits_and_reason(client):
    measure = MeasureFactory(slug="falls")
    add_series(measure, STEADY_THEN_HIGHER)
    PhaseChange.objects.create(measure=measure, date=date(2024, 1, 1), reason="New pathway")

    data = client.get("/api/measures/falls").json()

    result = Measure.objects.get(slug="falls").analysis()
    assert [(p["index"], p["start"], p["reason"]) for p in data["phases"]] == [
        (0, "2023-01-01", ""),
        (1, "2024-01-01", "New pathway"),
    ]
    assert data["phases"][1]["upper"] == pytest.approx(result.phases[1].upper)
    assert {p["phase"] for p in data["points"][12:]} == {1}
    assert [p["flags"] for p in data["points"]] == [
        [str(flag) for flag in point.flags] for point in result.points
    ]


def test_a_measure_without_data_says_so(client):
    MeasureFactory(slug="empty")
    data = client.get("/api/measures/empty").json()
    assert (data["points"], data["phases"], data["latest"]) == ([], [], None)
    assert data["variation_icon"] is None and data["summary"] == "No data yet."


def test_the_measure_list_filters_by_programme_and_organisation(client):
    programme = ProgrammeFactory(slug="maternity")
    wessex = OrganisationFactory(slug="wessex")
    in_programme = MeasureFactory(slug="pph", publish_from=days(-2))
    in_programme.programmes.add(programme)
    MeasureFactory(slug="wessex-falls", organisation=wessex, publish_from=days(-3))
    add_series(in_programme, [1, 2, 3])

    assert slugs(client.get("/api/measures")) == ["pph", "wessex-falls"]
    assert slugs(client.get("/api/measures?programme=maternity")) == ["pph"]
    assert slugs(client.get("/api/measures?organisation=wessex")) == ["wessex-falls"]
    listed = client.get("/api/measures?programme=maternity").json()["items"][0]
    assert "points" not in listed
    assert listed["point_count"] == 3 and listed["latest"]["value"] == 3.0


def test_the_measure_list_refuses_unknown_parameters_and_values(client):
    response = client.get("/api/measures?collaborative=wessex")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "collaborative": ["This API does not take this parameter."]
    }
    response = client.get("/api/measures?programme=nothing-like-it")
    assert response.status_code == 400
    assert "There is no programme “nothing-like-it”" in response.json()["errors"]["programme"][0]
    assert client.get("/api/measures/news2?x=1").status_code == 400


def test_measures_download_as_csv_with_their_icons(client):
    measure = MeasureFactory(slug="news2", name="NEWS2", target=40)
    measure.programmes.add(ProgrammeFactory(slug="deterioration", name="Deterioration"))
    add_series(measure, STEADY_THEN_HIGHER)
    case_study = CaseStudyFactory(slug="news2-story")
    case_study.measures.add(measure)

    for path in ("/api/measures.csv", "/api/measures?format=csv"):
        response = client.get(path)
        assert 'filename="measures.csv"' in response["Content-Disposition"]
        rows = csv_rows(response)
        assert list(rows[0]) == [
            "slug", "name", "url", "csv_url", "definition", "unit", "direction", "target",
            "target_from", "frequency", "data_source", "is_illustrative", "organisation",
            "programmes", "case_studies", "point_count", "latest_period", "latest_value",
            "variation_icon", "assurance_icon", "summary", "publish_from",
        ]  # fmt: skip
        row = rows[0]
        assert (row["slug"], row["target"], row["programmes"]) == ("news2", "40", "Deterioration")
        assert (row["point_count"], row["latest_value"], row["latest_period"]) == (
            "20", "70", "2024-08-01",
        )  # fmt: skip
        assert row["variation_icon"] == "improvement_high"
        assert row["assurance_icon"] == str(measure.analysis().assurance_icon)
        assert row["case_studies"] == "news2-story"
        assert row["csv_url"] == "http://testserver/measures/news2/data.csv"


def test_draft_archived_and_scheduled_measures_never_appear(client):
    MeasureFactory(slug="public")
    for name, status, offset in HIDDEN:
        hidden = MeasureFactory(slug=f"m-{name}", name=f"Hidden {name}", status=status,
                                publish_from=days(offset))  # fmt: skip
        add_series(hidden, [1, 2])
    assert slugs(client.get("/api/measures")) == ["public"]
    assert "Hidden" not in client.get("/api/measures.csv").content.decode()
    for name, _, _ in HIDDEN:
        assert client.get(f"/api/measures/m-{name}").status_code == 404


def test_a_measure_lists_only_its_published_case_studies(client):
    measure = MeasureFactory(slug="news2")
    public = CaseStudyFactory(slug="told", title="Told")
    draft = CaseStudyFactory(slug="untold", status=PublicationStatus.DRAFT)
    public.measures.add(measure)
    draft.measures.add(measure)
    data = client.get("/api/measures/news2").json()
    assert data["case_studies"] == [
        {"slug": "told", "name": "Told", "url": "http://testserver/case-studies/told/"}
    ]


def test_the_measure_cursor_walks_every_measure_once(client):
    for n in range(5):
        MeasureFactory(slug=f"m{n}", publish_from=days(-n - 1))
    first = client.get("/api/measures?limit=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    walked = [i["slug"] for page in (first, second, third) for i in page["items"]]
    assert walked == ["m0", "m1", "m2", "m3", "m4"]
    assert third["next"] is None


def test_the_measure_list_takes_a_constant_number_of_queries(client):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/measures?limit=100").status_code == 200
        return len(captured)

    def add(count):
        for _ in range(count):
            measure = MeasureFactory()
            measure.programmes.add(ProgrammeFactory())
            add_series(measure, [1, 2, 3, 4])
            CaseStudyFactory().measures.add(measure)

    add(2)
    few = queries()
    add(10)
    assert queries() == few


# --- Case studies and their measures -------------------------------------------------------


def test_a_case_study_links_its_published_measures_and_figures_name_them(client):
    published = MeasureFactory(slug="pph", name="PPH rate")
    draft = MeasureFactory(slug="secret", status=PublicationStatus.DRAFT)
    case_study = CaseStudyFactory(slug="obs")
    case_study.measures.add(published, draft)
    ImpactFigureFactory(case_study=case_study, label="from the chart", measure=published, order=1)
    ImpactFigureFactory(case_study=case_study, label="not yet public", measure=draft, order=2)

    data = client.get("/api/case-studies/obs").json()

    assert data["measures"] == [
        {"slug": "pph", "name": "PPH rate", "url": "http://testserver/measures/pph/"}
    ]
    assert [(f["label"], f["measure"]) for f in data["impact_figures"]] == [
        ("from the chart", "pph"),
        ("not yet public", None),
    ]
    assert csv_rows(client.get("/api/case-studies.csv"))[0]["measures"] == "pph"


# --- Events -------------------------------------------------------------------------------


def test_the_event_list_is_upcoming_soonest_first_and_past_on_request(client):
    EventFactory(slug="later", start=days(10))
    EventFactory(slug="sooner", start=days(2))
    EventFactory(slug="under-way", start=days(-0.01), end=days(0.05))
    EventFactory(slug="last-week", start=days(-7))
    EventFactory(slug="last-month", start=days(-30))

    assert slugs(client.get("/api/events")) == ["under-way", "sooner", "later"]
    assert slugs(client.get("/api/events?when=upcoming")) == ["under-way", "sooner", "later"]
    assert slugs(client.get("/api/events?when=past")) == ["last-week", "last-month"]
    assert client.get("/api/events?when=someday").status_code == 400


def test_the_event_list_takes_the_event_finders_filters(client):
    programme = ProgrammeFactory(slug="maternity")
    wessex = OrganisationFactory(slug="wessex")
    march = datetime(2099, 3, 10, 14, tzinfo=UTC)
    EventFactory(slug="in-programme", start=march).programmes.add(programme)
    EventFactory(slug="wessex-meet", organisation=wessex, format="in_person",
                 start=march + timedelta(days=30), title="Sepsis meet-up")  # fmt: skip

    assert slugs(client.get("/api/events?programme=maternity")) == ["in-programme"]
    assert slugs(client.get("/api/events?collaborative=wessex")) == ["wessex-meet"]
    assert slugs(client.get("/api/events?format=in_person")) == ["wessex-meet"]
    assert slugs(client.get("/api/events?month=2099-03")) == ["in-programme"]
    assert slugs(client.get("/api/events?q=sepsis")) == ["wessex-meet"]
    # The finder's own address, query string and all, works here unchanged.
    assert slugs(client.get("/api/events?format=online&month=2099-03&q=")) == ["in-programme"]


def test_event_filters_that_do_not_exist_are_refused(client):
    EventFactory(start=datetime(2099, 3, 10, 14, tzinfo=UTC))
    for query, name in (
        ("month=2099-04", "month"),
        ("month=garbage", "month"),
        ("programme=nope", "programme"),
        ("format=carrier-pigeon", "format"),
        ("sort=newest", "sort"),
        ("collaborative=nowhere", "collaborative"),
    ):
        response = client.get(f"/api/events?{query}")
        assert response.status_code == 400, query
        assert name in response.json()["errors"], query


def test_events_download_as_csv_with_the_finders_filters(client):
    EventFactory(slug="webinar", title="A webinar", start=datetime(2099, 3, 10, 14, tzinfo=UTC),
                 booking_url="https://example.org/book")  # fmt: skip
    EventFactory(slug="meet-up", format="in_person", location="Town hall")

    for path in ("/api/events.csv?format=online", "/api/events?format=online&format=csv"):
        response = client.get(path)
        assert 'filename="events.csv"' in response["Content-Disposition"]
        rows = csv_rows(response)
        assert list(rows[0]) == [
            "slug", "title", "url", "start", "end", "when", "format", "is_cancelled", "location",
            "booking_url", "capacity_note", "organisation", "programmes", "summary",
            "description", "materials", "ics_url", "is_illustrative",
        ]  # fmt: skip
        assert [row["slug"] for row in rows] == ["webinar"]
        assert rows[0]["start"] == "2099-03-10T14:00:00+00:00"
        assert rows[0]["when"] == "Tuesday 10 March 2099, 2pm to 3pm"
        assert rows[0]["booking_url"] == "https://example.org/book"
    assert [r["slug"] for r in csv_rows(client.get("/api/events.csv"))] == ["meet-up", "webinar"]


def test_an_event_gives_its_times_in_utc_and_its_calendar_file(client):
    programme = ProgrammeFactory(slug="maternity", name="Maternity")
    event = EventFactory(
        slug="summer-webinar",
        start=datetime(2099, 7, 1, 13, 30, tzinfo=UTC),
        end=datetime(2099, 7, 1, 15, tzinfo=UTC),
        format="hybrid",
        location="Room 1, Town hall",
        booking_url="https://example.org/book",
        description="<p>Agenda</p><script>x</script>",
        is_illustrative=True,
    )
    event.programmes.add(programme)

    data = client.get("/api/events/summer-webinar").json()

    assert (data["start"], data["end"]) == ("2099-07-01T13:30:00Z", "2099-07-01T15:00:00Z")
    assert data["when"] == "Wednesday 1 July 2099, 2:30pm to 4pm"  # UK summer time
    assert (data["format"], data["location"], data["booking_url"]) == (
        "hybrid", "Room 1, Town hall", "https://example.org/book",
    )  # fmt: skip
    assert data["description"] == {"html": "<p>Agenda</p>", "text": "Agenda"}
    assert data["is_illustrative"] is True
    assert data["programmes"] == [
        {"slug": "maternity", "name": "Maternity",
         "url": "http://testserver/programmes/maternity/"},
    ]  # fmt: skip
    assert data["organisation"]["slug"] == event.organisation.slug
    assert data["url"] == "http://testserver/events/summer-webinar/"
    assert data["ics_url"] == "http://testserver/events/summer-webinar/event.ics"
    assert client.get("/events/summer-webinar/event.ics").status_code == 200
    assert data["materials"] == []


def test_a_past_event_lists_its_published_recording_and_slides(client):
    event = EventFactory(slug="done", start=days(-3))
    recording = ResourceFactory(slug="recording", url="https://example.org/rec")
    hidden = ResourceFactory(slug="draft-slides", status=PublicationStatus.DRAFT)
    event.materials.add(recording, hidden)
    upcoming = EventFactory(slug="soon")
    upcoming.materials.add(recording)

    data = client.get("/api/events/done").json()
    assert [(m["slug"], m["url"], m["link"]) for m in data["materials"]] == [
        ("recording", "http://testserver/resources/recording/", "https://example.org/rec")
    ]
    assert client.get("/api/events/soon").json()["materials"] == []
    row = csv_rows(client.get("/api/events.csv?when=past"))[0]
    assert row["materials"] == "http://testserver/resources/recording/"


def test_draft_archived_and_scheduled_events_never_appear(client):
    EventFactory(slug="public")
    for name, status, offset in HIDDEN:
        for when, start in (("upcoming", days(5)), ("past", days(-5))):
            EventFactory(slug=f"e-{name}-{when}", title=f"Hidden {name}", status=status,
                         publish_from=days(offset), start=start)  # fmt: skip
    assert slugs(client.get("/api/events")) == ["public"]
    assert slugs(client.get("/api/events?when=past")) == []
    for path in ("/api/events.csv", "/api/events.csv?when=past"):
        assert "Hidden" not in client.get(path).content.decode()
    for name, _, _ in HIDDEN:
        for when in ("upcoming", "past"):
            assert client.get(f"/api/events/e-{name}-{when}").status_code == 404


def test_the_event_cursor_pages_in_date_order_both_ways(client):
    for n in range(5):
        EventFactory(slug=f"up-{n}", start=days(n + 1))
        EventFactory(slug=f"past-{n}", start=days(-n - 1))
    for when, expected in (
        ("upcoming", [f"up-{n}" for n in range(5)]),
        ("past", [f"past-{n}" for n in range(5)]),
    ):
        page = client.get(f"/api/events?when={when}&limit=2").json()
        walked = [i["slug"] for i in page["items"]]
        while page["next"]:
            page = client.get(page["next"]).json()
            walked += [i["slug"] for i in page["items"]]
        assert walked == expected


def test_a_cursor_from_another_list_is_refused(client):
    for n in range(3):
        EventFactory(start=days(n + 1))
        EventFactory(start=days(-n - 1))
        MeasureFactory(publish_from=days(-n - 1))
    upcoming = client.get("/api/events?limit=1").json()["next_cursor"]
    measures = client.get("/api/measures?limit=1").json()["next_cursor"]
    assert client.get(f"/api/events?when=past&cursor={upcoming}").status_code == 400
    assert client.get(f"/api/events?cursor={measures}").status_code == 400


def test_the_event_list_takes_a_constant_number_of_queries(client):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/events?limit=100").status_code == 200
        return len(captured)

    def add(count):
        for _ in range(count):
            EventFactory().programmes.add(ProgrammeFactory())

    add(2)
    few = queries()
    add(10)
    assert queries() == few


# --- Documents -----------------------------------------------------------------------------


def test_the_openapi_document_lists_measures_and_events(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {"/api/measures", "/api/measures.csv", "/api/measures/{slug}", "/api/events",
            "/api/events.csv", "/api/events/{slug}"} <= paths  # fmt: skip


def test_the_api_page_documents_measures_and_events_with_examples(client):
    html = client.get("/api/").content.decode()
    assert "<code>/api/measures</code>" in html and "<code>/api/events</code>" in html
    assert 'curl "http://testserver/api/measures/' in html
    assert 'curl "http://testserver/api/events?' in html
    assert "when=past" in html
