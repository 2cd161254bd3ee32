"""XmR statistical process control as NHS England's "Making Data Count" (MDC) defines it.

Pure Python, standard library only, so the admin, the public pages and the API can all call it.
``analyse()`` does everything in one call and returns frozen dataclasses.

Conventions, and where they come from (NHSRplotthedots is the NHS-R community's reference
implementation of MDC in R; "as NHSRplotthedots" means the same result as ``ptd_spc()``):

Limits
    Per phase: the mean of the phase's points (or of its first ``baseline`` points), the mean of
    the moving ranges between consecutive points used for the mean, and process limits at
    mean ± 2.66 × mean moving range. The 1σ and 2σ lines sit at a third and two thirds of that
    distance. Moving ranges never cross a phase boundary.
Moving-range screening
    As NHSRplotthedots (``screen_outliers = TRUE`` is its default): a moving range of 3.267 ×
    the mean moving range or more is dropped and the mean moving range recalculated once.
    ``Settings(screen_outliers=False)`` turns this off (the NHS England Excel tool and abspc do
    not screen). When the mean moving range is zero there is nothing to screen.
Beyond a limit
    A value strictly above the upper or strictly below the lower process limit.
Shift
    ``shift_length`` (default 7) or more consecutive points on the same side of the mean; every
    point of the run is flagged. A point exactly on the mean belongs to neither side and breaks
    the run (as NHSRplotthedots).
Trend
    ``trend_length`` (default 7) or more consecutive points each strictly higher (or strictly
    lower) than the one before; every point of the run is flagged. Two equal consecutive values
    break a trend (as NHSRplotthedots). A trend point is high or low by the direction of the
    trend, not by its side of the mean; a point at the turn of a rising and a falling trend takes
    the direction of the later one (as NHSRplotthedots).
Two out of three
    As NHSRplotthedots: a point is "close to a limit" when it is beyond a 2σ line but not beyond
    the process limit (those are already flagged as beyond a limit). In any three consecutive
    points that all lie on the same side of the mean, two or more close to the limit on that side
    qualify; the close points of every qualifying triple are flagged, the third point is not.
Classification
    A flagged point's side comes, in this order, from a limit it is beyond, the trend it is part
    of, or its side of the mean. Its classification is improvement or concern by the improvement
    direction, or ``neither`` when the direction is ``neither``.
Icons
    The variation icon describes the latest point only: common cause unless that point is flagged.
    The assurance icon compares the target with the latest phase's limits (strict comparisons, as
    NHSRplotthedots: a target exactly on a limit is hit and miss). No assurance without a target,
    with direction ``neither``, or when the latest phase's limits are unreliable.
Reliability
    Limits computed from fewer than ``min_reliable_points`` (default 12) points are still
    computed and drawn, but the phase says ``limits_reliable=False`` and gives no assurance.

Edge cases
    * An empty series gives a result with no points, no phases and no icons.
    * A phase of one point has no moving range: its limits and σ lines are ``None``, so no point
      in it can be beyond a limit or close to one. Shifts and trends are impossible anyway.
    * All values equal: the mean moving range is zero and the limits collapse onto the mean. No
      point is strictly beyond them and every point is on the mean, so nothing is flagged.
    * Two points for one period raise ``ValueError`` naming the period; NaN and infinity raise
      ``ValueError`` naming the period. Negative values are fine.
    * Input in any order is sorted by period. Gaps are allowed: moving ranges run between
      consecutive recorded points. ``missing_periods()`` lists the gaps for a frequency.
    * A rebase date starts a new phase at the first point on or after it; dates at or before the
      first point, after the last point or landing on the same point as another are ignored.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import enum
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

# 3 / d2 for subgroups of two (d2 = 1.128), rounded as MDC and NHSRplotthedots round it.
LIMIT_FACTOR = 2.66
# D4 for subgroups of two: the upper limit of the moving-range chart, used for screening.
MOVING_RANGE_SCREEN_FACTOR = 3.267


class Direction(enum.StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NEITHER = "neither"


class Flag(enum.StrEnum):
    BEYOND_LIMIT = "beyond_limit"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


class Classification(enum.StrEnum):
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"


class Side(enum.StrEnum):
    HIGH = "high"
    LOW = "low"


class VariationIcon(enum.StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"


class AssuranceIcon(enum.StrEnum):
    PASS = "consistent_pass"
    FAIL = "consistent_fail"
    HIT_AND_MISS = "hit_and_miss"


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


FLAG_LABELS = {
    Flag.BEYOND_LIMIT: "beyond a process limit",
    Flag.SHIFT: "shift",
    Flag.TREND: "trend",
    Flag.TWO_OF_THREE: "two of three close to a limit",
}

VARIATION_ICON_LABELS = {
    VariationIcon.COMMON_CAUSE: "Common cause variation",
    VariationIcon.IMPROVEMENT_HIGH: "Special cause improving variation (high)",
    VariationIcon.IMPROVEMENT_LOW: "Special cause improving variation (low)",
    VariationIcon.CONCERN_HIGH: "Special cause concerning variation (high)",
    VariationIcon.CONCERN_LOW: "Special cause concerning variation (low)",
    VariationIcon.NEITHER_HIGH: "Special cause variation (high)",
    VariationIcon.NEITHER_LOW: "Special cause variation (low)",
}

ASSURANCE_ICON_LABELS = {
    AssuranceIcon.PASS: "Consistently passing the target",
    AssuranceIcon.FAIL: "Consistently failing the target",
    AssuranceIcon.HIT_AND_MISS: "Hit and miss: the target may or may not be met",
}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Rule settings. Some trusts use runs of 6 for shifts and trends."""

    shift_length: int = 7
    trend_length: int = 7
    min_reliable_points: int = 12
    screen_outliers: bool = True

    def __post_init__(self) -> None:
        for name in ("shift_length", "trend_length", "min_reliable_points"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 2:
                raise ValueError(f"{name} must be a whole number of at least 2, not {value!r}.")


DEFAULT_SETTINGS = Settings()


@dataclasses.dataclass(frozen=True)
class PointResult:
    period: datetime.date
    value: float
    phase: int
    mean: float
    upper: float | None
    lower: float | None
    moving_range: float | None
    in_baseline: bool
    flags: tuple[Flag, ...]
    classification: Classification | None
    side: Side | None

    @property
    def is_special_cause(self) -> bool:
        return bool(self.flags)


@dataclasses.dataclass(frozen=True)
class PhaseResult:
    """One stretch of points sharing a mean and limits (a rebase starts a new one)."""

    index: int
    start: datetime.date
    end: datetime.date
    point_count: int
    baseline_count: int
    mean: float
    mean_moving_range: float | None
    screened_moving_ranges: int
    upper: float | None
    lower: float | None
    upper_one_sigma: float | None
    lower_one_sigma: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None
    limits_reliable: bool


@dataclasses.dataclass(frozen=True)
class SeriesResult:
    points: tuple[PointResult, ...]
    phases: tuple[PhaseResult, ...]
    direction: Direction
    target: float | None
    frequency: Frequency
    settings: Settings
    variation_icon: VariationIcon | None
    assurance_icon: AssuranceIcon | None
    summary: str

    @property
    def latest(self) -> PointResult | None:
        return self.points[-1] if self.points else None


def analyse(
    points: Iterable[Any],
    *,
    direction: str,
    target: float | Decimal | None = None,
    rebase_dates: Iterable[datetime.date] = (),
    baseline: int | None = None,
    frequency: str = Frequency.MONTHLY,
    settings: Settings = DEFAULT_SETTINGS,
) -> SeriesResult:
    """Analyse a series of ``(period, value)`` pairs (or objects with ``period`` and ``value``).

    ``baseline`` limits each phase's mean and limits to its first ``baseline`` points; the
    rules still run over every point of the phase.
    """
    direction = Direction(direction)
    frequency = Frequency(frequency)
    if baseline is not None and (not isinstance(baseline, int) or baseline < 1):
        raise ValueError(f"The baseline must be a positive whole number, not {baseline!r}.")
    target_value = None if target is None else _finite(target, "The target")
    series = _clean(points)

    starts = _phase_starts(series, rebase_dates)
    stops = [*starts[1:], len(series)] if starts else []
    point_results: list[PointResult] = []
    phase_results: list[PhaseResult] = []
    for index, (begin, end) in enumerate(zip(starts, stops, strict=True)):
        phase, points_in_phase = _analyse_phase(
            index, series[begin:end], direction, baseline, settings
        )
        phase_results.append(phase)
        point_results.extend(points_in_phase)

    variation = _variation_icon(point_results)
    assurance = _assurance_icon(phase_results, direction, target_value)
    partial = SeriesResult(
        points=tuple(point_results),
        phases=tuple(phase_results),
        direction=direction,
        target=target_value,
        frequency=frequency,
        settings=settings,
        variation_icon=variation,
        assurance_icon=assurance,
        summary="",
    )
    return dataclasses.replace(partial, summary=summarise(partial))


# Input -------------------------------------------------------------------------------------


def _finite(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} is not a number: {value!r}.") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, not {value!r}.")
    return number


def _clean(points: Iterable[Any]) -> list[tuple[datetime.date, float]]:
    pairs = []
    for point in points:
        if hasattr(point, "period") and hasattr(point, "value"):
            period, value = point.period, point.value
        else:
            period, value = point
        if not isinstance(period, datetime.date):
            raise ValueError(f"A period must be a date, not {period!r}.")
        if isinstance(period, datetime.datetime):
            period = period.date()
        pairs.append((period, _finite(value, f"The value for {period.isoformat()}")))
    pairs.sort(key=lambda pair: pair[0])
    for (first, _), (second, _) in zip(pairs, pairs[1:], strict=False):
        if first == second:
            raise ValueError(
                f"Two values for the period {first.isoformat()}: each period may have only one."
            )
    return pairs


def _phase_starts(
    series: Sequence[tuple[datetime.date, float]], rebase_dates: Iterable[datetime.date]
) -> list[int]:
    if not series:
        return []
    starts = {0}
    periods = [period for period, _ in series]
    for rebase in rebase_dates:
        index = next((i for i, period in enumerate(periods) if period >= rebase), None)
        if index is not None:
            starts.add(index)
    return sorted(starts)


# One phase ---------------------------------------------------------------------------------


def _analyse_phase(
    index: int,
    series: Sequence[tuple[datetime.date, float]],
    direction: Direction,
    baseline: int | None,
    settings: Settings,
) -> tuple[PhaseResult, list[PointResult]]:
    values = [value for _, value in series]
    used = values[:baseline] if baseline else values
    mean = math.fsum(used) / len(used)
    moving_ranges = [abs(b - a) for a, b in zip(used, used[1:], strict=False)]
    mean_mr: float | None = None
    screened = 0
    if moving_ranges:
        mean_mr = math.fsum(moving_ranges) / len(moving_ranges)
        if settings.screen_outliers and mean_mr > 0:
            kept = [mr for mr in moving_ranges if mr < MOVING_RANGE_SCREEN_FACTOR * mean_mr]
            screened = len(moving_ranges) - len(kept)
            mean_mr = math.fsum(kept) / len(kept)

    def line(sigmas: int) -> tuple[float | None, float | None]:
        if mean_mr is None:
            return None, None
        distance = LIMIT_FACTOR * mean_mr * sigmas / 3
        return mean + distance, mean - distance

    upper, lower = line(3)
    upper_2, lower_2 = line(2)
    upper_1, lower_1 = line(1)
    phase = PhaseResult(
        index=index,
        start=series[0][0],
        end=series[-1][0],
        point_count=len(values),
        baseline_count=len(used),
        mean=mean,
        mean_moving_range=mean_mr,
        screened_moving_ranges=screened,
        upper=upper,
        lower=lower,
        upper_one_sigma=upper_1,
        lower_one_sigma=lower_1,
        upper_two_sigma=upper_2,
        lower_two_sigma=lower_2,
        limits_reliable=len(used) >= settings.min_reliable_points,
    )

    flags: list[list[Flag]] = [[] for _ in values]
    sides: list[Side | None] = [None] * len(values)
    trend_sides: list[Side | None] = [None] * len(values)
    mean_sides = [_sign(value - mean) for value in values]

    if upper is not None and lower is not None:
        for i, value in enumerate(values):
            if value > upper or value < lower:
                flags[i].append(Flag.BEYOND_LIMIT)
                sides[i] = Side.HIGH if value > upper else Side.LOW

    for begin, end, _ in _runs(mean_sides, settings.shift_length):
        for i in range(begin, end):
            flags[i].append(Flag.SHIFT)

    steps = [_sign(b - a) for a, b in zip(values, values[1:], strict=False)]
    # A run of n steps covers n + 1 points, from the step's first point.
    for begin, end, sign in _runs(steps, settings.trend_length - 1):
        for i in range(begin, end + 1):
            if Flag.TREND not in flags[i]:
                flags[i].append(Flag.TREND)
            trend_sides[i] = Side.HIGH if sign > 0 else Side.LOW

    if upper_2 is not None and lower_2 is not None:
        close = [
            Flag.BEYOND_LIMIT not in flags[i] and (value > upper_2 or value < lower_2)
            for i, value in enumerate(values)
        ]
        for i in range(len(values) - 2):
            window = range(i, i + 3)
            if abs(sum(mean_sides[j] for j in window)) == 3 and sum(close[j] for j in window) >= 2:
                for j in window:
                    if close[j] and Flag.TWO_OF_THREE not in flags[j]:
                        flags[j].append(Flag.TWO_OF_THREE)

    results = []
    for i, (period, value) in enumerate(series):
        point_flags = tuple(sorted(flags[i], key=list(Flag).index))
        side = None
        classification = None
        if point_flags:
            side = sides[i] or trend_sides[i] or (Side.HIGH if mean_sides[i] > 0 else Side.LOW)
            classification = _classify(side, direction)
        results.append(
            PointResult(
                period=period,
                value=value,
                phase=index,
                mean=mean,
                upper=upper,
                lower=lower,
                moving_range=abs(value - values[i - 1]) if i else None,
                in_baseline=i < len(used),
                flags=point_flags,
                classification=classification,
                side=side,
            )
        )
    return phase, results


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _runs(signs: Sequence[int], min_length: int) -> Iterable[tuple[int, int, int]]:
    """Yield (start, stop, sign) of each run of equal non-zero signs at least min_length long."""
    begin = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[begin]:
            if signs[begin] != 0 and i - begin >= min_length:
                yield begin, i, signs[begin]
            begin = i


def _classify(side: Side, direction: Direction) -> Classification:
    if direction is Direction.NEITHER:
        return Classification.NEITHER
    better_high = direction is Direction.INCREASE
    return (
        Classification.IMPROVEMENT if (side is Side.HIGH) == better_high else Classification.CONCERN
    )


# Icons -------------------------------------------------------------------------------------


def _variation_icon(points: Sequence[PointResult]) -> VariationIcon | None:
    if not points:
        return None
    latest = points[-1]
    if latest.classification is None:
        return VariationIcon.COMMON_CAUSE
    return VariationIcon(f"{latest.classification}_{latest.side}")


def _assurance_icon(
    phases: Sequence[PhaseResult], direction: Direction, target: float | None
) -> AssuranceIcon | None:
    if target is None or direction is Direction.NEITHER or not phases:
        return None
    phase = phases[-1]
    if not phase.limits_reliable or phase.upper is None or phase.lower is None:
        return None
    increase = direction is Direction.INCREASE
    if target > phase.upper:
        return AssuranceIcon.FAIL if increase else AssuranceIcon.PASS
    if target < phase.lower:
        return AssuranceIcon.PASS if increase else AssuranceIcon.FAIL
    return AssuranceIcon.HIT_AND_MISS


# Periods and wording -----------------------------------------------------------------------

_UNITS = {
    Frequency.WEEKLY: ("week", "weeks"),
    Frequency.MONTHLY: ("month", "months"),
    Frequency.QUARTERLY: ("quarter", "quarters"),
}


def format_period(period: datetime.date, frequency: str = Frequency.MONTHLY) -> str:
    """UK-style wording of a period: "3 March 2021" (weekly), "March 2021", "April to June 2021"."""
    frequency = Frequency(frequency)
    if frequency is Frequency.WEEKLY:
        return f"{period.day} {calendar.month_name[period.month]} {period.year}"
    if frequency is Frequency.QUARTERLY:
        first = 3 * ((period.month - 1) // 3) + 1
        return f"{calendar.month_name[first]} to {calendar.month_name[first + 2]} {period.year}"
    return f"{calendar.month_name[period.month]} {period.year}"


def format_period_short(period: datetime.date, frequency: str = Frequency.MONTHLY) -> str:
    """Axis labels: "3 Mar 2021" (weekly), "Mar 2021" (monthly), "Q2 2021" (calendar quarter)."""
    frequency = Frequency(frequency)
    if frequency is Frequency.WEEKLY:
        return f"{period.day} {calendar.month_abbr[period.month]} {period.year}"
    if frequency is Frequency.QUARTERLY:
        return f"Q{(period.month - 1) // 3 + 1} {period.year}"
    return f"{calendar.month_abbr[period.month]} {period.year}"


def _period_key(period: datetime.date, frequency: Frequency, origin: datetime.date) -> int:
    if frequency is Frequency.WEEKLY:
        return (period - origin).days // 7
    if frequency is Frequency.QUARTERLY:
        return period.year * 4 + (period.month - 1) // 3
    return period.year * 12 + period.month - 1


def missing_periods(
    periods: Iterable[datetime.date], frequency: str = Frequency.MONTHLY
) -> list[datetime.date]:
    """Periods with no value between the first and the last recorded ones.

    Weeks are counted in steps of seven days from the first period; months and quarters are
    calendar ones and are returned as their first day.
    """
    frequency = Frequency(frequency)
    recorded = sorted(set(periods))
    if not recorded:
        return []
    origin = recorded[0]
    keys = {_period_key(period, frequency, origin) for period in recorded}
    first, last = min(keys), max(keys)
    missing = []
    for key in range(first, last + 1):
        if key in keys:
            continue
        if frequency is Frequency.WEEKLY:
            missing.append(origin + datetime.timedelta(weeks=key))
        elif frequency is Frequency.QUARTERLY:
            missing.append(datetime.date(key // 4, (key % 4) * 3 + 1, 1))
        else:
            missing.append(datetime.date(key // 12, key % 12 + 1, 1))
    return missing


def _count(number: int, frequency: Frequency) -> str:
    singular, plural = _UNITS[frequency]
    return f"{number} {singular if number == 1 else plural}"


def summarise(result: SeriesResult) -> str:
    """A plain-English sentence or two on the latest point, for the page and the API."""
    if not result.points:
        return "No data yet."
    frequency = result.frequency
    latest = result.points[-1]
    phase = result.phases[-1]
    since = format_period(phase.start, frequency)
    if latest.classification is None:
        if len(result.phases) > 1:
            text = (
                "Common cause variation: no sign of change since the limits were recalculated "
                f"in {since}."
            )
        else:
            text = f"Common cause variation: no sign of change since {since}."
    else:
        text = _special_cause_sentence(result)
    if not phase.limits_reliable:
        text += (
            f" The limits rest on {_count(phase.baseline_count, frequency)}; at least "
            f"{result.settings.min_reliable_points} are needed before they can be relied on."
        )
    if result.assurance_icon is not None and result.target is not None:
        target = format_number(result.target)
        text += {
            AssuranceIcon.PASS: f" The target of {target} is consistently met.",
            AssuranceIcon.FAIL: f" The target of {target} is consistently missed.",
            AssuranceIcon.HIT_AND_MISS: (
                f" The target of {target} will be met some of the time and missed some of the "
                "time unless the process changes."
            ),
        }[result.assurance_icon]
    return text


def _special_cause_sentence(result: SeriesResult) -> str:
    frequency = result.frequency
    points = [point for point in result.points if point.phase == result.phases[-1].index]
    latest = points[-1]
    # The stretch of flagged points on the same side that ends with the latest one.
    run = 0
    for point in reversed(points):
        if not point.flags or point.side != latest.side:
            break
        run += 1
    start = format_period(points[-run].period, frequency)
    if latest.classification is Classification.NEITHER:
        heading = f"Special cause variation ({latest.side})"
    else:
        heading = f"Special cause {latest.classification}"
    unit = _UNITS[frequency][0]
    high = latest.side is Side.HIGH
    if Flag.BEYOND_LIMIT in latest.flags:
        limit = "upper" if high else "lower"
        detail = f"the latest {unit} is {'above' if high else 'below'} the {limit} process limit"
        return f"{heading} in {format_period(latest.period, frequency)}: {detail}."
    if Flag.TREND in latest.flags:
        detail = f"{_count(run, frequency)} {'rising' if high else 'falling'} in a row"
    elif Flag.TWO_OF_THREE in latest.flags:
        detail = f"the latest {unit} is close to the {'upper' if high else 'lower'} process limit"
    else:
        detail = f"{_count(run, frequency)} {'above' if high else 'below'} the mean"
    return f"{heading} since {start}: {detail}."


def format_number(number: float) -> str:
    """Up to two decimal places, thousands separated, without trailing zeros."""
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
