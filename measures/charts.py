"""What pages show of a measure: its charts, icons, data table rows and roll-ups.

Pages that show several measures fetch them through ``with_series`` so that every measure's
data points come in one query (and their recalculations in one more), however many there are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from markupsafe import Markup

from measures import spc, svg
from measures.models import DataPoint, Measure, PhaseChange


def with_series(queryset: QuerySet) -> QuerySet:
    """The measures with their points (in period order) and recalculations prefetched."""
    return queryset.prefetch_related(
        Prefetch("data_points", queryset=DataPoint.objects.order_by("period")),
        Prefetch("phase_changes", queryset=PhaseChange.objects.order_by("date")),
    )


def annotations(measure: Measure) -> list[DataPoint]:
    return [point for point in measure.data_points.all() if point.annotation.strip()]


def chart(measure: Measure, *, small: bool = False) -> Markup:
    """The measure's chart as inline SVG (``measures.svg`` escapes everything it writes)."""
    result = measure.analysis()
    if small:
        return Markup(
            svg.render_small_chart(
                result, title=f"Chart of {measure.name}", id_prefix=f"measure-{measure.pk}-small"
            )
        )
    description = result.summary + " Every value is listed in the data table below the chart."
    return Markup(
        svg.render_chart(
            result,
            title=f"{measure.name}: XmR chart",
            description=description,
            unit=measure.unit,
            target=None if result.target is None else result.target,
            annotations=annotations(measure),
            id_prefix=f"measure-{measure.pk}",
        )
    )


@dataclasses.dataclass(frozen=True)
class Icons:
    variation_svg: Markup
    variation_label: str
    assurance_svg: Markup
    assurance_label: str


def icons(result: spc.SeriesResult, *, size: int = 40) -> Icons:
    """The two MDC icons with their text equivalents (shown beside them, not only as alt)."""
    if result.variation_icon is None:
        variation_label = "No data yet"
    else:
        variation_label = spc.VARIATION_ICON_LABELS[result.variation_icon]
    if result.assurance_icon is not None:
        assurance_label = spc.ASSURANCE_ICON_LABELS[result.assurance_icon]
    elif result.target is None:
        assurance_label = "No target: no assurance to give"
    elif result.direction is spc.Direction.NEITHER:
        assurance_label = "No assurance: no direction is better"
    else:
        assurance_label = "No assurance yet: too few points for reliable limits"
    return Icons(
        Markup(svg.variation_icon_svg(result.variation_icon, size=size)),
        variation_label,
        Markup(svg.assurance_icon_svg(result.assurance_icon, size=size)),
        assurance_label,
    )


def measure_icons(measure: Measure, size: int = 40) -> Icons:
    return icons(measure.analysis(), size=size)


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a measure's data table and CSV."""

    point: DataPoint
    result: spc.PointResult

    @property
    def flag_labels(self) -> list[str]:
        return [spc.FLAG_LABELS[flag] for flag in self.result.flags]

    @property
    def verdict(self) -> str:
        classification = self.result.classification
        if classification is None:
            return "Common cause"
        if classification is spc.Classification.NEITHER:
            return f"Special cause ({self.result.side})"
        return f"Special cause {classification}"


def rows(measure: Measure) -> list[Row]:
    by_period = {point.period: point for point in measure.data_points.all()}
    return [Row(by_period[result.period], result) for result in measure.analysis().points]


@dataclasses.dataclass
class Rollup:
    """Published measures with their latest icons, and how many are improving."""

    measures: list[Measure]

    def _count(self, *icons: spc.VariationIcon | None) -> int:
        return sum(1 for m in self.measures if m.analysis().variation_icon in icons)

    @property
    def improving(self) -> int:
        return self._count(spc.VariationIcon.IMPROVEMENT_HIGH, spc.VariationIcon.IMPROVEMENT_LOW)

    @property
    def concerning(self) -> int:
        return self._count(spc.VariationIcon.CONCERN_HIGH, spc.VariationIcon.CONCERN_LOW)

    @property
    def common_cause(self) -> int:
        return self._count(spc.VariationIcon.COMMON_CAUSE)

    @property
    def any_illustrative(self) -> bool:
        return any(measure.is_illustrative for measure in self.measures)

    @property
    def sentence(self) -> str:
        """ "9 measures: 4 improving, 5 common cause, 0 concerning"."""
        total = len(self.measures)
        parts = [
            f"{self.improving} improving",
            f"{self.common_cause} common cause",
            f"{self.concerning} concerning",
        ]
        neither = self._count(spc.VariationIcon.NEITHER_HIGH, spc.VariationIcon.NEITHER_LOW)
        if neither:
            parts.append(f"{neither} special cause with no better direction")
        empty = self._count(None)
        if empty:
            parts.append(f"{empty} with no data yet")
        return f"{total} {'measure' if total == 1 else 'measures'}: {', '.join(parts)}"

    def __bool__(self) -> bool:
        return bool(self.measures)

    def __iter__(self):
        return iter(self.measures)


def rollup(measures: QuerySet | Iterable[Measure]) -> Rollup:
    """A roll-up of the published ones among ``measures`` (a queryset, such as a reverse
    relation, is fetched with its series in three queries)."""
    if isinstance(measures, QuerySet):
        measures = with_series(measures.published().select_related("organisation")).order_by(
            "name", "pk"
        )
        return Rollup(list(measures))
    return Rollup([measure for measure in measures if measure.is_public])
