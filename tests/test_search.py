"""Site search (/search/) and the full-text matching behind it and the finders."""

import re

import pytest
from django.core.cache import cache

from casestudies.models import CaseStudy
from core import search
from core.publishing import PublicationStatus
from resources.models import Resource
from tests.factories import (
    CaseStudyFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_URL = "/search/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def found(model, text: str) -> set[str]:
    matches = search.matching(model.objects.published(), text, ("title", "summary"))
    return set(matches.values_list("title", flat=True))


def group_titles(html: str, key: str) -> list[str]:
    section = re.search(rf'<section aria-labelledby="{key}">(.*?)</section>', html, re.S)
    if section is None:
        return []
    return [
        " ".join(t.split())
        for t in re.findall(r'class="nhsuk-card__link"[^>]*>(.*?)</a>', section.group(1), re.S)
    ]


@pytest.fixture
def case_studies():
    CaseStudyFactory(
        title="Oximetry at home",
        summary="Remote monitoring of patients with COVID-19.",
        what_we_did="Pulse oximeters were sent to patients so deterioration was spotted early.",
    )
    CaseStudyFactory(
        title="Safer care homes",
        summary="Soft signs of deterioration in care homes.",
        what_we_did="Staff learned RESTORE2 and shared the work with domiciliary teams.",
    )
    CaseStudyFactory(
        title="Opioid prescribing dashboard",
        summary="Comparators for practices.",
        what_we_did="A dashboard showed each practice its long-term opioid prescribing.",
    )
    CaseStudyFactory(
        title="Unpublished tracheostomy work",
        what_we_did="Tracheostomy safety in every unit.",
        status=PublicationStatus.DRAFT,
    )


def test_it_finds_words_that_appear_only_in_the_body_text(case_studies):
    assert found(CaseStudy, "oximeters") == {"Oximetry at home"}
    assert found(CaseStudy, "domiciliary") == {"Safer care homes"}


def test_stemming_matches_other_forms_of_a_word(case_studies):
    assert found(CaseStudy, "prescribed") == {"Opioid prescribing dashboard"}


def test_a_quoted_phrase_must_appear_as_written(case_studies):
    assert found(CaseStudy, '"care homes"') == {"Safer care homes"}
    assert found(CaseStudy, '"homes care"') == set()


def test_a_minus_excludes_a_word(case_studies):
    assert found(CaseStudy, "deterioration") == {"Oximetry at home", "Safer care homes"}
    assert found(CaseStudy, "deterioration -covid") == {"Safer care homes"}


def test_or_finds_either_word(case_studies):
    assert found(CaseStudy, "oximeters or dashboard") == {
        "Oximetry at home",
        "Opioid prescribing dashboard",
    }


def test_a_small_typo_in_a_title_word_still_finds_it(case_studies):
    assert found(CaseStudy, "oximetery") == {"Oximetry at home"}
    assert found(CaseStudy, "opiod") == {"Opioid prescribing dashboard"}


def test_drafts_are_never_found(case_studies):
    assert found(CaseStudy, "tracheostomy") == set()


def test_items_inserted_in_bulk_are_searchable():
    """The search column is kept by a database trigger, so bulk inserts are indexed too."""
    organisation = OrganisationFactory()
    CaseStudy.objects.bulk_create(
        [
            CaseStudyFactory.build(
                title=f"Bulk {n}", slug=f"bulk-{n}", organisation=organisation, impact="Sepsis."
            )
            for n in range(3)
        ]
    )
    assert found(CaseStudy, "sepsis") == {"Bulk 0", "Bulk 1", "Bulk 2"}


def test_editing_an_item_updates_what_finds_it():
    resource = ResourceFactory(title="A guide", description="About delirium.")
    assert found(Resource, "delirium") == {"A guide"}
    resource.description = "About frailty."
    resource.save()
    assert found(Resource, "delirium") == set()
    assert found(Resource, "frailty") == {"A guide"}


def test_the_search_page_groups_results_by_type_with_counts(client, case_studies):
    ProgrammeFactory(
        slug="managing-deterioration",
        name="Managing deterioration",
        summary="Spotting deterioration early.",
    )
    ResourceFactory(title="Deterioration toolkit", summary="Tools for spotting deterioration.")
    ResourceFactory(title="Draft deterioration guide", status=PublicationStatus.DRAFT)

    response = client.get(SEARCH_URL, {"q": "deterioration"})

    html = response.content.decode()
    assert response.status_code == 200
    assert group_titles(html, "programmes") == ["Managing deterioration"]
    assert sorted(group_titles(html, "case-studies")) == ["Oximetry at home", "Safer care homes"]
    assert group_titles(html, "resources") == ["Deterioration toolkit"]
    assert group_titles(html, "collaboratives") == []
    assert "Draft deterioration guide" not in html
    summary = " ".join(re.search(r'role="status">(.*?)</p>', html, re.S).group(1).split())
    assert summary == ("Results for “deterioration”: 1 programme, 2 case studies, 1 resource")


def test_collaboratives_are_found_by_their_former_names(client):
    OrganisationFactory(
        slug="wessex",
        name="Health Innovation Wessex",
        former_names="Wessex Academic Health Science Network\nWessex AHSN",
    )
    OrganisationFactory(slug="oxford", name="Health Innovation Oxford and Thames Valley")

    html = client.get(SEARCH_URL, {"q": "wessex ahsn"}).content.decode()

    assert group_titles(html, "collaboratives") == ["Health Innovation Wessex"]
    assert "Formerly Wessex Academic Health Science Network, Wessex AHSN" in html


def test_many_results_link_to_the_finder_with_the_same_words(client):
    for n in range(7):
        CaseStudyFactory(title=f"Sepsis work {n}")

    html = client.get(SEARCH_URL, {"q": "sepsis"}).content.decode()

    assert len(group_titles(html, "case-studies")) == 5
    assert 'href="/case-studies/?q=sepsis">See all 7 case studies matching “sepsis”' in html


def test_no_results_suggest_what_to_try(client, case_studies):
    response = client.get(SEARCH_URL, {"q": "xylophone"})
    assert response.status_code == 200
    assert "No results for “xylophone”" in response.content.decode()


def test_a_postcode_search_offers_the_collaborative_finder_even_without_results(client):
    html = client.get(SEARCH_URL, {"q": "so16 6yd"}).content.decode()

    assert "No results for “so16 6yd”" in html
    assert re.search(
        r'<a[^>]*href="/collaboratives/find/\?q=SO16\+6YD"[^>]*>.*?'
        r"Find the collaborative for SO16 6YD",
        html,
        re.S,
    )


def test_a_postcode_district_search_keeps_the_finder_link_beside_its_results(client):
    OrganisationFactory(slug="wessex", name="Health Innovation Wessex", territory="SO16 and more")

    html = client.get(SEARCH_URL, {"q": "SO16"}).content.decode()

    assert group_titles(html, "collaboratives") == ["Health Innovation Wessex"]
    assert "Find the collaborative for SO16" in html


@pytest.mark.parametrize("text", ["oximetry", "NHS111", "COVID-19", "sepsis 2020"])
def test_words_that_are_not_a_postcode_get_no_finder_link(client, text):
    html = client.get(SEARCH_URL, {"q": text}).content.decode()

    assert "Find the collaborative for" not in html


def test_an_empty_search_shows_the_form(client):
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_a_very_long_search_is_refused_with_a_message(client):
    response = client.get(SEARCH_URL, {"q": "z" * 10_000})
    assert response.status_code == 400
    assert "Search words must be 200 characters or fewer" in response.content.decode()


@pytest.mark.parametrize("text", ['"unbalanced', "-", "or", "&|!:*()", "<script>", "'; DROP"])
def test_odd_search_text_never_breaks_the_page(client, case_studies, text):
    for url in (SEARCH_URL, "/case-studies/", "/resources/"):
        assert client.get(url, {"q": text}).status_code == 200


def test_the_simple_fallback_understands_phrases_and_exclusions():
    """What the SQLite quick start uses instead of PostgreSQL full-text search."""
    assert search._terms('"care homes" -covid sepsis or falls') == (
        ["care homes", "sepsis", "falls"],
        ["covid"],
    )
    assert search._terms('"unbalanced quote') == (["unbalanced", "quote"], [])


@pytest.mark.parametrize("url", [SEARCH_URL, "/case-studies/", "/resources/"])
def test_a_null_character_is_refused_with_a_message(client, url):
    response = client.get(url, {"q": "care\x00homes"})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
