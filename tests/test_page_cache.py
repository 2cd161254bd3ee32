"""The server keeps anonymous public pages and forgets them the moment public content changes."""

import gzip

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publishing import PublicationStatus
from tests.factories import CaseStudyFactory, ProgrammeFactory
from tests.public_site import make_public_content, public_urls

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/14"
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
    "Cache-Control",
    "ETag",
]


@pytest.fixture
def content():
    return make_public_content()


@pytest.fixture
def redis_caches(settings):
    """Both caches in Redis, as on a multi-server deployment."""
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    settings.CACHES = {
        "default": {**redis, "KEY_PREFIX": "test-default"},
        "pages": {**redis, "KEY_PREFIX": "test-pages"},
    }
    caches["default"].clear()
    caches["pages"].clear()
    yield
    caches["default"].clear()
    caches["pages"].clear()


def queries_for(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    return response, len(captured)


def test_a_second_anonymous_request_is_answered_without_touching_the_database(
    client, content, redis_caches
):
    url = reverse("casestudies:list")
    first, cold = queries_for(client, url)
    again, warm = queries_for(client, url)
    assert cold > 0
    assert warm == 0
    assert again.status_code == 200
    assert again.content == first.content


def test_without_redis_a_stored_page_costs_one_query_for_the_content_generation(client, content):
    url = content["case_study"].get_absolute_url()
    queries_for(client, url)
    again, warm = queries_for(client, url)
    assert again.status_code == 200
    assert warm == 1


def test_every_public_page_is_served_from_the_cache_the_second_time(client, content):
    for url in public_urls(content):
        first = client.get(url)
        again, warm = queries_for(client, url)
        assert warm <= 1, url
        assert again.content == first.content, url


def test_another_query_string_is_another_page(client, content):
    client.get(reverse("casestudies:list"))
    _response, queries = queries_for(client, reverse("casestudies:list") + "?sort=newest")
    assert queries > 1


def test_signed_in_staff_never_get_the_stored_copy(admin_client, client, content):
    url = content["case_study"].get_absolute_url()
    client.get(url)
    response, queries = queries_for(admin_client, url)
    assert queries > 1
    assert "private" in response.headers["Cache-Control"]


def test_a_stored_page_keeps_every_security_header_and_sets_no_cookie(client, content):
    url = reverse("pages:home")
    first = client.get(url)
    again, warm = queries_for(client, url)
    assert warm <= 1
    for header in SECURITY_HEADERS:
        assert again.headers.get(header) == first.headers.get(header), header
        assert again.headers.get(header), header
    assert "'self'" in again.headers["Content-Security-Policy"]
    assert not again.cookies
    assert "Set-Cookie" not in again.headers


def test_a_stored_page_still_answers_304_to_a_matching_etag(client, content):
    url = reverse("programmes:list")
    first = client.get(url)
    again, warm = queries_for(client, url, headers={"If-None-Match": first.headers["ETag"]})
    assert warm <= 1
    assert again.status_code == 304
    assert again.content == b""


def test_not_found_pages_are_never_stored(client):
    client.get("/case-studies/not-published-yet/")
    response, queries = queries_for(client, "/case-studies/not-published-yet/")
    assert response.status_code == 404
    assert queries > 1


def test_pages_that_set_a_cookie_and_form_posts_are_never_stored(client):
    client.get(reverse("account_login"))
    response = client.get(reverse("account_login"))
    assert response.cookies  # rendered again: a stored copy never carries a cookie
    client.post(reverse("postcodes:find"), {"q": "SO16 6YD"})
    _response, queries = queries_for(client, reverse("postcodes:find"))
    assert queries > 1


def test_publishing_shows_at_once(client, content):
    draft = CaseStudyFactory(title="Hydration in care homes", status=PublicationStatus.DRAFT)
    url = reverse("casestudies:list")
    assert "Hydration in care homes" not in client.get(url).content.decode()
    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    assert "Hydration in care homes" in client.get(url).content.decode()


def test_an_edit_shows_at_once(client, content):
    case_study = content["case_study"]
    url = case_study.get_absolute_url()
    client.get(url)
    case_study.title = "Spotting deterioration early at home"
    case_study.save()
    assert "Spotting deterioration early at home" in client.get(url).content.decode()


def test_unpublishing_and_archiving_hide_at_once(client, content):
    case_study = content["case_study"]
    url = case_study.get_absolute_url()
    assert client.get(url).status_code == 200
    case_study.status = PublicationStatus.ARCHIVED
    case_study.save()
    assert client.get(url).status_code == 404
    assert case_study.title not in client.get(reverse("casestudies:list")).content.decode()


def test_a_reference_data_edit_shows_on_every_page_at_once(client, content):
    organisation = content["organisation"]  # the home collaborative: named in every footer
    pages = [reverse("pages:home"), reverse("programmes:list"), reverse("resources:list")]
    for url in pages:
        assert organisation.name in client.get(url).content.decode()
    organisation.name = "Wessex Patient Safety Network"
    organisation.save()
    for url in pages:
        assert "Wessex Patient Safety Network" in client.get(url).content.decode(), url


def test_a_new_link_between_items_shows_at_once(client, content):
    case_study = content["case_study"]
    programme = ProgrammeFactory(name="Hydration matters")
    url = case_study.get_absolute_url()
    assert "Hydration matters" not in client.get(url).content.decode()
    case_study.programmes.add(programme)
    assert "Hydration matters" in client.get(url).content.decode()


def test_pages_are_gzipped_for_clients_that_accept_it_and_stored_per_encoding(client, content):
    url = reverse("pages:home")
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    again, warm = queries_for(client, url, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    assert warm <= 1
    assert again.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == plain.content


def test_the_page_cache_can_be_turned_off(client, content, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("programmes:list")
    client.get(url)
    _response, queries = queries_for(client, url)
    assert queries > 1


def test_a_gzipped_page_keeps_its_etag_when_it_is_rendered_again(client, content):
    url = reverse("programmes:list")
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    caches["pages"].clear()
    again = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["ETag"] == again.headers["ETag"]
    assert again.headers["Content-Encoding"] == "gzip"
    revalidated = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert revalidated.status_code == 304
