"""The strict Content-Security-Policy breaks nothing in a real browser: public pages and admin."""

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import launch_chromium
from tests.factories import ProgrammeFactory
from tests.servers import SERVER_SESSION_COOKIE, signed_in_session_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def server(start_app_server, superuser):
    from django.db import connection

    ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    settings = connection.settings_dict
    return start_app_server(
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}",
        SECURE_COOKIES="false",  # plain HTTP on loopback
    )


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.csp_reports = []
        page.on(
            "console",
            lambda message: (
                page.csp_reports.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page
        browser.close()


def test_public_pages_run_their_scripts_under_the_policy(server, page):
    base = f"http://127.0.0.1:{server.port}"
    for path in ["/", "/programmes/medicines-safety/", "/collaboratives/find/"]:
        page.goto(base + path)
        page.wait_for_function("document.body.classList.contains('js-enabled')")
    assert page.csp_reports == []


@pytest.fixture
def session_key(superuser):
    # Before the page fixture: Django refuses database work inside Playwright's event loop.
    return signed_in_session_key(superuser)


def test_the_admin_works_under_the_policy(server, session_key, page):
    base = f"http://127.0.0.1:{server.port}"
    page.context.add_cookies([{"name": SERVER_SESSION_COOKIE, "value": session_key, "url": base}])
    page.goto(base + "/admin/")
    assert page.locator("#site-name").count() == 1

    page.goto(base + "/admin/programmes/workstream/add/")
    page.locator("#id_name").press_sequentially("Early warning scores")
    assert page.input_value("#id_slug") == "early-warning-scores"  # prepopulate.js ran
    page.locator(".select2-selection").first.click()  # autocomplete widget ran
    page.locator(".select2-results__option", has_text="Medicines safety").wait_for()

    page.goto(base + "/admin/programmes/programme/")
    page.goto(base + "/admin/casestudies/casestudy/add/")
    assert page.csp_reports == []
