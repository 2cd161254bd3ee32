"""Accessible SVG drawings of XmR results: full charts, sparklines and the MDC icons.

Standard library only. The site's Content Security Policy forbids inline styles, so every
element carries classes only; ``static/css/mdc-charts.css`` gives them their colours. Output is
deterministic: the same result and arguments give the same string, ids included (they derive
from the title unless ``id_prefix`` is given).
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from measures.spc import (
    ASSURANCE_ICON_LABELS,
    FLAG_LABELS,
    VARIATION_ICON_LABELS,
    AssuranceIcon,
    Classification,
    SeriesResult,
    Side,
    VariationIcon,
    format_number,
    format_period,
    format_period_short,
)


def _attr(text: Any) -> str:
    return escape(str(text), quote=True)


def _n(number: float) -> str:
    """Coordinates to two decimals, so output is stable and small."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _ids(prefix: str | None, title: str, description: str) -> str:
    if prefix:
        return prefix
    digest = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:8]
    return f"mdc-{digest}"


def _point_classes(point: Any) -> str:
    classification = point.classification or "common"
    classes = ["mdc-point", f"mdc-point--{classification}"]
    classes += [f"mdc-point--{flag.replace('_', '-')}" for flag in point.flags]
    return " ".join(classes)


def _point_title(point: Any, result: SeriesResult, unit: str) -> str:
    text = f"{format_period(point.period, result.frequency)}: {format_number(point.value)}"
    if unit:
        text += f" {unit}"
    if point.classification is None:
        return text + ", common cause"
    if point.classification is Classification.NEITHER:
        kind = f"special cause ({point.side})"
    else:
        kind = f"special cause {point.classification}"
    return f"{text}, {kind}: {', '.join(FLAG_LABELS[flag] for flag in point.flags)}"


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _y_range(values: Iterable[float]) -> tuple[float, float]:
    values = list(values)
    low, high = min(values), max(values)
    if math.isclose(low, high):
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.05
    return low - pad, high + pad


def _annotation_pairs(annotations: Iterable[Any]) -> list[tuple[datetime.date, str]]:
    pairs = []
    for note in annotations:
        if hasattr(note, "period") and hasattr(note, "text"):
            pairs.append((note.period, str(note.text)))
        else:
            period, text = note
            pairs.append((period, str(text)))
    return sorted(pairs, key=lambda pair: pair[0])


def annotation_legend(
    annotations: Iterable[Any], frequency: str = "monthly"
) -> list[tuple[int, str, str]]:
    """(number, period wording, text) for each annotation, as numbered on the chart."""
    return [
        (number, format_period(period, frequency), text)
        for number, (period, text) in enumerate(_annotation_pairs(annotations), start=1)
    ]


def render_chart(
    result: SeriesResult,
    *,
    title: str,
    description: str,
    unit: str = "",
    target: float | None = None,
    annotations: Iterable[Any] = (),
    width: int = 720,
    height: int = 360,
    id_prefix: str | None = None,
) -> str:
    """A full XmR chart. ``annotations`` are ``(period, text)`` pairs or objects with those
    attributes; they are drawn as numbered markers and listed, numbered, in the ``<desc>``.
    ``target`` defaults to the result's own target.
    """
    prefix = _ids(id_prefix, title, description)
    target = result.target if target is None else float(target)
    notes = annotation_legend(annotations, result.frequency)
    desc = description.strip()
    if result.summary:
        desc = f"{desc} {result.summary}".strip()
    if notes:
        desc += " Notes: " + "; ".join(f"{n}. {when}: {text}" for n, when, text in notes) + "."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mdc-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]
    left, right, top, bottom = 72, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    if not result.points:
        out.append(
            f'<text class="mdc-empty" x="{_n(width / 2)}" y="{_n(height / 2)}" '
            f'text-anchor="middle">No data yet</text>'
        )
        out.append("</svg>")
        return "\n".join(out)

    ordinals = [point.period.toordinal() for point in result.points]
    first, last = ordinals[0], ordinals[-1]

    def x(period: datetime.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + (period.toordinal() - first) / (last - first) * plot_w

    extent = [point.value for point in result.points]
    for phase in result.phases:
        extent += [v for v in (phase.mean, phase.upper, phase.lower) if v is not None]
    if target is not None:
        extent.append(target)
    y_low, y_high = _y_range(extent)

    def y(value: float) -> float:
        return top + (y_high - value) / (y_high - y_low) * plot_h

    # Axes and gridlines.
    out.append('<g class="mdc-axis mdc-axis--y">')
    for tick in _nice_ticks(y_low, y_high):
        ty = _n(y(tick))
        out.append(
            f'<line class="mdc-grid" x1="{left}" x2="{left + plot_w}" y1="{ty}" y2="{ty}"/>'
            f'<text class="mdc-tick-label" x="{left - 6}" y="{ty}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(format_number(tick))}</text>'
        )
    if unit:
        cx, cy = 14, top + plot_h / 2
        out.append(
            f'<text class="mdc-axis-label" x="{cx}" y="{_n(cy)}" text-anchor="middle" '
            f'transform="rotate(-90 {cx} {_n(cy)})">{escape(unit)}</text>'
        )
    out.append("</g>")
    out.append('<g class="mdc-axis mdc-axis--x">')
    out.append(
        f'<line class="mdc-axis-line" x1="{left}" x2="{left + plot_w}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    step = max(1, math.ceil(len(result.points) / 6))
    for point in result.points[::step]:
        tx = _n(x(point.period))
        out.append(
            f'<line class="mdc-tick" x1="{tx}" x2="{tx}" y1="{top + plot_h}" '
            f'y2="{top + plot_h + 5}"/>'
            f'<text class="mdc-tick-label" x="{tx}" y="{top + plot_h + 20}" '
            f'text-anchor="middle">{escape(format_period_short(point.period, result.frequency))}'
            "</text>"
        )
    out.append("</g>")

    # Mean, limits and sigma lines per phase, with a break between phases.
    for phase in result.phases:
        x1, x2 = _n(x(phase.start)), _n(x(phase.end))
        if phase.index > 0:
            previous = result.phases[phase.index - 1]
            bx = _n((x(previous.end) + x(phase.start)) / 2)
            out.append(
                f'<line class="mdc-phase-break" x1="{bx}" x2="{bx}" y1="{top}" '
                f'y2="{top + plot_h}"/>'
            )
        reliability = "" if phase.limits_reliable else " mdc-unreliable"
        out.append(f'<g class="mdc-phase{reliability}">')
        lines = [
            ("mdc-sigma mdc-sigma--one", phase.upper_one_sigma),
            ("mdc-sigma mdc-sigma--one", phase.lower_one_sigma),
            ("mdc-sigma mdc-sigma--two", phase.upper_two_sigma),
            ("mdc-sigma mdc-sigma--two", phase.lower_two_sigma),
            ("mdc-limit mdc-limit--upper", phase.upper),
            ("mdc-limit mdc-limit--lower", phase.lower),
            ("mdc-mean", phase.mean),
        ]
        for css, value in lines:
            if value is None:
                continue
            ly = _n(y(value))
            out.append(f'<line class="{css}" x1="{x1}" x2="{x2}" y1="{ly}" y2="{ly}"/>')
        out.append("</g>")

    if target is not None:
        ty = _n(y(target))
        out.append(
            f'<line class="mdc-target" x1="{left}" x2="{left + plot_w}" y1="{ty}" y2="{ty}">'
            f"<title>Target: {escape(format_number(target))}</title></line>"
        )

    coordinates = " ".join(f"{_n(x(p.period))},{_n(y(p.value))}" for p in result.points)
    out.append(f'<polyline class="mdc-line" points="{coordinates}"/>')
    out.append('<g class="mdc-points">')
    for point in result.points:
        out.append(
            f'<circle class="{_point_classes(point)}" cx="{_n(x(point.period))}" '
            f'cy="{_n(y(point.value))}" r="4">'
            f"<title>{escape(_point_title(point, result, unit))}</title></circle>"
        )
    out.append("</g>")

    if notes:
        out.append('<g class="mdc-annotations">')
        for number, (period, text) in enumerate(_annotation_pairs(annotations), start=1):
            ax = _n(x(period))
            out.append(
                f'<g class="mdc-annotation">'
                f"<title>Note {number}: {escape(text)}</title>"
                f'<line class="mdc-annotation-line" x1="{ax}" x2="{ax}" y1="{top + 10}" '
                f'y2="{top + plot_h}"/>'
                f'<circle class="mdc-annotation-marker" cx="{ax}" cy="{top + 8}" r="8"/>'
                f'<text class="mdc-annotation-number" x="{ax}" y="{top + 8}" '
                f'text-anchor="middle" dominant-baseline="central">{number}</text></g>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def render_small_chart(
    result: SeriesResult,
    *,
    title: str,
    width: int = 160,
    height: int = 40,
    id_prefix: str | None = None,
) -> str:
    """A sparkline for listing pages: the values, the latest phase's mean and limits, and the
    special-cause points. The result's summary is its description."""
    prefix = _ids(id_prefix, title, "small")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mdc-chart mdc-chart--small" '
        f'role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(result.summary)}</desc>',
    ]
    if result.points:
        pad = 4
        ordinals = [point.period.toordinal() for point in result.points]
        span = (ordinals[-1] - ordinals[0]) or 1
        phase = result.phases[-1]
        extent = [point.value for point in result.points]
        extent += [v for v in (phase.mean, phase.upper, phase.lower) if v is not None]
        y_low, y_high = _y_range(extent)

        def x(period: datetime.date) -> float:
            if len(ordinals) == 1:
                return width / 2
            return pad + (period.toordinal() - ordinals[0]) / span * (width - 2 * pad)

        def y(value: float) -> float:
            return pad + (y_high - value) / (y_high - y_low) * (height - 2 * pad)

        x1, x2 = _n(x(phase.start)), _n(x(phase.end))
        for css, value in (
            ("mdc-limit", phase.upper),
            ("mdc-limit", phase.lower),
            ("mdc-mean", phase.mean),
        ):
            if value is not None:
                out.append(
                    f'<line class="{css}" x1="{x1}" x2="{x2}" y1="{_n(y(value))}" '
                    f'y2="{_n(y(value))}"/>'
                )
        coordinates = " ".join(f"{_n(x(p.period))},{_n(y(p.value))}" for p in result.points)
        out.append(f'<polyline class="mdc-line" points="{coordinates}"/>')
        for point in result.points:
            if point.flags or point is result.points[-1]:
                out.append(
                    f'<circle class="{_point_classes(point)}" cx="{_n(x(point.period))}" '
                    f'cy="{_n(y(point.value))}" r="2.5"/>'
                )
    out.append("</svg>")
    return "\n".join(out)


# Icons -------------------------------------------------------------------------------------

_ICON_CLASS = {
    VariationIcon.COMMON_CAUSE: "common",
    VariationIcon.IMPROVEMENT_HIGH: "improvement",
    VariationIcon.IMPROVEMENT_LOW: "improvement",
    VariationIcon.CONCERN_HIGH: "concern",
    VariationIcon.CONCERN_LOW: "concern",
    VariationIcon.NEITHER_HIGH: "neither",
    VariationIcon.NEITHER_LOW: "neither",
    AssuranceIcon.PASS: "pass",
    AssuranceIcon.FAIL: "fail",
    AssuranceIcon.HIT_AND_MISS: "hit-and-miss",
}


def _icon(kind: str, modifier: str, label: str, body: Sequence[str], size: int) -> str:
    # aria-label rather than aria-labelledby: a page may show the same icon many times, and
    # repeated ids would be invalid.
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="mdc-icon mdc-icon--{kind} '
            f'mdc-icon--{modifier}" role="img" viewBox="0 0 40 40" width="{size}" '
            f'height="{size}" aria-label="{_attr(label)}">',
            f"<title>{escape(label)}</title>",
            '<circle class="mdc-icon-ring" cx="20" cy="20" r="18"/>',
            *body,
            "</svg>",
        ]
    )


def _letter(letter: str) -> str:
    return (
        '<text class="mdc-icon-letter" x="20" y="21" text-anchor="middle" '
        f'dominant-baseline="central">{escape(letter)}</text>'
    )


def variation_icon_svg(icon: str | None, *, size: int = 40) -> str:
    """The MDC variation icon; an empty string for ``None`` (an empty series)."""
    if icon is None:
        return ""
    icon = VariationIcon(icon)
    if icon is VariationIcon.COMMON_CAUSE:
        body = ['<polyline class="mdc-icon-line" points="9,22 14,18 19,23 24,17 29,22 32,19"/>']
    else:
        body = [_letter("H" if icon.endswith(Side.HIGH) else "L")]
    return _icon("variation", _ICON_CLASS[icon], VARIATION_ICON_LABELS[icon], body, size)


def assurance_icon_svg(icon: str | None, *, size: int = 40) -> str:
    """The MDC assurance icon; an empty string for ``None`` (no assurance can be given)."""
    if icon is None:
        return ""
    icon = AssuranceIcon(icon)
    letter = {AssuranceIcon.PASS: "P", AssuranceIcon.FAIL: "F", AssuranceIcon.HIT_AND_MISS: "?"}
    return _icon(
        "assurance", _ICON_CLASS[icon], ASSURANCE_ICON_LABELS[icon], [_letter(letter[icon])], size
    )
