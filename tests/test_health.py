"""/healthz says the process answers; /readyz says the database (and cache) answer too."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_health_probe_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_readiness_probe_asks_the_database(client, django_assert_num_queries):
    # One query for the database itself, one for the shared cache (a table here).
    with django_assert_num_queries(2):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/healthz/", "/readyz/"])
def test_probes_answer_a_load_balancer_by_ip_over_plain_http(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, headers={"Host": "10.0.3.7:8000"})
    assert response.status_code == 200


def test_probes_answer_head_requests_for_cheap_checks(client):
    assert client.head("/healthz").status_code == 200
    assert client.head("/readyz").status_code == 200


def test_the_probes_are_not_pages_to_post_to(client):
    assert client.post("/healthz").status_code == 404
