"""Backups (make backup / make restore) restore into a scratch database with the same content."""

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.factories import CaseStudyFactory, ImpactFigureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "backup.sh"


def database_url(name: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    return f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def run(*args: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(database)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def cursor_on(database: str):
    settings = connection.settings_dict
    conn = psycopg2.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        dbname=database,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    with cursor_on("postgres") as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with cursor_on("postgres") as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(database: str) -> dict:
    with cursor_on(database) as cursor:
        cursor.execute("SELECT slug, name FROM programmes_programme ORDER BY slug")
        programmes = cursor.fetchall()
        cursor.execute("SELECT slug, title, status FROM casestudies_casestudy ORDER BY slug")
        case_studies = cursor.fetchall()
        cursor.execute("SELECT label, value FROM casestudies_impactfigure ORDER BY label")
        figures = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM django_migrations")
        migrations = cursor.fetchone()[0]
    return {
        "programmes": programmes,
        "case_studies": case_studies,
        "figures": figures,
        "migrations": migrations,
    }


def test_a_backup_restores_into_another_database_with_the_same_content(scratch_database, tmp_path):
    ProgrammeFactory(slug="maternity-and-neonatal", name="Maternity and neonatal")
    case_study = CaseStudyFactory(title="Magnesium sulphate for preterm labour")
    ImpactFigureFactory(case_study=case_study, label="eligible women given magnesium", value=84)
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "psc.dump"

    backup = run("backup", str(dump), database=source)
    assert backup.returncode == 0, backup.stderr
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restore = run("restore", str(dump), database=scratch_database)
    assert restore.returncode == 0, restore.stderr
    original = snapshot(source)
    assert snapshot(scratch_database) == original
    assert ("maternity-and-neonatal", "Maternity and neonatal") in original["programmes"]
    assert original["figures"] == [("eligible women given magnesium", 84)]


def test_restoring_over_existing_content_replaces_it(scratch_database, tmp_path):
    ProgrammeFactory(slug="mental-health", name="Mental health")
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "psc.dump"
    assert run("backup", str(dump), database=source).returncode == 0
    assert run("restore", str(dump), database=scratch_database).returncode == 0
    with cursor_on(scratch_database) as cursor:
        cursor.execute("UPDATE programmes_programme SET name = 'Changed after the backup'")
    again = run("restore", str(dump), database=scratch_database)
    assert again.returncode == 0, again.stderr
    assert snapshot(scratch_database) == snapshot(source)


def test_restore_refuses_without_a_file_to_restore(tmp_path):
    result = run("restore", str(tmp_path / "missing.dump"), database="postgres")
    assert result.returncode == 2
    assert "Cannot read" in result.stderr


def test_make_restore_asks_which_dump_to_restore():
    result = subprocess.run(
        ["make", "--no-print-directory", "restore"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "make restore BACKUP=" in result.stdout + result.stderr
