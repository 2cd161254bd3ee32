"""Who may do what in the back-office: every role against the pages and actions that matter.

Roles: anonymous, staff without MFA, editor of A, editor of B, publisher of A, network
administrator. Collaborative A owns the draft case study under test.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy
from core import roles
from core.publishing import PublicationStatus
from tests.factories import CaseStudyFactory, OrganisationFactory, ResourceFactory
from tests.staff import change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_mfa", "editor_a", "editor_b", "publisher_a", "network_admin"]
LOGIN = "login"  # redirected to sign in
MFA_SETUP = "mfa"  # redirected to set up MFA
GONE = "gone"  # redirected to the admin home with "doesn't exist" (no leak)


@pytest.fixture
def world():
    a = OrganisationFactory(acronym="ALPHA", slug="alpha", name="Alpha network")
    b = OrganisationFactory(acronym="BRAVO", slug="bravo", name="Bravo network")
    draft = CaseStudyFactory(
        organisation=a, title="Alpha secret draft", status=PublicationStatus.DRAFT, complete=True
    )
    other = CaseStudyFactory(
        organisation=b, title="Bravo own draft", status=PublicationStatus.DRAFT, complete=True
    )
    return {"a": a, "b": b, "draft": draft, "other": other}


@pytest.fixture
def as_role(world):
    accounts = {
        "no_mfa": (roles.EDITOR, world["a"]),
        "editor_a": (roles.EDITOR, world["a"]),
        "editor_b": (roles.EDITOR, world["b"]),
        "publisher_a": (roles.PUBLISHER, world["a"]),
        "network_admin": (roles.NETWORK_ADMINISTRATOR, None),
    }

    def client_for(role):
        client = Client()
        if role in accounts:
            group, organisation = accounts[role]
            user = make_staff(f"{role}@example.org", group, organisation, mfa=role != "no_mfa")
            sign_in(client, user, second_factor=role != "no_mfa")
        return client

    return client_for


def _outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/") or location.startswith("/accounts/login/"):
            return LOGIN
        if location == reverse("mfa_activate_totp"):
            return MFA_SETUP
        if location == reverse("admin:index"):
            return GONE
        return 302
    return response.status_code


def _expect(table, role):
    return table[ROLES.index(role)]


def _url(name, obj=None):
    return reverse(f"admin:casestudies_casestudy_{name}", args=[obj.pk] if obj else [])


def _form_data(client, obj, **overrides):
    return change_form_data(client, _url("change", obj), **overrides)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_home(as_role, role):
    table = [LOGIN, MFA_SETUP, 200, 200, 200, 200]
    assert _outcome(as_role(role).get(reverse("admin:index"))) == _expect(table, role)


@pytest.mark.parametrize("role", ROLES)
def test_opening_collaborative_a_draft(as_role, world, role):
    table = [LOGIN, MFA_SETUP, 200, GONE, 200, 200]
    response = as_role(role).get(_url("change", world["draft"]))
    assert _outcome(response) == _expect(table, role)
    if response.status_code == 200:
        assert "Alpha secret draft" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_previewing_collaborative_a_draft(as_role, world, role):
    table = [LOGIN, MFA_SETUP, 200, 404, 200, 200]
    response = as_role(role).get(_url("preview", world["draft"]))
    assert _outcome(response) == _expect(table, role)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Preview – not published" in page
        assert "Not published (draft)" in page
        assert "<li>Published" not in page


@pytest.mark.parametrize("role", ROLES)
def test_reading_the_history_of_collaborative_a_draft(as_role, world, role):
    table = [LOGIN, MFA_SETUP, 200, 403, 200, 200]
    response = as_role(role).get(_url("history", world["draft"]))
    assert _outcome(response) == _expect(table, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_case_study_list_shows_only_the_own_collaborative(as_role, world, role):
    response = as_role(role).get(_url("changelist"))
    sees_a = {"editor_a", "publisher_a", "network_admin"}
    sees_b = {"editor_b", "network_admin"}
    if role in ("anonymous", "no_mfa"):
        assert response.status_code == 302
        return
    page = response.content.decode()
    assert ("Alpha secret draft" in page) == (role in sees_a)
    assert ("Bravo own draft" in page) == (role in sees_b)


@pytest.mark.parametrize("role", ["editor_b", "publisher_a"])
def test_filters_and_searches_do_not_reveal_another_collaborative(as_role, world, role):
    client = as_role(role)
    other = world["b"] if role == "publisher_a" else world["a"]
    hidden = "Bravo own draft" if role == "publisher_a" else "Alpha secret draft"
    for query in ({"q": hidden}, {"organisation__id__exact": other.pk}, {"status": "draft"}):
        response = client.get(_url("changelist"), query, follow=True)
        assert response.status_code == 200
        assert f">{hidden}</a>" not in response.content.decode(), query
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "casestudies", "model_name": "casestudy", "field_name": "organisation"},
    )
    assert hidden not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_publish_action_on_collaborative_a_draft(as_role, world, role):
    draft = world["draft"]
    response = as_role(role).post(
        _url("changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    published = draft.status == PublicationStatus.PUBLISHED
    assert published == (role in {"publisher_a", "network_admin"}), response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_the_submit_for_review_action_on_collaborative_a_draft(as_role, world, role):
    draft = world["draft"]
    as_role(role).post(
        _url("changelist"), {"action": "submit_for_review", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    in_review = draft.status == PublicationStatus.IN_REVIEW
    assert in_review == (role in {"editor_a", "publisher_a", "network_admin"})


@pytest.mark.parametrize("role", ROLES)
def test_nobody_deletes_a_case_study_they_archive_it(as_role, world, role):
    draft = world["draft"]
    client = as_role(role)
    response = client.post(_url("delete", draft), {"post": "yes"})
    assert response.status_code in (302, 403)
    client.post(_url("changelist"), {"action": "delete_selected", "_selected_action": [draft.pk]})
    assert CaseStudy.objects.filter(pk=draft.pk).exists()


def test_an_editor_cannot_publish_through_the_change_form(as_role, world):
    draft = world["draft"]
    client = as_role("editor_a")
    page = client.get(_url("change", draft)).content.decode()
    assert 'value="published"' not in page
    data = _form_data(client, draft, status="published")
    response = client.post(_url("change", draft), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT


def test_an_editor_cannot_move_an_item_into_another_collaborative(as_role, world):
    draft = world["draft"]
    client = as_role("editor_a")
    response = client.post(
        _url("change", draft), _form_data(client, draft, organisation=world["b"].pk)
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.organisation == world["a"]


def test_an_editor_may_not_change_a_published_item_but_a_publisher_may(as_role, world):
    live = CaseStudyFactory(organisation=world["a"], title="Alpha live story")
    editor_page = as_role("editor_a").get(_url("change", live)).content.decode()
    assert 'name="title"' not in editor_page  # read-only view
    publisher_page = as_role("publisher_a").get(_url("change", live)).content.decode()
    assert 'name="title"' in publisher_page


def test_publishers_can_schedule_and_editors_cannot(as_role, world):
    draft = world["draft"]
    assert (
        'name="publish_from_0"'
        not in as_role("editor_a").get(_url("change", draft)).content.decode()
    )
    assert (
        'name="publish_from_0"'
        in as_role("publisher_a").get(_url("change", draft)).content.decode()
    )


@pytest.mark.parametrize("role", ROLES)
def test_changing_an_organisation(as_role, world, role):
    organisation = world["a"]
    url = reverse("admin:collaboratives_organisation_change", args=[organisation.pk])
    client = as_role(role)
    # Everyone posts the form a network administrator's browser would send.
    reader = client if role == "network_admin" else as_role("network_admin")
    client.post(url, change_form_data(reader, url, name="Renamed network"))
    organisation.refresh_from_db()
    assert (organisation.name == "Renamed network") == (role == "network_admin")


@pytest.mark.parametrize("role", ROLES)
def test_managing_staff_accounts(as_role, role):
    table = [LOGIN, MFA_SETUP, 403, 403, 403, 200]
    assert _outcome(as_role(role).get(reverse("admin:auth_user_changelist"))) == _expect(
        table, role
    )


def test_national_resources_are_for_network_administrators(as_role, world):
    national = ResourceFactory(organisation=None, title="National toolkit", status="draft")
    url = reverse("admin:resources_resource_change", args=[national.pk])
    assert _outcome(as_role("publisher_a").get(url)) == GONE
    assert _outcome(as_role("network_admin").get(url)) == 200


@pytest.mark.parametrize("role", ROLES)
def test_opening_collaborative_a_draft_resource(as_role, world, role):
    resource = ResourceFactory(organisation=world["a"], title="Alpha toolkit", status="draft")
    table = [LOGIN, MFA_SETUP, 200, GONE, 200, 200]
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    assert _outcome(as_role(role).get(url)) == _expect(table, role)


def test_a_network_administrator_cannot_open_a_superusers_account(as_role, superuser):
    url = reverse("admin:auth_user_change", args=[superuser.pk])
    assert _outcome(as_role("network_admin").get(url)) == GONE


def test_the_scoped_changelist_query_count_does_not_grow(as_role, world):
    client = as_role("editor_a")
    url = _url("changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    CaseStudyFactory.create_batch(20, organisation=world["a"], status="draft")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) <= len(few)


def test_the_dashboard_query_count_does_not_grow(as_role, world):
    client = as_role("publisher_a")
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
    CaseStudyFactory.create_batch(15, organisation=world["a"], status="in_review")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:index"))
    assert len(many) <= len(few)


def test_staff_without_a_collaborative_see_no_content(world):
    national = ResourceFactory(organisation=None, title="National toolkit", status="draft")
    client = sign_in(Client(), make_staff("orphan@example.org", roles.PUBLISHER, None))
    page = client.get(reverse("admin:resources_resource_changelist")).content.decode()
    assert "National toolkit" not in page
    url = reverse("admin:resources_resource_change", args=[national.pk])
    assert _outcome(client.get(url)) == GONE
