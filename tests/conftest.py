import pytest


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="correct-horse-battery-staple"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


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
