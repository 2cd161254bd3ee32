import pytest
from django.apps import apps

from backoffice.roles import create_role_groups
from tests.staff import add_totp, sign_in


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


@pytest.fixture(autouse=True)
def _unhashed_static_files(settings):
    """Content-hashed static names need collectstatic first; tests use the plain names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff accounts are created in most back-office tests; real hashing would dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _role_groups(django_db_setup, django_db_blocker):
    """The role groups come from a migration; a transactional test's flush removes them and
    --reuse-db keeps that flushed database for the next run, so restore them once per run."""
    with django_db_blocker.unblock():
        create_role_groups(apps)
