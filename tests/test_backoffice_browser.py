"""The back-office journey in a real Chromium: sign in with TOTP, draft, preview, review,
publish, and the walls between collaboratives."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from casestudies.models import CaseStudy
from core import roles
from core.publishing import PublicationStatus
from tests.factories import OrganisationFactory
from tests.staff import PASSWORD, make_staff, totp_code, totp_secret_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _sign_in(browser, live_server, user):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code", exact=True).fill(totp_code(totp_secret_of(user)))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def test_an_editors_draft_is_previewed_reviewed_published_and_walled_off(browser, live_server):
    alpha = OrganisationFactory(acronym="ALPHA", slug="alpha", name="Alpha network")
    bravo = OrganisationFactory(acronym="BRAVO", slug="bravo", name="Bravo network")
    editor = make_staff("editor@alpha.example", roles.EDITOR, alpha)
    publisher = make_staff("publisher@alpha.example", roles.PUBLISHER, alpha)
    outsider = make_staff("editor@bravo.example", roles.EDITOR, bravo)

    # The editor signs in with password and TOTP and writes a draft.
    page = _sign_in(browser, live_server, editor)
    expect(page.locator("#my-drafts")).to_contain_text("You have no drafts")
    page.goto(f"{live_server.url}/admin/casestudies/casestudy/add/")
    page.get_by_label("Title:").fill("Earlier help for deteriorating residents")
    page.get_by_label("Summary:").fill("Care homes spotted deterioration sooner.")
    for field, text in (
        ("issue", "Residents became unwell without anyone noticing early signs."),
        ("what_we_did", "Care home teams learned RESTORE2 and soft signs."),
        ("impact", "More residents were treated at home."),
    ):
        editor_area = page.locator(f"#id_{field}-editor")
        editor_area.click()
        page.keyboard.type(text)
    page.locator("#id_impact-editor").click()
    page.keyboard.press("End")
    page.locator('[data-rich-text-for="id_impact"]').get_by_role("button", name="Bold").click()
    page.keyboard.type(" Bold claim.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    story = CaseStudy.objects.get(slug="earlier-help-for-deteriorating-residents")  # prepopulated
    assert story.organisation == alpha
    assert story.status == PublicationStatus.DRAFT
    assert "<strong>" in story.impact and "More residents were treated at home." in story.impact

    # Preview in the public design.
    preview_link = page.get_by_role("link", name=re.compile("Preview in the public design"))
    preview_path = preview_link.get_attribute("href")
    preview = page.context.new_page()
    preview.goto(live_server.url + preview_path)
    expect(preview.locator("[data-preview-banner]")).to_contain_text("Preview – not published")
    expect(preview.locator("h1")).to_have_text("Earlier help for deteriorating residents")
    expect(preview.locator("strong")).to_contain_text("Bold claim.")

    # The publication checklist (tests/test_publication_checklist.py) is completed off-screen
    # here; tests/test_backoffice_review_browser.py walks it in the browser.
    CaseStudy.objects.filter(pk=story.pk).update(
        evaluation="<p>Audit of escalations before and after.</p>", funding_declaration="none"
    )
    story.figures.create(
        label="residents treated at home", value=40, baseline=25, period="2023", source="Audit"
    )

    # Submit for review through the changelist action.
    page.goto(f"{live_server.url}/admin/casestudies/casestudy/")
    page.get_by_role("row", name=re.compile("Earlier help")).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("submit_for_review")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 case study sent for review")
    story.refresh_from_db()
    assert story.status == PublicationStatus.IN_REVIEW

    # The public cannot see it.
    assert not CaseStudy.objects.published().filter(pk=story.pk).exists()
    public = browser.new_context().new_page()
    public.goto(live_server.url + preview_path)
    expect(public).to_have_url(re.compile(r"/accounts/login/"))
    response = public.goto(live_server.url + story.get_absolute_url())
    assert response.status == 404

    # A publisher of the same collaborative sees it awaiting review and publishes it.
    desk = _sign_in(browser, live_server, publisher)
    expect(desk.locator("#awaiting-review")).to_contain_text("Earlier help")
    desk.goto(f"{live_server.url}/admin/casestudies/casestudy/")
    desk.get_by_role("row", name=re.compile("Earlier help")).get_by_role("checkbox").check()
    desk.locator("select[name=action]").select_option("publish")
    desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist")).to_contain_text("1 case study published")
    assert CaseStudy.objects.published().filter(pk=story.pk).exists()
    response = public.goto(live_server.url + story.get_absolute_url())
    assert response.status == 200
    expect(public.locator("h1")).to_have_text("Earlier help for deteriorating residents")
    expect(public.locator("main strong")).to_contain_text("Bold claim.")
    expect(public.locator("[data-preview-banner]")).to_have_count(0)

    # An editor of another collaborative cannot open it in the admin.
    other = _sign_in(browser, live_server, outsider)
    other.goto(f"{live_server.url}/admin/casestudies/casestudy/{story.pk}/change/")
    expect(other).to_have_url(re.compile(r"/admin/$"))
    expect(other.locator(".messagelist")).to_contain_text("doesn’t exist")
    other.goto(f"{live_server.url}/admin/casestudies/casestudy/")
    expect(other.locator("#result_list, .paginator").first).not_to_contain_text("Earlier help")
