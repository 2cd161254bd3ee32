"""Every public page in real Chromium: axe-core WCAG 2.2 AA, reflow at 320 px, keyboard use.

To add a page, append ``(name, path)`` to ``PAGES``; the demo data (reference data plus demo
content) is loaded once for the module and served by a live server.
"""

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser import (
    axe_violations,
    describe_violations,
    horizontal_overflow,
    launch_chromium,
    wide_elements,
)

# django_db makes pytest-django set up the test database; the data itself is committed once
# for the module by ``committed_demo_site`` so the live server thread can read it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = [
    ("home", "/"),
    ("programme-list", "/programmes/"),
    ("programme-detail", "/programmes/managing-deterioration/"),
    ("collaborative-list", "/collaboratives/"),
    ("collaborative-detail", "/collaboratives/wessex/"),
    ("lookup-form", "/collaboratives/find/"),
    ("lookup-result", "/collaboratives/find/?q=SO16+6YD"),
    ("lookup-ambiguous", "/collaboratives/find/?q=Cheshire+East"),
    ("lookup-error", "/collaboratives/find/?q=Southamptn"),
    ("lookup-empty", "/collaboratives/find/?q="),
    ("about", "/about/"),
    ("accessibility", "/accessibility/"),
    ("privacy", "/privacy/"),
    ("not-found", "/no-such-page/"),
    # Part B: case-study and resource finders (with filters), details and search.
    ("case-study-list", "/case-studies/"),
    (
        "case-study-list-filtered",
        "/case-studies/?q=oximetry&programme=managing-deterioration&setting=care-homes",
    ),
    ("case-study-list-error", "/case-studies/?programme=no-such-programme"),
    ("case-study-detail", "/case-studies/wessex-restore2mini-adaptations/"),
    ("case-study-detail-figures", "/case-studies/wessex-magnesium-sulphate-preterm-labour/"),
    ("resource-list", "/resources/"),
    ("resource-list-filtered", "/resources/?topic=covid-19&kind=guide"),
    ("resource-detail-link", "/resources/covid-19-pulse-oximetry/"),
    ("resource-detail-download", "/resources/wessex-psc-impact-at-a-glance/"),
    ("event-list", "/events/"),
    ("event-list-past", "/events/past/"),
    ("event-list-filtered", "/events/?format=online"),
    ("event-detail", "/events/example-webinar-restore2-in-care-homes/"),
    ("event-detail-past", "/events/example-webinar-pulse-oximetry-at-home/"),
    ("contact", "/contact/"),
    ("search", "/search/"),
    ("search-results", "/search/?q=deterioration"),
    ("search-error", "/search/?q=" + "x" * 300),
]


@pytest.fixture(scope="module")
def site_server(committed_demo_site):
    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(site_server):
    # Depends on the server so Chromium closes before the demo data is flushed.
    # Playwright's sync API keeps an event loop on this thread, which makes Django refuse
    # the test transaction; nothing here is really asynchronous, so allow it while it runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            yield chromium
            chromium.close()


@pytest.fixture
def open_page(browser, site_server):
    """open_page(path, width=1280) → a loaded Playwright page; JS errors fail the test."""
    contexts, errors = [], []

    def _open(path, width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        contexts.append(context)
        # Only the test server is reachable (the NHS web fonts fall back to Arial).
        context.route(
            lambda url: not url.startswith(site_server.url),
            lambda route: route.abort(),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site_server.url + path, wait_until="load")
        # NHS.UK frontend has set up the header (it folds navigation that does not fit into
        # a "More" menu); until then the page is still settling.
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


def test_the_nhs_frontend_javascript_runs(open_page):
    page = open_page("/")

    assert page.evaluate("() => document.body.classList.contains('nhsuk-frontend-supported')")


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(open_page):
    page = open_page("/programmes/")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Skip to main content"
    )
    page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.id") == "maincontent"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_the_lookup_works_with_the_keyboard_alone(open_page):
    page = open_page("/collaboratives/find/")

    page.focus("#q")
    page.keyboard.type("so16 6yd")
    page.keyboard.press("Enter")
    page.wait_for_url("**/collaboratives/find/?q=so16+6yd")

    assert "Your collaborative is Wessex Patient Safety Collaborative" in page.inner_text("main")


def test_the_error_summary_link_moves_focus_to_the_field(open_page):
    page = open_page("/collaboratives/find/?q=")

    page.click(".nhsuk-error-summary a[href='#q']")

    assert page.evaluate("() => document.activeElement.id") == "q"


def test_printing_hides_navigation_search_and_breadcrumbs(open_page):
    page = open_page("/programmes/managing-deterioration/")
    page.emulate_media(media="print")

    hidden = page.evaluate(
        """() => ['.nhsuk-header__search', '.nhsuk-header__navigation', '.nhsuk-breadcrumb',
                  '.nhsuk-skip-link']
            .map((selector) => document.querySelector(selector))
            .filter(Boolean)
            .map((element) => getComputedStyle(element).display)"""
    )

    assert hidden and set(hidden) == {"none"}
    assert page.is_visible("h1")
