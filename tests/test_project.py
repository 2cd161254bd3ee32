"""Project-wide guards: migrations, configuration and the SQLite quick start."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_tests_run_on_postgres():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_no_migrations_are_pending():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _run_django(args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = _run_django(
        ["check"], {"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "example.org"}, tmp_path
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts(tmp_path):
    result = _run_django(
        ["check"], {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": ""}, tmp_path
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_is_refused_loudly(tmp_path):
    result = _run_django(["check"], {"DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_quick_start_works_on_sqlite(tmp_path):
    """migrate + reference data + demo data on an SQLite file, twice (the second run keeps data)."""
    env = {
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for _ in range(2):
        for command in (["migrate", "--noinput"], ["load_reference_data"], ["load_demo_content"]):
            result = _run_django(command, env, tmp_path)
            assert result.returncode == 0, result.stderr
    check = _run_django(
        [
            "shell",
            "--verbosity=0",
            "-c",
            "from casestudies.models import CaseStudy;print(CaseStudy.objects.published().count())",
        ],
        env,
        tmp_path,
    )
    assert check.returncode == 0, check.stderr
    assert int(check.stdout.strip()) >= 8


def test_an_unconfigured_manage_py_says_what_is_missing_in_one_line_for_any_command():
    """With nothing but a PATH (as a fresh shell or a hook has), every command, not only those
    that read the settings early, names the missing setting instead of a traceback."""
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, command
        assert result.stderr.strip().startswith("Configuration error: DEBUG is off: set SECRET_KEY")
