"""The CI check that refuses migrations unsafe on a live database without a reviewed note."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_migrations.py"

_spec = importlib.util.spec_from_file_location("check_migrations", SCRIPT)
check_migrations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_migrations)

INITIAL = """
from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name="Report",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("title", models.CharField(max_length=200)),
                ("summary", models.TextField(blank=True, null=True)),
                ("owner", models.ForeignKey(on_delete=models.CASCADE, to="auth.user")),
                ("pages", models.IntegerField(default=1)),
            ],
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["title"], name="report_title_idx"),
        ),
    ]
"""


def migration(*operations: str, header: str = "") -> str:
    body = ",\n        ".join(operations)
    return (
        f"{header}\nfrom django.db import migrations, models\n"
        "from django.contrib.postgres.operations import AddIndexConcurrently\n\n"
        "class Migration(migrations.Migration):\n"
        f"    operations = [\n        {body},\n    ]\n"
    )


def findings_after_initial(source: str) -> list[str]:
    schema = check_migrations.Schema()
    assert check_migrations.check_source(INITIAL, Path("0001_initial.py"), "app", schema) == []
    found = check_migrations.check_source(source, Path("0002_change.py"), "app", schema)
    return [finding.message for finding in found]


def test_creating_a_table_with_its_indexes_is_accepted():
    schema = check_migrations.Schema()
    assert check_migrations.check_source(INITIAL, Path("0001_initial.py"), "app", schema) == []


@pytest.mark.parametrize(
    ("operation", "complaint"),
    [
        ('migrations.RemoveField(model_name="report", name="summary")', "removes a column"),
        ('migrations.DeleteModel(name="Report")', "drops a table"),
        (
            'migrations.RenameField(model_name="report", old_name="title", new_name="name")',
            "renames a column",
        ),
        ('migrations.RenameModel(old_name="Report", new_name="Paper")', "renames a table"),
        ('migrations.RunSQL("UPDATE app_report SET title = upper(title)")', "raw SQL"),
        (
            'migrations.AddIndex(model_name="report", '
            'index=models.Index(fields=["summary"], name="report_summary_idx"))',
            "AddIndexConcurrently",
        ),
        (
            'migrations.AddField(model_name="report", name="code", '
            "field=models.CharField(max_length=10, unique=True, null=True))",
            "builds an index",
        ),
        (
            'migrations.AddField(model_name="report", name="editor", '
            'field=models.ForeignKey(null=True, on_delete=models.SET_NULL, to="auth.user"))',
            "builds an index",
        ),
        (
            'migrations.AlterField(model_name="report", name="summary", '
            "field=models.TextField(blank=True))",
            "NOT NULL without a default",
        ),
        (
            'migrations.AlterField(model_name="report", name="pages", '
            "field=models.CharField(max_length=10))",
            "from IntegerField to CharField",
        ),
    ],
)
def test_it_refuses_an_operation_that_is_unsafe_on_a_live_table(operation, complaint):
    messages = findings_after_initial(migration(operation))
    assert len(messages) == 1
    assert complaint in messages[0]


@pytest.mark.parametrize(
    "operation",
    [
        'migrations.AddField(model_name="report", name="notes", '
        'field=models.TextField(blank=True, default=""))',
        'migrations.AlterField(model_name="report", name="title", '
        'field=models.CharField(max_length=300, help_text="Shown as the heading"))',
        'migrations.AlterField(model_name="report", name="summary", '
        'field=models.TextField(blank=True, default=""))',
        'AddIndexConcurrently(model_name="report", '
        'index=models.Index(fields=["summary"], name="report_summary_idx"))',
        "migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)",
    ],
)
def test_it_accepts_an_operation_that_is_safe_on_a_live_table(operation):
    assert findings_after_initial(migration(operation)) == []


def test_a_reviewed_note_with_a_reason_accepts_an_unsafe_migration():
    header = "# migration-safety: reviewed - nothing has read Report.summary since release 1.4"
    source = migration('migrations.RemoveField(model_name="report", name="summary")', header=header)
    assert findings_after_initial(source) == []


def test_a_note_without_a_reason_is_not_enough():
    header = "# migration-safety: reviewed"
    source = migration('migrations.RemoveField(model_name="report", name="summary")', header=header)
    assert len(findings_after_initial(source)) == 1


def test_the_command_fails_naming_the_file_and_line(tmp_path):
    app = tmp_path / "reports" / "migrations"
    app.mkdir(parents=True)
    (app / "0001_initial.py").write_text(INITIAL)
    (app / "0002_drop.py").write_text(migration('migrations.DeleteModel(name="Report")'))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "0002_drop.py:7: DeleteModel drops a table" in result.stderr
    assert "migration-safety: reviewed" in result.stderr


def test_every_migration_in_the_repository_passes_the_check():
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
