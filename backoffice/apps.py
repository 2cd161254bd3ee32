from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Staff and roles"

    def ready(self):
        from backoffice import signals  # noqa: F401  (connects the receivers)
