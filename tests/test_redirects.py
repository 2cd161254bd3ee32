"""Redirects: former organisation names, changed slugs, the admin table (with CSV import),
loop and chain refusal, query strings, and no cost on pages that answer."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tablib import Dataset

from core.publishing import PublicationStatus
from redirects.admin import RedirectResource
from redirects.models import Redirect
from tests.factories import CaseStudyFactory, OrganisationFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wessex():
    return OrganisationFactory(
        slug="wessex",
        acronym="Wessex",
        name="Health Innovation Wessex",
        psc_name="Wessex Patient Safety Collaborative",
        former_names="Wessex AHSN",
    )


def test_a_former_organisation_name_redirects_permanently_to_its_page(client, wessex):
    response = client.get("/collaboratives/wessex-ahsn/")
    assert response.status_code == 301
    assert response["Location"] == "/collaboratives/wessex/"


def test_the_current_full_name_also_finds_the_page(client, wessex):
    response = client.get("/collaboratives/health-innovation-wessex/?from=old-site")
    assert response.status_code == 301
    assert response["Location"] == "/collaboratives/wessex/?from=old-site"


def test_a_live_page_is_never_redirected(client, wessex):
    assert client.get("/collaboratives/wessex/").status_code == 200


def test_an_unknown_address_is_still_a_404(client, wessex):
    assert client.get("/collaboratives/no-such-network/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_a_published_case_study_keeps_its_old_address_when_its_slug_changes(client):
    case_study = CaseStudyFactory(slug="old-name")
    case_study.slug = "new-name"
    case_study.save()
    response = client.get("/case-studies/old-name/?utm_source=leaflet")
    assert response.status_code == 301
    assert response["Location"] == "/case-studies/new-name/?utm_source=leaflet"
    assert Redirect.objects.get().is_automatic


def test_renaming_twice_sends_the_first_address_straight_to_the_latest(client):
    resource = ResourceFactory(slug="first")
    for slug in ("second", "third"):
        resource.slug = slug
        resource.save()
    assert client.get("/resources/first/")["Location"] == "/resources/third/"
    assert client.get("/resources/second/")["Location"] == "/resources/third/"
    resource.slug = "first"  # back to the start: the page lives there again
    resource.save()
    assert client.get("/resources/first/").status_code == 200
    assert client.get("/resources/third/")["Location"] == "/resources/first/"


def test_a_draft_that_changes_slug_leaves_no_redirect():
    case_study = CaseStudyFactory(slug="draft-one", status=PublicationStatus.DRAFT)
    case_study.slug = "draft-two"
    case_study.save()
    assert not Redirect.objects.exists()


def test_a_table_row_redirects_an_old_path_to_a_new_one(client):
    Redirect.objects.create(old_path="/news/2019/report.php", new_path="/resources/")
    response = client.get("/news/2019/report.php?id=4")
    assert response.status_code == 301
    assert response["Location"] == "/resources/?id=4"


def test_a_table_row_may_send_people_to_a_full_address(client):
    Redirect.objects.create(old_path="/old-toolkit/", new_path="https://example.org/toolkit?x=1")
    response = client.get("/old-toolkit/?y=2")
    assert response["Location"] == "https://example.org/toolkit?x=1&y=2"


def test_only_gets_are_redirected(client):
    Redirect.objects.create(old_path="/old-form/", new_path="/contact/")
    assert client.post("/old-form/").status_code in {403, 404, 405}


def _clean(**fields):
    Redirect(**fields).full_clean()


def test_a_redirect_to_itself_is_refused():
    with pytest.raises(ValidationError, match="loop"):
        _clean(old_path="/a/", new_path="/a/")


def test_a_redirect_to_an_address_that_is_itself_redirected_is_refused():
    Redirect.objects.create(old_path="/b/", new_path="/c/")
    with pytest.raises(ValidationError, match="itself redirected"):
        _clean(old_path="/a/", new_path="/b/")


def test_redirecting_an_address_others_point_at_is_refused():
    Redirect.objects.create(old_path="/a/", new_path="/b/")
    with pytest.raises(ValidationError, match="Another redirect sends /a/"):
        _clean(old_path="/b/", new_path="/c/")  # would make a → b → c
    with pytest.raises(ValidationError):
        _clean(old_path="/b/", new_path="/a/")  # would make a loop


def test_old_addresses_are_stored_as_paths_and_bad_targets_refused():
    redirect = Redirect(old_path="https://www.wessexahsn.org.uk/projects/42?x=1", new_path="/")
    redirect.full_clean()
    assert redirect.old_path == "/projects/42"
    with pytest.raises(ValidationError, match="path starting /"):
        _clean(old_path="/x/", new_path="javascript:alert(1)")


def test_a_batch_of_a_former_sites_addresses_is_imported_from_csv(admin_client):
    data = Dataset(headers=["old_path", "new_path", "note"])
    data.append(["https://oldsite.example/about-us.html", "/about/", "Former site"])
    data.append(["/patient-safety/", "/programmes/", "Former site"])
    data.append(["/loop/", "/loop/", "A mistake"])
    result = RedirectResource().import_data(data, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert Redirect.objects.count() == 0  # nothing is half-imported
    data.pop()
    result = RedirectResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert set(Redirect.objects.values_list("old_path", "new_path")) == {
        ("/about-us.html", "/about/"),
        ("/patient-safety/", "/programmes/"),
    }
    assert admin_client.get("/admin/redirects/redirect/import/").status_code == 200
    assert admin_client.get("/admin/redirects/redirect/").status_code == 200


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_page_that_answers_costs_no_redirect_query(client, settings, wessex):
    with_fallback = _queries(client, "/collaboratives/wessex/")
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "redirects.middleware.RedirectFallbackMiddleware"
    ]
    without = _queries(client, "/collaboratives/wessex/")
    assert len(with_fallback) == len(without)
    assert not any("redirects_redirect" in sql for sql in with_fallback)
