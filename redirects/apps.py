from django.apps import AppConfig, apps
from django.db.models.signals import post_save, pre_save


class RedirectsConfig(AppConfig):
    name = "redirects"
    verbose_name = "Redirects"

    def ready(self) -> None:
        # import here: signal handlers use the models, which load after the app registry.
        from core.publishing import Publishable

        # import here: as above (the handlers read the Redirect model).
        from redirects import signals

        for model in apps.get_models():
            has_slug = any(field.name == "slug" for field in model._meta.fields)
            if issubclass(model, Publishable) and has_slug and hasattr(model, "get_absolute_url"):
                uid = f"redirects-{model._meta.label_lower}"
                pre_save.connect(signals.remember_old_address, sender=model, dispatch_uid=uid)
                post_save.connect(signals.write_redirect, sender=model, dispatch_uid=uid)
