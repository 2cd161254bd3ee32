"""The public pages owned by the site layout: home, programmes, collaboratives, plain pages,
error pages. Demo data (reference + demo content) is loaded once for the module."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error

from casestudies.models import CaseStudy
from collaboratives.models import ContactDetail, ContactKind, Organisation
from core.publishing import PublicationStatus
from programmes.models import Programme, ProgrammeStatus
from resources.models import Resource
from tests.factories import CaseStudyFactory, ResourceFactory
from tests.html_helpers import json_ld_items, meta_content, parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

SITE = "Wessex Patient Safety Collaborative"

PUBLIC_PAGES = [
    "/",
    "/programmes/",
    "/programmes/managing-deterioration/",
    "/programmes/maternity-and-neonatal/",
    "/collaboratives/",
    "/collaboratives/wessex/",
    "/collaboratives/oxford/",
    "/collaboratives/find/",
    "/collaboratives/find/?q=SO16+6YD",
    "/collaboratives/find/?q=nowhere-at-all",
    "/about/",
    "/accessibility/",
    "/privacy/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_renders_with_one_h1_equal_to_its_title(client, path):
    response = client.get(path)

    assert response.status_code == 200
    page = parse(response.content)
    assert len(page.h1s) == 1
    title = page.title.removeprefix("Error: ")
    assert title == SITE if page.h1s[0] == SITE else title == f"{page.h1s[0]} – {SITE}"


SITE_WIDE_PAGES = [
    *PUBLIC_PAGES,
    "/no-such-page/",
    "/case-studies/",
    "/case-studies/?q=oximetry&programme=managing-deterioration",
    "/case-studies/wessex-restore2mini-adaptations/",
    "/resources/",
    "/resources/?topic=covid-19",
    "/search/?q=oximetry",
    "/sitemap.xml",
    "/robots.txt",
    "/feeds/case-studies/",
    "/feeds/resources/",
]


@pytest.mark.parametrize("path", SITE_WIDE_PAGES)
def test_anonymous_pages_set_no_cookies(client, path):
    response = client.get(path)

    assert not response.cookies
    assert b"Set-Cookie" not in response.serialize_headers()


HTML_PAGES = [
    path for path in SITE_WIDE_PAGES if not path.startswith(("/sitemap", "/robots", "/feeds"))
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_carry_no_inline_script_or_style_attribute(client, path):
    page = parse(client.get(path).content)

    assert page.inline_scripts == 0
    assert page.style_attributes == 0


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_seo_metadata_and_organisation_json_ld(client, path):
    response = client.get(path)
    html = response.content

    canonical = [link["href"] for link in parse(html).links if link.get("rel") == "canonical"]
    assert canonical == [f"http://testserver{path.split('?')[0]}"]
    assert meta_content(html, "description")
    assert meta_content(html, "og:title")
    assert meta_content(html, "og:url") == canonical[0]
    organisation = next(item for item in json_ld_items(html) if item["@type"] == "Organization")
    assert organisation["name"] == SITE
    assert organisation["parentOrganization"]["name"] == "Health Innovation Wessex"


def test_detail_pages_describe_their_breadcrumbs_in_json_ld(client):
    html = client.get("/programmes/medicines-safety/").content

    trail = next(item for item in json_ld_items(html) if item["@type"] == "BreadcrumbList")
    names = [crumb["name"] for crumb in trail["itemListElement"]]
    assert names == ["Home", "Programmes", "Medicines safety"]
    assert trail["itemListElement"][1]["item"] == "http://testserver/programmes/"


def test_the_header_names_the_home_collaborative_and_links_the_sections(client):
    html = client.get("/about/").content.decode()

    assert '<span class="nhsuk-header__organisation-name">Wessex Patient Safety Collaborative' in (
        html
    )
    for href in ("/programmes/", "/case-studies/", "/resources/", "/collaboratives/find/"):
        assert f'href="{href}"' in html
    assert 'action="/search/"' in html and 'method="get"' in html
    assert re.search(r'class="nhsuk-skip-link"[^>]*href="#maincontent"', html)
    assert '<main class="nhsuk-main-wrapper" id="maincontent"' in html
    current = html.split("nhsuk-header__navigation-item--current")[1].split("</li>")[0]
    assert 'href="/about/"' in current
    assert html.count("nhsuk-header__navigation-item--current") == 1


def test_the_footer_links_accessibility_privacy_and_contact(client):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="nhsuk-footer"')[1]

    assert 'href="/accessibility/"' in footer
    assert 'href="/privacy/"' in footer
    assert 'href="/about/"' in footer


def test_home_shows_aims_programmes_latest_case_studies_covid_resources_and_the_finder(client):
    html = client.get("/").content.decode()

    for aim in ("Insight", "Involvement", "Improvement"):
        assert f">{aim}</h3>" in html
    for programme in Programme.objects.all():
        assert programme.get_absolute_url() in html
    latest = CaseStudy.objects.published().order_by("-publish_from").first()
    assert latest.get_absolute_url() in html
    covid = Resource.objects.published().filter(topics__slug="covid-19").first()
    assert covid.get_absolute_url() in html
    assert 'class="nhsuk-action-link"' in html and 'href="/collaboratives/find/"' in html
    assert "Health Innovation Wessex" in html


def test_drafts_and_scheduled_items_never_reach_the_public_pages(client):
    programme = Programme.objects.get(slug="medicines-safety")
    wessex = Organisation.objects.get(slug="wessex")
    draft = CaseStudyFactory(
        title="Secret draft study", organisation=wessex, status=PublicationStatus.DRAFT
    )
    draft.programmes.add(programme)
    scheduled = ResourceFactory(
        title="Not yet out", organisation=wessex, publish_from="2999-01-01T00:00:00Z"
    )
    scheduled.programmes.add(programme)

    for path in ("/", "/programmes/medicines-safety/", "/collaboratives/wessex/"):
        html = client.get(path).content.decode()
        assert "Secret draft study" not in html
        assert "Not yet out" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_a_programme_shows_aims_principles_workstreams_and_targets_with_period_and_source(
    client,
):
    programme = Programme.objects.get(slug="maternity-and-neonatal")
    response = client.get(programme.get_absolute_url())
    html = response.content.decode()

    assert "<h2>Aims</h2>" in html
    for principle in programme.principles.all():
        assert principle.name in html
    for workstream in programme.workstreams.all():
        assert f"<h3>{workstream.name}</h3>" in html
    measure = programme.measures.first()
    assert measure.period in html and measure.source in html and measure.target in html


def test_a_paused_programme_shows_its_status_with_month_year_and_note(client):
    programme = Programme.objects.get(slug="managing-deterioration")
    programme.status = ProgrammeStatus.PAUSED
    programme.status_from = datetime.date(2020, 3, 1)
    programme.status_note = "staff redeployed to the COVID-19 response"
    programme.save()
    line = "Paused from March 2020: staff redeployed to the COVID-19 response"

    detail = client.get(programme.get_absolute_url()).content.decode()

    assert "nhsuk-card--warning" in detail
    assert "Programme paused" in detail
    assert line in detail
    assert line in client.get("/programmes/").content.decode()
    assert line in client.get("/").content.decode()


def test_the_oxford_pause_or_refocus_reads_the_same_on_every_page_that_mentions_it(client):
    programme = Programme.objects.get(slug="maternity-and-neonatal")
    assert programme.status == ProgrammeStatus.ACTIVE and programme.status_from is None
    # Its tag says "Active"; the line is the note alone, never "Active: Active: …".
    line = programme.status_note
    assert "Oxford Patient Safety Collaborative paused or refocused" in line
    assert "not yet confirmed" in line

    for path in ("/", "/programmes/", programme.get_absolute_url()):
        html = client.get(path).content.decode()
        assert line in html.replace("&#39;", "'"), path
        assert f"Active: {line}" not in html.replace("&#39;", "'"), path
    case_study = client.get("/case-studies/oxford-refocusing-during-covid-19/").content.decode()
    assert "among those paused or refocused" in case_study


def test_programme_and_directory_tables_carry_no_row_roles(client):
    for path in ("/programmes/medicines-safety/", "/collaboratives/"):
        html = client.get(path).content.decode()
        assert "<tr" in html
        assert 'role="row"' not in html


def test_a_programme_links_to_the_finders_filtered_by_it(client):
    html = client.get("/programmes/managing-deterioration/").content.decode()

    assert 'href="/case-studies/?programme=managing-deterioration"' in html
    assert 'href="/resources/?programme=managing-deterioration"' in html


def test_an_unknown_programme_or_collaborative_is_an_nhs_styled_404(client):
    for path in ("/programmes/no-such-programme/", "/collaboratives/atlantis/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in parse(response.content).h1s


def test_the_collaboratives_list_names_all_fifteen_with_former_names(client):
    html = client.get("/collaboratives/").content.decode()

    assert html.count('class="nhsuk-table__row"') == 15
    assert "Wessex AHSN" in html
    assert "15 collaboratives" in html


def test_the_collaboratives_list_is_in_order_of_the_names_it_shows(client):
    html = client.get("/collaboratives/").content.decode()

    shown = re.findall(r'<a href="/collaboratives/[^/"]+/">([^<]+)</a>', html)
    assert len(shown) == 15
    assert shown == sorted(shown)


def test_the_about_page_describes_the_area_in_whole_sentences(client):
    html = client.get("/about/").content.decode()

    assert "across our area.</p>" in html
    assert (
        "<strong>Area we cover:</strong> Hampshire and the Isle of Wight, and Dorset. "
        "In the past the area also included south Wiltshire." in html
    )
    assert "area. Hampshire" not in html


def test_a_million_plus_figure_has_no_stray_space(client):
    html = client.get("/case-studies/wessex-restore2-and-pulse-oximetry-videos/").content.decode()

    assert "1,000,000+</p>" in html
    assert "1,000,000 +" not in html


def test_favicon_ico_leads_to_the_nhs_favicon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/vendor/nhsuk-frontend/assets/images/favicon.ico"
    assert finders.find("vendor/nhsuk-frontend/assets/images/favicon.ico")


def test_a_collaborative_shows_names_territory_systems_and_flags_unverified_contacts(client):
    oxford = Organisation.objects.get(slug="oxford")
    ContactDetail.objects.filter(organisation=oxford).delete()
    ContactDetail.objects.create(
        organisation=oxford,
        kind=ContactKind.WEBSITE,
        value="https://checked.example",
        verified=True,
    )
    ContactDetail.objects.create(
        organisation=oxford, kind=ContactKind.EMAIL, value="guess@unchecked.example"
    )

    html = client.get("/collaboratives/oxford/").content.decode()

    assert "Oxford AHSN" in html
    assert "Buckinghamshire, Oxfordshire and Berkshire West" in html
    verified_row = html.split(">checked.example</a>")[1].split("</dd>")[0]
    unverified_row = html.split("guess@unchecked.example</a>")[1].split("</dd>")[0]
    assert "Not verified" not in verified_row
    assert "Not verified" in unverified_row


def test_a_collaborative_page_never_shows_an_empty_field(client):
    wessex = Organisation.objects.get(slug="wessex")
    wessex.host_organisation = ""
    wessex.save()
    ContactDetail.objects.filter(organisation=wessex).delete()

    html = client.get("/collaboratives/wessex/").content.decode()

    assert "Legal host" not in html
    assert '<dd class="nhsuk-summary-list__value">\n    </dd>' not in html
    assert "We do not have checked contact details for this organisation yet." in html


def test_a_collaborative_lists_its_own_published_case_studies(client):
    wessex = Organisation.objects.get(slug="wessex")
    html = client.get("/collaboratives/wessex/").content.decode()

    mine = CaseStudy.objects.published().filter(organisation=wessex).first()
    theirs = CaseStudy.objects.published().exclude(organisation=wessex).first()
    assert mine.get_absolute_url() in html
    if theirs:
        assert theirs.get_absolute_url() not in html


def test_the_accessibility_statement_has_the_sections_public_bodies_must_publish(client):
    html = client.get("/accessibility/").content.decode()

    for heading in (
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in html
    assert "WCAG" in html or "Web Content Accessibility Guidelines" in html


def test_the_privacy_page_says_anonymous_pages_set_no_cookies(client):
    html = client.get("/privacy/").content.decode()

    assert "does not put any cookies on your device" in html


def test_the_404_page_uses_the_site_layout(client):
    response = client.get("/this/does/not/exist/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="nhsuk-header' in html and 'class="nhsuk-footer' in html
    assert parse(html).title == f"Page not found – {SITE}"
    assert meta_content(html, "robots") == "noindex"


def test_the_500_page_renders_without_a_database_or_a_request(django_db_blocker):
    with django_db_blocker.block():
        html = render_to_string("500.html")
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    for text in (html, response.content.decode()):
        page = parse(text)
        assert page.h1s == ["Sorry, there is a problem with the service"]
        assert f"– {settings.SITE_NAME}" in page.title
        assert "nhsuk-frontend.min.css" in text


def test_admin_templates_still_render_with_the_django_engine(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert 'id="site-name"' in response.content.decode()  # Django admin's base template


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/",
        "/programmes/medicines-safety/",
        "/collaboratives/",
        "/collaboratives/wessex/",
        "/about/",
        "/",
    ],
)
@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=99999", "programme=no-such-thing", "q=" + "x" * 10_000, "page=-1&page=2"],
)
def test_malformed_query_parameters_never_break_a_page(client, path, query):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 200


def test_the_header_search_form_sends_a_get_to_the_site_search(client):
    html = client.get("/").content.decode()
    form = html.split('class="nhsuk-header__search-form"')[1].split("</form>")[0]

    assert 'action="/search/"' in form
    assert 'method="get"' in form
    assert 'name="q"' in form
    assert "csrfmiddlewaretoken" not in form


def test_a_collaborative_page_describes_the_organisation_in_json_ld(client):
    html = client.get("/collaboratives/wessex/").content

    described = [
        item
        for item in json_ld_items(html)
        if item["@type"] == "Organization" and item["url"].endswith("/collaboratives/wessex/")
    ]
    assert len(described) == 1
    assert described[0]["name"] == "Wessex Patient Safety Collaborative"
    assert "Wessex AHSN" in described[0]["alternateName"]
    assert described[0]["parentOrganization"]["name"] == "Health Innovation Wessex"


def test_every_internal_link_on_the_pages_leads_somewhere(client):
    seen, broken = set(), []
    for path in PUBLIC_PAGES:
        for href in re.findall(r'href="(/[^"#]*)"', client.get(path).content.decode()):
            href = href.replace("&amp;", "&")
            if href in seen or href.startswith("/static/"):
                continue
            seen.add(href)
            status = client.get(href).status_code
            if status != 200:
                broken.append((path, href, status))

    assert len(seen) > 50
    assert not broken


def test_the_site_still_renders_when_the_home_collaborative_is_missing(client, settings):
    settings.HOME_COLLABORATIVE = "not-a-collaborative"

    response = client.get("/")

    assert response.status_code == 200
    page = parse(response.content)
    assert page.title == settings.SITE_NAME
    assert page.h1s == [settings.SITE_NAME]


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "Sorry, we could not understand that request"),
        ("403.html", "You do not have permission to see this page"),
    ],
)
def test_the_other_error_pages_use_the_site_layout_without_a_request(
    django_db_blocker, template, heading
):
    with django_db_blocker.block():
        html = render_to_string(template)

    page = parse(html)
    assert page.h1s == [heading]
    assert page.title == f"{heading} – {settings.SITE_NAME}"
    assert 'class="nhsuk-footer' in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/programmes/", "/programmes/"),
        ("/programmes/mental-health/", "/programmes/"),
        ("/collaboratives/find/", "/collaboratives/find/"),
        ("/collaboratives/kss/", "/collaboratives/find/"),
        ("/case-studies/", "/case-studies/"),
        ("/resources/", "/resources/"),
    ],
)
def test_the_header_marks_the_section_the_page_belongs_to(client, path, current):
    html = client.get(path).content.decode()

    assert html.count("nhsuk-header__navigation-item--current") == 1
    marked = html.split("nhsuk-header__navigation-item--current")[1].split("</li>")[0]
    assert f'href="{current}"' in marked


def test_the_home_page_marks_no_section(client):
    assert "nhsuk-header__navigation-item--current" not in client.get("/").content.decode()


def test_a_request_for_an_unknown_host_gets_a_400_not_a_500(client):
    response = client.get("/", headers={"Host": "evil.example.com"})
    assert response.status_code == 400
    assert b"<h1" in response.content
