"""The back-office of improvement measures: adding data points by pasting or uploading a CSV
(check, preview, confirm), the permission ladder, history, and the chart in the change form."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.publishing import PublicationStatus
from core.roles import EDITOR
from measures.models import DataPoint, Measure
from measures.paste import parse, parse_period
from tests.factories import MeasureFactory, OrganisationFactory
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db

PASTE = "Month\tValue\n03/2021\t12.5\n2021-04\t13\n2021-05-01\t1,011.5\nJun 2021\t14%\n"


def add_data_url(measure):
    return reverse("admin:measures_measure_add_data", args=[measure.pk])


def check(client, measure, text):
    return client.post(add_data_url(measure), {"data": text, "check": "Check the data"})


def confirm(client, measure, checked):
    return client.post(add_data_url(measure), {"checked": checked, "confirm": "Save"})


@pytest.fixture
def measure():
    return MeasureFactory(status=PublicationStatus.DRAFT, unit="")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/2021", datetime.date(2021, 3, 1)),
        ("2021-03", datetime.date(2021, 3, 1)),
        ("2021-03-17", datetime.date(2021, 3, 1)),
        ("17/03/2021", datetime.date(2021, 3, 1)),
        ("Mar 2021", datetime.date(2021, 3, 1)),
        ("March 2021", datetime.date(2021, 3, 1)),
        ("sept 2021", datetime.date(2021, 9, 1)),
    ],
)
def test_uk_periods_are_read_as_months(text, expected):
    assert parse_period(text, "monthly") == expected


def test_quarters_and_weeks_are_read_for_their_frequencies():
    assert parse_period("Q2 2021", "quarterly") == datetime.date(2021, 4, 1)
    assert parse_period("2021-05-20", "quarterly") == datetime.date(2021, 4, 1)
    assert parse_period("03/05/2021", "weekly") == datetime.date(2021, 5, 3)


def test_a_weekly_measure_needs_a_day():
    result = parse("03/2021\t4\n", "weekly", {})

    assert result.errors == [
        "Line 1: the period “03/2021” has no day, and this measure is weekly: give the "
        "week's date. Use a form such as 03/2021, 2021-03, 2021-03-01, 01/03/2021, "
        "Mar 2021 or Q1 2021."
    ]


def test_a_valid_paste_is_previewed_then_written_on_confirmation(admin_client, measure):
    preview = check(admin_client, measure, PASTE)

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Check the new points" in html
    assert 'class="mdc-chart"' in html  # the preview chart
    assert "June 2021" in html
    assert DataPoint.objects.count() == 0  # nothing written yet

    response = confirm(admin_client, measure, preview.context["checked"])

    assert response.status_code == 302
    points = list(measure.data_points.order_by("period").values_list("period", "value"))
    assert points == [
        (datetime.date(2021, 3, 1), Decimal("12.5")),
        (datetime.date(2021, 4, 1), Decimal("13")),
        (datetime.date(2021, 5, 1), Decimal("1011.5")),
        (datetime.date(2021, 6, 1), Decimal("14")),
    ]


def test_one_bad_row_writes_nothing_and_reports_the_line(admin_client, measure):
    response = check(admin_client, measure, "03/2021\t12\n13/2021\t4\n05/2021\tmany\n")

    html = response.content.decode()
    assert "Nothing has been saved" in html
    assert "Line 2: the period “13/2021” is not a real date" in html
    assert "Line 3 (May 2021): “many” is not a number" in html
    assert DataPoint.objects.count() == 0


def test_a_tampered_confirmation_is_checked_again_and_writes_nothing(admin_client, measure):
    response = confirm(admin_client, measure, "2021-03-01\t12\nnot a date\t4\n")

    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    assert DataPoint.objects.count() == 0


def test_duplicates_in_the_paste_and_against_saved_points_are_reported(admin_client, measure):
    DataPoint.objects.create(measure=measure, period=datetime.date(2021, 3, 1), value=9)

    html = check(admin_client, measure, "Mar 2021\t12\n2021-04\t1\n04/2021\t2\n").content.decode()

    assert "Line 1: March 2021 already has a value (9)" in html
    assert "Line 3: April 2021 is also on line 2" in html
    assert measure.data_points.count() == 1


def test_a_decimal_comma_is_refused_rather_than_misread():
    result = parse("03/2021\t11,5\n", "monthly", {})

    assert result.errors == [
        "Line 1 (March 2021): “11,5” is not a number (use a point for decimals)."
    ]


def test_a_number_split_by_a_comma_is_caught(admin_client, measure):
    html = check(admin_client, measure, "03/2021,1,234\n").content.decode()

    assert "looks like a number with a comma" in html


def test_a_csv_upload_is_read_like_a_paste(admin_client, measure):
    upload = SimpleUploadedFile(
        "data.csv", b"\xef\xbb\xbfperiod,value\n2021-01,5\n2021-02,6\n", content_type="text/csv"
    )

    preview = admin_client.post(add_data_url(measure), {"csv_file": upload, "check": "Check"})
    confirm(admin_client, measure, preview.context["checked"])

    assert measure.data_points.count() == 2


def test_a_file_that_is_not_text_is_refused(admin_client, measure):
    upload = SimpleUploadedFile("data.csv", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="text/csv")

    response = admin_client.post(add_data_url(measure), {"csv_file": upload, "check": "Check"})

    assert "not a text CSV file" in response.content.decode()


def test_an_empty_submission_asks_for_data(admin_client, measure):
    assert "Paste some data" in check(admin_client, measure, "  ").content.decode()


def test_the_permission_ladder_of_the_paste_page(client, measure, role_groups):
    other = OrganisationFactory()
    url = add_data_url(measure)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    no_role = make_staff("norole@example.org", organisation=measure.organisation)
    assert sign_in(client, no_role).get(url).status_code == 403

    outsider = make_staff("outsider@example.org", EDITOR, organisation=other)
    sign_in(client, outsider)
    assert client.get(url).status_code == 404
    assert check(client, measure, PASTE).status_code == 404
    assert confirm(client, measure, "2021-03-01\t1\n").status_code == 404
    assert DataPoint.objects.count() == 0

    editor = make_staff("editor@example.org", EDITOR, organisation=measure.organisation)
    sign_in(client, editor)
    preview = check(client, measure, PASTE)
    assert preview.status_code == 200
    confirm(client, measure, preview.context["checked"])
    assert measure.data_points.count() == 4


def test_an_editor_may_not_add_data_to_a_published_measure(client, role_groups):
    measure = MeasureFactory(status=PublicationStatus.PUBLISHED)
    editor = make_staff("editor@example.org", EDITOR, organisation=measure.organisation)

    assert sign_in(client, editor).get(add_data_url(measure)).status_code == 403


def test_pasted_points_are_recorded_in_history_with_their_author(client, measure, role_groups):
    editor = make_staff("editor@example.org", EDITOR, organisation=measure.organisation)
    sign_in(client, editor)

    preview = check(client, measure, "2021-03\t4\n")
    confirm(client, measure, preview.context["checked"])

    record = DataPoint.history.get()
    assert record.history_type == "+" and record.history_user == editor
    assert Measure.history.filter(id=measure.pk).first().history_user == editor


def test_the_change_form_shows_a_chart_of_the_saved_data_and_the_paste_link(admin_client):
    measure = MeasureFactory()
    for month in range(1, 4):
        DataPoint.objects.create(measure=measure, period=datetime.date(2021, month, 1), value=month)

    html = admin_client.get(
        reverse("admin:measures_measure_change", args=[measure.pk])
    ).content.decode()

    assert 'class="mdc-chart"' in html
    assert "Add data points from a paste or CSV" in html
    assert "css/mdc-charts.css" in html


def test_the_admin_list_counts_points_in_one_query(admin_client, django_assert_max_num_queries):
    for _ in range(5):
        DataPoint.objects.create(
            measure=MeasureFactory(), period=datetime.date(2021, 1, 1), value=1
        )
    admin_client.get(reverse("admin:measures_measure_changelist"))

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:measures_measure_changelist"))

    assert response.status_code == 200
