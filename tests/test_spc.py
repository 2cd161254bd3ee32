"""XmR statistics (measures.spc) on small hand-worked series.

Most series start with a baseline of twelve points alternating 12 and 10: mean 11, every moving
range 2, so the limits are fixed at 11 ± 5.32 (16.32 and 5.68) and the 2σ lines at 11 ± 3.5467
(14.5467 and 7.4533), whatever is appended after it.
"""

import datetime
import math
from decimal import Decimal

import pytest

from measures.spc import (
    DEFAULT_SETTINGS,
    AssuranceIcon,
    Classification,
    Flag,
    Settings,
    Side,
    VariationIcon,
    analyse,
    format_period,
    missing_periods,
)

BASE = [12, 10] * 6


def months(values, start=datetime.date(2020, 1, 1)):
    points = []
    for i, value in enumerate(values):
        month = start.month - 1 + i
        points.append((datetime.date(start.year + month // 12, month % 12 + 1, 1), value))
    return points


def fixed(extra, direction="increase", **kwargs):
    """BASE then ``extra``, with the limits fixed by the twelve-point baseline."""
    return analyse(months(BASE + list(extra)), direction=direction, baseline=12, **kwargs)


def flags_of(result, start=12):
    return [point.flags for point in result.points[start:]]


def test_the_baseline_fixes_mean_limits_and_sigma_lines():
    phase = fixed([30, 30, 30]).phases[0]
    assert phase.mean == 11
    assert phase.mean_moving_range == 2
    assert phase.baseline_count == 12
    assert phase.point_count == 15
    assert phase.upper == pytest.approx(16.32)
    assert phase.lower == pytest.approx(5.68)
    assert phase.upper_two_sigma == pytest.approx(11 + 2 * 5.32 / 3)
    assert phase.lower_one_sigma == pytest.approx(11 - 5.32 / 3)


def test_without_a_baseline_the_limits_use_every_point_of_the_phase():
    result = analyse(months([10, 14, 12]), direction="increase")
    assert result.phases[0].mean == 12
    assert result.phases[0].mean_moving_range == 3
    assert result.points[2].moving_range == 2
    assert result.points[0].moving_range is None


def test_the_baseline_alone_has_no_special_cause():
    assert all(point.flags == () for point in fixed([]).points)


def test_a_point_above_the_upper_limit_is_flagged_high():
    point = fixed([17]).points[-1]
    assert point.flags == (Flag.BEYOND_LIMIT,)
    assert point.side == Side.HIGH
    assert point.classification == Classification.IMPROVEMENT


def test_a_point_below_the_lower_limit_is_flagged_low():
    point = fixed([5]).points[-1]
    assert point.flags == (Flag.BEYOND_LIMIT,)
    assert point.side == Side.LOW
    assert point.classification == Classification.CONCERN


def test_a_point_just_inside_the_limits_is_not_flagged():
    assert flags_of(fixed([16.3, 10, 5.7])) == [(), (), ()]


def test_seven_points_above_the_mean_are_a_shift():
    result = fixed([11.5] * 7)
    assert flags_of(result) == [(Flag.SHIFT,)] * 7
    assert {point.side for point in result.points[12:]} == {Side.HIGH}


def test_seven_points_below_the_mean_are_a_shift_of_concern_when_higher_is_better():
    result = fixed([12, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5])
    assert flags_of(result, 13) == [(Flag.SHIFT,)] * 7
    assert {point.classification for point in result.points[13:]} == {Classification.CONCERN}


def test_six_points_on_one_side_are_not_a_shift():
    assert flags_of(fixed([11.5] * 6 + [10.5])) == [()] * 7


def test_a_point_exactly_on_the_mean_breaks_a_shift():
    assert flags_of(fixed([11.5] * 3 + [11] + [11.5] * 4)) == [()] * 8


def test_seven_rising_points_are_a_trend():
    result = fixed([11.9, 10.3, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5])
    assert flags_of(result, 13) == [(Flag.TREND,)] * 7
    assert result.points[12].flags == ()
    assert {point.side for point in result.points[13:]} == {Side.HIGH}


def test_seven_falling_points_are_a_trend():
    result = fixed([10.1, 11.7, 11.5, 11.3, 11.1, 10.9, 10.7, 10.5])
    assert flags_of(result, 13) == [(Flag.TREND,)] * 7
    assert {point.side for point in result.points[13:]} == {Side.LOW}


def test_six_rising_points_are_not_a_trend():
    assert flags_of(fixed([11.9, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5])) == [()] * 7


def test_two_equal_values_break_a_trend():
    assert flags_of(fixed([11.9, 10.3, 10.5, 10.7, 10.7, 10.9, 11.1, 11.3, 11.5])) == [()] * 9


def test_a_trend_is_high_or_low_by_its_direction_not_its_side_of_the_mean():
    # Seven falling points all above the mean: both a shift (high) and a trend (low).
    result = fixed([14.0, 13.5, 13.0, 12.5, 12.0, 11.8, 11.6])
    assert flags_of(result) == [(Flag.SHIFT, Flag.TREND)] * 7
    assert {point.side for point in result.points[12:]} == {Side.LOW}
    assert {point.classification for point in result.points[12:]} == {Classification.CONCERN}


def test_two_of_three_close_to_the_upper_limit_flags_the_two():
    assert flags_of(fixed([14.8, 11.5, 14.8])) == [(Flag.TWO_OF_THREE,), (), (Flag.TWO_OF_THREE,)]


def test_two_of_three_close_to_the_lower_limit_flags_the_two():
    result = fixed([7.2, 10.5, 7.2])
    assert flags_of(result) == [(Flag.TWO_OF_THREE,), (), (Flag.TWO_OF_THREE,)]
    assert result.points[-1].side == Side.LOW


def test_two_of_three_needs_all_three_on_the_same_side_of_the_mean():
    # As NHSRplotthedots: the middle point below the mean spoils the triple.
    assert flags_of(fixed([14.8, 10.5, 14.8])) == [()] * 3


def test_one_of_three_close_to_a_limit_is_not_flagged():
    assert flags_of(fixed([14.8, 11.5, 12.0])) == [()] * 3


def test_a_point_beyond_the_limit_does_not_count_towards_two_of_three():
    assert flags_of(fixed([14.8, 17, 12])) == [(), (Flag.BEYOND_LIMIT,), ()]


@pytest.mark.parametrize(
    ("direction", "last", "icon"),
    [
        ("increase", 17, VariationIcon.IMPROVEMENT_HIGH),
        ("increase", 5, VariationIcon.CONCERN_LOW),
        ("decrease", 5, VariationIcon.IMPROVEMENT_LOW),
        ("decrease", 17, VariationIcon.CONCERN_HIGH),
        ("neither", 17, VariationIcon.NEITHER_HIGH),
        ("neither", 5, VariationIcon.NEITHER_LOW),
        ("increase", 12, VariationIcon.COMMON_CAUSE),
    ],
)
def test_the_variation_icon_describes_the_latest_point(direction, last, icon):
    assert fixed([last], direction=direction).variation_icon == icon


def test_direction_neither_classifies_special_causes_as_neither():
    assert fixed([17], direction="neither").points[-1].classification == Classification.NEITHER


def test_an_earlier_special_cause_does_not_set_the_variation_icon():
    assert fixed([17, 12]).variation_icon == VariationIcon.COMMON_CAUSE


@pytest.mark.parametrize(
    ("direction", "target", "icon"),
    [
        ("increase", 5, AssuranceIcon.PASS),
        ("increase", 17, AssuranceIcon.FAIL),
        ("increase", 11, AssuranceIcon.HIT_AND_MISS),
        ("decrease", 17, AssuranceIcon.PASS),
        ("decrease", 5, AssuranceIcon.FAIL),
        ("decrease", 11, AssuranceIcon.HIT_AND_MISS),
        ("increase", 5.68, AssuranceIcon.HIT_AND_MISS),
        ("neither", 5, None),
        ("increase", None, None),
    ],
)
def test_the_assurance_icon_compares_the_target_with_the_limits(direction, target, icon):
    result = analyse(months(BASE * 2), direction=direction, target=target)
    assert result.assurance_icon == icon


def test_limits_from_fewer_than_twelve_points_are_drawn_but_unreliable():
    short = analyse(months(BASE[:11]), direction="increase", target=5)
    assert short.phases[0].limits_reliable is False
    assert short.phases[0].upper is not None
    assert short.assurance_icon is None
    assert "at least 12 are needed" in short.summary
    enough = analyse(months(BASE), direction="increase", target=5)
    assert enough.phases[0].limits_reliable is True
    assert enough.assurance_icon == AssuranceIcon.PASS


def test_a_short_baseline_makes_limits_unreliable_however_long_the_series():
    result = analyse(months(BASE * 3), direction="increase", baseline=6)
    assert result.phases[0].baseline_count == 6
    assert result.phases[0].limits_reliable is False
    assert [point.in_baseline for point in result.points[5:7]] == [True, False]


def test_reliability_threshold_is_a_setting():
    result = analyse(
        months(BASE[:8]), direction="increase", settings=Settings(min_reliable_points=8)
    )
    assert result.phases[0].limits_reliable is True


def test_a_rebase_gives_each_phase_its_own_limits():
    values = [10, 12] * 6 + [33, 33, 33] + [30, 32] * 5
    result = analyse(months(values), direction="increase", rebase_dates=[datetime.date(2021, 1, 1)])
    first, second = result.phases
    assert (first.mean, first.mean_moving_range) == (11, 2)
    assert second.start == datetime.date(2021, 1, 1)
    assert second.mean == pytest.approx(409 / 13)
    # 0, 0, 3 and nine twos: the moving range into the new phase is not counted.
    assert second.mean_moving_range == pytest.approx(1.75)
    assert result.points[12].moving_range is None
    assert {point.phase for point in result.points} == {0, 1}
    assert result.points[12].upper == second.upper != first.upper


def test_rules_do_not_cross_a_phase_boundary():
    # Four points above the first phase's mean, then three above the second's: not a shift.
    values = [10, 12] * 4 + [13] * 4 + [33] * 3 + [30, 32] * 5
    rebased = analyse(
        months(values), direction="increase", rebase_dates=[datetime.date(2021, 1, 1)]
    )
    assert all(Flag.SHIFT not in point.flags for point in rebased.points)
    assert all(Flag.TREND not in point.flags for point in rebased.points)


def test_a_rebase_date_between_periods_starts_at_the_next_point():
    result = analyse(
        months(BASE * 2),
        direction="increase",
        rebase_dates=[
            datetime.date(2020, 12, 15),
            datetime.date(2019, 1, 1),
            datetime.date(2030, 1, 1),
        ],
    )
    assert [phase.start for phase in result.phases] == [
        datetime.date(2020, 1, 1),
        datetime.date(2021, 1, 1),
    ]


def test_runs_of_six_fire_when_the_setting_says_six():
    six = Settings(shift_length=6, trend_length=6)
    assert flags_of(fixed([11.5] * 6, settings=six)) == [(Flag.SHIFT,)] * 6
    assert flags_of(fixed([11.5] * 6)) == [()] * 6
    rising = [11.9, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5]
    assert flags_of(fixed(rising, settings=six), 13) == [(Flag.TREND,)] * 6
    assert flags_of(fixed(rising), 13) == [()] * 6


def test_settings_reject_nonsense():
    with pytest.raises(ValueError, match="shift_length"):
        Settings(shift_length=1)
    assert DEFAULT_SETTINGS.shift_length == DEFAULT_SETTINGS.trend_length == 7


def test_moving_ranges_are_screened_as_nhsrplotthedots_does():
    # The NHSRplotthedots vignette's series: UPL 4.6, mean 1.94, LPL -0.72 with screening.
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = analyse(months(values), direction="increase").phases[0]
    assert screened.screened_moving_ranges == 2
    assert (round(screened.upper, 2), round(screened.mean, 2)) == (4.6, 1.94)
    assert round(screened.lower, 2) == -0.72
    plain = analyse(months(values), direction="increase", settings=Settings(screen_outliers=False))
    assert plain.phases[0].screened_moving_ranges == 0
    assert plain.phases[0].mean_moving_range == pytest.approx(32 / 17)


def test_an_empty_series_has_no_phases_and_no_icons():
    result = analyse([], direction="increase", target=5)
    assert (result.points, result.phases) == ((), ())
    assert (result.variation_icon, result.assurance_icon) == (None, None)
    assert result.summary == "No data yet."


def test_a_single_point_has_a_mean_but_no_limits():
    result = analyse(months([7]), direction="increase", target=5)
    phase = result.phases[0]
    assert phase.mean == 7
    assert (phase.mean_moving_range, phase.upper, phase.lower) == (None, None, None)
    assert result.points[0].flags == ()
    assert result.variation_icon == VariationIcon.COMMON_CAUSE
    assert result.assurance_icon is None


def test_equal_values_collapse_the_limits_onto_the_mean_and_flag_nothing():
    result = analyse(months([4] * 15), direction="increase")
    phase = result.phases[0]
    assert phase.upper == phase.lower == phase.mean == 4
    assert all(point.flags == () for point in result.points)


def test_a_change_after_a_flat_baseline_is_beyond_the_collapsed_limits():
    result = analyse(months([4] * 12 + [5]), direction="increase", baseline=12)
    assert result.points[-1].flags == (Flag.BEYOND_LIMIT,)


def test_two_values_for_one_period_are_refused_naming_the_period():
    points = months([1, 2, 3]) + [(datetime.date(2020, 2, 1), 9)]
    with pytest.raises(ValueError, match="2020-02-01"):
        analyse(points, direction="increase")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, Decimal("NaN"), "x"])
def test_values_that_are_not_finite_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="2020-02-01"):
        analyse(months([1, bad, 3]), direction="increase")


def test_a_target_that_is_not_finite_is_refused():
    with pytest.raises(ValueError, match="target"):
        analyse(months([1, 2]), direction="increase", target=math.nan)


def test_an_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        analyse(months([1, 2]), direction="up")


def test_input_is_sorted_by_period():
    shuffled = list(reversed(months([1, 2, 3])))
    result = analyse(shuffled, direction="increase")
    assert [point.value for point in result.points] == [1, 2, 3]


def test_gaps_are_allowed_and_moving_ranges_join_recorded_neighbours():
    points = [(datetime.date(2021, 1, 1), 5), (datetime.date(2021, 4, 1), 9)]
    assert analyse(points, direction="increase").points[1].moving_range == 4


def test_negative_values_and_decimals_are_accepted():
    result = analyse(months([Decimal("-1.5"), -3, Decimal("-2.5")]), direction="decrease")
    assert result.phases[0].mean == pytest.approx(-7 / 3)


def test_objects_with_period_and_value_are_accepted():
    class Row:
        def __init__(self, period, value):
            self.period, self.value = period, value

    result = analyse([Row(p, v) for p, v in months([1, 3])], direction="increase")
    assert result.phases[0].mean == 2


def test_missing_periods_lists_the_gaps_for_each_frequency():
    monthly = [datetime.date(2021, 1, 1), datetime.date(2021, 4, 1), datetime.date(2021, 5, 1)]
    assert missing_periods(monthly, "monthly") == [
        datetime.date(2021, 2, 1),
        datetime.date(2021, 3, 1),
    ]
    weekly = [datetime.date(2021, 3, 1), datetime.date(2021, 3, 22)]
    assert missing_periods(weekly, "weekly") == [
        datetime.date(2021, 3, 8),
        datetime.date(2021, 3, 15),
    ]
    quarterly = [datetime.date(2021, 1, 1), datetime.date(2021, 10, 1)]
    assert missing_periods(quarterly, "quarterly") == [
        datetime.date(2021, 4, 1),
        datetime.date(2021, 7, 1),
    ]
    assert missing_periods([], "monthly") == []


def test_periods_are_worded_in_uk_style():
    day = datetime.date(2021, 3, 3)
    assert format_period(day, "weekly") == "3 March 2021"
    assert format_period(day, "monthly") == "March 2021"
    assert format_period(day, "quarterly") == "January to March 2021"


def test_summary_of_a_shift_says_since_when_and_how_many_months():
    result = fixed([12, 10] + [11.5] * 7)
    assert result.summary == "Special cause improvement since March 2021: 7 months above the mean."


def test_summary_counts_weeks_and_dates_them_by_day():
    start = datetime.date(2021, 1, 4)
    points = [
        (start + datetime.timedelta(weeks=i), v) for i, v in enumerate(BASE + [12] + [10.5] * 7)
    ]
    result = analyse(points, direction="increase", baseline=12, frequency="weekly")
    assert result.summary == "Special cause concern since 5 April 2021: 7 weeks below the mean."


def test_summary_of_a_point_beyond_a_limit():
    assert fixed([5], direction="decrease").summary == (
        "Special cause improvement in January 2021: the latest month is below the lower process "
        "limit."
    )


def test_summary_of_a_trend_and_of_two_of_three():
    trend = fixed([10.1, 11.7, 11.5, 11.3, 11.1, 10.9, 10.7, 10.5], direction="neither")
    assert (
        trend.summary
        == "Special cause variation (low) since February 2021: 7 months falling in a row."
    )
    two = fixed([14.8, 11.5, 14.8], direction="decrease")
    assert two.summary.startswith(
        "Special cause concern since March 2021: the latest month is close"
    )


def test_summary_of_common_cause_with_and_without_a_recalculation():
    plain = analyse(months(BASE), direction="increase", frequency="quarterly")
    assert plain.summary == "Common cause variation: no sign of change since January to March 2020."
    rebased = analyse(
        months(BASE * 2), direction="increase", rebase_dates=[datetime.date(2021, 1, 1)]
    )
    assert rebased.summary == (
        "Common cause variation: no sign of change since the limits were recalculated in "
        "January 2021."
    )


def test_summary_reports_assurance():
    result = analyse(months(BASE), direction="increase", target=17)
    assert result.summary.endswith("The target of 17 is consistently missed.")
