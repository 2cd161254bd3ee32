"""Create the three staff roles with their model permissions (defined in backoffice.roles).

Editors write and submit drafts; publishers also publish, schedule, unpublish and archive;
network administrators manage organisations, coverage, programmes, staff and roles.
"""

from django.db import migrations

from backoffice.roles import create_role_groups

def create_roles(apps, schema_editor):
    create_role_groups(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editor", "Publisher", "Network administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("backoffice", "0001_staff_profiles_and_history"),
        ("casestudies", "0002_backoffice_rich_text_uploads_publish_permission"),
        ("resources", "0002_backoffice_rich_text_uploads_publish_permission"),
        ("collaboratives", "0001_initial"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
