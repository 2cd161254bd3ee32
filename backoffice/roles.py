"""The three staff roles and the questions the admin asks about a user.

Role groups and their permissions are created by a migration
(``backoffice/migrations/0002_role_groups.py``); this module only reads them.
"""

from django.contrib.auth.models import AnonymousUser, User

EDITOR = "Editor"
PUBLISHER = "Publisher"
NETWORK_ADMINISTRATOR = "Network administrator"
ROLES = (EDITOR, PUBLISHER, NETWORK_ADMINISTRATOR)


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
