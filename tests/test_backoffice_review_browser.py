"""The staff dashboard, the publication checklist, the review-due filter and the recovery
codes page in a real Chromium, each passing axe (WCAG 2.2 A/AA)."""

import datetime as dt
import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect, sync_playwright

from casestudies.models import CaseStudy
from core import roles
from core.publishing import PublicationStatus
from tests.browser import (
    axe_violations,
    describe_violations,
    horizontal_overflow,
    launch_chromium,
    wide_elements,
)
from tests.factories import CaseStudyFactory, OrganisationFactory
from tests.staff import PASSWORD, make_staff, totp_code, totp_secret_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def _sign_in(browser, live_server, user):
    # bypass_csp lets axe-core be injected (the strict CSP allows no added scripts).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code", exact=True).fill(totp_code(totp_secret_of(user)))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def _assert_accessible(page, where: str):
    violations = axe_violations(page)
    assert not violations, f"{where}:\n{describe_violations(violations)}"


def test_a_publisher_walks_the_dashboard_checklist_review_filter_and_recovery_codes(
    browser, live_server
):
    alpha = OrganisationFactory(acronym="ALPHA", slug="alpha", name="Alpha network")
    publisher = make_staff("publisher@alpha.example", roles.PUBLISHER, alpha)
    codes = RecoveryCodes.activate(publisher).get_unused_codes()
    stale = CaseStudyFactory(organisation=alpha, title="Stale falls story", complete=True)
    CaseStudy.objects.filter(pk=stale.pk).update(review_by=dt.date(2020, 1, 1))
    CaseStudyFactory(organisation=alpha, title="Fresh sepsis story", complete=True)
    draft = CaseStudyFactory(
        organisation=alpha,
        title="Unfinished handover story",
        status=PublicationStatus.DRAFT,
        evaluation="",
        created_by=publisher,
    )
    draft.figures.create(label="handovers audited", value=120)

    # The dashboard, in NHS colours under the site's name.
    page = _sign_in(browser, live_server, publisher)
    expect(page.locator("#site-name")).to_have_text(
        "PSC Portal – Patient Safety Collaborative back-office"
    )
    expect(page.locator("#my-drafts")).to_contain_text("Unfinished handover story")
    expect(page.locator("#overdue-reviews")).to_contain_text("Stale falls story")
    expect(page.locator("#overdue-reviews")).not_to_contain_text("Fresh sepsis story")
    expect(page.locator("#recently-published")).to_contain_text("Fresh sepsis story")
    header_bg = page.evaluate("getComputedStyle(document.querySelector('#header')).backgroundColor")
    assert header_bg == "rgb(0, 48, 135)"  # NHS dark blue
    _assert_accessible(page, "dashboard")

    # The checklist on the draft: what is missing, and submitting is refused.
    page.get_by_role("link", name="Unfinished handover story").first.click()
    checklist = page.locator(".publication-checklist")
    expect(checklist).to_contain_text("✓ Done: A summary")
    expect(checklist).to_contain_text("✗ Missing: How the work was evaluated")
    expect(page.locator(".field-summary_readability")).to_contain_text("Flesch reading ease")
    assert horizontal_overflow(page) == 0, wide_elements(page)
    _assert_accessible(page, "case-study change form")
    page.get_by_label("Status:").select_option("in_review")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text(
        "The publication checklist is not complete. Still missing: At least one impact figure"
    )
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT

    # The review-due filter.
    page.goto(f"{live_server.url}/admin/casestudies/casestudy/")
    page.locator("#changelist-filter").get_by_role("link", name="Overdue").click()
    expect(page).to_have_url(re.compile(r"review=overdue"))
    expect(page.locator("#result_list")).to_contain_text("Stale falls story")
    expect(page.locator("#result_list")).not_to_contain_text("Fresh sepsis story")
    _assert_accessible(page, "case-study list filtered by review due")

    # The recovery codes are on screen, not only in the download.
    page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password before showing codes
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    codes_box = page.locator("textarea#recovery_codes")
    expect(codes_box).to_be_visible()
    assert codes_box.input_value().split() == codes
    _assert_accessible(page, "recovery codes")
