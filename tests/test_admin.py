"""Every admin changelist, add page and change page renders for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from redirects.models import Redirect
from tests.factories import (
    CareSettingFactory,
    CaseStudyFactory,
    CoverageFactory,
    EventFactory,
    ImpactFigureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
    ThemeFactory,
    TopicFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

# Contact messages are left out: they come only from the public form (no add page).
OUR_APPS = {"collaboratives", "programmes", "casestudies", "resources", "events", "redirects"}


@pytest.fixture
def one_of_everything():
    organisation = OrganisationFactory()
    CoverageFactory(organisation=organisation)
    organisation.contact_details.create(kind="website", value="https://example.org")
    workstream = WorkstreamFactory()
    workstream.programme.measures.create(
        key="m", label="Measure", target="80%", period="2024", source="NHS England"
    )
    from programmes.models import Principle

    Principle.objects.create(slug="culture", name="Safety culture")
    CareSettingFactory()
    ThemeFactory()
    TopicFactory()
    figure = ImpactFigureFactory(case_study__organisation=organisation)
    figure.case_study.quotes.create(text="It helped.", attribution="A nurse")
    figure.case_study.contacts.create(email="team@example.org")
    ResourceFactory(organisation=organisation)
    ProgrammeFactory()
    CaseStudyFactory()
    EventFactory(organisation=organisation)
    Redirect.objects.create(old_path="/old/", new_path="/")


def _our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_in_the_admin_directly_or_as_an_inline():
    from django.apps import apps

    # Change history is each app's too, reached through its model's "History" page.
    ours = {
        m
        for m in apps.get_models()
        if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")
    }
    inlines = {inline.model for ma in admin.site._registry.values() for inline in ma.inlines}
    assert ours == set(_our_models()) | (inlines & ours)
    assert {m.__name__ for m in inlines & ours} >= {"ImpactFigure", "Quote", "Contact"}


@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_every_admin_page_renders_for_a_superuser(admin_client, one_of_everything, page):
    for model in _our_models():
        info = (model._meta.app_label, model._meta.model_name)
        if page == "change":
            obj = model.objects.first()
            assert obj is not None, f"no {model.__name__} to open"
            url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        else:
            url = reverse("admin:{}_{}_{}".format(*info, page))
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_admin_search_finds_an_organisation_by_a_former_name(admin_client):
    OrganisationFactory(name="Health Innovation Wessex", former_names="Wessex AHSN")
    OrganisationFactory(name="Health Innovation East")
    response = admin_client.get(
        reverse("admin:collaboratives_organisation_changelist"), {"q": "Wessex AHSN"}
    )
    assert b"Health Innovation Wessex" in response.content
    assert b"Health Innovation East" not in response.content


def test_the_case_study_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries
):
    CaseStudyFactory.create_batch(3)
    url = reverse("admin:casestudies_casestudy_changelist")
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    CaseStudyFactory.create_batch(30)
    with django_assert_max_num_queries(len(few)):
        admin_client.get(url)
