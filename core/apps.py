from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks of the content apps; it has no models of its own."""

    name = "core"
    verbose_name = "Shared core"
