from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib import admin
from django.db.models.signals import post_migrate

from core.roles import create_role_groups


def _ensure_role_groups(sender, **kwargs) -> None:
    create_role_groups(apps)


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Staff and roles"

    def ready(self) -> None:
        # `flush` (and test databases emptied between transactional tests) deletes the role
        # groups the migration created; post_migrate runs after both, so they come back.
        post_migrate.connect(_ensure_role_groups, sender=self)
        admin.site.site_header = f"PSC Portal – {settings.SITE_NAME} back-office"
        admin.site.site_title = f"{settings.SITE_NAME} back-office"
        admin.site.index_title = "Your work"
