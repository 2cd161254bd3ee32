"""Query counts on the public pages do not grow with data: 2 items and 40 cost the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collaboratives.models import ContactDetail, ContactKind, CoverageKind
from programmes.models import Measure, Principle
from tests.factories import (
    CaseStudyFactory,
    CoverageFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 11  # a programme page: its measures roll-up and next events too


@pytest.fixture
def home():
    return OrganisationFactory(slug="wessex", acronym="Wessex", psc_name="Wessex PSC")


def add_contacts(organisation, count):
    start = organisation.contact_details.count()
    ContactDetail.objects.bulk_create(
        ContactDetail(
            organisation=organisation,
            kind=ContactKind.WEBSITE,
            value=f"https://example.org/{start + i}",
            verified=bool(i % 2),
        )
        for i in range(count)
    )


def home_page(home, programme, count):
    for _ in range(count):
        ProgrammeFactory()
        CaseStudyFactory(organisation=home)
        ResourceFactory()
    return "/"


def programme_list(home, programme, count):
    ProgrammeFactory.create_batch(count)
    return "/programmes/"


def programme_detail(home, programme, count):
    for i in range(count):
        workstream = WorkstreamFactory(programme=programme)
        for j in range(2):
            Measure.objects.create(
                programme=programme,
                workstream=workstream,
                key=f"{workstream.slug}-{j}",
                label="Something measured",
                target="≥80%",
                period="by March 2024",
                source="NHS England",
            )
        principle = Principle.objects.create(slug=f"principle-{programme.pk}-{i}-{count}")
        programme.principles.add(principle)
        CaseStudyFactory(organisation=home).programmes.add(programme)
        ResourceFactory().programmes.add(programme)
    return programme.get_absolute_url()


def collaborative_list(home, programme, count):
    for _ in range(count):
        add_contacts(OrganisationFactory(), 2)
    return "/collaboratives/"


def collaborative_detail(home, programme, count):
    add_contacts(home, count)
    for i in range(count):
        CoverageFactory(organisation=home, kind=CoverageKind.ICS, value=f"System {count}-{i}")
        CaseStudyFactory(organisation=home)
        ResourceFactory(organisation=home)
    return home.get_absolute_url()


def lookup_result(home, programme, count):
    add_contacts(home, count)
    if not home.coverage.filter(kind=CoverageKind.POSTCODE_AREA).exists():
        CoverageFactory(organisation=home, kind=CoverageKind.POSTCODE_AREA, value="SO")
    for i in range(count):
        CoverageFactory(organisation=home, kind=CoverageKind.TOWN, value=f"Town {count}-{i}")
    return "/collaboratives/find/?q=SO16+6YD"


def sitemap(home, programme, count):
    for _ in range(count):
        CaseStudyFactory(organisation=home)
        ResourceFactory()
    return "/sitemap.xml"


def sitemap_section(home, programme, count):
    for _ in range(count):
        CaseStudyFactory(organisation=home)
    return "/sitemap-case-studies.xml"


def case_study_feed(home, programme, count):
    CaseStudyFactory.create_batch(count)
    return "/feeds/case-studies/"


def resource_feed(home, programme, count):
    ResourceFactory.create_batch(count)
    return "/feeds/resources/"


SCENARIOS = [
    home_page,
    programme_list,
    programme_detail,
    collaborative_list,
    collaborative_detail,
    lookup_result,
    sitemap,
    sitemap_section,
    case_study_feed,
    resource_feed,
]


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_a_page_needs_the_same_queries_for_2_and_40_items(client, home, scenario):
    programme = ProgrammeFactory()
    path = scenario(home, programme, 2)
    with_two = queries_for(client, path)

    scenario(home, programme, 38)
    with_forty = queries_for(client, path)

    assert with_two == with_forty
    assert with_forty <= MAX_QUERIES
