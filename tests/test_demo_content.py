"""The demo content command: what it loads, and that running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import CaseStudy, Theme
from core.publishing import PublicationStatus
from programmes.models import CareSetting
from resources.models import Resource

pytestmark = pytest.mark.django_db

PROGRAMMES = [
    "managing-deterioration",
    "medicines-safety",
    "maternity-and-neonatal",
    "mental-health",
    "adoption-and-spread",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reference_data():
    call_command("load_reference_data", stdout=StringIO())


@pytest.fixture
def demo(reference_data):
    call_command("load_demo_content", stdout=StringIO())


def counts():
    return (
        CaseStudy.objects.count(),
        Resource.objects.count(),
        sum(case_study.figures.count() for case_study in CaseStudy.objects.all()),
    )


def test_it_refuses_to_run_before_the_reference_data_is_loaded():
    with pytest.raises(CommandError, match="Run load_reference_data first"):
        call_command("load_demo_content")
    assert not CaseStudy.objects.exists()


def test_it_publishes_case_studies_from_every_programme_and_several_collaboratives(demo):
    published = CaseStudy.objects.published()
    assert published.count() >= 8
    assert set(published.values_list("programmes__slug", flat=True)) >= set(PROGRAMMES)
    assert published.values("organisation").distinct().count() >= 2


def test_it_gives_case_studies_figures_quotes_and_contacts(demo):
    precept = CaseStudy.objects.get(slug="wessex-magnesium-sulphate-preterm-labour")
    figure = precept.figures.get()
    assert (figure.value, figure.unit) == (84, "%")
    restore = CaseStudy.objects.get(slug="wessex-restore2mini-adaptations")
    assert restore.quotes.get().attribution == "British Geriatrics Society"
    assert restore.contacts.get().email == "enquiries@wessexahsn.net"


def test_it_keeps_drafts_out_of_the_published_set(demo):
    hidden = CaseStudy.objects.filter(
        status__in=[PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]
    )
    assert hidden.count() >= 3
    assert not CaseStudy.objects.published().filter(pk__in=hidden).exists()
    assert not Resource.objects.published().filter(status=PublicationStatus.DRAFT).exists()
    assert Resource.objects.filter(status=PublicationStatus.DRAFT).exists()


def test_it_publishes_the_national_reports_and_covid_19_resources(demo):
    published = Resource.objects.published()
    assert published.count() >= 12
    national_reports = published.filter(organisation=None, kind="report")
    assert {"Safer care during COVID-19", "Improving safety in care homes"} <= set(
        national_reports.values_list("title", flat=True)
    )
    assert published.filter(topics__slug="covid-19").count() >= 5
    assert published.values("kind").distinct().count() >= 5


def test_it_spreads_publication_dates_over_several_years(demo):
    years = {item.publish_from.year for item in Resource.objects.published()}
    years |= {item.publish_from.year for item in CaseStudy.objects.published()}
    assert years >= {2020, 2021, 2022, 2023, 2024, 2025}


def test_running_it_twice_adds_nothing(demo, capsys):
    before = counts()
    call_command("load_demo_content")
    assert counts() == before
    assert "0 created" in capsys.readouterr().out


def test_a_staff_edit_to_a_demo_item_survives_a_rerun(demo):
    CaseStudy.objects.filter(slug="wessex-reducing-restrictive-practice").update(
        title="Edited by staff", status=PublicationStatus.ARCHIVED
    )
    Resource.objects.filter(slug="safer-care-during-covid-19").update(summary="Staff summary")
    call_command("load_demo_content", stdout=StringIO())
    case_study = CaseStudy.objects.get(slug="wessex-reducing-restrictive-practice")
    assert (case_study.title, case_study.status) == ("Edited by staff", "archived")
    assert Resource.objects.get(slug="safer-care-during-covid-19").summary == "Staff summary"


def test_it_uploads_a_real_pdf_with_its_type_and_size(demo, media_root):
    resource = Resource.objects.get(slug="wessex-psc-impact-at-a-glance")
    assert resource.file_type == "PDF"
    assert resource.file_size == (media_root / resource.file.name).stat().st_size
    assert resource.file_description.startswith("PDF, ")
    with resource.file.open("rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert b"84% of eligible women" in data


def test_it_links_reference_data_without_duplicating_it(reference_data):
    settings_before = CareSetting.objects.count()
    call_command("load_demo_content", stdout=StringIO())
    assert CareSetting.objects.count() == settings_before
    restore = CaseStudy.objects.get(slug="wessex-restore2mini-adaptations")
    assert list(restore.workstreams.values_list("slug", flat=True)) == ["restore2"]
    assert set(restore.care_settings.values_list("slug", flat=True)) == {
        "care-homes",
        "domiciliary-care",
        "prisons",
    }


def test_it_creates_a_theme_the_reference_data_lacks(reference_data):
    Theme.objects.filter(slug="co-design").delete()
    call_command("load_demo_content", stdout=StringIO())
    restore = CaseStudy.objects.get(slug="wessex-restore2mini-adaptations")
    assert restore.themes.filter(slug="co-design", name="Patient and carer co-design").exists()
