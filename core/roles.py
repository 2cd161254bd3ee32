"""The three staff roles, their permissions, and the questions the admin asks about a user.

The role groups are created by a migration (``backoffice/migrations/0002_role_groups.py``)
that calls ``create_role_groups``; a later migration calling it again applies changes here.
Nobody but a superuser may delete case studies, resources or measures: they are archived instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.management import create_permissions

if TYPE_CHECKING:  # the models cannot be imported while apps load (backoffice's AppConfig)
    from django.contrib.auth.models import AnonymousUser, User

EDITOR = "Editor"
PUBLISHER = "Publisher"
NETWORK_ADMINISTRATOR = "Network administrator"
ROLES = (EDITOR, PUBLISHER, NETWORK_ADMINISTRATOR)

CRUD = ("add", "change", "view", "delete")

EDITOR_PERMISSIONS = {
    "casestudies": {
        "casestudy": ("add", "change", "view"),
        "impactfigure": CRUD,
        "quote": CRUD,
        "contact": CRUD,
        "theme": ("view",),
    },
    "resources": {"resource": ("add", "change", "view"), "topic": ("view",)},
    "events": {"event": ("add", "change", "view")},
    "contact": {"contactmessage": ("change", "view")},
    "measures": {"measure": ("add", "change", "view"), "datapoint": CRUD, "phasechange": CRUD},
    "collaboratives": {"organisation": ("view",)},
    "programmes": {"programme": ("view",), "workstream": ("view",), "caresetting": ("view",)},
    # Counts per search only; addresses are shown to network administrators alone.
    "alerts": {"subscription": ("view",)},
}
PUBLISHER_EXTRA_PERMISSIONS = {
    "casestudies": {"casestudy": ("publish",), "theme": ("add", "change")},
    "resources": {"resource": ("publish",), "topic": ("add", "change")},
    "events": {"event": ("publish",)},
    "measures": {"measure": ("publish",)},
}
NETWORK_ADMINISTRATOR_PERMISSIONS = {
    "collaboratives": dict.fromkeys(("organisation", "contactdetail", "coverage"), CRUD),
    "postcodes": {
        "icb": CRUD,
        "icbmapping": CRUD,
        "postcoderelease": ("view",),
        "postcode": ("view",),
    },
    "programmes": dict.fromkeys(
        ("programme", "workstream", "measure", "principle", "caresetting"), CRUD
    ),
    "casestudies": {
        "casestudy": ("add", "change", "view", "publish"),
        "impactfigure": CRUD,
        "quote": CRUD,
        "contact": CRUD,
        "theme": CRUD,
    },
    "resources": {"resource": ("add", "change", "view", "publish"), "topic": CRUD},
    "events": {"event": ("add", "change", "view", "publish")},
    "contact": {"contactmessage": ("change", "view", "delete")},
    "redirects": {"redirect": CRUD},
    "measures": {
        "measure": ("add", "change", "view", "publish"),
        "datapoint": CRUD,
        "phasechange": CRUD,
    },
    "auth": {"user": ("add", "change", "view"), "group": ("view",)},
    "backoffice": {"staffprofile": ("add", "change", "view")},
    "alerts": {"subscription": ("view", "delete")},
}


def _merge(*specs):
    merged = {}
    for spec in specs:
        for app, models in spec.items():
            for model, actions in models.items():
                merged.setdefault(app, {}).setdefault(model, set()).update(actions)
    return merged


def _has_model(apps, app: str, model: str) -> bool:
    try:
        apps.get_model(app, model)
    except LookupError:
        return False
    return True


def _permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    wanted = []
    for app, models in spec.items():
        for model, actions in models.items():
            # An app added after the role migration has no tables yet when it runs on a new
            # database; the post_migrate hook (backoffice.apps) grants its permissions after.
            if not _has_model(apps, app, model):
                continue
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app, codename=f"{action}_{model}"
                    )
                )
    return wanted


def create_role_groups(apps) -> None:
    """Create or update the three role groups with exactly their permissions.

    ``apps`` is a migration's app registry or ``django.apps.apps``. Permissions are created
    first because a fresh database only gets them after all migrations have run.
    """
    for app_config in apps.get_app_configs():
        # A migration's registry has no models modules, which create_permissions skips.
        missing = getattr(app_config, "models_module", None) is None
        if missing:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if missing:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, spec in (
        (EDITOR, _merge(EDITOR_PERMISSIONS)),
        (PUBLISHER, _merge(EDITOR_PERMISSIONS, PUBLISHER_EXTRA_PERMISSIONS)),
        (NETWORK_ADMINISTRATOR, _merge(NETWORK_ADMINISTRATOR_PERMISSIONS)),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(apps, spec))


def _group_names(user) -> set[str]:
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._role_names = cached
    return cached


def is_network_administrator(user: User | AnonymousUser) -> bool:
    """Network administrators (and superusers) work across every collaborative."""
    return user.is_superuser or NETWORK_ADMINISTRATOR in _group_names(user)


def organisation_id_of(user: User | AnonymousUser) -> int | None:
    """The collaborative a staff member belongs to, or None."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.organisation_id if profile else None


def can_publish(user: User, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def in_scope(user: User, obj) -> bool:
    """May this user see an item owned by ``obj.organisation`` in the admin?"""
    if is_network_administrator(user):
        return True
    org = organisation_id_of(user)
    return org is not None and obj.organisation_id == org
