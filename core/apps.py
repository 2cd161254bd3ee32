from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from psc_portal.caching import content_changed


def connect_content_signals() -> None:
    """Any saved, deleted or re-linked row of public content invalidates the page cache.

    Every model of the apps in settings.PUBLIC_CONTENT_APPS, their many-to-many link tables
    included (m2m_changed is sent by the link table), but not their history tables, which
    change only together with the row they record.
    """
    for label in settings.PUBLIC_CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if hasattr(model, "instance_type"):  # django-simple-history's historical model
                continue
            uid = f"content-changed:{model._meta.label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
            m2m_changed.connect(content_changed, sender=model, dispatch_uid=uid)


class CoreConfig(AppConfig):
    """Shared building blocks of the content apps; it has no models of its own."""

    name = "core"
    verbose_name = "Shared core"

    def ready(self):
        connect_content_signals()
