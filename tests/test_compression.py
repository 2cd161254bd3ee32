"""Pages and JSON go out compressed: Brotli when nothing secret can be in them, otherwise gzip
with Django's BREACH mitigation; each encoding is kept in the page cache under its own key."""

import gzip

import brotli
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.public_site import make_public_content

pytestmark = pytest.mark.django_db

BOTH = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def content():
    return make_public_content()


def test_an_anonymous_page_is_sent_with_brotli_and_kept_in_that_encoding(client, content):
    url = reverse("pages:home")
    plain = client.get(url)
    squeezed = client.get(url, headers=BOTH)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    assert brotli.decompress(squeezed.content) == plain.content
    assert int(squeezed.headers["Content-Length"]) == len(squeezed.content)
    assert len(squeezed.content) < len(zipped.content) < len(plain.content) / 3
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, headers=BOTH)
    assert len(captured) <= 1  # from the page cache
    assert again.headers["Content-Encoding"] == "br"
    assert again.content == squeezed.content
    assert again.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]


def test_a_brotli_page_keeps_its_etag_and_answers_304(client, content):
    url = reverse("programmes:list")
    first = client.get(url, headers=BOTH)
    assert first.headers["ETag"].startswith('W/"')
    revalidated = client.get(url, headers={**BOTH, "If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304


def test_a_request_with_a_cookie_gets_gzip_with_random_padding_not_brotli(client, content):
    """A cookie may mean a secret in the page (a CSRF token, a session): Django's gzip with up
    to 100 random bytes in its header, so the size gives nothing away."""
    client.cookies["csrftoken"] = "a" * 32
    url = reverse("contact:form")
    sizes, bodies = set(), set()
    for _ in range(6):
        response = client.get(url, headers=BOTH)
        assert response.headers["Content-Encoding"] == "gzip"
        sizes.add(len(response.content))
        bodies.add(
            gzip.decompress(response.content).decode().split('name="csrfmiddlewaretoken"')[0]
        )
    assert len(sizes) > 1  # padded differently each time
    assert len(bodies) == 1


def test_a_response_that_sets_a_cookie_is_not_sent_with_brotli(client, content):
    response = client.get(reverse("contact:form"), headers=BOTH)
    assert response.cookies  # the form sets the CSRF cookie
    assert response.headers["Content-Encoding"] == "gzip"


def test_json_is_compressed_too(client, content):
    response = client.get("/api/case-studies", headers=BOTH)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.content).startswith(b"{")


def test_a_client_that_asks_for_nothing_gets_plain_text(client, content):
    response = client.get(reverse("pages:home"), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert b"<html" in response.content
