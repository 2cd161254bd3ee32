"""The public side of improvement measures: chart page, data table, CSV, icons, roll-ups on
programme, collaborative and case-study pages, the finders' "measured impact" filter."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from core.publishing import PublicationStatus
from measures.models import DataPoint, Measure, PhaseChange
from tests.factories import (
    CaseStudyFactory,
    ImpactFigureFactory,
    MeasureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
)
from tests.html_helpers import parse

pytestmark = pytest.mark.django_db

# 24 stable months, then 8 well above: the latest months are a special-cause improvement.
STABLE = [50, 52, 49, 51, 50, 48, 53, 50, 49, 51, 52, 50, 48, 51, 50, 49, 52, 50, 51, 49, 50]
IMPROVING = [*STABLE, 60, 61, 62, 60, 63, 61, 62, 64]


def months(count, start=datetime.date(2022, 1, 1)):
    return [
        datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def make_measure(values=IMPROVING, **fields):
    measure = MeasureFactory(**fields)
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=period, value=value)
        for period, value in zip(months(len(values)), values, strict=True)
    )
    return measure


def test_the_chart_page_shows_the_chart_summary_and_icons_with_words(client):
    measure = make_measure(name="Patients screened", target=55)

    response = client.get(measure.get_absolute_url())

    html = response.content.decode()
    page = parse(html)
    assert response.status_code == 200
    assert page.h1s == ["Patients screened"]
    assert page.inline_scripts == 0 and page.style_attributes == 0
    assert 'class="mdc-chart"' in html and "<title" in html
    assert "Special cause improvement" in html  # the summary
    assert "Special cause improving variation (high)" in html  # variation icon, in words
    assert "Consistently passing the target" in html or "Hit and miss" in html
    assert "What this chart means" in html
    assert "css/mdc-charts.css" in html


def test_the_data_table_lists_every_point_with_its_flags_in_plain_english(client):
    measure = make_measure()

    html = client.get(measure.get_absolute_url()).content.decode()

    table = html[html.index("<table") : html.index("</table>")]
    assert table.count('<tr class="nhsuk-table__row">') == len(IMPROVING) + 1
    assert "January 2022" in table and "August 2023" in table
    assert "Special cause improvement: shift" in table or "limit, shift" in table
    assert "beyond a process limit" in table


def test_the_csv_has_the_series_with_its_statistics(client):
    measure = make_measure()
    DataPoint.objects.filter(measure=measure, period=datetime.date(2022, 3, 1)).update(
        annotation="=HYPERLINK(1)", numerator=49, denominator=100
    )

    response = client.get(reverse("measures:csv", kwargs={"slug": measure.slug}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{measure.slug}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "period",
        "value",
        "numerator",
        "denominator",
        "phase",
        "mean",
        "lower_limit",
        "upper_limit",
        "flags",
        "annotation",
    ]
    assert len(rows) == len(IMPROVING) + 1
    assert rows[1][0] == "2022-01-01" and rows[1][1] == "50"
    assert rows[3][2:4] == ["49", "100"]
    assert rows[3][9] == "'=HYPERLINK(1)"  # never a live formula in a spreadsheet
    assert "shift" in rows[-1][8]
    assert float(rows[1][6]) < float(rows[1][5]) < float(rows[1][7])


def test_a_recalculation_starts_a_new_phase_on_the_page_and_in_the_csv(client):
    measure = make_measure()
    PhaseChange.objects.create(
        measure=measure, date=datetime.date(2023, 10, 1), reason="New bundle in use"
    )

    html = client.get(measure.get_absolute_url()).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"{measure.get_absolute_url()}data.csv").content.decode())
        )
    )

    assert "New bundle in use" in html
    assert "mdc-phase-break" in html
    assert {row[4] for row in rows[1:]} == {"1", "2"}


def test_illustrative_figures_are_said_to_be_so(client):
    measure = make_measure(is_illustrative=True)
    plain = make_measure()

    assert (
        "Illustrative figures, not real data"
        in client.get(measure.get_absolute_url()).content.decode()
    )
    assert "Illustrative figures" not in client.get(plain.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "status", [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.ARCHIVED]
)
def test_unpublished_measures_are_not_found(client, status):
    measure = make_measure(status=status)

    assert client.get(measure.get_absolute_url()).status_code == 404
    assert client.get(f"{measure.get_absolute_url()}data.csv").status_code == 404
    assert measure.name not in client.get(reverse("measures:list")).content.decode()


def test_a_scheduled_measure_is_not_found_before_its_time(client):
    measure = make_measure(publish_from=timezone.now() + timezone.timedelta(days=1))

    assert client.get(measure.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_measure(admin_client):
    measure = make_measure(status=PublicationStatus.DRAFT, name="Draft measure")

    response = admin_client.get(reverse("admin:measures_measure_preview", args=[measure.pk]))

    assert response.status_code == 200
    assert "Draft measure" in response.content.decode()
    assert "Preview" in response.content.decode()


def test_a_measure_without_data_says_so(client):
    measure = MeasureFactory(name="Empty measure")

    html = client.get(measure.get_absolute_url()).content.decode()

    assert "No data have been recorded for this measure yet." in html
    assert "No data yet" in html


def test_the_list_shows_published_measures_with_small_charts_and_filters(client):
    programme = ProgrammeFactory(slug="deterioration")
    shown = make_measure(name="In the programme")
    shown.programmes.add(programme)
    make_measure(name="Elsewhere")

    everything = client.get(reverse("measures:list")).content.decode()
    filtered = client.get(reverse("measures:list") + "?programme=deterioration").content.decode()

    assert "mdc-chart--small" in everything
    assert "In the programme" in everything and "Elsewhere" in everything
    assert "In the programme" in filtered and "Elsewhere" not in filtered


def test_the_list_reports_an_unknown_filter_value_clearly(client):
    response = client.get(reverse("measures:list") + "?programme=nope")

    assert response.status_code == 400
    assert "There is no programme “nope”" in response.content.decode()


def test_the_programme_page_rolls_up_its_published_measures(client):
    programme = ProgrammeFactory()
    improving = make_measure(name="Improving one")
    steady = make_measure(STABLE, name="Steady one")
    draft = make_measure(name="Draft one", status=PublicationStatus.DRAFT)
    for measure in (improving, steady, draft):
        measure.programmes.add(programme)

    html = client.get(programme.get_absolute_url()).content.decode()

    assert "2 measures: 1 improving, 1 common cause, 0 concerning" in html
    assert "Improving one" in html and "Steady one" in html and "Draft one" not in html
    assert "Special cause improving variation (high)" in html
    assert "css/mdc-charts.css" in html


def test_the_collaborative_page_rolls_up_its_measures_and_flags_illustrative_ones(client):
    organisation = OrganisationFactory()
    make_measure(name="Demo one", organisation=organisation, is_illustrative=True)

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert "1 measure: 1 improving, 0 common cause, 0 concerning" in html
    assert "Illustrative figures, not real data" in html


def test_a_page_without_measures_shows_no_roll_up(client):
    programme = ProgrammeFactory()

    assert 'id="measures"' not in client.get(programme.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_a_programme_page_takes_the_same_number_of_queries_for_5_or_50_measures(
    client, count, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # count what rendering costs, not a stored page
    programme = ProgrammeFactory(slug="counted")
    for _ in range(count):
        make_measure(STABLE).programmes.add(programme)
    PhaseChange.objects.create(
        measure=Measure.objects.first(), date=datetime.date(2022, 6, 1), reason="Test"
    )
    client.get(programme.get_absolute_url())  # warm caches (content types, site)

    # programme + its prefetches, case studies, resources, then the roll-up: measures, their
    # points (one query), their recalculations (one query).
    with django_assert_num_queries(QUERIES_FOR_PROGRAMME_PAGE):
        response = client.get(programme.get_absolute_url())

    assert response.content.decode().count("mdc-chart--small") == count


def test_the_case_study_page_shows_its_measures_as_small_charts_beside_the_impact(client):
    case_study = CaseStudyFactory()
    measure = make_measure(name="Screening rate", is_illustrative=True)
    case_study.measures.add(measure)
    hidden = make_measure(name="Unpublished rate", status=PublicationStatus.DRAFT)
    case_study.measures.add(hidden)
    ImpactFigureFactory(case_study=case_study, measure=measure)

    html = client.get(case_study.get_absolute_url()).content.decode()

    impact = html[html.index("<h2>Impact</h2>") :]
    assert "Measured over time" in impact
    assert "mdc-chart--small" in impact
    assert f'href="{measure.get_absolute_url()}"' in impact
    assert "Unpublished rate" not in html
    assert "Illustrative figures, not real data" in html
    assert "From the measure" in html


def test_the_case_study_finder_filters_on_measured_impact(client):
    with_measure = CaseStudyFactory(title="Linked to a measure")
    with_measure.measures.add(make_measure())
    with_figure = CaseStudyFactory(title="Figure from a measure")
    ImpactFigureFactory(case_study=with_figure, measure=make_measure())
    only_draft = CaseStudyFactory(title="Only a draft measure")
    only_draft.measures.add(make_measure(status=PublicationStatus.DRAFT))
    CaseStudyFactory(title="No measure")

    everything = client.get(reverse("casestudies:list")).content.decode()
    filtered = client.get(reverse("casestudies:list") + "?impact=measured").content.decode()

    assert "Has measured impact" in everything
    assert "Linked to a measure" in filtered and "Figure from a measure" in filtered
    assert "Only a draft measure" not in filtered and "No measure" not in filtered
    assert CaseStudy.objects.count() == 4


def test_the_resource_finder_filters_on_measured_impact(client):
    linked = ResourceFactory(title="Toolkit with a measure")
    linked.measures.add(make_measure())
    ResourceFactory(title="Toolkit without")

    filtered = client.get(reverse("resources:list") + "?impact=measured").content.decode()

    assert "Toolkit with a measure" in filtered and "Toolkit without" not in filtered


def test_a_bad_impact_filter_value_gets_a_message_not_an_error(client):
    response = client.get(reverse("casestudies:list") + "?impact=maybe")

    assert response.status_code == 400


QUERIES_FOR_PROGRAMME_PAGE = 11  # one of them the programme's next events
