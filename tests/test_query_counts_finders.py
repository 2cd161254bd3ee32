"""The finders, their detail pages and the site search run a fixed number of queries.

Each page is requested with 2 and with 40 matching items (and children); the number of SQL
queries must be the same, and small.
"""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import Contact, Quote
from tests.factories import (
    CareSettingFactory,
    CaseStudyFactory,
    ImpactFigureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
    ThemeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def queries_for(client, url: str, expected_status: int = 200) -> int:
    """Queries of a cold request: no stored page, option counts or vocabularies. The shared
    content generation stays (it is created once, not per page)."""
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == expected_status, url
    return len(captured.captured_queries)


def make_case_studies(count: int):
    programme = ProgrammeFactory(slug="medicines-safety")
    setting = CareSettingFactory(slug="care-homes")
    theme = ThemeFactory(slug="co-design")
    organisation = OrganisationFactory(slug="wessex")
    made = []
    for n in range(count):
        case_study = CaseStudyFactory(
            title=f"Opioids work {n}", organisation=organisation, what_we_did="Opioids."
        )
        case_study.programmes.add(programme)
        case_study.care_settings.add(setting)
        case_study.themes.add(theme)
        made.append(case_study)
    return made


def make_resources(count: int):
    programme = ProgrammeFactory(slug="medicines-safety")
    topic = TopicFactory(slug="covid-19")
    setting = CareSettingFactory(slug="care-homes")
    for n in range(count):
        resource = ResourceFactory(title=f"Opioids toolkit {n}", organisation=OrganisationFactory())
        resource.programmes.add(programme)
        resource.topics.add(topic)
        resource.care_settings.add(setting)


CASE_STUDY_URLS = [
    "/case-studies/",
    "/case-studies/?page=2",
    "/case-studies/?q=opioids",
    "/case-studies/?programme=medicines-safety&setting=care-homes",
    "/case-studies/?q=opioids&collaborative=wessex&theme=co-design&sort=newest",
]
RESOURCE_URLS = [
    "/resources/",
    "/resources/?q=opioids",
    "/resources/?kind=toolkit&topic=covid-19&programme=medicines-safety",
]


@pytest.mark.parametrize("url", CASE_STUDY_URLS)
def test_case_study_finder_queries_do_not_grow_with_data(client, url):
    make_case_studies(2)
    page_two = "page=2" in url
    few = queries_for(client, url, 404 if page_two else 200)
    make_case_studies(38)
    many = queries_for(client, url)
    if not page_two:
        assert many == few
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("url", RESOURCE_URLS)
def test_resource_finder_queries_do_not_grow_with_data(client, url):
    make_resources(2)
    few = queries_for(client, url)
    make_resources(38)
    many = queries_for(client, url)
    assert many == few
    assert many <= MAX_QUERIES


def detailed_case_study(children: int):
    case_study = make_case_studies(1)[0]
    programme = case_study.programmes.get()
    for n in range(children):
        ImpactFigureFactory(case_study=case_study, value=n)
        Quote.objects.create(case_study=case_study, text=f"Quote {n}", attribution="Someone")
        Contact.objects.create(case_study=case_study, name=f"Contact {n}")
        case_study.programmes.add(ProgrammeFactory())
        case_study.care_settings.add(CareSettingFactory())
        case_study.themes.add(ThemeFactory())
        CaseStudyFactory(title=f"Related {n}").programmes.add(programme)
    return case_study


def test_case_study_page_queries_do_not_grow_with_its_figures_quotes_and_links(client):
    few = queries_for(client, detailed_case_study(2).get_absolute_url())
    many = queries_for(client, detailed_case_study(40).get_absolute_url())
    assert many == few
    assert many <= MAX_QUERIES + 1  # and its measures


def test_resource_page_queries_do_not_grow_with_its_links(client):
    def resource(links: int):
        item = ResourceFactory(organisation=OrganisationFactory())
        for _ in range(links):
            item.programmes.add(ProgrammeFactory())
            item.topics.add(TopicFactory())
            item.care_settings.add(CareSettingFactory())
        return item

    few = queries_for(client, resource(2).get_absolute_url())
    many = queries_for(client, resource(40).get_absolute_url())
    assert many == few
    assert many <= MAX_QUERIES


def test_search_queries_do_not_grow_with_data(client):
    def add(count: int):
        for n in range(count):
            CaseStudyFactory(title=f"Sepsis {n}")
            ResourceFactory(title=f"Sepsis guide {n}")
            ProgrammeFactory(name=f"Sepsis programme {n}")
            OrganisationFactory(name=f"Sepsis network {n}")

    add(2)
    few = queries_for(client, "/search/?q=sepsis")
    add(38)
    many = queries_for(client, "/search/?q=sepsis")
    assert many == few
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("url", CASE_STUDY_URLS + RESOURCE_URLS)
def test_a_warm_finder_stays_within_the_limit_and_a_stored_one_costs_at_most_one(client, url):
    make_case_studies(3)
    make_resources(3)
    caches["pages"].clear()
    expected = 404 if "page=2" in url else 200
    assert client.get(url).status_code == expected
    other = url + ("&" if "?" in url else "?") + "utm_source=newsletter"  # not a stored page
    with CaptureQueriesContext(connection) as warm:
        assert client.get(other).status_code == expected
    with CaptureQueriesContext(connection) as stored:
        assert client.get(other).status_code == expected
    assert len(warm) <= MAX_QUERIES
    assert len(stored) <= (1 if expected == 200 else MAX_QUERIES)
