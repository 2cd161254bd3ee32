"""Bulk import/export: CSV and XLSX, with a dry-run preview before anything is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casestudies.models import CaseStudy
from collaboratives.models import ContactDetail, Coverage
from core import roles
from tests.factories import CaseStudyFactory, OrganisationFactory
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def wessex():
    return OrganisationFactory(slug="wessex", acronym="Wessex", name="Health Innovation Wessex")


@pytest.fixture
def network_admin(client):
    return sign_in(client, make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR))


def _format_index(page, label: str) -> str:
    form = page.context["form"]
    for value, text in form.fields["format"].choices:
        if str(text).lower() == label:
            return value
    raise AssertionError(f"no {label} format offered")


def _preview(client, model: str, name: str, content: bytes, label: str = "csv"):
    url = reverse(f"admin:collaboratives_{model}_import")
    page = client.get(url)
    assert page.status_code == 200
    return client.post(
        url,
        {"import_file": SimpleUploadedFile(name, content), "format": _format_index(page, label)},
    )


def test_importing_coverage_shows_a_preview_and_writes_only_after_confirmation(
    network_admin, wessex
):
    csv = (
        b"organisation,kind,value,note\n"
        b"wessex,postcode_area,SO,\n"
        b"wessex,postcode_district,bh16,Poole\n"
    )
    preview = _preview(network_admin, "coverage", "coverage.csv", csv)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Preview" in html and "bh16" in html and "New" in html
    assert not Coverage.objects.exists()  # dry run: nothing written yet

    confirm = preview.context["confirm_form"]
    response = network_admin.post(
        reverse("admin:collaboratives_coverage_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert set(Coverage.objects.values_list("normalised", flat=True)) == {"SO", "BH16"}


def test_an_import_with_an_unknown_organisation_reports_the_row_and_writes_nothing(
    network_admin, wessex
):
    csv = (
        b"organisation,kind,value,is_current,verified,source,order\nnowhere,email,a@b.org,1,0,,0\n"
    )
    preview = _preview(network_admin, "contactdetail", "contacts.csv", csv)
    html = preview.content.decode()
    assert "Line number: 1 - Organisation matching query does not exist." in html
    assert "confirm_form" not in preview.context
    assert not ContactDetail.objects.exists()


def test_contact_details_import_from_xlsx(network_admin, wessex):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["organisation", "kind", "value", "is_current", "verified", "source", "order"])
    sheet.append(["wessex", "email", "enquiries@wessexahsn.net", 1, 1, "Wessex leaflet", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _preview(network_admin, "contactdetail", "contacts.xlsx", buffer.getvalue(), "xlsx")
    assert "enquiries@wessexahsn.net" in preview.content.decode()
    confirm = preview.context["confirm_form"]
    network_admin.post(
        reverse("admin:collaboratives_contactdetail_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert ContactDetail.objects.get().value == "enquiries@wessexahsn.net"


def test_editors_and_publishers_cannot_import_reference_data(client, wessex):
    sign_in(client, make_staff("pub@example.org", roles.PUBLISHER, wessex))
    assert client.get(reverse("admin:collaboratives_coverage_import")).status_code == 403
    assert client.get(reverse("admin:collaboratives_contactdetail_import")).status_code == 403


def _import_case_studies(client, csv: bytes):
    url = reverse("admin:casestudies_casestudy_import")
    page = client.get(url)
    assert page.status_code == 200
    return client.post(
        url,
        {
            "import_file": SimpleUploadedFile("case-studies.csv", csv),
            "format": _format_index(page, "csv"),
        },
    )


HEADER = b"slug,title,organisation,status,publish_from,summary,programmes,themes\n"


def test_staff_import_case_study_metadata_of_their_own_collaborative_only(client, wessex):
    CaseStudyFactory(slug="not-ours", title="Not ours", status="draft")
    sign_in(client, make_staff("pub@example.org", roles.PUBLISHER, wessex))
    preview = _import_case_studies(
        client,
        HEADER
        + b"new-wessex-story,New Wessex story,wessex,draft,2026-01-05 09:00,Short.,,\n"
        + b"elsewhere,Elsewhere,org-x,draft,2026-01-05 09:00,Short.,,\n"
        + b"not-ours,Taken over,wessex,draft,2026-01-05 09:00,Short.,,\n",
    )
    html = preview.content.decode()
    assert "You can only import case studies of your own collaborative" in html
    assert "belongs to another collaborative" in html
    assert "confirm_form" not in preview.context  # nothing can be confirmed while rows fail
    assert not CaseStudy.objects.filter(slug="new-wessex-story").exists()

    preview = _import_case_studies(
        client,
        HEADER + b"new-wessex-story,New Wessex story,wessex,draft,2026-01-05 09:00,Short.,,\n",
    )
    confirm = preview.context["confirm_form"]
    client.post(
        reverse("admin:casestudies_casestudy_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert CaseStudy.objects.get(slug="new-wessex-story").organisation == wessex


def test_editors_cannot_publish_by_import(client, wessex):
    sign_in(client, make_staff("ed@example.org", roles.EDITOR, wessex))
    preview = _import_case_studies(
        client, HEADER + b"live,Live story,wessex,published,2026-01-05 09:00,Short.,,\n"
    )
    assert "Only a publisher can import a published" in preview.content.decode()
    assert not CaseStudy.objects.filter(slug="live").exists()


def test_case_study_metadata_export_holds_only_the_own_collaborative(client, wessex):
    CaseStudyFactory(organisation=wessex, title="Wessex story", status="draft")
    CaseStudyFactory(title="Somebody else's draft", status="draft")
    sign_in(client, make_staff("pub@example.org", roles.PUBLISHER, wessex))
    url = reverse("admin:casestudies_casestudy_export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": _format_index(page, "csv")}
    for name in form.fields:
        if name.startswith("casestudymetadataresource_"):
            data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert "Wessex story" in text
    assert "Somebody else" not in text
    assert "wessex" in text  # organisation by slug
