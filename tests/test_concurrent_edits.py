"""No lost edits: the second of two overlapping saves is refused and its text kept on screen."""

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from tests.factories import CaseStudyFactory, OrganisationFactory, ResourceFactory
from tests.staff import change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha():
    return OrganisationFactory()


@pytest.fixture
def two_editors(alpha):
    first = sign_in(Client(), make_staff("first@example.org", roles.EDITOR, alpha))
    second = sign_in(Client(), make_staff("second@example.org", roles.EDITOR, alpha))
    return first, second


def test_the_second_stale_save_is_refused_and_nothing_is_overwritten(two_editors, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft", summary="Original summary.")
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    first, second = two_editors
    first_form = change_form_data(first, url, summary="First editor's summary.")
    second_form = change_form_data(second, url, summary="Second editor's careful rewrite.")

    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your changes have not been saved" in page
    assert "after you opened it" in page
    assert "Second editor&#x27;s careful rewrite." in page  # their text is still on screen
    story.refresh_from_db()
    assert story.summary == "First editor's summary."


def test_saving_again_after_reopening_the_page_works(two_editors, alpha):
    story = CaseStudyFactory(organisation=alpha, status="draft")
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    first, second = two_editors
    assert first.post(url, change_form_data(first, url, summary="One.")).status_code == 302
    assert second.post(url, change_form_data(second, url, summary="Two.")).status_code == 302
    story.refresh_from_db()
    assert story.summary == "Two."


def test_resources_are_protected_the_same_way(two_editors, alpha):
    resource = ResourceFactory(organisation=alpha, status="draft")
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    first, second = two_editors
    first_form = change_form_data(first, url, title="First title")
    second_form = change_form_data(second, url, title="Second title")
    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)
    assert response.status_code == 200
    assert "Your changes have not been saved" in response.content.decode()
    resource.refresh_from_db()
    assert resource.title == "First title"


def test_reference_data_is_protected_too(alpha):
    url = reverse("admin:collaboratives_organisation_change", args=[alpha.pk])
    first = sign_in(Client(), make_staff("net1@example.org", roles.NETWORK_ADMINISTRATOR))
    second = sign_in(Client(), make_staff("net2@example.org", roles.NETWORK_ADMINISTRATOR))
    first_form = change_form_data(first, url, territory="Hampshire and the Isle of Wight")
    second_form = change_form_data(second, url, territory="Dorset")
    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)
    assert response.status_code == 200
    assert "Your changes have not been saved" in response.content.decode()
    assert "Dorset" in response.content.decode()
    alpha.refresh_from_db()
    assert alpha.territory == "Hampshire and the Isle of Wight"
