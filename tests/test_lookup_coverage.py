"""Postcode lookup: the longest matching coverage prefix wins."""

from io import StringIO

import pytest
from django.core.management import call_command

from collaboratives.lookup import find_by_postcode, postcode_prefixes
from collaboratives.models import Coverage, CoverageKind
from tests.factories import CoverageFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data() -> None:
    call_command("load_reference_data", stdout=StringIO())


@pytest.mark.parametrize(
    ("postcode", "slug"),
    [
        ("SO16 6YD", "wessex"),
        ("so166yd", "wessex"),
        ("OX1 2JD", "oxford"),
        ("M1", "manchester"),
        ("L1", "nwc"),
        ("NE1", "nenc"),
        ("LS1", "yorkshire-humber"),
        ("NG1", "east-midlands"),
        ("B1", "west-midlands"),
        ("CB1", "east"),
        ("N1", "uclpartners"),
        ("W12", "imperial"),
        ("HA1", "imperial"),
        ("SW1A 1AA", "imperial"),
        ("NW10", "imperial"),
        ("SE1", "south-london"),
        ("SW9", "south-london"),
        ("CR0", "south-london"),
        ("KT1 1AA", "south-london"),
        ("BN1", "kss"),
        ("ME", "kss"),
        ("CT", "kss"),
        ("KT22", "kss"),
        ("BS1", "west-of-england"),
        ("EX1", "south-west"),
        ("TR1", "south-west"),
        ("PL1", "south-west"),
    ],
)
def test_a_postcode_clearly_inside_a_territory_finds_its_collaborative(
    reference_data, postcode, slug
):
    assert [organisation.slug for organisation in find_by_postcode(postcode)] == [slug]


def test_every_postcode_area_belongs_to_only_one_organisation(reference_data):
    areas = Coverage.objects.filter(kind=CoverageKind.POSTCODE_AREA)
    values = list(areas.values_list("normalised", flat=True))
    assert len(values) == len(set(values))


def test_a_district_row_beats_its_area_and_a_sector_row_beats_its_district():
    area_owner = CoverageFactory(kind=CoverageKind.POSTCODE_AREA, value="ZZ").organisation
    district_owner = CoverageFactory(kind=CoverageKind.POSTCODE_DISTRICT, value="ZZ16").organisation
    sector_owner = CoverageFactory(kind=CoverageKind.POSTCODE_SECTOR, value="ZZ16 6").organisation

    assert find_by_postcode("ZZ1 1AA") == [area_owner]
    assert find_by_postcode("ZZ16 1AA") == [district_owner]
    assert find_by_postcode("zz16 6yd") == [sector_owner]


def test_a_shared_prefix_returns_every_organisation_that_claims_it():
    first = OrganisationFactory(name="A network")
    second = OrganisationFactory(name="B network")
    CoverageFactory(organisation=second, kind=CoverageKind.POSTCODE_AREA, value="ZZ")
    CoverageFactory(organisation=first, kind=CoverageKind.POSTCODE_AREA, value="ZZ")

    assert find_by_postcode("ZZ1") == [first, second]


def test_text_that_is_not_a_postcode_or_has_no_coverage_finds_nothing():
    CoverageFactory(kind=CoverageKind.POSTCODE_AREA, value="ZZ")

    assert find_by_postcode("hello world") == []
    assert find_by_postcode("") == []
    assert find_by_postcode("YY1 1AA") == []


def test_postcode_prefixes_run_from_sector_to_area():
    assert postcode_prefixes("sw1a 1aa") == [
        (CoverageKind.POSTCODE_SECTOR, "SW1A 1"),
        (CoverageKind.POSTCODE_DISTRICT, "SW1A"),
        (CoverageKind.POSTCODE_DISTRICT, "SW1"),
        (CoverageKind.POSTCODE_AREA, "SW"),
    ]
    assert postcode_prefixes("SO16") == [
        (CoverageKind.POSTCODE_DISTRICT, "SO16"),
        (CoverageKind.POSTCODE_AREA, "SO"),
    ]
