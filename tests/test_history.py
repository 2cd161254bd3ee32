"""History: every change to content and reference data is recorded and can be restored."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casestudies.models import ImpactFigure
from core import roles
from tests.factories import (
    CaseStudyFactory,
    ImpactFigureFactory,
    MeasureFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from tests.staff import change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(client):
    organisation = OrganisationFactory()
    user = make_staff("pub@example.org", roles.PUBLISHER, organisation)
    user.first_name = "Priya"
    user.save()
    return sign_in(client, user), organisation


def test_an_edit_is_shown_as_a_difference_with_who_and_when(publisher):
    client, organisation = publisher
    story = CaseStudyFactory(
        organisation=organisation,
        status="draft",
        title="First title",
        publish_from=timezone.now().replace(microsecond=0),  # as the admin's form keeps it
    )
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    client.post(url, change_form_data(client, url, title="Second title"))

    page = client.get(reverse("admin:casestudies_casestudy_history", args=[story.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "pub@example.org" in html or "Priya" in html
    assert "First title" in html and "Second title" in html  # the difference
    assert story.history.count() == 2
    latest = story.history.first()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("title", "First title", "Second title")
    ]


def test_an_earlier_version_can_be_restored(publisher):
    client, organisation = publisher
    story = CaseStudyFactory(
        organisation=organisation, status="draft", title="Original", summary="Original summary."
    )
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    client.post(url, change_form_data(client, url, title="Rewritten", summary="New summary."))
    story.refresh_from_db()
    assert story.title == "Rewritten"

    original = story.history.earliest()
    revert_url = reverse(
        "admin:casestudies_casestudy_simple_history", args=[story.pk, original.history_id]
    )
    page = client.get(revert_url)
    assert page.status_code == 200
    assert "Revert" in page.content.decode()
    response = client.post(revert_url, change_form_data(client, revert_url))
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.summary) == ("Original", "Original summary.")
    assert story.history.count() == 3  # the restore is itself recorded


def test_reference_data_changes_are_recorded_too(client):
    network_admin = make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR)
    sign_in(client, network_admin)
    organisation = OrganisationFactory(name="Old name")
    organisation.name = "New name"
    organisation.save()
    page = client.get(
        reverse("admin:collaboratives_organisation_history", args=[organisation.pk])
    ).content.decode()
    assert "Old name" in page and "New name" in page


def test_another_collaboratives_history_cannot_be_read_or_reverted(client):
    story = CaseStudyFactory(status="draft", title="Hidden")
    version = story.history.first()
    sign_in(client, make_staff("ed@example.org", roles.EDITOR, OrganisationFactory()))
    url = reverse("admin:casestudies_casestudy_simple_history", args=[story.pk, version.history_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Taken over"}).status_code == 403
    story.refresh_from_db()
    assert story.title == "Hidden"


def test_a_removed_impact_figure_can_be_seen_and_put_back(publisher):
    client, organisation = publisher
    story = CaseStudyFactory(organisation=organisation, status="draft")
    figure = ImpactFigureFactory(case_study=story, label="wards trialling changes", value=19)
    kept = ImpactFigureFactory(case_study=story, label="trusts at 90% or more", value=5)
    figure_pk = figure.pk
    figure.delete()

    change = client.get(reverse("admin:casestudies_casestudy_change", args=[story.pk]))
    url = reverse("admin:casestudies_casestudy_removed_rows", args=[story.pk])
    assert url in change.content.decode()
    page = client.get(url).content.decode()
    assert "wards trialling changes" in page
    assert "trusts at 90% or more" not in page  # still there, nothing to restore

    record = ImpactFigure.history.get(id=figure_pk, history_type="-")
    response = client.post(url, {"model": "impactfigure", "history_id": record.history_id})
    assert response.status_code == 302
    restored = ImpactFigure.objects.get(pk=figure_pk)
    assert (restored.label, restored.value, restored.case_study_id) == (
        "wards trialling changes",
        19,
        story.pk,
    )
    assert kept.pk in set(story.figures.values_list("pk", flat=True))
    assert "Nothing has been removed" in client.get(url).content.decode()


def test_another_collaboratives_removed_rows_cannot_be_seen_or_restored(client):
    story = CaseStudyFactory(status="draft")
    figure = ImpactFigureFactory(case_study=story)
    figure_pk = figure.pk
    figure.delete()
    record = ImpactFigure.history.get(id=figure_pk, history_type="-")
    sign_in(client, make_staff("ed@example.org", roles.EDITOR, OrganisationFactory()))
    url = reverse("admin:casestudies_casestudy_removed_rows", args=[story.pk])
    assert client.get(url).status_code == 404
    client.post(url, {"model": "impactfigure", "history_id": record.history_id})
    assert not ImpactFigure.objects.filter(pk=figure_pk).exists()


def linked_programmes(item):
    """The programmes the newest history record of ``item`` links it to."""
    latest = item.history.latest("history_id")
    return sorted(row.programme_id for row in latest.programmes.all())


def test_links_changed_from_the_other_side_are_recorded_on_the_item(client):
    """``programme.case_studies.add(...)`` is recorded in each case study's history, as an
    edit of the case study would be (simple-history alone fails on it)."""
    programme = ProgrammeFactory()
    first, second = CaseStudyFactory(), CaseStudyFactory()
    measure = MeasureFactory()
    before = {item.pk: item.history.count() for item in (first, second)}

    programme.case_studies.add(first, second)
    assert linked_programmes(first) == [programme.pk]
    assert linked_programmes(second) == [programme.pk]
    assert first.history.count() == before[first.pk] + 1

    programme.case_studies.remove(first)
    assert linked_programmes(first) == []
    assert linked_programmes(second) == [programme.pk]

    programme.case_studies.clear()
    assert linked_programmes(second) == []
    assert second.history.latest("history_id").history_type == "~"

    programme.improvement_measures.add(measure)  # a measure, the other model with m2m history
    assert linked_programmes(measure) == [programme.pk]
    assert list(measure.programmes.all()) == [programme]


def test_links_changed_from_the_items_side_are_recorded_as_before(client):
    programme = ProgrammeFactory()
    case_study = CaseStudyFactory()
    case_study.programmes.add(programme)
    assert linked_programmes(case_study) == [programme.pk]
    case_study.programmes.clear()
    assert linked_programmes(case_study) == []
