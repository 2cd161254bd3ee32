"""A NUL byte anywhere in a request's path, query or form never makes the site answer with a 5xx.

Postgres cannot hold a NUL in text, and psycopg2 refuses one before the query is sent, so a
view that passes a NUL on to the database would fail with a 500. The walk below builds an
address for every URL pattern of the project and puts a NUL into each segment in turn.
"""

from urllib.parse import quote

import pytest
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

from tests.public_site import make_public_content, public_urls

pytestmark = pytest.mark.django_db

NUL_QUERY = "q=%00&page=%00&programme=%00&organisation=%00&theme=%00&topic=%00&sort=%00&o=%00"
# Sample values that let a pattern's other parameters match (a number suits ids and pages).
SAMPLE = "1"


def _patterns(resolver: URLResolver, prefix: str = ""):
    """Each URL pattern of the project as a regular expression from the site root."""
    for entry in resolver.url_patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, regex.rstrip("$").removesuffix(r"\Z"))
        elif isinstance(entry, URLPattern):
            yield regex


def concrete_paths() -> list[tuple[str, list[str]]]:
    """For each pattern, an address with every parameter filled in, as a list of segments."""
    paths = set()
    for regex in _patterns(get_resolver()):
        template, params = normalize(regex)[0]
        path = "/" + template % dict.fromkeys(params, SAMPLE)
        paths.add(path)
    return sorted(paths)


def nul_variants(path: str):
    """The path with a NUL put into each of its segments in turn, encoded and literal."""
    segments = path.split("/")
    for index in range(1, len(segments)):
        original = segments[index]
        for nul in ("%00", quote(original or "x", safe="") + "%00", "\x00"):
            yield "/".join([*segments[:index], nul, *segments[index + 1 :]])


@pytest.fixture
def content(db):
    return make_public_content()


def walk(client, content) -> list[tuple[str, int]]:
    client.raise_request_exception = False  # collect every failure, not just the first
    failures = []
    for path in [*concrete_paths(), *public_urls(content)]:
        urls = [*nul_variants(path), f"{path}?{NUL_QUERY}", f"{path}?q=x%00y"]
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append((url, response.status_code))
    return failures


def test_the_walk_covers_every_section_of_the_site():
    paths = concrete_paths()
    for prefix in ["/programmes/", "/case-studies/", "/resources/", "/admin/", "/accounts/"]:
        assert any(path.startswith(prefix) for path in paths), prefix
    assert "/media/1" in paths


def test_no_url_answers_a_nul_with_a_server_error_for_the_public(client, content):
    assert walk(client, content) == []


def test_no_url_answers_a_nul_with_a_server_error_for_a_superuser(admin_client, content):
    assert walk(admin_client, content) == []


def test_an_upload_path_with_a_nul_is_not_found(client):
    assert client.get("/media/%00").status_code == 404
    assert client.get("/media/resources/report%00.pdf").status_code == 404


def test_the_upload_view_itself_refuses_a_nul_without_asking_the_database(
    rf, django_assert_num_queries
):
    from pages.uploads import serve_upload

    with django_assert_num_queries(0), pytest.raises(Http404):
        serve_upload(rf.get("/media/x"), "resources/report\x00.pdf")


def test_a_nul_in_a_query_parameter_is_a_bad_request(client, content):
    response = client.get("/search/?q=soft%00signs")
    assert response.status_code == 400
    assert response.headers["Content-Security-Policy"]


def test_a_nul_in_a_form_field_is_refused_by_the_form_with_what_was_typed_kept(client, superuser):
    response = client.post("/accounts/login/", {"login": "admin@example.org\x00", "password": "x"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_requests_without_a_nul_are_untouched(client, content):
    assert client.get("/search/?q=soft+signs").status_code == 200
    assert client.get(content["resource"].get_absolute_url()).status_code == 200
