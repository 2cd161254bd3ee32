"""When the database goes away, visitors get a clear 503 page; when it returns, so does the site.

The real production server (gunicorn) talks to Postgres through a loopback proxy that the test
cuts and restores, so only this server loses its database: other test runs are not disturbed.
"""

import pytest
from django.db import connection
from django.test import Client

from programmes.models import Programme
from tests.factories import ProgrammeFactory
from tests.servers import SERVER_SESSION_COOKIE, signed_in_session_key
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proxy():
    settings = connection.settings_dict
    with TcpProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)) as proxy:
        yield proxy


@pytest.fixture
def server(proxy, start_app_server):
    ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    name = connection.settings_dict["NAME"]
    return start_app_server(
        f"postgres://postgres@127.0.0.1:{proxy.port}/{name}",
        DATABASE_CONNECT_TIMEOUT="2",
        SECURE_COOKIES="false",  # plain HTTP on loopback
    )


def assert_outage_page(response):
    assert response.status_code == 503, response.content[:300]
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Content-Security-Policy" in response.headers
    html = response.content.decode()
    assert "<h1>Sorry, this website is not working right now</h1>" in html
    assert "Please try again in a few minutes." in html
    assert "Traceback" not in html
    assert "OperationalError" not in html


def test_pages_answer_503_while_the_database_is_gone_and_recover_without_a_restart(server, proxy):
    assert server.get("/programmes/medicines-safety/").status_code == 200

    proxy.cut()
    for path in ["/programmes/medicines-safety/", "/programmes/", "/"]:
        assert_outage_page(server.get(path))
    assert server.get("/readyz").status_code == 503
    assert server.get("/healthz").status_code == 200

    proxy.restore()
    page = server.get("/programmes/medicines-safety/")
    assert page.status_code == 200
    assert "Medicines safety" in page.text
    assert server.get("/readyz").status_code == 200

    assert server.process.poll() is None
    boots = [line for line in server.log_lines() if "Booting worker" in line.get("message", "")]
    assert len(boots) == 1, "the worker was replaced instead of recovering"


def test_a_signed_in_editor_gets_the_outage_page_too(server, proxy, superuser):
    server.http.cookies.set(SERVER_SESSION_COOKIE, signed_in_session_key(superuser))
    assert server.get("/admin/").status_code == 200

    proxy.cut()
    for path in ["/admin/", "/admin/programmes/programme/", "/programmes/"]:
        assert_outage_page(server.get(path))
    proxy.restore()
    assert server.get("/admin/").status_code == 200


def test_a_database_that_stops_answering_fails_fast_instead_of_hanging(server, proxy):
    proxy.blackhole()
    assert_outage_page(server.get("/programmes/"))
    proxy.restore()
    assert server.get("/programmes/").status_code == 200
    boots = [line for line in server.log_lines() if "Booting worker" in line.get("message", "")]
    assert len(boots) == 1


def test_the_outage_page_is_styled_by_static_files_that_need_no_database(server, proxy):
    proxy.cut()
    html = server.get("/programmes/").text
    stylesheet = html.split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/vendor/nhsuk-frontend/nhsuk-frontend.min.")
    css = server.get(stylesheet)
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")


def test_the_outage_is_logged_as_json_with_the_request_id_and_no_stack_trace(server, proxy):
    proxy.cut()
    server.get("/programmes/", headers={"X-Request-ID": "outage-check-0001"})

    def ours(logger):
        return lambda line: (
            line.get("request_id") == "outage-check-0001" and line.get("logger") == logger
        )

    access = server.wait_for_log(ours("gunicorn.access"))
    errors = server.wait_for_log(ours("psc_portal.health"))
    assert access and access[0]["status"] == 503 and access[0]["path"] == "/programmes/"
    assert errors and errors[0]["level"] == "ERROR"
    assert errors[0]["message"] == "database unavailable"
    assert "exc_info" not in errors[0]


def test_connections_time_out_quickly_and_statements_are_limited_by_the_server():
    assert connection.get_connection_params()["connect_timeout"] == 5
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


class ReadsTheDatabaseMiddleware:
    """Stands for a middleware that queries on every request (the back-office's MFA check)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        Programme.objects.exists()
        return self.get_response(request)


@pytest.fixture
def database_through(proxy):
    """Point this process's own connection at the proxy for the test, then back."""
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    yield proxy
    connection.close()
    connection.settings_dict.update(HOST=original["HOST"], PORT=original["PORT"])


def test_a_middleware_that_loses_the_database_also_gets_the_outage_page(database_through, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsTheDatabaseMiddleware"]
    client = Client(raise_request_exception=False)
    assert client.get("/about/").status_code == 200

    database_through.cut()
    assert_outage_page(client.get("/about/"))

    database_through.restore()
    assert client.get("/about/").status_code == 200
