"""Content that stays current: review dates, the overdue filter, the public notice, reminders."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from collaboratives.models import ContactDetail
from core import roles
from core.models import add_months
from core.publishing import PublicationStatus
from tests.factories import (
    CaseStudyFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
)
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
NOON = timezone.make_aware(dt.datetime(2026, 6, 15, 12, 0))


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def alpha():
    return OrganisationFactory(acronym="ALPHA", slug="alpha", name="Alpha network")


def _story(alpha, title, review_by, **kwargs):
    story = CaseStudyFactory(organisation=alpha, title=title, **kwargs)
    CaseStudy.objects.filter(pk=story.pk).update(review_by=review_by)
    story.refresh_from_db()
    return story


def test_adding_months_keeps_the_day_or_takes_the_months_last(frozen):
    assert add_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 1, 15), 24) == dt.date(2027, 1, 15)


def test_review_by_defaults_to_two_years_after_publication(frozen, alpha):
    story = CaseStudyFactory(organisation=alpha, publish_from=NOON - dt.timedelta(days=10))
    assert story.review_by == dt.date(2028, 6, 5)
    assert not story.is_overdue


def test_the_interval_comes_from_the_review_interval_setting(frozen, alpha, settings):
    settings.REVIEW_INTERVAL_MONTHS = 6
    story = CaseStudyFactory(organisation=alpha, publish_from=NOON)
    assert story.review_by == dt.date(2026, 12, 15)


def test_a_new_review_date_moves_review_by_unless_it_was_set_by_hand(frozen, alpha):
    story = CaseStudyFactory(organisation=alpha, publish_from=NOON - dt.timedelta(days=800))
    assert story.is_overdue
    story.last_reviewed = TODAY
    story.save()
    assert story.review_by == dt.date(2028, 6, 15)
    assert not story.is_overdue
    story.last_reviewed = dt.date(2026, 6, 16)
    story.review_by = dt.date(2027, 1, 1)  # chosen by the editor: kept
    story.save()
    story.refresh_from_db()
    assert story.review_by == dt.date(2027, 1, 1)


def test_programmes_and_contact_details_get_review_dates_too(frozen, alpha):
    programme = ProgrammeFactory()
    detail = ContactDetail.objects.create(organisation=alpha, kind="website", value="x.example")
    assert programme.review_by == detail.review_by == dt.date(2028, 6, 15)


def test_overdue_and_due_soon_split_the_items(frozen, alpha):
    late = _story(alpha, "Late", TODAY - dt.timedelta(days=1))
    soon = _story(alpha, "Soon", TODAY + dt.timedelta(days=20))
    later = _story(alpha, "Later", TODAY + dt.timedelta(days=200))
    assert list(CaseStudy.objects.overdue()) == [late]
    assert list(CaseStudy.objects.due_soon()) == [soon]
    assert list(CaseStudy.objects.not_due()) == [later]
    assert set(CaseStudy.objects.falling_due()) == {late, soon}


@pytest.fixture
def publisher(alpha):
    return sign_in(Client(), make_staff("pub@example.org", roles.PUBLISHER, alpha))


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("overdue", {"Late"}), ("soon", {"Soon"}), ("not_due", {"Later"})],
)
def test_the_review_due_filter_lists_what_it_says(frozen, alpha, publisher, choice, expected):
    _story(alpha, "Late", TODAY - dt.timedelta(days=1))
    _story(alpha, "Soon", TODAY + dt.timedelta(days=20))
    _story(alpha, "Later", TODAY + dt.timedelta(days=200))
    response = publisher.get(reverse("admin:casestudies_casestudy_changelist"), {"review": choice})
    assert response.status_code == 200
    shown = {str(obj) for obj in response.context["cl"].result_list}
    assert shown == expected
    assert "By review due" in response.content.decode()


def test_the_review_due_filter_is_on_resources_programmes_and_contact_details(admin_client):
    for name in ("resources_resource", "programmes_programme", "collaboratives_contactdetail"):
        response = admin_client.get(reverse(f"admin:{name}_changelist"), {"review": "overdue"})
        assert response.status_code == 200
        assert "By review due" in response.content.decode(), name


def test_marking_as_reviewed_today_sets_both_dates(frozen, alpha, publisher):
    story = _story(alpha, "Late", TODAY - dt.timedelta(days=1))
    publisher.post(
        reverse("admin:casestudies_casestudy_changelist"),
        {"action": "mark_reviewed", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert (story.last_reviewed, story.review_by) == (TODAY, dt.date(2028, 6, 15))
    assert story.history.first().history_change_reason == "Reviewed"


def test_a_public_page_shows_when_it_was_last_reviewed(frozen, client, alpha):
    story = CaseStudyFactory(organisation=alpha, publish_from=NOON - dt.timedelta(days=30))
    story.last_reviewed = dt.date(2026, 5, 1)
    story.save()
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'Last reviewed <time datetime="2026-05-01">1 May 2026</time>' in html
    assert "may be out of date" not in html


def test_past_its_review_date_a_page_says_it_may_be_out_of_date(client, alpha):
    with time_machine.travel(NOON, tick=False):
        story = CaseStudyFactory(organisation=alpha, publish_from=NOON)
        resource = ResourceFactory(publish_from=NOON)
        programme = ProgrammeFactory()
    for url in (story.get_absolute_url(), resource.get_absolute_url()):
        with time_machine.travel(NOON + dt.timedelta(days=365), tick=False):
            assert "may be out of date" not in client.get(url).content.decode()
    with time_machine.travel(NOON + dt.timedelta(days=2 * 365 + 5), tick=False):
        for url in (
            story.get_absolute_url(),
            resource.get_absolute_url(),
            programme.get_absolute_url(),
        ):
            html = client.get(url).content.decode()
            assert "nhsuk-inset-text app-review-notice" in html, url
            assert "due to be reviewed by 15 June 2028. Some of it may be out of date." in html


def test_the_weekly_reminder_tells_each_collaboratives_publishers_what_falls_due(
    frozen, alpha, publisher
):
    bravo = OrganisationFactory(acronym="BRAVO", slug="bravo")
    make_staff("ed@example.org", roles.EDITOR, alpha)
    make_staff("bravo-pub@example.org", roles.PUBLISHER, bravo)
    make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR)
    _story(alpha, "Falls prevention", TODAY - dt.timedelta(days=3))
    _story(alpha, "Due soon story", TODAY + dt.timedelta(days=10))
    _story(alpha, "Not due story", TODAY + dt.timedelta(days=100))
    _story(alpha, "Draft story", TODAY - dt.timedelta(days=3), status=PublicationStatus.DRAFT)
    national = ResourceFactory(title="National toolkit")
    type(national).objects.filter(pk=national.pk).update(review_by=TODAY)

    call_command("send_review_reminders", "--site-url", "https://psc.example.org", stdout=None)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"pub@example.org", "net@example.org"}
    alpha_mail = by_address["pub@example.org"]
    assert alpha_mail.subject.startswith("2 item(s) due a review")
    assert "Case study: Falls prevention\n  Overdue: review was due 12 June 2026" in alpha_mail.body
    assert "Case study: Due soon story\n  Review due 25 June 2026" in alpha_mail.body
    assert "https://psc.example.org/admin/casestudies/casestudy/" in alpha_mail.body
    assert "Not due story" not in alpha_mail.body and "Draft story" not in alpha_mail.body
    assert "Resource: National toolkit" in by_address["net@example.org"].body


def test_the_reminder_sends_nothing_when_nothing_falls_due(frozen, alpha, publisher):
    _story(alpha, "Fine", TODAY + dt.timedelta(days=300))
    call_command("send_review_reminders", stdout=None)
    assert mail.outbox == []
