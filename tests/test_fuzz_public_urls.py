"""Arbitrary query strings and path segments never make a public URL answer with a 5xx."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_site import make_public_content, public_urls

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Whatever a browser, a bot or an attacker may send: any Unicode (control characters and NUL
# included), long values, repeated keys, and the parameter names the pages really read.
KNOWN_KEYS = ["q", "page", "programme", "organisation", "theme", "topic", "kind", "sort", "format"]
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=20))
values = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", "0", "-1", "999999999", "1e309", "NaN", "%", "' OR 1=1 --", "\x00"]),
)
query_strings = st.lists(st.tuples(keys, values), max_size=6).map(urlencode)
segments = st.text(min_size=1, max_size=40).map(lambda text: quote(text, safe=""))


@pytest.fixture
def urls():
    return public_urls(make_public_content())


def assert_no_server_error(client, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)


@FUZZ
@given(query=query_strings)
def test_no_query_string_makes_a_public_page_fail(client, urls, query):
    for url in urls:
        assert_no_server_error(client, f"{url}?{query}")


@FUZZ
@given(segment=segments)
def test_no_path_segment_makes_a_public_section_fail(client, urls, segment):
    for url in urls:
        base = url if url.endswith("/") else url + "/"
        assert_no_server_error(client, f"{base}{segment}/")
        assert_no_server_error(client, f"{base}{segment}")


@FUZZ
@given(segment=segments, query=query_strings)
def test_no_slug_makes_a_detail_page_fail(client, urls, segment, query):
    for url in urls:
        parts = url.rstrip("/").split("/")
        if len(parts) > 2:  # a detail page: /section/<slug>/
            parts[-1] = segment
            assert_no_server_error(client, "/".join(parts) + f"/?{query}")
