"""Sitemap, robots.txt and RSS feeds list published content only."""

import xml.etree.ElementTree as ET

import pytest

from casestudies.models import CaseStudy
from casestudies.sitemaps import CaseStudySitemap
from collaboratives.models import Organisation
from core.publishing import PublicationStatus
from events.models import Event
from programmes.models import Programme
from resources.models import Resource
from tests.factories import CaseStudyFactory, ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def unpublished():
    wessex = Organisation.objects.get(slug="wessex")
    return [
        CaseStudyFactory(
            slug="draft-case-study", organisation=wessex, status=PublicationStatus.DRAFT
        ),
        CaseStudyFactory(
            slug="in-review-case-study", organisation=wessex, status=PublicationStatus.IN_REVIEW
        ),
        CaseStudyFactory(
            slug="scheduled-case-study",
            organisation=wessex,
            publish_from="2999-01-01T00:00:00Z",
        ),
        ResourceFactory(slug="archived-resource", status=PublicationStatus.ARCHIVED),
        ResourceFactory(slug="scheduled-resource", publish_from="2999-01-01T00:00:00Z"),
    ]


def sitemap_locations(client) -> list[str]:
    """Every address in the sitemap: the index at /sitemap.xml, then each of its sitemaps."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    sitemaps = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert sitemaps
    locations = []
    for address in sitemaps:
        part = client.get(address)
        assert part.status_code == 200, address
        root = ET.fromstring(part.content)
        locations += [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    return locations


def test_the_sitemap_lists_every_published_item_and_page(client):
    locations = sitemap_locations(client)

    expected = [
        *(item.get_absolute_url() for item in CaseStudy.objects.published()),
        *(item.get_absolute_url() for item in Resource.objects.published()),
        *(item.get_absolute_url() for item in Event.objects.published()),
        *(programme.get_absolute_url() for programme in Programme.objects.all()),
        *(organisation.get_absolute_url() for organisation in Organisation.objects.all()),
        "/",
        "/about/",
        "/accessibility/",
        "/privacy/",
        "/programmes/",
        "/collaboratives/",
        "/collaboratives/find/",
        "/case-studies/",
        "/resources/",
        "/events/",
        "/contact/",
    ]
    assert sorted(f"http://testserver{path}" for path in expected) == sorted(locations)


def test_the_sitemap_leaves_out_drafts_reviews_archives_and_scheduled_items(client, unpublished):
    locations = " ".join(sitemap_locations(client))

    for item in unpublished:
        assert item.get_absolute_url() not in locations


def feed_items(client, path) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return [{child.tag: child.text for child in item} for item in channel.findall("item")], channel


def test_the_case_study_feed_carries_published_case_studies_newest_first(client, unpublished):
    items, channel = feed_items(client, "/feeds/case-studies/")

    published = CaseStudy.objects.published().order_by("-publish_from", "-pk")
    assert [item["link"] for item in items] == [
        f"http://testserver{case_study.get_absolute_url()}" for case_study in published
    ]
    assert channel.findtext("title") == "Case studies – Wessex Patient Safety Collaborative"
    assert channel.findtext("link") == "http://testserver/case-studies/"
    assert items[0]["description"] == published[0].summary


def test_the_resource_feed_carries_published_resources_only(client, unpublished):
    items, channel = feed_items(client, "/feeds/resources/")
    links = " ".join(item["link"] for item in items)

    assert len(items) == Resource.objects.published().count()
    for item in unpublished:
        assert item.get_absolute_url() not in links
    assert channel.findtext("link") == "http://testserver/resources/"


def test_the_feeds_are_advertised_on_the_home_page(client):
    html = client.get("/").content.decode()

    assert 'type="application/rss+xml"' in html
    assert 'href="/feeds/case-studies/"' in html
    assert 'href="/feeds/resources/"' in html


def test_a_long_section_is_split_into_pages_listed_in_the_index(client, monkeypatch):
    monkeypatch.setattr(CaseStudySitemap, "limit", 2)
    CaseStudyFactory.create_batch(5)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    pages = [address for address in sections if "sitemap-case-studies.xml" in address]
    published = CaseStudy.objects.published().count()
    assert published >= 5
    assert pages == ["http://testserver/sitemap-case-studies.xml"] + [
        f"http://testserver/sitemap-case-studies.xml?p={page}"
        for page in range(2, (published + 1) // 2 + 1)
    ]
    lastmods = index.findall("s:sitemap/s:lastmod", SITEMAP_NS)
    assert len(lastmods) >= 3  # each published section says when it last changed
    listed = sitemap_locations(client)
    for item in CaseStudy.objects.published():
        assert f"http://testserver{item.get_absolute_url()}" in listed
    assert client.get(f"/sitemap-case-studies.xml?p={published}").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
