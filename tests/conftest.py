from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test.signals import setting_changed

from tests.staff import add_totp, ensure_role_groups, sign_in


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="correct-horse-battery-staple"
    )


@pytest.fixture
def admin_client(client, superuser):
    """A superuser session that has passed MFA, as the back-office requires of every account."""
    add_totp(superuser)
    return sign_in(client, superuser)


def _forget_pages(**kwargs):
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Stored pages live in process memory (no Redis in tests) and outlast a test's rollback;
    a test that changes a setting between two requests must not get the first page back."""
    caches["pages"].clear()
    setting_changed.connect(_forget_pages, dispatch_uid="tests-forget-pages")
    yield
    setting_changed.disconnect(dispatch_uid="tests-forget-pages")


@pytest.fixture(autouse=True)
def _unhashed_static_files(settings):
    """Content-hashed static names need collectstatic first; tests use the plain names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The database cache (used when REDIS_URL is unset) keeps its table outside migrations."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected once, as in production (hashed, compressed), for server tests."""
    import subprocess
    import sys

    from tests.servers import ROOT, production_env

    static_root = tmp_path_factory.mktemp("staticfiles")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(static_root)),
        check=True,
        timeout=300,
    )
    return static_root


@pytest.fixture
def start_app_server(collected_static, tmp_path):
    """Start gunicorn against a database URL (and optional extra environment); stopped after."""
    from tests.servers import AppServer, production_env

    servers = []

    def start(database_url, **env):
        server = AppServer(
            tmp_path / f"gunicorn-{len(servers)}.log",
            production_env(DATABASE_URL=database_url, STATIC_ROOT=str(collected_static), **env),
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


def _load_site_data(demo: bool) -> None:
    call_command("load_reference_data", stdout=StringIO())
    if demo:
        call_command("load_demo_content", stdout=StringIO())


@contextmanager
def _module_data(django_db_blocker, demo: bool):
    """Load data once for a module, inside a transaction rolled back at the end.

    Each test's own transaction (``pytestmark = pytest.mark.django_db``) nests inside as a
    savepoint, so what a test changes is undone and the loaded data stays for the next test.
    Only for modules whose every test wants this data.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _load_site_data(demo)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def reference_site(django_db_setup, django_db_blocker):
    """The 15 organisations, coverage and programmes (load_reference_data), per module."""
    with _module_data(django_db_blocker, demo=False):
        yield


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """Reference data plus the demo case studies and resources, per module."""
    with _module_data(django_db_blocker, demo=True):
        yield


@pytest.fixture(scope="module")
def committed_demo_site(django_db_setup, django_db_blocker):
    """Demo data committed for a live server thread to read; the tables are emptied after.

    Browser tests use this with ``site_server`` instead of pytest-django's ``live_server``,
    which would empty the database after every test and force a reload each time.
    """
    name = connection.settings_dict["NAME"]
    if not str(name).startswith("test_"):
        pytest.fail(
            f"Refusing to flush {name!r}: mark the module's tests with pytest.mark.django_db "
            "so pytest-django switches to the test database."
        )
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        _load_site_data(demo=True)
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff accounts are created in most back-office tests; real hashing would dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_groups(db):
    """The Editor, Publisher and Network administrator groups, even after a flush."""
    ensure_role_groups()
