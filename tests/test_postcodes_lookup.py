"""Find your collaborative with the ONS postcode directory loaded: the lookup order, district
shares, retired and non-English postcodes, ICB mappings over time, and the page."""

import datetime
import html

import pytest
import time_machine

from collaboratives.models import Organisation
from postcodes.loader import load_icbs
from postcodes.lookup import lookup
from postcodes.models import ICB, ICBMapping, PostcodeRelease
from tests.html_helpers import parse
from tests.postcode_files import ONSPD_MAY_2026, import_postcodes, rewritten

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory")]

FIND = "/collaboratives/find/"
MAY_2026 = "ONS Postcode Directory, May 2026 release"


@pytest.fixture(scope="module")
def directory(reference_site, django_db_blocker):
    """Reference data, the seeded ICBs and the May 2026 fixture, once for the module."""
    with django_db_blocker.unblock():
        load_icbs()
        import_postcodes(ONSPD_MAY_2026, "--quiet")
    yield


def first_postcode_in(district: str) -> str:
    rows = (line.split(",") for line in ONSPD_MAY_2026.read_text().splitlines()[1:])
    return next(row[2] for row in rows if row[2].startswith(f"{district} ") and not row[4])


def slugs(answer):
    return [organisation.slug for organisation in answer.organisations]


def page(client, query):
    response = client.get(FIND, {"q": query})
    return response, response.content.decode()


def result_of(text):
    assert 'id="result"' in text, "expected a result on the page"
    return html.unescape(text.split('id="result"')[1])


# --- Full postcodes --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["SO16 6YD", "so166yd", "  so16   6YD "])
def test_a_postcode_in_the_directory_is_answered_through_its_board(typed):
    answer = lookup(typed)

    assert (answer.kind, answer.matched) == ("postcode", "SO16 6YD")
    assert slugs(answer) == ["wessex"]
    assert answer.icb.code == "E54000042"
    assert answer.release.name == MAY_2026
    assert not answer.used_coverage


def test_the_page_says_what_it_matched_and_on_which_data(client):
    response, text = page(client, "SO16 6YD")

    result = result_of(text)
    assert response.status_code == 200
    assert "Your collaborative is Wessex Patient Safety Collaborative" in result
    assert "We matched the postcode SO16 6YD." in result
    assert "It is in NHS Hampshire and the Isle of Wight Integrated Care Board." in result
    assert f"Source: {MAY_2026}, and the integrated care boards each collaborative covers." in (
        result
    )


def test_a_retired_postcode_is_answered_as_retired(client):
    answer = lookup("SO16 6ZZ")

    assert answer.kind == "terminated"
    assert answer.terminated == datetime.date(2019, 6, 1)
    assert slugs(answer) == ["wessex"]
    result = result_of(page(client, "SO16 6ZZ")[1])
    assert "The postcode SO16 6ZZ was retired in June 2019." in result
    assert "It was in NHS Hampshire and the Isle of Wight Integrated Care Board." in result


@pytest.mark.parametrize(
    ("typed", "country"),
    [("EH1 1YZ", "Scotland"), ("CF10 1ZZ", "Wales"), ("BT1", "Northern Ireland")],
)
def test_postcodes_outside_england_are_explained(client, typed, country):
    answer = lookup(typed)

    assert (answer.kind, answer.country, answer.organisations) == ("outside_england", country, [])
    response, text = page(client, typed)
    assert response.status_code == 200
    summary = html.unescape(text.split('class="nhsuk-error-summary"')[1].split("</ul>")[0])
    assert f"it is in {country}. Patient safety collaboratives cover England only" in summary
    assert 'id="result"' not in text


def test_a_board_no_single_collaborative_covers_falls_back_to_the_coverage_rows(client):
    farnborough = first_postcode_in("GU14")
    answer = lookup(farnborough)

    assert answer.icb.code == "E54000034"
    assert answer.used_coverage and slugs(answer) == ["wessex"]
    result = result_of(page(client, farnborough)[1])
    assert "NHS Frimley Integrated Care Board is not covered by a single collaborative" in result
    assert f"Source: {MAY_2026} and the postcode areas" in result


def test_a_postcode_missing_from_the_directory_is_answered_for_its_sector(client):
    answer = lookup("SO16 6QQ")

    assert (answer.kind, answer.matched, answer.not_in_directory) == (
        "sector",
        "SO16 6",
        "SO16 6QQ",
    )
    assert slugs(answer) == ["wessex"]
    result = result_of(page(client, "SO16 6QQ")[1])
    assert f"The postcode SO16 6QQ is not in the {MAY_2026}: it may be new, or mistyped." in result


def test_a_postcode_nowhere_in_the_directory_gets_a_clear_error(client):
    response, text = page(client, "ZZ99 9ZZ")

    assert response.status_code == 200
    assert lookup("ZZ99 9ZZ").kind == "unknown_postcode"
    assert f"the postcode is not in the {MAY_2026}" in html.unescape(text)
    assert 'id="result"' not in text


# --- Districts, sectors and areas ------------------------------------------------------------


def shares_of(answer):
    return [
        (share.organisation.slug if share.organisation else share.country, share.percent)
        for share in answer.shares
    ]


def test_a_district_split_between_collaboratives_lists_each_with_its_share(client):
    answer = lookup("SP5")

    assert answer.kind == "district"
    assert shares_of(answer) == [("west-of-england", "75%"), ("wessex", "25%")]
    assert slugs(answer) == ["west-of-england", "wessex"]
    result = result_of(page(client, "sp5")[1])
    assert "2 collaboratives cover this area" in result
    assert "We matched the postcode district SP5." in result
    shares = result.split('id="shares"')[1].split("</ul>")[0]
    assert shares.index("West of England") < shares.index("Wessex")
    assert "75% (24 postcodes)" in shares and "25% (8 postcodes)" in shares


def test_a_sector_has_its_own_shares():
    answer = lookup("SP5 2")

    assert answer.kind == "sector"
    assert shares_of(answer) == [("wessex", "67%"), ("west-of-england", "33%")]


def test_the_largest_share_comes_first_whichever_board_it_is():
    assert shares_of(lookup("DL6")) == [("yorkshire-humber", "75%"), ("nenc", "25%")]
    assert shares_of(lookup("DL6 1")) == [("nenc", "100%")]


def test_a_district_across_the_welsh_border_shows_the_welsh_part(client):
    answer = lookup("SY10")

    assert shares_of(answer) == [("west-midlands", "62%"), ("Wales", "38%")]
    assert slugs(answer) == ["west-midlands"]
    assert "Wales, outside England: 38% (6 postcodes)" in result_of(page(client, "SY10")[1])


def test_a_postcode_area_is_answered_from_the_directory_too():
    answer = lookup("SO")

    assert (answer.kind, slugs(answer)) == ("area", ["wessex"])
    assert answer.release.name == MAY_2026


def test_a_district_not_in_the_directory_falls_back_to_the_coverage_rows():
    answer = lookup("RG1")

    assert answer.kind == "postcode"
    assert answer.used_coverage and answer.release is None
    assert slugs(answer) == ["oxford"]


# --- Boards by code and name ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["E54000042", "e54000042", "QRL"])
def test_an_icb_code_or_ods_code_finds_its_collaborative(typed):
    answer = lookup(typed)

    assert (answer.kind, slugs(answer)) == ("icb", ["wessex"])
    assert answer.matched == "NHS Hampshire and the Isle of Wight Integrated Care Board"


def test_an_icb_name_finds_its_collaborative():
    answer = lookup("NHS Derby and Derbyshire Integrated Care Board")

    assert (answer.kind, slugs(answer)) == ("icb", ["east-midlands"])


def test_a_board_split_between_collaboratives_says_so(client):
    answer = lookup("NHS Mid and South Essex Integrated Care Board")

    assert (answer.kind, answer.organisations) == ("icb", [])
    text = html.unescape(page(client, "Mid and South Essex ICB")[1])
    assert "NHS Mid and South Essex Integrated Care Board is covered by more than one" in text


def test_internal_notes_on_mappings_never_reach_the_public_page(client):
    note = ICBMapping.objects.filter(icb__code="E54000034").get().note
    assert note

    for query in ("GU14", "Frimley", "E54000034", "NHS Frimley ICB"):
        assert note not in html.unescape(page(client, query)[1])


# --- Mapping rows with dates -----------------------------------------------------------------


def test_a_merger_uses_the_mapping_in_force_on_the_day(tmp_path):
    wessex = Organisation.objects.get(slug="wessex")
    old = ICB.objects.get(code="E54000042")
    new = ICB.objects.create(code="E54000067", name="Hampshire and the Isle of Wight")
    old.mappings.update(valid_to=datetime.date(2026, 3, 31))
    ICBMapping.objects.create(icb=new, organisation=wessex, valid_from=datetime.date(2026, 4, 1))

    before = lookup("SO16 6YD", on=datetime.date(2026, 3, 31))
    after = lookup("SO16 6YD", on=datetime.date(2026, 4, 1))

    assert (slugs(before), before.used_coverage) == (["wessex"], False)
    assert after.used_coverage, "the May file still carries the old code, no longer mapped"
    august = rewritten(ONSPD_MAY_2026, tmp_path / "ONSPD_AUG_2026_UK.csv", {old.code: new.code})
    import_postcodes(august, "--quiet")
    answer = lookup("SO16 6YD", on=datetime.date(2026, 9, 1))
    assert (answer.icb, slugs(answer), answer.used_coverage) == (new, ["wessex"], False)
    assert answer.release.name == "ONS Postcode Directory, August 2026 release"


def test_a_board_moving_between_collaboratives_is_answered_by_date(client):
    frimley = ICB.objects.get(code="E54000034")
    frimley.mappings.all().delete()
    ICBMapping.objects.create(
        icb=frimley,
        organisation=Organisation.objects.get(slug="kss"),
        valid_to=datetime.date(2026, 6, 30),
    )
    ICBMapping.objects.create(
        icb=frimley,
        organisation=Organisation.objects.get(slug="oxford"),
        valid_from=datetime.date(2026, 7, 1),
    )

    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)):
        assert slugs(lookup("GU14")) == ["kss"]
        assert "Kent Surrey Sussex" in result_of(page(client, "GU14")[1])
    with time_machine.travel(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)):
        assert slugs(lookup("GU14")) == ["oxford"]


# --- Without a directory ---------------------------------------------------------------------


def test_without_a_directory_the_coverage_rows_answer_and_the_page_says_so(client):
    PostcodeRelease.objects.update(is_current=False)

    answer = lookup("SO16 6YD")

    assert (answer.kind, answer.used_coverage, answer.release) == ("postcode", True, None)
    result = result_of(page(client, "SO16 6YD")[1])
    assert "Source: the postcode areas, places and care systems each collaborative covers." in (
        result
    )
    assert lookup("EH1 1YZ").country == "Scotland"


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("", 200),
        ("   ", 200),
        ("x" * 10_000, 400),
        ("SO16\x006YD", 400),
        ("<b>SO16</b>", 200),
        ("Лондон", 200),
        ("東京都", 200),
        ("EH1 1YZ", 200),
        ("CF10 1AA", 200),
        ("ZZ99 9ZZ", 200),
        ("S0166YD", 200),
        ("%00", 200),
    ],
)
def test_bad_input_gets_a_clear_page_that_keeps_what_was_typed(client, typed, status):
    response, text = page(client, typed)

    assert response.status_code == status
    document = parse(text)
    assert document.h1s == ["Find your local patient safety collaborative"]
    assert document.title.startswith("Error: ")
    kept = typed.replace("\x00", "")[:100]
    field = text.split('id="q"')[1].split(">")[0]
    if kept.strip():
        assert f'value="{html.escape(kept)}"' in field
    assert "<b>SO16</b>" not in text


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["SO16 6YD", "SO16 6ZZ", "SP5", "SY10", "GU14", "SO16 6QQ", "EH1 1YZ", "QRL"]
)
def test_the_page_needs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, query, settings
):
    # Caches in memory, so only the lookup and the page are counted (not the database cache).
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": memory, "pages": {**memory, "LOCATION": "pages"}}
    with django_assert_max_num_queries(7):
        response = client.get(FIND, {"q": query})
    assert response.status_code == 200
