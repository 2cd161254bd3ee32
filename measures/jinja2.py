"""What the measures app adds to the site's Jinja2 environment (see settings.TEMPLATES).

Pages of the apps below this one (programmes, collaboratives) get their roll-up of measures
from their views (``core.extras``, filled by ``measures.apps``) and draw it with these
globals, so they never import this app:

- ``measure_chart(measure, small=True)``: the chart as inline SVG.
- ``measure_icons(measure, size=40)``: the variation and assurance icons with their labels.
- ``measure_period(date, frequency)``: "March 2021", "April to June 2021", "3 March 2021".
"""

from jinja2.ext import Extension

from measures import charts, spc


class MeasuresExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["measure_chart"] = measure_chart
        environment.globals["measure_icons"] = charts.measure_icons
        environment.globals["measure_period"] = spc.format_period


def measure_chart(measure, small: bool = True):
    return charts.chart(measure, small=small)
