"""A database that hangs (frozen processes, a silent network) costs a request seconds, not forever.

The proxy in front of Postgres stops passing bytes without closing anything, so the kernel
keeps acknowledging and only the application-level bound (server/dbtimeout.py) can
notice. Bounds below are generous: they prove the waits end, not how fast.
"""

import threading
import time

import httpx
import psycopg2
import pytest
from django.db import connection
from psycopg2 import extensions

from server.dbtimeout import DatabaseWaitTimeout, bounded_wait
from tests.factories import ProgrammeFactory
from tests.tcp_proxy import TcpProxy
from tests.test_database_outage import assert_outage_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proxy():
    settings = connection.settings_dict
    with TcpProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)) as proxy:
        yield proxy


def start_server(start_app_server, proxy, wait_seconds):
    ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    name = connection.settings_dict["NAME"]
    return start_app_server(
        f"postgres://postgres@127.0.0.1:{proxy.port}/{name}",
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_QUERY_WAIT_SECONDS=str(wait_seconds),
        GUNICORN_THREADS="2",
        SECURE_COOKIES="false",
    )


def timed_get(server, path, timeout=30):
    started = time.monotonic()
    response = httpx.get(f"http://127.0.0.1:{server.port}{path}", timeout=timeout)
    return response, time.monotonic() - started


def test_a_page_answers_503_while_the_database_hangs_and_recovers(start_app_server, proxy):
    server = start_server(start_app_server, proxy, wait_seconds=2)
    assert server.get("/programmes/medicines-safety/").status_code == 200  # connection open

    proxy.freeze()
    for path in ["/programmes/medicines-safety/", "/programmes/"]:
        response, elapsed = timed_get(server, path)
        assert_outage_page(response)
        assert elapsed < 15, f"{path} waited {elapsed:.1f} s for a silent database"
    assert server.get("/readyz").status_code == 503

    proxy.restore()
    page = server.get("/programmes/medicines-safety/")
    assert page.status_code == 200
    assert "Medicines safety" in page.text
    assert server.process.poll() is None
    boots = [line for line in server.log_lines() if "Booting worker" in line.get("message", "")]
    assert len(boots) == 1, "the worker was replaced instead of recovering"


def test_healthz_answers_while_every_worker_thread_waits_for_the_database(start_app_server, proxy):
    server = start_server(start_app_server, proxy, wait_seconds=8)
    assert server.get("/programmes/").status_code == 200
    proxy.freeze()

    results = []

    def stuck_request():
        results.append(timed_get(server, "/programmes/"))

    stuck = [threading.Thread(target=stuck_request) for _ in range(2)]  # = GUNICORN_THREADS
    for thread in stuck:
        thread.start()
    time.sleep(1.5)  # both threads are now inside a database wait

    for _ in range(3):
        probe = httpx.get(f"http://127.0.0.1:{server.port}/healthz", timeout=4)
        assert probe.status_code == 200
        assert probe.text == "ok\n"
        assert "no-store" in probe.headers["Cache-Control"]
    assert all(thread.is_alive() for thread in stuck), "the page requests were not stuck"

    for thread in stuck:
        thread.join(timeout=40)
    assert len(results) == 2
    for response, elapsed in results:
        assert_outage_page(response)
        assert elapsed < 30
    proxy.restore()
    assert server.get("/programmes/").status_code == 200


@pytest.fixture
def bounded(request):
    extensions.set_wait_callback(bounded_wait(1))
    yield
    extensions.set_wait_callback(None)


def raw_connection(port=None):
    settings = connection.settings_dict
    return psycopg2.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=port or int(settings["PORT"] or 5432),
        user=settings["USER"],
        dbname=settings["NAME"],
        connect_timeout=5,
    )


def test_a_query_that_outlasts_the_bound_is_abandoned(bounded):
    conn = raw_connection()
    started = time.monotonic()
    with pytest.raises(DatabaseWaitTimeout), conn.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    assert time.monotonic() - started < 3
    conn.close()


def test_a_frozen_database_does_not_hold_a_query_for_long(bounded, proxy):
    conn = raw_connection(port=proxy.port)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1")
    proxy.freeze()
    started = time.monotonic()
    with pytest.raises(DatabaseWaitTimeout), conn.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert time.monotonic() - started < 10
    conn.close()


def test_a_connection_to_a_frozen_database_gives_up_too(bounded, proxy):
    proxy.freeze()
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError):
        raw_connection(port=proxy.port)
    assert time.monotonic() - started < 10


def test_database_connections_carry_tcp_keepalives_and_a_user_timeout():
    params = connection.get_connection_params()
    assert params["keepalives"] == 1
    assert params["tcp_user_timeout"] == 5000
    assert params["keepalives_idle"] == 5
