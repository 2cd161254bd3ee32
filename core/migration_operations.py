"""Migration operations shared by the apps."""

import datetime

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations.operations import AddIndex
from django.utils import timezone

from core.models import default_review_by


class PostgresOnlySQL(migrations.RunSQL):
    """Raw SQL that only PostgreSQL needs (full-text triggers, GIN indexes).

    The SQLite quick start skips it: there search falls back to simple matching.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_review_dates(app_label: str, model_name: str, start_field: str | None = None):
    """A RunPython that gives existing rows a review-by date: REVIEW_INTERVAL_MONTHS after
    ``start_field`` (a date or date-time), or after today when there is none."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        today = timezone.localdate()
        for row in model._default_manager.filter(review_by__isnull=True).iterator():
            start = getattr(row, start_field) if start_field else None
            if isinstance(start, datetime.datetime):
                start = timezone.localdate(start)
            row.review_by = default_review_by(start or today)
            row.save(update_fields=["review_by"])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL (no write lock while it builds); a plain index on
    the SQLite quick start, which has no concurrent builds. Needs ``atomic = False``."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
