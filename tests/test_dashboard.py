"""The admin home is a dashboard: drafts, reviews, recent publications, overdue reviews."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from collaboratives.models import ContactDetail
from core import roles
from programmes.models import Programme
from tests.factories import CaseStudyFactory, OrganisationFactory, ProgrammeFactory
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 1, 1)


@pytest.fixture
def world():
    alpha = OrganisationFactory(acronym="ALPHA", slug="alpha")
    bravo = OrganisationFactory(acronym="BRAVO", slug="bravo")
    editor = make_staff("ed@example.org", roles.EDITOR, alpha)
    CaseStudyFactory(organisation=alpha, status="draft", title="Ed's draft", created_by=editor)
    CaseStudyFactory(organisation=alpha, status="draft", title="Someone else's draft")
    CaseStudyFactory(organisation=alpha, status="in_review", title="Alpha review item")
    CaseStudyFactory(organisation=bravo, status="in_review", title="Bravo review item")
    CaseStudyFactory(organisation=alpha, title="Alpha fresh story")
    CaseStudyFactory(
        organisation=alpha,
        title="Alpha old story",
        publish_from=timezone.now() - dt.timedelta(days=90),
    )
    stale = CaseStudyFactory(organisation=alpha, title="Alpha stale story")
    CaseStudy.objects.filter(pk=stale.pk).update(review_by=LONG_AGO)
    bravo_stale = CaseStudyFactory(organisation=bravo, title="Bravo stale story")
    CaseStudy.objects.filter(pk=bravo_stale.pk).update(review_by=LONG_AGO)
    detail = ContactDetail.objects.create(organisation=alpha, kind="website", value="a.example")
    ContactDetail.objects.filter(pk=detail.pk).update(review_by=LONG_AGO)
    programme = ProgrammeFactory(name="Stale programme")
    Programme.objects.filter(pk=programme.pk).update(review_by=LONG_AGO)
    return {"alpha": alpha, "bravo": bravo, "editor": editor}


def _dashboard(user) -> dict[str, str]:
    page = sign_in(Client(), user).get(reverse("admin:index")).content.decode()
    ids = ["my-drafts", "awaiting-review", "recently-published", "overdue-reviews"]
    starts = [page.index(f'id="{name}"') for name in ids]
    ends = [*starts[1:], len(page)]
    return {name: page[start:end] for name, start, end in zip(ids, starts, ends, strict=True)}


def test_an_editor_sees_their_drafts_and_their_collaboratives_work(world):
    sections = _dashboard(world["editor"])
    assert "Ed&#x27;s draft" in sections["my-drafts"]
    assert "Someone else" not in sections["my-drafts"]
    assert "In review, waiting for a publisher" in sections["awaiting-review"]
    assert "Alpha review item" in sections["awaiting-review"]
    assert "Bravo" not in "".join(sections.values())
    assert "Alpha fresh story" in sections["recently-published"]
    assert "Alpha old story" not in sections["recently-published"]
    assert "Alpha stale story" in sections["overdue-reviews"]
    # National items and contact details are the network administrators'.
    assert "Stale programme" not in sections["overdue-reviews"]


def test_a_publisher_sees_what_awaits_their_review_with_counts_and_links(world):
    publisher = make_staff("pub@example.org", roles.PUBLISHER, world["alpha"])
    sections = _dashboard(publisher)
    review = sections["awaiting-review"]
    assert "Awaiting your review" in review
    assert '<span class="dashboard-count">(1)</span>' in review
    changelist = reverse("admin:casestudies_casestudy_changelist")
    assert f'href="{changelist}?status__exact=in_review">Case studies: 1</a>' in review
    overdue = sections["overdue-reviews"]
    assert f'href="{changelist}?review=overdue">Case studies: 1</a>' in overdue
    assert "You have no drafts" in sections["my-drafts"]


def test_a_network_administrator_sees_every_overdue_item(world):
    admin = make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR)
    overdue = _dashboard(admin)["overdue-reviews"]
    for title in ("Alpha stale story", "Bravo stale story", "Stale programme", "a.example"):
        assert title in overdue
    assert '<span class="dashboard-count">(4)</span>' in overdue


def test_the_dashboard_query_count_does_not_grow_with_content(world, django_assert_max_num_queries):
    client = sign_in(Client(), make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR))
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as little:
        client.get(reverse("admin:index"))
    for n in range(10):
        CaseStudyFactory(organisation=world["alpha"], status="in_review", title=f"More {n}")
    with django_assert_max_num_queries(len(little.captured_queries)):
        assert client.get(reverse("admin:index")).status_code == 200
