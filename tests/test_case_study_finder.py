"""The case-study finder (/case-studies/) and the structured case study page."""

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from casestudies.models import CaseStudy, Contact, Quote
from casestudies.views import CaseStudyDetailView, CaseStudyListView
from core.publishing import PublicationStatus
from tests.factories import (
    CareSettingFactory,
    CaseStudyFactory,
    ImpactFigureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ThemeFactory,
)
from tests.html_helpers import json_ld_items, parse

pytestmark = pytest.mark.django_db

LIST_URL = "/case-studies/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # broad counts are cached; each test starts without them


def titles(response) -> list[str]:
    """Result titles in page order (the card headings inside the results list)."""
    html = response.content.decode()
    results = html.split('class="nhsuk-list app-card-list app-finder__list"', 1)
    if len(results) < 2:
        return []
    return [
        " ".join(title.split())
        for title in re.findall(r'class="nhsuk-card__link"[^>]*>(.*?)</a>', results[1], re.S)
    ]


def result_count(response) -> str:
    match = re.search(r'id="result-count"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    return " ".join(match.group(1).split())


def facet_count(response, name: str, value: str) -> str | None:
    """The count shown beside a filter option, or None when the option is not offered."""
    html = response.content.decode()
    match = re.search(
        rf'name="{name}" type="checkbox" value="{re.escape(value)}"(?:(?!</label>).)*?'
        r'class="app-facet-count">\(([^<]*)<',
        html,
        re.S,
    )
    return match.group(1) if match else None


def published(**kwargs) -> CaseStudy:
    return CaseStudyFactory(**kwargs)


def at(year: int, month: int = 6) -> datetime:
    return datetime(year, month, 1, 12, tzinfo=UTC)


# --- With the demo content ---------------------------------------------------------------


@pytest.fixture
def demo_content():
    # Per test, not the module-wide demo_site: the other tests here count exact results.
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())


def test_with_demo_content_the_finder_lists_published_case_studies_only(client, demo_content):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    shown = titles(response)
    assert "Building patient safety networks across Wessex" in shown
    assert len(shown) == min(CaseStudy.objects.published().count(), 20)
    for hidden in CaseStudy.objects.exclude(status=PublicationStatus.PUBLISHED):
        assert hidden.title not in response.content.decode()
    assert parse(response.content).h1s == ["Case studies"]

    filtered = client.get(LIST_URL, {"programme": "medicines-safety", "q": "opioids"})
    assert filtered.status_code == 200
    expected = set(
        CaseStudy.objects.published()
        .filter(programmes__slug="medicines-safety", what_we_did__icontains="opioid")
        .values_list("title", flat=True)
    )
    assert expected
    assert expected <= set(titles(filtered))
    assert 'value="medicines-safety" checked' in filtered.content.decode()


def test_with_demo_content_every_published_case_study_renders_and_drafts_are_404(
    client, demo_content
):
    for case_study in CaseStudy.objects.published():
        response = client.get(case_study.get_absolute_url())
        assert response.status_code == 200, case_study.slug
        assert parse(response.content).h1s == [case_study.title]
    hidden = CaseStudy.objects.exclude(status=PublicationStatus.PUBLISHED)
    assert hidden.exists()
    for case_study in hidden:
        assert client.get(case_study.get_absolute_url()).status_code == 404


# --- Filters, counts and sort ------------------------------------------------------------


def test_it_filters_by_programme_collaborative_setting_theme_and_year(client):
    meds = ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    mental = ProgrammeFactory(slug="mental-health", name="Mental health")
    homes = CareSettingFactory(slug="care-homes", name="Care homes")
    wessex = OrganisationFactory(slug="wessex", name="Health Innovation Wessex")
    co_design = ThemeFactory(slug="co-design", name="Co-design")
    match = published(title="Opioids in care homes", organisation=wessex, publish_from=at(2021))
    match.programmes.add(meds)
    match.care_settings.add(homes)
    match.themes.add(co_design)
    wrong_year = published(title="Opioids in 2022", organisation=wessex, publish_from=at(2022))
    wrong_year.programmes.add(meds)
    wrong_year.care_settings.add(homes)
    wrong_year.themes.add(co_design)
    other_programme = published(title="Restraint", organisation=wessex, publish_from=at(2021))
    other_programme.programmes.add(mental)

    response = client.get(
        LIST_URL,
        {
            "programme": "medicines-safety",
            "collaborative": "wessex",
            "setting": "care-homes",
            "theme": "co-design",
            "year": "2021",
        },
    )

    assert response.status_code == 200
    assert titles(response) == ["Opioids in care homes"]
    assert result_count(response).startswith("1 case study")


def test_several_values_of_one_filter_widen_and_different_filters_narrow(client):
    meds = ProgrammeFactory(slug="medicines-safety")
    mental = ProgrammeFactory(slug="mental-health")
    homes = CareSettingFactory(slug="care-homes")
    both = published(title="In both programmes")
    both.programmes.add(meds, mental)
    both.care_settings.add(homes)
    published(title="Only medicines").programmes.add(meds)
    published(title="Only mental health").programmes.add(mental)

    either = client.get(LIST_URL + "?programme=medicines-safety&programme=mental-health")
    assert sorted(titles(either)) == ["In both programmes", "Only medicines", "Only mental health"]

    narrowed = client.get(
        LIST_URL + "?programme=medicines-safety&programme=mental-health&setting=care-homes"
    )
    assert titles(narrowed) == ["In both programmes"]


def test_option_counts_reflect_the_other_active_filters(client):
    meds = ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    mental = ProgrammeFactory(slug="mental-health", name="Mental health")
    homes = CareSettingFactory(slug="care-homes", name="Care homes")
    prisons = CareSettingFactory(slug="prisons", name="Prisons")
    for _ in range(3):
        item = published()
        item.programmes.add(meds)
        item.care_settings.add(homes)
    item = published()
    item.programmes.add(meds)
    item.care_settings.add(prisons)
    item = published()
    item.programmes.add(mental)
    item.care_settings.add(homes)
    CaseStudyFactory(status=PublicationStatus.DRAFT).programmes.add(meds)

    unfiltered = client.get(LIST_URL)
    assert facet_count(unfiltered, "programme", "medicines-safety") == "4"
    assert facet_count(unfiltered, "setting", "care-homes") == "4"

    response = client.get(LIST_URL, {"programme": "medicines-safety"})
    # Settings are counted within the chosen programme...
    assert facet_count(response, "setting", "care-homes") == "3"
    assert facet_count(response, "setting", "prisons") == "1"
    # ...while the programme options still count what choosing each would give.
    assert facet_count(response, "programme", "medicines-safety") == "4"
    assert facet_count(response, "programme", "mental-health") == "1"

    response = client.get(LIST_URL, {"setting": "prisons"})
    assert facet_count(response, "programme", "mental-health") is None  # nothing to find
    assert facet_count(response, "programme", "medicines-safety") == "1"


def test_counts_beyond_the_cap_read_as_a_minimum_and_pages_stop_there(client, monkeypatch):
    monkeypatch.setattr(CaseStudyListView, "count_cap", 5)
    monkeypatch.setattr(CaseStudyListView, "count_limit", 5)
    monkeypatch.setattr(CaseStudyListView, "paginate_by", 2)
    programme = ProgrammeFactory(slug="medicines-safety")
    for _ in range(8):
        published().programmes.add(programme)

    response = client.get(LIST_URL)

    assert "More than 5 case studies" in result_count(response)
    assert facet_count(response, "programme", "medicines-safety").startswith("5+")
    assert "Only the first 5 are listed" in response.content.decode()
    assert client.get(LIST_URL, {"page": 3}).status_code == 200
    assert client.get(LIST_URL, {"page": 4}).status_code == 404


def test_newest_first_is_the_default_order_without_search_words(client):
    published(title="Old", publish_from=at(2016))
    published(title="New", publish_from=at(2024))
    published(title="Middle", publish_from=at(2020))
    assert titles(client.get(LIST_URL)) == ["New", "Middle", "Old"]


def test_relevance_puts_title_matches_first_and_newest_can_be_chosen(client):
    published(title="Reducing harm from opioids", summary="Prescribing.", publish_from=at(2016))
    published(
        title="A dashboard for practices",
        summary="Prescribing.",
        what_we_did="We looked at opioids in passing.",
        publish_from=at(2024),
    )
    published(title="Unrelated", summary="Falls.", publish_from=at(2025))

    relevance = client.get(LIST_URL, {"q": "opioids"})
    assert titles(relevance) == ["Reducing harm from opioids", "A dashboard for practices"]
    assert "most relevant first" in result_count(relevance)

    newest = client.get(LIST_URL, {"q": "opioids", "sort": "newest"})
    assert titles(newest) == ["A dashboard for practices", "Reducing harm from opioids"]


def test_pages_hold_twenty_and_keep_the_filters(client):
    programme = ProgrammeFactory(slug="medicines-safety")
    for day in range(25):
        published(title=f"Item {day:02}", publish_from=at(2020) + timezone.timedelta(days=day))
        CaseStudy.objects.get(title=f"Item {day:02}").programmes.add(programme)

    first = client.get(LIST_URL, {"programme": "medicines-safety"})
    assert len(titles(first)) == 20
    assert "page=2" in first.content.decode()
    assert "programme=medicines-safety&amp;page=2" in first.content.decode()
    second = client.get(LIST_URL, {"programme": "medicines-safety", "page": 2})
    assert titles(second) == [f"Item {day:02}" for day in range(4, -1, -1)]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5"])
def test_a_bad_page_number_is_not_found_rather_than_an_error(client, page):
    published()
    assert client.get(LIST_URL, {"page": page}).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"programme": "no-such-programme"}, "There is no programme “no-such-programme”"),
        ({"collaborative": "atlantis"}, "There is no collaborative “atlantis”"),
        ({"setting": "<script>"}, "There is no care setting “&lt;script&gt;”"),
        ({"year": "abc"}, "There is no year “abc”"),
        ({"year": "1999"}, "There is no year “1999”"),
        ({"sort": "cheapest"}, "Sort by relevance or newest first."),
        ({"q": "x" * 10_000}, "Search words must be 200 characters or fewer"),
    ],
)
def test_bad_filters_get_a_clear_message_and_a_400(client, params, message):
    published(title="Still here")
    response = client.get(LIST_URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem with the search or filters" in html
    assert message in html
    assert "<script>" not in html.split("</head>", 1)[1].replace(
        '<script type="module"', ""
    ).replace('<script type="application/ld+json"', "")
    assert parse(html).h1s == ["Case studies"]
    assert parse(html).title.startswith("Error: ")
    summary = html.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    for target in targets:  # each error links to the field it is about
        assert f'id="{target}"' in html


def test_unknown_parameters_are_ignored(client):
    published(title="Visible")
    response = client.get(LIST_URL, {"utm_source": "newsletter"})
    assert response.status_code == 200
    assert titles(response) == ["Visible"]


def test_an_empty_result_explains_what_to_try(client):
    published(title="Falls prevention")
    response = client.get(LIST_URL, {"q": "tracheostomy"})
    assert response.status_code == 200
    assert "No case studies match your search" in response.content.decode()


def test_the_finder_form_works_without_javascript(client):
    response = client.get(LIST_URL)
    html = response.content.decode()
    form = re.search(r'<form method="get" action="/case-studies/"[^>]*>', html)
    assert form is not None
    assert "Apply filters" in html
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in str(response.headers)


# --- The case study page -----------------------------------------------------------------


def test_the_case_study_page_shows_its_structure_figures_quotes_and_contacts(client):
    programme = ProgrammeFactory(slug="maternity-and-neonatal", name="Maternity and neonatal")
    case_study = published(
        title="Magnesium sulphate in preterm labour",
        summary="Giving magnesium sulphate to protect babies' brains.",
        issue="Too few eligible women were offered it.",
        what_we_did="Midwives were trained in every unit.",
        impact="More babies were protected.",
    )
    case_study.programmes.add(programme)
    ImpactFigureFactory(
        case_study=case_study, value=84, unit="%", label="eligible women given it", period="2021"
    )
    Quote.objects.create(
        case_study=case_study, text="It changed our practice.", attribution="A midwife"
    )
    Contact.objects.create(case_study=case_study, name="Wessex PSC", website="https://example.org")

    response = client.get(case_study.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("The issue", "What was done", "Impact", "Contact"):
        assert f"<h2>{heading}</h2>" in html
    assert "Too few eligible women were offered it." in html
    value = re.search(r'class="app-impact-figure__value">(.*?)</p>', html, re.S).group(1)
    assert value.endswith("84%")
    assert "eligible women given it" in html
    assert re.search(r"<blockquote[^>]*>\s*<p>It changed our practice.</p>", html)
    assert "<cite>A midwife</cite>" in html
    assert 'href="https://example.org"' in html
    assert 'href="/programmes/maternity-and-neonatal/"' in html


def test_the_case_study_page_has_an_article_and_breadcrumbs_in_json_ld(client):
    case_study = published(title="Oximetry at home")
    response = client.get(case_study.get_absolute_url())
    items = json_ld_items(response.content)
    article = next(item for item in items if item["@type"] == "Article")
    assert article["headline"] == "Oximetry at home"
    assert article["author"]["name"] == case_study.organisation.name
    crumbs = next(item for item in items if item["@type"] == "BreadcrumbList")
    assert [c["name"] for c in crumbs["itemListElement"]][-2:] == [
        "Case studies",
        "Oximetry at home",
    ]


def test_related_case_studies_share_a_programme_and_are_published(client):
    programme = ProgrammeFactory(slug="mental-health")
    other = ProgrammeFactory(slug="medicines-safety")
    case_study = published(title="Main")
    case_study.programmes.add(programme)
    published(title="Same programme").programmes.add(programme)
    published(title="Other programme").programmes.add(other)
    CaseStudyFactory(title="Draft in programme", status=PublicationStatus.DRAFT).programmes.add(
        programme
    )
    CaseStudyFactory(
        title="Scheduled in programme", publish_from=timezone.now() + timezone.timedelta(days=3)
    ).programmes.add(programme)

    html = client.get(case_study.get_absolute_url()).content.decode()

    related = html.split("<h2>Related case studies</h2>", 1)[1]
    assert "Same programme" in related
    assert "Other programme" not in related
    assert "Draft in programme" not in related
    assert "Scheduled in programme" not in related


def test_a_scheduled_case_study_is_not_found_until_its_time(client):
    scheduled = CaseStudyFactory(publish_from=timezone.now() + timezone.timedelta(hours=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert scheduled.title not in client.get(LIST_URL).content.decode()


def test_the_detail_view_can_preview_a_draft_by_swapping_its_queryset():
    """The back office reuses the public view for staff previews by overriding one method."""
    draft = CaseStudyFactory(title="Work in progress", status=PublicationStatus.DRAFT)

    class PreviewView(CaseStudyDetailView):
        def get_queryset(self):
            return CaseStudy.objects.all()

    request = RequestFactory().get(f"/preview/{draft.slug}/")
    response = PreviewView.as_view()(request, slug=draft.slug)
    response.render()
    assert response.status_code == 200
    assert "Work in progress" in response.content.decode()


def test_with_search_words_beyond_the_cap_option_counts_are_shown_as_minimums(client, monkeypatch):
    monkeypatch.setattr(CaseStudyListView, "count_cap", 3)
    monkeypatch.setattr(CaseStudyListView, "count_limit", 3)
    programme = ProgrammeFactory(slug="medicines-safety")
    for n in range(5):
        published(title=f"Opioids {n}", publish_from=at(2020 + n)).programmes.add(programme)

    response = client.get(LIST_URL, {"q": "opioids"})

    assert "More than 3 case studies" in result_count(response)
    # Counted over the 3 best candidates only, so at least 3.
    assert facet_count(response, "programme", "medicines-safety") == "3+"
    assert len(titles(response)) == 3


def test_totals_stay_exact_beyond_the_listed_pages(client, monkeypatch):
    monkeypatch.setattr(CaseStudyListView, "count_cap", 4)
    monkeypatch.setattr(CaseStudyListView, "paginate_by", 2)
    programme = ProgrammeFactory(slug="medicines-safety")
    for _ in range(7):
        published().programmes.add(programme)

    response = client.get(LIST_URL)

    assert result_count(response).startswith("7 case studies")
    assert facet_count(response, "programme", "medicines-safety") == "7"
    assert "Only the first 4 are listed" in response.content.decode()
    assert client.get(LIST_URL, {"page": 2}).status_code == 200
    assert client.get(LIST_URL, {"page": 3}).status_code == 404


def test_a_published_case_study_shows_its_publication_date(client):
    story = CaseStudyFactory(publish_from=datetime(2021, 11, 23, 12, tzinfo=UTC))
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Published <time" in page and "23 November 2021" in page
