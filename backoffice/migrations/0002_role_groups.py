"""Create the three staff roles with their model permissions.

Editors write and submit drafts; publishers also publish, schedule, unpublish and archive;
network administrators manage organisations, coverage, programmes, staff and roles. Nobody
but a superuser may delete case studies or resources: they are archived instead.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "view", "delete")

EDITOR = {
    "casestudies": {
        "casestudy": ("add", "change", "view"),
        "impactfigure": CRUD,
        "quote": CRUD,
        "contact": CRUD,
        "theme": ("view",),
    },
    "resources": {"resource": ("add", "change", "view"), "topic": ("view",)},
    "collaboratives": {"organisation": ("view",)},
    "programmes": {"programme": ("view",), "workstream": ("view",), "caresetting": ("view",)},
}
PUBLISHER_EXTRA = {
    "casestudies": {"casestudy": ("publish",), "theme": ("add", "change")},
    "resources": {"resource": ("publish",), "topic": ("add", "change")},
}
NETWORK_ADMINISTRATOR = {
    "collaboratives": {m: CRUD for m in ("organisation", "contactdetail", "coverage")},
    "programmes": {
        m: CRUD for m in ("programme", "workstream", "measure", "principle", "caresetting")
    },
    "casestudies": {
        "casestudy": ("add", "change", "view", "publish"),
        "impactfigure": CRUD,
        "quote": CRUD,
        "contact": CRUD,
        "theme": CRUD,
    },
    "resources": {"resource": ("add", "change", "view", "publish"), "topic": CRUD},
    "auth": {"user": ("add", "change", "view"), "group": ("view",)},
    "backoffice": {"staffprofile": ("add", "change", "view")},
}


def _merge(*specs):
    merged = {}
    for spec in specs:
        for app, models in spec.items():
            for model, actions in models.items():
                merged.setdefault(app, {}).setdefault(model, set()).update(actions)
    return merged


def _permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    wanted = []
    for app, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app, codename=f"{action}_{model}"
                    )
                )
    return wanted


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, spec in (
        ("Editor", _merge(EDITOR)),
        ("Publisher", _merge(EDITOR, PUBLISHER_EXTRA)),
        ("Network administrator", _merge(NETWORK_ADMINISTRATOR)),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(apps, spec))


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
