"""Create the three staff roles with their model permissions (defined in core.roles), and the
database cache table that sign-in rate limits use when there is no Redis.

Editors write and submit drafts; publishers also publish, schedule, unpublish and archive;
network administrators manage organisations, coverage, programmes, staff and roles.
``createcachetable`` does nothing when the configured cache is not a database cache.
"""

from django.core.management import call_command
from django.db import migrations

from core.roles import ROLES, create_role_groups


def create_roles(apps, schema_editor):
    create_role_groups(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("backoffice", "0001_initial"),
        ("casestudies", "0001_initial"),
        ("resources", "0001_initial"),
        ("collaboratives", "0001_initial"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
