"""Find your collaborative: postcodes, districts, areas, places and names, through the page."""

import pytest

from collaboratives.lookup import find, suggest_places
from collaboratives.models import Organisation
from tests.html_helpers import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_site")]

FIND = "/collaboratives/find/"


def find_page(client, query):
    return client.get(FIND, {"q": query})


def result_names(response) -> str:
    html = response.content.decode()
    assert 'id="result"' in html, "expected a result on the page"
    return html.split('id="result"')[1]


@pytest.mark.parametrize(
    ("postcode", "slug", "psc_name"),
    [
        ("SO16 6YD", "wessex", "Wessex Patient Safety Collaborative"),
        ("OX1 1AA", "oxford", None),
        ("NE1 4ST", "nenc", None),
        ("L1 8JQ", "nwc", None),
        ("M1 1AE", "manchester", None),
        ("LS1 4AP", "yorkshire-humber", None),
        ("NG1 5FS", "east-midlands", None),
        ("B1 1BB", "west-midlands", None),
        ("CB2 1TN", "east", None),
        ("N1 9GU", "uclpartners", None),
        ("W12 0HS", "imperial", None),
        ("SE1 7EH", "south-london", None),
        ("BN1 1AA", "kss", None),
        ("BS1 5TR", "west-of-england", None),
        ("EX1 1HS", "south-west", None),
    ],
)
def test_a_real_postcode_in_each_territory_finds_its_collaborative(
    client, postcode, slug, psc_name
):
    organisation = Organisation.objects.get(slug=slug)
    response = find_page(client, postcode)

    assert response.status_code == 200
    result = result_names(response)
    assert f"Your collaborative is {organisation.psc_name}" in result
    assert organisation.get_absolute_url() in result
    assert f"We matched the postcode {postcode}." in result
    if psc_name:
        assert organisation.psc_name == psc_name


@pytest.mark.parametrize("typed", ["so16 6yd", "SO166YD", "  So16   6yD ", "so166yd"])
def test_case_and_spacing_do_not_matter(client, typed):
    result = result_names(find_page(client, typed))

    assert "Your collaborative is Wessex Patient Safety Collaborative" in result
    assert "We matched the postcode SO16 6YD." in result


@pytest.mark.parametrize(("typed", "shown"), [("SO16", "SO16"), ("so16", "SO16"), ("so", "SO")])
def test_a_postcode_district_or_area_is_enough(client, typed, shown):
    result = result_names(find_page(client, typed))

    assert "Wessex Patient Safety Collaborative" in result
    assert f"We matched the postcode {shown}." in result


def test_the_answer_gives_the_contact_details_with_unverified_ones_flagged(client):
    result = result_names(find_page(client, "SO16 6YD"))

    assert 'href="mailto:enquiries@wessexahsn.net"' in result
    assert "healthinnovationwessex.org.uk" in result


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Southampton", "wessex"),
        ("southampton", "wessex"),
        ("Devon", "south-west"),
        ("Newcastle upon Tyne", "nenc"),
        ("Hampshire and Isle of Wight", "wessex"),
        ("Hampshire & Isle of Wight", "wessex"),
        ("NHS Hampshire and Isle of Wight ICB", "wessex"),
        ("north west london ics", "imperial"),
        ("Birmingham and Solihull", "west-midlands"),
    ],
)
def test_a_town_county_or_integrated_care_system_finds_its_collaborative(client, typed, slug):
    result = find(typed)

    assert [organisation.slug for organisation in result.organisations] == [slug]
    assert result.kind == "place"
    assert "We matched the place" in result_names(find_page(client, typed))


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Wessex AHSN", "wessex"),
        ("Health Innovation Wessex", "wessex"),
        ("Innovation Agency", "nwc"),
        ("Oxford AHSN", "oxford"),
        ("UCLPartners", "uclpartners"),
        ("Wessex Patient Safety Collaborative", "wessex"),
    ],
)
def test_current_and_former_organisation_names_find_the_collaborative(client, typed, slug):
    result = find(typed)

    assert [organisation.slug for organisation in result.organisations] == [slug]
    assert "We matched the organisation name" in result_names(find_page(client, typed))


def test_an_ambiguous_place_shows_every_collaborative_with_the_caveat(client):
    result = result_names(find_page(client, "Cheshire East"))

    assert "2 collaboratives cover this area" in result
    assert "Greater Manchester Patient Safety Collaborative" in result
    assert "North West Coast Patient Safety Collaborative" in result
    assert "Ambiguous" in result


def assert_error(response, message_part, status=200):
    assert response.status_code == status
    html = response.content.decode()
    page = parse(html)
    assert page.title.startswith("Error: ")
    assert page.h1s == ["Find your local patient safety collaborative"]
    summary = html.split('class="nhsuk-error-summary"')[1].split("</ul>")[0]
    assert message_part in summary
    assert 'href="#q"' in summary
    inline = html.split('class="nhsuk-error-message"')[1].split("</span>\n")[0]
    assert message_part in inline
    assert 'id="result"' not in html
    return html


def test_an_empty_search_asks_for_a_postcode_or_place(client):
    assert_error(
        find_page(client, "   "), "Enter a postcode, town, county or integrated care system"
    )


def test_a_postcode_outside_england_is_explained_not_an_error_page(client):
    html = assert_error(find_page(client, "EH1 1YZ"), "We could not find a collaborative for")

    assert "cover England only" in html


def test_a_malformed_postcode_says_what_a_postcode_looks_like(client):
    assert_error(find_page(client, "S0166YD"), "is not a postcode we recognise")


def test_a_misspelt_place_suggests_close_names(client):
    html = assert_error(find_page(client, "Southamptn"), "We could not find a place called")

    assert "with similar names" in html
    assert f'href="{FIND}?q=Southampton"' in html
    assert "Southampton" in suggest_places("southamptn")


def test_an_unknown_word_gets_a_clear_message_and_what_to_try(client):
    html = assert_error(find_page(client, "qwertyuiop"), "We could not find a place called")

    assert "browse all 15 collaboratives" in html


def test_a_very_long_query_is_refused_with_a_400_and_a_message(client):
    html = assert_error(find_page(client, "x" * 10_000), "100 characters or fewer", status=400)

    assert "x" * 101 not in html


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", "%", "'; drop table x; --", "\u202e\u0000", "🙂", "_"]
)
def test_odd_input_never_breaks_the_page(client, typed):
    response = find_page(client, typed)

    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_first_visit_shows_the_form_without_an_error(client):
    html = client.get(FIND).content.decode()

    assert "nhsuk-error-summary" not in html
    assert 'name="q"' in html and 'method="get"' in html


def test_the_lookup_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        find_page(client, "Cheshire East")
    with django_assert_max_num_queries(6):
        find_page(client, "SO16 6YD")


def test_part_of_an_organisation_name_suggests_the_whole_name(client):
    html = assert_error(find_page(client, "oxford and thames"), "We could not find a place called")

    assert "Health Innovation Oxford and Thames Valley" in html.split("with similar names")[1]
