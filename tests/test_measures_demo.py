"""The demo measures: made-up figures built to show each icon and rule, marked as illustrative
everywhere, owned by the home collaborative and attached to no case study."""

import pytest
from django.conf import settings

from measures import demo
from measures.models import Measure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def test_every_demo_measure_gives_the_icons_its_recipe_was_built_to_show():
    expected = {item["slug"]: item for item in demo.recipes()}
    measures = Measure.objects.filter(slug__in=expected)

    assert measures.count() == len(expected) == 10
    for measure in measures:
        result = measure.analysis()
        assert result.variation_icon == expected[measure.slug]["expect_variation"], measure.slug
        assert result.assurance_icon == expected[measure.slug].get("expect_assurance"), measure.slug


def test_the_demo_covers_every_icon_a_rebase_and_too_few_points():
    icons = {
        (m.analysis().variation_icon, m.analysis().assurance_icon) for m in Measure.objects.all()
    }
    variation = {v for v, _ in icons}
    assurance = {a for _, a in icons}

    assert {
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "common_cause",
    } <= variation
    assert {"consistent_pass", "consistent_fail", "hit_and_miss"} <= assurance
    assert Measure.objects.filter(phase_changes__isnull=False).exists()
    assert any(not m.analysis().phases[-1].limits_reliable for m in Measure.objects.all())


def test_demo_measures_are_illustrative_home_owned_and_attached_to_no_case_study():
    for measure in Measure.objects.all():
        assert measure.is_illustrative
        assert measure.name.startswith("Illustrative:")
        assert measure.organisation.slug == settings.HOME_COLLABORATIVE
        assert not measure.case_studies.exists()
        assert not measure.impact_figures.exists()
        assert measure.programmes.exists()


def test_the_demo_series_are_the_same_every_time():
    recipe = demo.recipes()[0]

    assert demo.build_series(recipe) == demo.build_series(recipe)


def test_every_page_showing_a_demo_measure_says_its_figures_are_illustrative(client):
    measure = Measure.objects.get(slug="illustrative-news2-recorded-on-admission")
    pages = [
        measure.get_absolute_url(),
        "/measures/",
        measure.programmes.first().get_absolute_url(),
        measure.organisation.get_absolute_url(),
    ]

    for path in pages:
        html = client.get(path).content.decode()
        assert "Illustrative figures, not real data" in html, path
