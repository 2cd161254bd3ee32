from django.apps import AppConfig


class CollaborativesConfig(AppConfig):
    name = "collaboratives"
    verbose_name = "Collaboratives and coverage"
