"""The editorial workflow: draft → in review → published → archived, scheduling, dashboard."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from core import roles
from core.publishing import PublicationStatus
from tests.factories import CaseStudyFactory, OrganisationFactory
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:casestudies_casestudy_changelist"


@pytest.fixture
def alpha():
    return OrganisationFactory(acronym="ALPHA", slug="alpha")


@pytest.fixture
def editor(client, alpha):
    return sign_in(client, make_staff("ed@example.org", roles.EDITOR, alpha))


@pytest.fixture
def publisher(alpha):
    from django.test import Client

    return sign_in(Client(), make_staff("pub@example.org", roles.PUBLISHER, alpha))


def _act(client, action, *objs):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [o.pk for o in objs]}
    )


def test_an_editor_creates_a_draft_owned_by_their_collaborative(editor, alpha):
    response = editor.post(
        reverse("admin:casestudies_casestudy_add"),
        {
            "title": "Safer handovers",
            "slug": "safer-handovers",
            "organisation": alpha.pk,
            "summary": "Shorter, safer handovers.",
            "issue": "<p>Handovers were long.</p>",
            "what_we_did": "<p>We used SBARD.</p>",
            "impact": "<p>Fewer missed tasks.</p>",
            "status": "draft",
            **{
                f"{prefix}-{key}": 0
                for prefix in ("figures", "quotes", "contacts")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    story = CaseStudy.objects.get(slug="safer-handovers")
    assert story.organisation == alpha
    assert story.status == PublicationStatus.DRAFT
    assert story.created_by.email == "ed@example.org"
    assert not CaseStudy.objects.published().filter(pk=story.pk).exists()


def test_a_draft_goes_through_review_to_publication_and_archive(editor, publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status=PublicationStatus.DRAFT, complete=True)
    _act(editor, "submit_for_review", story)
    story.refresh_from_db()
    assert story.status == PublicationStatus.IN_REVIEW
    assert not CaseStudy.objects.published().filter(pk=story.pk).exists()

    response = _act(publisher, "publish", story)
    story.refresh_from_db()
    assert story.status == PublicationStatus.PUBLISHED
    assert CaseStudy.objects.published().filter(pk=story.pk).exists()
    assert "1 case study published" in publisher.get(response["Location"]).content.decode()

    _act(publisher, "archive", story)
    story.refresh_from_db()
    assert story.status == PublicationStatus.ARCHIVED
    assert not CaseStudy.objects.published().filter(pk=story.pk).exists()

    _act(publisher, "unpublish", story)
    story.refresh_from_db()
    assert story.status == PublicationStatus.DRAFT


def test_actions_say_which_items_they_left_alone(publisher, alpha):
    draft = CaseStudyFactory(organisation=alpha, status=PublicationStatus.DRAFT, complete=True)
    live = CaseStudyFactory(organisation=alpha, status=PublicationStatus.PUBLISHED)
    response = _act(publisher, "submit_for_review", draft, live)
    page = publisher.get(response["Location"]).content.decode()
    assert "1 case study sent for review" in page
    assert "1 selected item(s) left as they were" in page


def test_a_scheduled_item_goes_live_on_its_date_without_a_job(publisher, alpha):
    start = timezone.make_aware(dt.datetime(2026, 3, 1, 9, 0))
    with time_machine.travel(start, tick=False):
        story = CaseStudyFactory(
            organisation=alpha,
            complete=True,
            status=PublicationStatus.IN_REVIEW,
            publish_from=start + dt.timedelta(days=7),
        )
        _act(publisher, "publish", story)
        story.refresh_from_db()
        assert story.status == PublicationStatus.PUBLISHED
        assert story.publish_from == start + dt.timedelta(days=7)  # the schedule is kept
        assert not CaseStudy.objects.published().filter(pk=story.pk).exists()
    with time_machine.travel(start + dt.timedelta(days=7, minutes=1), tick=False):
        assert CaseStudy.objects.published().filter(pk=story.pk).exists()


def test_publishing_an_item_dated_in_the_past_stamps_it_with_today(publisher, alpha):
    story = CaseStudyFactory(
        organisation=alpha,
        complete=True,
        status=PublicationStatus.IN_REVIEW,
        publish_from=timezone.now() - dt.timedelta(days=300),
    )
    _act(publisher, "publish", story)
    story.refresh_from_db()
    assert timezone.now() - story.publish_from < dt.timedelta(hours=1)


def test_the_dashboard_lists_my_drafts_and_what_awaits_review(editor, alpha):
    author = User.objects.get(email="ed@example.org")
    CaseStudyFactory(organisation=alpha, status="draft", title="My own draft", created_by=author)
    CaseStudyFactory(organisation=alpha, status="draft", title="A colleague's draft")
    CaseStudyFactory(organisation=alpha, status="in_review", title="Ready for a look")
    CaseStudyFactory(status="in_review", title="Another network's review")
    page = editor.get(reverse("admin:index")).content.decode()
    drafts = page[page.index('id="my-drafts"') : page.index('id="awaiting-review"')]
    review = page[page.index('id="awaiting-review"') :]
    assert "My own draft" in drafts
    assert "A colleague&#x27;s draft" not in drafts
    assert "Ready for a look" in review
    assert "Another network" not in page


def test_the_dashboard_has_friendly_empty_states(editor):
    page = editor.get(reverse("admin:index")).content.decode()
    assert "You have no drafts" in page
    assert "Nothing is waiting for review" in page


def test_view_on_site_is_offered_only_for_public_items(editor, alpha):
    draft = CaseStudyFactory(organisation=alpha, status="draft")
    page = editor.get(reverse("admin:casestudies_casestudy_change", args=[draft.pk]))
    assert "View on site" not in page.content.decode()
    assert "Preview in the public design" in page.content.decode()
