"""Two app servers, one Postgres, one Redis: the same pages, shared sessions, edits seen by both.

This is what a load balancer in front of several app servers relies on: no state in the app
process, so any request may go to any server.
"""

import subprocess
import sys
from collections import defaultdict

import pytest
import redis
from django.db import connection

from tests.factories import ProgrammeFactory
from tests.html_forms import form_fields
from tests.servers import ROOT, SERVER_SESSION_COOKIE, production_env, signed_in_session_key

pytestmark = pytest.mark.django_db(transaction=True)

# A Redis database number of its own, so other users of the local Redis are not disturbed.
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="medicines-safety", name="Medicines safety")


@pytest.fixture
def servers(start_app_server, programme, superuser):
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {"REDIS_URL": REDIS_URL, "SECURE_COOKIES": "false"}
    return start_app_server(database_url, **env), start_app_server(database_url, **env)


def sign_in(server, user) -> None:
    server.http.cookies.set(SERVER_SESSION_COOKIE, signed_in_session_key(user))
    assert server.get("/admin/").status_code == 200


def test_both_servers_serve_the_same_page(servers, programme):
    first, second = servers
    assert first.port != second.port
    # Behind the load balancer both see the same Host header.
    one = first.get(programme.get_absolute_url(), headers={"Host": "localhost"})
    two = second.get(programme.get_absolute_url(), headers={"Host": "localhost"})
    assert one.status_code == two.status_code == 200
    assert "Medicines safety" in one.text
    assert one.headers["ETag"] == two.headers["ETag"]
    assert first.get("/readyz").text == second.get("/readyz").text == "ready\n"


def test_a_session_from_one_server_works_on_the_other_and_an_edit_there_shows_on_the_first(
    servers, programme, superuser
):
    first, second = servers
    sign_in(first, superuser)
    # The load balancer sends the editor's next request to the other server.
    second.http.cookies = first.http.cookies
    change_url = f"/admin/programmes/programme/{programme.pk}/change/"
    form = second.get(change_url)
    assert form.status_code == 200, "the second server did not know the session"

    data = defaultdict(list)
    for name, value in form_fields(form.text, "programme_form"):
        data[name].append(value)
    data["name"] = ["Medicines safety in care homes"]
    saved = second.http.post(change_url, data=dict(data))
    assert saved.status_code == 302, saved.text[:2000]

    page = first.get(programme.get_absolute_url())
    assert "Medicines safety in care homes" in page.text


def test_sessions_live_in_the_shared_redis_not_in_a_server(servers, superuser):
    first, _ = servers
    sign_in(first, superuser)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert client.keys("psc:*cached_db*")
    finally:
        client.close()


SHOW_STATE_SETTINGS = (
    "from django.conf import settings; from django.core.files.storage import storages; "
    "default_storage = storages['default']; "
    "print(settings.CACHES['default']['BACKEND']); print(settings.SESSION_ENGINE); "
    "print(type(default_storage).__module__ + '.' + type(default_storage).__name__); "
    "print(getattr(default_storage, 'bucket_name', '-')); "
    "print(getattr(default_storage, 'object_parameters', '-'))"
)


def state_settings(**env) -> list[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW_STATE_SETTINGS],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-5:]


def test_without_redis_or_a_bucket_state_stays_in_postgres_and_local_files():
    assert state_settings() == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
        "django.core.files.storage.filesystem.FileSystemStorage",
        "-",
        "-",
    ]


def test_redis_and_a_bucket_move_cache_sessions_and_uploads_off_the_server():
    assert state_settings(
        REDIS_URL=REDIS_URL,
        AWS_STORAGE_BUCKET_NAME="psc-portal-uploads",
        AWS_S3_REGION_NAME="eu-west-2",
    ) == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "storages.backends.s3.S3Storage",
        "psc-portal-uploads",
        "{'ContentDisposition': 'attachment'}",
    ]
