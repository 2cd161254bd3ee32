"""Anonymous pages are shareable by a CDN for a while, revalidate cheaply and show edits."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.urls import reverse

from tests.public_site import make_public_content, public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    return make_public_content()


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


def test_every_public_page_is_shareable_for_five_minutes_by_default(client, content):
    for url in public_urls(content):
        response = client.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) == {"public", "max-age=300"}, url
        assert "Cookie" not in response.headers.get("Vary", ""), url  # one copy for everyone
        assert response.headers["ETag"], url
        assert not response.cookies, url


def test_the_shared_lifetime_follows_the_setting(client, content, settings):
    settings.PUBLIC_CACHE_MAX_AGE = 60
    response = client.get(reverse("programmes:list"))
    assert cache_control(response) == {"public", "max-age=60"}


def test_an_unchanged_page_is_revalidated_with_304_and_no_body(client, content):
    url = content["programme"].get_absolute_url()
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert cache_control(again) == {"public", "max-age=300"}
    assert again.headers["ETag"] == first.headers["ETag"]


def test_an_edit_changes_the_etag_so_caches_fetch_the_new_page(client, content):
    programme = content["programme"]
    url = programme.get_absolute_url()
    before = client.get(url)
    programme.name = "Managing deterioration in care homes"
    programme.save()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Managing deterioration in care homes" in after.content.decode()


def test_a_signed_in_editor_gets_private_uncached_pages(admin_client, content):
    for url in public_urls(content):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url
        assert "public" not in cache_control(response), url


def test_admin_pages_are_never_cached(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert {"private", "no-store", "no-cache"} <= cache_control(response)


def test_a_page_that_sets_a_cookie_is_never_shared(client):
    response = client.get(reverse("account_login"))
    assert response.cookies
    assert "public" not in cache_control(response)


def test_a_form_submission_is_never_shared(client):
    response = client.post(reverse("postcodes:find"), {"q": "SO16 6YD"})
    assert "public" not in cache_control(response)


def test_static_files_have_content_hashed_names_cached_for_a_year(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = staticfiles_storage.url("vendor/nhsuk-frontend/nhsuk-frontend.min.css")
    assert hashed != "/static/vendor/nhsuk-frontend/nhsuk-frontend.min.css"
    response = client.get(hashed, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert cache_control(response) == {"max-age=315360000", "public", "immutable"}


def test_a_not_found_page_is_not_kept_by_shared_caches(client):
    response = client.get("/case-studies/not-published-yet/")
    assert response.status_code == 404
    assert "public" not in cache_control(response)
