"""Pages with Making Data Count charts in real Chromium: axe-core WCAG 2.2 AA and reflow at
320 px (the same checks as test_browser_accessibility.py, on the measures' pages and on a case
study that shows charts)."""

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from casestudies.models import CaseStudy
from measures.models import Measure
from tests.browser import (
    axe_violations,
    describe_violations,
    horizontal_overflow,
    launch_chromium,
    wide_elements,
)
from tests.factories import CaseStudyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CASE_STUDY = "test-case-study-with-charts"
PAGES = [
    ("measure-list", "/measures/"),
    ("measure-list-filtered", "/measures/?programme=maternity-and-neonatal"),
    ("measure-list-error", "/measures/?programme=nope"),
    ("measure-chart", "/measures/illustrative-news2-recorded-on-admission/"),
    ("measure-chart-rebase", "/measures/illustrative-pressure-ulcers-after-rebase/"),
    ("measure-chart-target", "/measures/illustrative-sepsis-antibiotics-within-an-hour/"),
    ("measure-chart-few-points", "/measures/illustrative-care-home-restore2-use/"),
    ("programme-with-measures", "/programmes/managing-deterioration/"),
    ("collaborative-with-measures", "/collaboratives/wessex/"),
    ("case-study-with-charts", f"/case-studies/{CASE_STUDY}/"),
]


@pytest.fixture(scope="module")
def site_server(committed_demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        # A test-only case study: the demo never attaches its illustrative measures to one.
        case_study = CaseStudyFactory(
            slug=CASE_STUDY,
            title="Test case study with charts",
            organisation=Measure.objects.first().organisation,
        )
        case_study.measures.set(Measure.objects.all()[:3])
        assert CaseStudy.objects.filter(slug=CASE_STUDY).exists()
    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(site_server):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            yield chromium
            chromium.close()


@pytest.fixture
def open_page(browser, site_server):
    contexts, errors = [], []

    def _open(path, width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        contexts.append(context)
        context.route(
            lambda url: not url.startswith(site_server.url),
            lambda route: route.abort(),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(site_server.url + path, wait_until="load")
        assert response.status in (200, 400), (path, response.status)
        page.wait_for_selector("header[data-nhsuk-header-init]", state="attached")
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_has_no_wcag_22_aa_violations(open_page, name, path):
    page = open_page(path)

    violations = axe_violations(page)

    assert not violations, f"{path}:\n{describe_violations(violations)}"


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_does_not_scroll_sideways_at_320_pixels(open_page, name, path):
    page = open_page(path, width=320)

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, wide_elements(page)
    assert horizontal_overflow(page) == 0


def test_the_chart_page_prints_with_its_chart_and_table(open_page):
    page = open_page("/measures/illustrative-news2-recorded-on-admission/")
    page.emulate_media(media="print")

    assert page.locator("svg.mdc-chart").first.is_visible()
    assert page.locator("table.nhsuk-table").is_visible()
