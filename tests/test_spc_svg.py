"""SVG drawings of XmR results (measures.svg): well formed, accessible, CSP-safe."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from measures.spc import AssuranceIcon, VariationIcon, analyse
from measures.svg import (
    annotation_legend,
    assurance_icon_svg,
    render_chart,
    render_small_chart,
    variation_icon_svg,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
BASE = [12, 10] * 6


def months(values, start=datetime.date(2020, 1, 1)):
    points = []
    for i, value in enumerate(values):
        month = start.month - 1 + i
        points.append((datetime.date(start.year + month // 12, month % 12 + 1, 1), value))
    return points


def every_flag():
    """Beyond a limit, two of three, a shift and a trend, with improvement and concern."""
    extra = (
        [17, 12, 14.8, 11.5, 14.8, 10]
        + [10.5] * 7
        + [10.1, 11.7, 11.5, 11.3, 11.1, 10.9, 10.7, 10.5]
    )
    return analyse(months(BASE + extra), direction="increase", baseline=12, target=9)


def chart(result=None, **kwargs):
    arguments = {"title": "Falls", "description": "Falls per month.", "unit": "falls"}
    return render_chart(result or every_flag(), **{**arguments, **kwargs})


def classes(svg):
    found = set()
    for element in ET.fromstring(svg).iter():
        found.update(element.get("class", "").split())
    return found


def assert_accessible(svg):
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def assert_no_inline_style(svg):
    assert not re.search(r"\sstyle\s*=", svg)
    assert "<style" not in svg


def test_a_chart_is_well_formed_accessible_and_free_of_inline_styles():
    svg = chart()
    assert_accessible(svg)
    assert_no_inline_style(svg)


def test_a_chart_has_a_class_for_every_flag_and_classification():
    found = classes(chart())
    for css in (
        "mdc-point--beyond-limit",
        "mdc-point--two-of-three",
        "mdc-point--shift",
        "mdc-point--trend",
        "mdc-point--improvement",
        "mdc-point--concern",
        "mdc-point--common",
        "mdc-mean",
        "mdc-limit",
        "mdc-target",
        "mdc-line",
    ):
        assert css in found, css


def test_direction_neither_draws_neither_points():
    result = analyse(months(BASE + [17]), direction="neither", baseline=12)
    assert "mdc-point--neither" in classes(chart(result))


def test_every_point_has_a_text_equivalent():
    root = ET.fromstring(chart())
    titles = [c.find("svg:title", NS).text for c in root.iter(f"{{{NS['svg']}}}circle")]
    assert "January 2021: 17 falls, special cause improvement: beyond a process limit" in titles
    assert "January 2020: 12 falls, common cause" in titles


def test_text_is_escaped():
    svg = chart(title="Falls <script>", description="A & B", unit="<b>", id_prefix="c1")
    root = assert_accessible(svg)
    assert root.find("svg:title", NS).text == "Falls <script>"
    assert "<script>" not in svg
    assert "&lt;b&gt;" in svg


def test_a_rebased_chart_draws_a_phase_break_and_limits_per_phase():
    result = analyse(
        months(BASE + [30, 32] * 6), direction="increase", rebase_dates=[datetime.date(2021, 1, 1)]
    )
    root = ET.fromstring(chart(result))
    lines = root.iter(f"{{{NS['svg']}}}line")
    found = [line.get("class") for line in lines]
    assert found.count("mdc-phase-break") == 1
    assert found.count("mdc-limit mdc-limit--upper") == 2
    assert found.count("mdc-mean") == 2


def test_the_target_line_follows_the_argument_or_the_result():
    without = analyse(months(BASE), direction="increase")
    assert "mdc-target" not in classes(chart(without))
    assert "mdc-target" in classes(chart(without, target=9))


def test_annotations_are_numbered_and_listed_in_the_description():
    notes = [(datetime.date(2020, 6, 1), "New <policy>"), (datetime.date(2020, 3, 1), "Audit")]
    svg = chart(annotations=notes, id_prefix="c2")
    root = ET.fromstring(svg)
    desc = root.find("svg:desc", NS).text
    assert "Notes: 1. March 2020: Audit; 2. June 2020: New <policy>." in desc
    assert len([g for g in root.iter() if g.get("class") == "mdc-annotation"]) == 2
    assert annotation_legend(notes) == [
        (1, "March 2020", "Audit"),
        (2, "June 2020", "New <policy>"),
    ]


def test_axes_are_labelled_in_uk_style():
    svg = chart()
    assert ">Jan 2020</text>" in svg
    assert ">falls</text>" in svg


def test_output_is_deterministic():
    assert chart() == chart()


def test_an_empty_or_single_point_series_still_draws():
    for values in ([], [5]):
        svg = chart(analyse(months(values), direction="increase"))
        assert_accessible(svg)
    assert "No data yet" in chart(analyse([], direction="increase"))


def test_the_small_chart_is_accessible_and_shows_special_causes():
    svg = render_small_chart(every_flag(), title="Falls <trend>")
    assert_accessible(svg)
    assert_no_inline_style(svg)
    assert "mdc-point--concern" in classes(svg)


@pytest.mark.parametrize("icon", list(VariationIcon))
def test_variation_icons_have_a_text_equivalent(icon):
    svg = variation_icon_svg(icon)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == root.get("aria-label")
    assert_no_inline_style(svg)


def test_variation_icons_carry_the_mdc_letter_and_wording():
    root = ET.fromstring(variation_icon_svg(VariationIcon.IMPROVEMENT_HIGH))
    assert root.find("svg:title", NS).text == "Special cause improving variation (high)"
    assert root.find("svg:text", NS).text == "H"
    low = ET.fromstring(variation_icon_svg(VariationIcon.CONCERN_LOW))
    assert low.find("svg:text", NS).text == "L"
    assert "mdc-icon--concern" in low.get("class")


@pytest.mark.parametrize(
    ("icon", "letter"),
    [(AssuranceIcon.PASS, "P"), (AssuranceIcon.FAIL, "F"), (AssuranceIcon.HIT_AND_MISS, "?")],
)
def test_assurance_icons_carry_their_letter_and_a_text_equivalent(icon, letter):
    root = ET.fromstring(assurance_icon_svg(icon))
    assert root.get("role") == "img"
    assert root.find("svg:text", NS).text == letter
    assert root.find("svg:title", NS).text == root.get("aria-label")


def test_no_icon_draws_nothing():
    assert variation_icon_svg(None) == assurance_icon_svg(None) == ""
