"""Every public URL of the site, with one published object behind each detail page."""

import datetime

from django.urls import reverse

from tests.factories import (
    CaseStudyFactory,
    CoverageFactory,
    DataPointFactory,
    EventFactory,
    MeasureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
)

LIST_ROUTES = [
    "pages:home",
    "pages:about",
    "pages:accessibility",
    "pages:privacy",
    "programmes:list",
    "casestudies:list",
    "resources:list",
    "events:list",
    "events:past",
    "measures:list",
    "collaboratives:list",
    "postcodes:find",
    "search:results",
    "sitemap",
    "robots_txt",
    "feed_case_studies",
    "feed_resources",
]


def make_public_content() -> dict:
    organisation = OrganisationFactory(slug="wessex", name="Health Innovation Wessex")
    CoverageFactory(organisation=organisation, value="SO")
    programme = ProgrammeFactory(slug="managing-deterioration", name="Managing deterioration")
    case_study = CaseStudyFactory(title="Spotting deterioration early in care homes")
    resource = ResourceFactory(title="Soft signs poster")
    event = EventFactory(title="Soft signs webinar", organisation=organisation)
    measure = MeasureFactory(name="Care homes using soft signs", organisation=organisation)
    measure.programmes.add(programme)
    case_study.measures.add(measure)
    for month, value in enumerate([40, 42, 41, 45, 44, 47, 46, 50, 49, 52, 51, 55], start=1):
        DataPointFactory(measure=measure, period=datetime.date(2023, month, 1), value=value)
    return {
        "event": event,
        "measure": measure,
        "organisation": organisation,
        "programme": programme,
        "case_study": case_study,
        "resource": resource,
    }


def public_urls(content: dict) -> list[str]:
    return [reverse(name) for name in LIST_ROUTES] + [
        content["organisation"].get_absolute_url(),
        content["programme"].get_absolute_url(),
        content["case_study"].get_absolute_url(),
        content["resource"].get_absolute_url(),
        content["event"].get_absolute_url(),
        content["measure"].get_absolute_url(),
    ]
