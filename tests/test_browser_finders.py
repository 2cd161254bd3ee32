"""The finders in real Chromium, with the keyboard alone (no mouse, no JavaScript needed).

Reuses the live server, browser and page fixtures of the accessibility module.
"""

import pytest

from casestudies.models import CaseStudy
from tests.test_browser_accessibility import browser, open_page, site_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def focused(page) -> dict:
    return page.evaluate(
        """() => ({
            id: document.activeElement.id,
            name: document.activeElement.name || "",
            value: document.activeElement.value || "",
            text: document.activeElement.textContent.trim(),
            checked: !!document.activeElement.checked,
        })"""
    )


def tab_until(page, matches, limit: int = 150) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError("Tab never reached the element")


def result_titles(page) -> list[str]:
    return [
        t.strip() for t in page.locator(".app-finder__list .nhsuk-card__link").all_inner_texts()
    ]


def test_the_case_study_finder_can_be_used_with_the_keyboard_alone(open_page):  # noqa: F811
    expected = set(
        CaseStudy.objects.published()
        .filter(programmes__slug="medicines-safety")
        .values_list("title", flat=True)
    )
    assert expected
    page = open_page("/case-studies/")
    before = page.inner_text("#result-count")

    tab_until(page, lambda e: e["name"] == "programme" and e["value"] == "medicines-safety")
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    tab_until(page, lambda e: e["text"] == "Apply filters")
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies/?*programme=medicines-safety*")

    assert set(result_titles(page)) == expected
    assert page.inner_text("#result-count") != before
    assert page.is_checked("input[name=programme][value=medicines-safety]")


def test_search_words_are_submitted_with_enter_and_the_url_can_be_shared(
    open_page,  # noqa: F811
    site_server,  # noqa: F811
):
    page = open_page("/case-studies/")

    tab_until(page, lambda e: e["id"] == "q")
    page.keyboard.type("oximetry")
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies/?*q=oximetry*")
    titles = result_titles(page)

    assert titles
    shared = open_page(page.url.removeprefix(site_server.url))
    assert result_titles(shared) == titles
