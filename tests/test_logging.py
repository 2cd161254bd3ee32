"""Log lines are JSON, carry the request id and hold no personal data from query strings."""

import io
import json
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The lines the configured stdout handler writes during the test, parsed as JSON."""
    handler = next(h for h in logging.getLogger("django").handlers if h.get_name() == "stdout")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    lines = []
    yield lambda: lines or [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(previous)


def test_a_request_id_from_the_proxy_is_kept_and_returned(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21-0001"})
    assert response.headers["X-Request-ID"] == "lb-7f3a9c21-0001"


def test_a_request_without_an_id_gets_a_fresh_one(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


@pytest.mark.parametrize(
    "forged", ["short", "a" * 129, "abc123456\nlevel=ERROR fake line", "id with spaces in it"]
)
def test_a_request_id_that_could_forge_a_log_line_is_replaced(client, forged):
    returned = client.get("/healthz", headers={"X-Request-ID": forged}).headers["X-Request-ID"]
    assert returned != forged
    assert len(returned) == 32


def test_log_lines_are_json_with_the_request_id_and_no_query_string(client, log_lines):
    response = client.get(
        "/no-such-page/?email=jane.doe@example.org&postcode=SO16+6YD",
        headers={"X-Request-ID": "req-0123456789"},
    )
    assert response.status_code == 404
    lines = log_lines()
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found, lines
    assert not_found[0]["request_id"] == "req-0123456789"
    assert not_found[0]["level"] == "WARNING"
    assert "/no-such-page/" in not_found[0]["message"]
    everything = json.dumps(lines)
    assert "jane.doe" not in everything
    assert "SO16" not in everything
