"""Model constraints and the publication rule."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from casestudies.models import CaseStudy
from collaboratives.models import Coverage, CoverageKind
from core.publishing import PublicationStatus
from resources.models import Resource, format_file_size
from tests.factories import (
    CaseStudyFactory,
    CoverageFactory,
    OrganisationFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


def test_case_study_slugs_are_unique():
    CaseStudyFactory(slug="oximetry-at-home")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(slug="oximetry-at-home")


def test_organisation_slugs_and_acronyms_are_unique():
    OrganisationFactory(slug="wessex", acronym="Wessex")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(slug="wessex-2", acronym="Wessex")


def test_a_resource_may_have_neither_file_nor_link_when_it_is_available_on_request():
    resource = ResourceFactory(url="")

    resource.full_clean()
    assert not resource.file and not resource.is_external


def test_a_resource_cannot_have_both_a_file_and_a_link(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resource = ResourceFactory.build(url="https://example.org/report")
    resource.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    with pytest.raises(ValidationError, match="not both"):
        resource.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        resource.save()


def test_an_uploaded_resource_records_its_type_and_size(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resource = ResourceFactory.build(url="")
    resource.file.save("safer-care.pdf", ContentFile(b"x" * 2 * 1024 * 1024), save=False)
    resource.save()
    resource.refresh_from_db()
    assert resource.file_type == "PDF"
    assert resource.file_size == 2 * 1024 * 1024
    assert resource.file_description == "PDF, 2 MB"


@pytest.mark.parametrize(
    ("size", "shown"),
    [(500, "500 bytes"), (2048, "2 KB"), (840 * 1024, "840 KB"), (int(2.5 * 1024**2), "2.5 MB")],
)
def test_file_sizes_read_as_people_expect(size, shown):
    assert format_file_size(size) == shown


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("model_factory", [CaseStudyFactory, ResourceFactory])
def test_only_published_items_past_their_publish_date_are_public(model_factory):
    past = NOW - datetime.timedelta(days=1)
    future = NOW + datetime.timedelta(days=1)
    public = model_factory(status=PublicationStatus.PUBLISHED, publish_from=past)
    model_factory(status=PublicationStatus.PUBLISHED, publish_from=future)
    model_factory(status=PublicationStatus.DRAFT, publish_from=past)
    model_factory(status=PublicationStatus.IN_REVIEW, publish_from=past)
    model_factory(status=PublicationStatus.ARCHIVED, publish_from=past)
    model = model_factory._meta.model
    assert list(model.objects.published()) == [public]


def test_a_scheduled_item_goes_live_on_its_date_without_a_job():
    go_live = NOW + datetime.timedelta(days=7)
    with time_machine.travel(NOW, tick=False):
        item = CaseStudyFactory(status=PublicationStatus.PUBLISHED, publish_from=go_live)
        assert not CaseStudy.objects.published().exists()
        assert not item.is_public
    with time_machine.travel(go_live + datetime.timedelta(seconds=1), tick=False):
        assert list(CaseStudy.objects.published()) == [item]
        assert item.is_public


def test_coverage_rows_store_a_normalised_value():
    row = CoverageFactory(kind=CoverageKind.POSTCODE_SECTOR, value=" so166 ")
    assert row.normalised == "SO16 6"
    place = CoverageFactory(kind=CoverageKind.ICS, value="Hampshire & Isle of  Wight")
    assert place.normalised == "hampshire and isle of wight"


def test_the_same_coverage_row_cannot_be_added_twice_to_one_organisation():
    organisation = OrganisationFactory()
    CoverageFactory(organisation=organisation, kind=CoverageKind.POSTCODE_AREA, value="SO")
    with pytest.raises(IntegrityError), transaction.atomic():
        Coverage.objects.create(
            organisation=organisation, kind=CoverageKind.POSTCODE_AREA, value="so"
        )


def test_resource_model_has_a_string_form():
    assert str(ResourceFactory(title="Improving safety in care homes")) == (
        "Improving safety in care homes"
    )
    assert Resource.objects.count() == 1
