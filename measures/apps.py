from django.apps import AppConfig

from core import extras


def measures_of(obj) -> dict:
    """The published measures linked to a programme or collaborative, rolled up."""
    # import here: measures.charts imports the models, which load after the app registry.
    from measures import charts

    return {"measures": charts.rollup(obj.improvement_measures.all())}


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Improvement measures"

    def ready(self):
        extras.provide("programmes.Programme", measures_of)
        extras.provide("collaboratives.Organisation", measures_of)
