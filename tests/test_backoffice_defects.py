"""Back-office defects seen in a real browser, each pinned by a test."""

import re
from html import unescape

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core import roles
from tests.factories import CaseStudyFactory, OrganisationFactory, ResourceFactory
from tests.staff import PASSWORD, change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha():
    return OrganisationFactory(acronym="ALPHA", slug="alpha")


def test_the_recovery_codes_are_shown_on_screen(client, alpha):
    user = make_staff("ed@example.org", roles.EDITOR, alpha)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    sign_in(client, user)
    response = client.get(reverse("mfa_view_recovery_codes"))
    if response.status_code == 302:  # allauth asks for the password again before showing codes
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(reverse("mfa_view_recovery_codes"))
    html = response.content.decode()
    textarea = re.search(r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea, "the codes are in a textarea"
    assert textarea.group(1).split() == codes
    assert "readonly" in textarea.group(0)


def test_the_sign_in_page_does_not_ask_people_to_sign_up(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "sign up" not in html.lower().replace("no sign-up", "")
    assert "Accounts are created by a network administrator" in html


def test_the_invitation_page_asks_the_person_to_choose_their_password(client, role_groups):
    call_command("invite_staff", "first@example.org", "--site-url", "http://testserver")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line)
    page = client.get(link.replace("http://testserver", ""), follow=True).content.decode()
    assert "<title>Choose your password" in re.sub(r"\s+", " ", page).replace("<title> ", "<title>")
    assert re.search(r"<h1[^>]*>\s*Choose your password\s*</h1>", page)
    assert "Change Password" not in page


@pytest.fixture
def publisher(alpha):
    return sign_in(Client(), make_staff("pub@example.org", roles.PUBLISHER, alpha))


def test_history_shows_labels_and_no_empty_change_reason(publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", complete=True)
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    data = change_form_data(publisher, url, status="in_review")
    data.update(_figure_rows(publisher, url))
    assert publisher.post(url, data).status_code == 302
    html = publisher.get(reverse("admin:casestudies_casestudy_history", args=[story.pk]))
    html = html.content.decode()
    assert re.search(r"<strong>Status:</strong>\s*Draft\s*→ In review", html)
    assert "in_review" not in html
    assert "Change reason" not in html
    assert ">None<" not in html


def _figure_rows(client, url):
    response = client.get(url)
    rows = {}
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    rows[form.add_prefix(name)] = value
    return rows


def test_the_revert_page_breadcrumb_names_the_item_not_the_history_table(publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", title="Safer handovers")
    version = story.history.first()
    url = reverse("admin:casestudies_casestudy_simple_history", args=[story.pk, version.pk])
    html = publisher.get(url).content.decode()
    crumbs = re.search(r'class="breadcrumbs">(.*?)</div>', html, re.S)[1]
    crumbs = " ".join(unescape(re.sub(r"<[^>]+>", " ", crumbs)).split())
    assert crumbs == "Home › Case studies › Safer handovers › History › Revert to this version"


def test_impact_figures_come_before_history_and_fit_the_window(publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", complete=True)
    html = publisher.get(reverse("admin:casestudies_casestudy_change", args=[story.pk]))
    html = html.content.decode()
    assert html.index('id="figures-group"') < html.index(">History</h2>")
    assert html.index(">Publication</h2>") < html.index('id="figures-group"')
    assert 'name="figures-0-label"' in html and 'size="28"' in html
    assert 'class="narrow-number"' in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/admin\.css"', html)


def test_classification_fields_say_they_search_as_you_type(publisher, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft")
    html = publisher.get(reverse("admin:casestudies_casestudy_change", args=[story.pk]))
    assert html.content.decode().count("Type to search") >= 4
    html = publisher.get(reverse("admin:resources_resource_add")).content.decode()
    assert "Type to search the list" in html


def test_editors_get_no_help_for_actions_they_cannot_take(alpha):
    editor = sign_in(Client(), make_staff("ed@example.org", roles.EDITOR, alpha))
    publisher = sign_in(Client(), make_staff("pub@example.org", roles.PUBLISHER, alpha))
    network = sign_in(Client(), make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR))
    story = CaseStudyFactory(organisation=alpha, status="draft")
    story_url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    add_resource = reverse("admin:resources_resource_add")

    editor_story = editor.get(story_url).content.decode()
    assert "Set a future date to schedule it" not in editor_story
    assert "A publisher of your collaborative sets when it goes live." in editor_story
    editor_resource = editor.get(add_resource).content.decode()
    assert "Leave empty for national material" not in editor_resource
    assert "Your collaborative, which owns what you write here." in editor_resource

    assert "Set a future date to schedule it" in publisher.get(story_url).content.decode()
    publisher_resource = publisher.get(add_resource).content.decode()
    assert "Leave empty for national material" not in publisher_resource
    assert "Leave empty for national material" in network.get(add_resource).content.decode()


@pytest.mark.parametrize(
    ("first_name", "last_name", "shown"),
    [("", "", "another member of staff"), ("Priya", "Shah", "Priya Shah")],
)
def test_a_stale_save_names_the_other_person_but_never_their_address(
    alpha, first_name, last_name, shown
):
    first = make_staff("first@example.org", roles.EDITOR, alpha)
    User.objects.filter(pk=first.pk).update(first_name=first_name, last_name=last_name)
    first_client = sign_in(Client(), User.objects.get(pk=first.pk))
    second = sign_in(Client(), make_staff("second@example.org", roles.EDITOR, alpha))
    resource = ResourceFactory(organisation=alpha, status="draft")
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    first_form = change_form_data(first_client, url, summary="First.")
    second_form = change_form_data(second, url, summary="Second.")
    assert first_client.post(url, first_form).status_code == 302
    page = second.post(url, second_form).content.decode()
    message = re.search(r"Your changes have not been saved: [^<]*", page)[0]
    assert message.startswith(f"Your changes have not been saved: {shown} saved this resource")
    assert "first@example.org" not in message


def test_the_back_office_carries_the_site_name(admin_client, settings):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "PSC Portal – Patient Safety Collaborative back-office" in html
    assert "Django administration" not in html
    assert "<title>Your work | Patient Safety Collaborative back-office</title>" in html
