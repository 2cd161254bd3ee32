"""The resource library (/resources/) and the resource page."""

import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command

from core.publishing import PublicationStatus
from resources.models import Resource, ResourceKind
from tests.factories import (
    CareSettingFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
    TopicFactory,
)
from tests.html_helpers import parse

pytestmark = pytest.mark.django_db

LIST_URL = "/resources/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def titles(response) -> list[str]:
    html = response.content.decode()
    results = html.split('class="nhsuk-list app-card-list app-finder__list"', 1)
    if len(results) < 2:
        return []
    return [
        " ".join(title.split())
        for title in re.findall(r'class="nhsuk-card__link"[^>]*>(.*?)</a>', results[1], re.S)
    ]


def facet_count(response, name: str, value: str) -> str | None:
    match = re.search(
        rf'name="{name}" type="checkbox" value="{re.escape(value)}"(?:(?!</label>).)*?'
        r'class="app-facet-count">\(([^<]*)<',
        response.content.decode(),
        re.S,
    )
    return match.group(1) if match else None


def uploaded(title: str, size: int, name: str = "toolkit.pdf", **kwargs) -> Resource:
    resource = ResourceFactory.build(title=title, url="", **kwargs)
    resource.file.save(name, ContentFile(b"%" * size), save=False)
    resource.save()
    return resource


def test_with_demo_content_the_library_and_every_resource_page_render(client, media):
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())

    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert parse(response.content).h1s == ["Resources"]
    assert len(titles(response)) == min(Resource.objects.published().count(), 20)
    for resource in Resource.objects.published():
        page = client.get(resource.get_absolute_url())
        assert page.status_code == 200, resource.slug
        assert parse(page.content).h1s == [resource.title]
    hidden = Resource.objects.exclude(status=PublicationStatus.PUBLISHED)
    assert hidden.exists()
    for resource in hidden:
        assert resource.title not in response.content.decode()
        assert client.get(resource.get_absolute_url()).status_code == 404

    covid = client.get(LIST_URL, {"topic": "covid-19"})
    expected = set(
        Resource.objects.published().filter(topics__slug="covid-19").values_list("title", flat=True)
    )
    assert expected and set(titles(covid)) == expected


def test_it_filters_by_kind_programme_topic_and_care_setting(client):
    programme = ProgrammeFactory(slug="managing-deterioration")
    topic = TopicFactory(slug="covid-19", name="COVID-19")
    setting = CareSettingFactory(slug="care-homes", name="Care homes")
    match = ResourceFactory(title="Care home oximetry guide", kind=ResourceKind.GUIDE)
    match.programmes.add(programme)
    match.topics.add(topic)
    match.care_settings.add(setting)
    wrong_kind = ResourceFactory(title="Oximetry video", kind=ResourceKind.VIDEO)
    wrong_kind.programmes.add(programme)
    wrong_kind.topics.add(topic)
    wrong_kind.care_settings.add(setting)
    ResourceFactory(title="Unrelated guide", kind=ResourceKind.GUIDE)

    response = client.get(
        LIST_URL,
        {
            "kind": "guide",
            "programme": "managing-deterioration",
            "topic": "covid-19",
            "setting": "care-homes",
        },
    )

    assert response.status_code == 200
    assert titles(response) == ["Care home oximetry guide"]
    # The kind facet counts what each kind would give with the other filters kept.
    assert facet_count(response, "kind", "guide") == "1"
    assert facet_count(response, "kind", "video") == "1"
    assert facet_count(response, "kind", "report") is None


def test_search_words_find_resources_by_their_description(client):
    ResourceFactory(title="A toolkit", description="Helps wards spot tracheostomy problems.")
    ResourceFactory(title="Another toolkit", description="About falls.")

    response = client.get(LIST_URL, {"q": "tracheostomy"})

    assert titles(response) == ["A toolkit"]


def test_downloads_show_their_type_and_size(client, media):
    resource = uploaded("Impact at a glance", 2 * 1024 * 1024)

    listing = client.get(LIST_URL).content.decode()
    detail = client.get(resource.get_absolute_url()).content.decode()

    assert "PDF, 2 MB" in listing
    assert "PDF, 2 MB" in detail
    assert f'href="{resource.file.url}"' in detail
    assert "(external site)" not in detail


def test_links_to_other_sites_are_marked_as_external_without_forcing_a_new_tab(client):
    resource = ResourceFactory(title="Safer care report", url="https://example.org/report")

    detail = client.get(resource.get_absolute_url()).content.decode()

    link = re.search(r'<a[^>]*href="https://example.org/report"[^>]*>(.*?)</a>', detail, re.S)
    assert link is not None
    assert "(external site)" in link.group(1)
    assert "target=" not in link.group(0)
    assert "External link" in client.get(LIST_URL).content.decode()


def test_material_without_a_link_or_file_says_whom_to_ask_for_a_copy(client, settings):
    settings.HOME_COLLABORATIVE = "home-psc"
    home = OrganisationFactory(slug="home-psc", psc_name="Home Patient Safety Collaborative")
    owner = OrganisationFactory(slug="owner-psc", psc_name="Owner Patient Safety Collaborative")
    owned = ResourceFactory(title="Local dashboard", url="", organisation=owner)
    national = ResourceFactory(title="National report", url="", organisation=None)

    owned_html = client.get(owned.get_absolute_url()).content.decode()
    national_html = client.get(national.get_absolute_url()).content.decode()

    assert re.search(
        rf'<a href="{owner.get_absolute_url()}">Ask the {owner.psc_name} for a copy</a>',
        owned_html,
    )
    assert re.search(
        rf'<a href="{home.get_absolute_url()}">Ask the {home.psc_name} for a copy</a>',
        national_html,
    )
    for html in (owned_html, national_html):
        assert "app-resource-action" not in html  # no download or link button
    assert "Copy on request" in client.get(LIST_URL).content.decode()


def test_drafts_and_scheduled_resources_stay_hidden(client):
    draft = ResourceFactory(title="Draft toolkit", status=PublicationStatus.DRAFT)
    archived = ResourceFactory(title="Old toolkit", status=PublicationStatus.ARCHIVED)
    ResourceFactory(title="Live toolkit")

    response = client.get(LIST_URL)

    assert titles(response) == ["Live toolkit"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(archived.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "spreadsheet"}, "There is no kind of resource “spreadsheet”"),
        ({"topic": "astrology"}, "There is no topic “astrology”"),
        ({"q": "y" * 10_000}, "Search words must be 200 characters or fewer"),
    ],
)
def test_bad_filters_get_a_clear_message_and_a_400(client, params, message):
    ResourceFactory()
    response = client.get(LIST_URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "99999"])
def test_a_bad_page_is_not_found(client, page):
    ResourceFactory()
    assert client.get(LIST_URL, {"page": page}).status_code == 404
