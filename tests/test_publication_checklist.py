"""The publication checklist, readability score and a resource's HTML summary rule."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from casestudies.checklist import checklist_for, missing
from core import roles
from core.publishing import PublicationStatus
from tests.factories import CaseStudyFactory, OrganisationFactory, ResourceFactory
from tests.staff import change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:casestudies_casestudy_changelist"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def alpha():
    return OrganisationFactory(acronym="ALPHA", slug="alpha")


@pytest.fixture
def editor(alpha):
    return sign_in(Client(), make_staff("ed@example.org", roles.EDITOR, alpha))


@pytest.fixture
def publisher(alpha):
    return sign_in(Client(), make_staff("pub@example.org", roles.PUBLISHER, alpha))


def _form_data(client, url, **overrides):
    """The change form as a browser posts it, inline rows included."""
    data = change_form_data(client, url)
    response = client.get(url)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = value
    data.update(overrides)
    return data


def _change_url(story):
    return reverse("admin:casestudies_casestudy_change", args=[story.pk])


def test_the_form_shows_the_checklist_with_what_is_missing(editor, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", evaluation="")
    story.contacts.create(name="Dr A Person", email="a@example.org")
    html = editor.get(_change_url(story)).content.decode()
    assert 'class="publication-checklist"' in html
    assert '<span class="visually-hidden">Done: </span>A summary</li>' in html
    assert '<span class="visually-hidden">Missing: </span>How the work was evaluated' in html
    assert (
        '<span class="visually-hidden">Missing: </span>At least one impact figure with a '
        "baseline, a period and a source" in html
    )
    assert "Missing: </span>Consent recorded for every named contact and every quote" in html


def test_submitting_an_incomplete_case_study_for_review_is_refused_with_the_gaps(editor, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", evaluation="")
    url = _change_url(story)
    response = editor.post(url, _form_data(editor, url, status="in_review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The publication checklist is not complete. Still missing:" in html
    assert "How the work was evaluated; At least one impact figure" not in html  # order kept
    assert "At least one impact figure with a baseline, a period and a source" in html
    story.refresh_from_db()
    assert story.status == PublicationStatus.DRAFT


def test_a_figure_added_in_the_same_save_completes_the_checklist(editor, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft")
    url = _change_url(story)
    data = _form_data(
        editor,
        url,
        status="in_review",
        **{
            "figures-TOTAL_FORMS": "1",
            "figures-0-label": "falls per 1,000 bed days",
            "figures-0-value": "5",
            "figures-0-baseline": "7",
            "figures-0-period": "2023/24",
            "figures-0-source": "Ward incident reports",
            "figures-0-order": "0",
        },
    )
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.status == PublicationStatus.IN_REVIEW


def test_a_named_contact_without_consent_blocks_the_submission(editor, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", complete=True)
    story.quotes.create(text="It helped.", attribution="A nurse", consent_recorded=True)
    story.contacts.create(name="Dr A Person", email="a@example.org")
    url = _change_url(story)
    response = editor.post(url, _form_data(editor, url, status="in_review"))
    assert "Still missing: Consent recorded for every named contact and every quote." in (
        response.content.decode()
    )
    data = _form_data(editor, url, status="in_review", **{"contacts-0-consent_recorded": "on"})
    assert editor.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.status == PublicationStatus.IN_REVIEW


def test_the_submit_action_refuses_an_incomplete_case_study(editor, alpha):
    gaps = CaseStudyFactory(organisation=alpha, status="draft", title="Gappy")
    ready = CaseStudyFactory(organisation=alpha, status="draft", complete=True)
    response = editor.post(
        reverse(CHANGELIST),
        {"action": "submit_for_review", "_selected_action": [gaps.pk, ready.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "“Gappy” was not sent for review. The publication checklist is not complete." in html
    assert "1 case study sent for review" in html
    gaps.refresh_from_db()
    ready.refresh_from_db()
    assert (gaps.status, ready.status) == ("draft", "in_review")


def test_a_publisher_publishes_an_incomplete_case_study_only_with_a_reason(publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status="in_review", title="Gappy")
    url = _change_url(story)
    response = publisher.post(url, _form_data(publisher, url, status="published"))
    assert response.status_code == 200
    assert "To publish it anyway, give the reason" in response.content.decode()
    story.refresh_from_db()
    assert story.status == PublicationStatus.IN_REVIEW

    reason = "Evaluation report due next month; board agreed to publish now."
    data = _form_data(publisher, url, status="published", checklist_override_reason=reason)
    assert publisher.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.status == PublicationStatus.PUBLISHED
    latest = story.history.first()
    assert latest.history_change_reason == f"Published with the checklist incomplete: {reason}"
    assert latest.checklist_override_reason == reason
    history = publisher.get(reverse("admin:casestudies_casestudy_history", args=[story.pk]))
    assert f"Published with the checklist incomplete: {reason}" in history.content.decode()


def test_the_publish_action_needs_a_recorded_reason_for_an_incomplete_one(publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status="in_review", title="Gappy")
    response = publisher.post(
        reverse(CHANGELIST), {"action": "publish", "_selected_action": [story.pk]}, follow=True
    )
    assert "Open it to give a reason for publishing it anyway." in response.content.decode()
    story.refresh_from_db()
    assert story.status == PublicationStatus.IN_REVIEW


def test_editors_cannot_write_an_override_reason(editor, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft")
    form = editor.get(_change_url(story)).context["adminform"].form
    assert "checklist_override_reason" not in form.fields


def test_editors_see_the_readability_of_the_summary_against_the_nhs_target(editor, alpha):
    story = CaseStudyFactory(
        organisation=alpha,
        status="draft",
        summary="Nurses on two wards used a short checklist. Falls went down by a third.",
    )
    html = editor.get(_change_url(story)).content.decode()
    assert "Readability of the summary" in html
    assert "Flesch reading ease" in html and "reading age about" in html
    assert "Aim for a reading age of 9 to 11" in html
    hard = CaseStudyFactory(
        organisation=alpha,
        status="draft",
        summary="Multidisciplinary implementation of standardised deterioration "
        "recognition methodologies necessitated considerable organisational reconfiguration.",
    )
    assert "harder than the target" in editor.get(_change_url(hard)).content.decode()


def test_the_public_page_shows_the_evaluation_and_funding(client, alpha):
    story = CaseStudyFactory(organisation=alpha, evaluation="<p>Run charts, monthly.</p>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<h2>How it was evaluated</h2>" in html and "Run charts, monthly." in html
    assert "No funding or industry sponsorship." in html


# --- resources: a document needs an HTML summary or a recorded exemption ----------------------


@pytest.fixture
def document(alpha, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    resource = ResourceFactory.build(organisation=alpha, status="in_review", url="")
    resource.file.save("guide.pdf", ContentFile(PDF), save=False)
    resource.save()
    return resource


def test_a_document_only_resource_is_not_published_without_an_html_summary(publisher, document):
    url = reverse("admin:resources_resource_change", args=[document.pk])
    response = publisher.post(url, _form_data(publisher, url, status="published"))
    assert response.status_code == 200
    assert "A document needs an HTML description" in response.content.decode()
    response = publisher.post(
        reverse("admin:resources_resource_changelist"),
        {"action": "publish", "_selected_action": [document.pk]},
        follow=True,
    )
    assert "A document needs an HTML description" in response.content.decode()
    document.refresh_from_db()
    assert document.status == PublicationStatus.IN_REVIEW


def test_an_exemption_reason_lets_it_be_published_and_is_shown_publicly(
    publisher, document, client
):
    url = reverse("admin:resources_resource_change", args=[document.pk])
    reason = "It is a scanned archive copy kept for reference."
    data = _form_data(publisher, url, status="published", accessibility_exemption=reason)
    assert publisher.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED
    html = client.get(document.get_absolute_url()).content.decode()
    assert f"This document has no accessible web version. Why: {reason}" in html


def test_a_linked_resource_needs_no_html_summary(publisher, alpha):
    link = ResourceFactory(organisation=alpha, status="in_review", description="")
    url = reverse("admin:resources_resource_change", args=[link.pk])
    assert publisher.post(url, _form_data(publisher, url, status="published")).status_code == 302


def test_only_named_contacts_need_consent(alpha):
    story = CaseStudyFactory(organisation=alpha, complete=True)
    story.contacts.create(email="team@example.org")
    assert missing(checklist_for(story)) == []
    story.contacts.create(name="Dr A Person")
    assert missing(checklist_for(story)) == [
        "Consent recorded for every named contact and every quote"
    ]
