"""Uploads: documents and images only, checked by content and extension, with a size limit."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casestudies.models import CaseStudy
from core import roles
from core.uploads import validate_document, validate_image
from resources.models import Resource
from tests.factories import CaseStudyFactory, OrganisationFactory
from tests.staff import change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


def _office_file(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _refusal(validator, name, content) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(_upload(name, content))
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PDF),
        ("plan.docx", _office_file("word")),
        ("figures.xlsx", _office_file("xl")),
        ("slides.pptx", _office_file("ppt")),
        ("data.csv", "area,count\nSO,3\nBournemouth – Poole,4\n".encode()),
    ],
)
def test_documents_of_the_allowed_kinds_are_accepted(name, content):
    validate_document(_upload(name, content))


def test_an_executable_renamed_to_pdf_is_refused():
    message = _refusal(validate_document, "report.pdf", EXE)
    assert "named .pdf but its content is not a PDF" in message


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.pdf"])
def test_svg_is_refused_whatever_its_name(name):
    validator = validate_image if name.endswith(".png") else validate_document
    assert "SVG images, web pages" in _refusal(validator, name, SVG)


def test_html_is_refused():
    assert "can carry scripts" in _refusal(validate_document, "page.html", HTML)


def test_an_oversized_file_is_refused_with_the_limit(settings):
    settings.MAX_UPLOAD_MB = 1
    message = _refusal(validate_document, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "Files must be 1 MB or smaller" in message


def test_other_extensions_and_binary_csv_are_refused():
    assert "“.exe” files can't be uploaded here" in _refusal(validate_document, "setup.exe", EXE)
    assert "not plain text" in _refusal(validate_document, "data.csv", b"a,b\n\x00\x01")
    assert "UTF-8" in _refusal(validate_document, "data.csv", "a,b\ncafé".encode("latin-1"))


def test_images_are_png_jpeg_or_webp_by_content():
    validate_image(_upload("ward.png", PNG))
    validate_image(_upload("ward.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40))
    assert "not a PNG file" in _refusal(validate_image, "ward.png", PDF)
    assert "can't be uploaded here" in _refusal(validate_image, "ward.gif", b"GIF89a")


@pytest.fixture
def signed_in_publisher(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory()
    sign_in(client, make_staff("pub@example.org", roles.PUBLISHER, organisation))
    return client, organisation


def _add_resource(client, organisation, upload):
    return client.post(
        reverse("admin:resources_resource_add"),
        {
            "title": "Deterioration toolkit",
            "slug": "deterioration-toolkit",
            "kind": "toolkit",
            "organisation": organisation.pk,
            "summary": "A toolkit.",
            "status": "draft",
            "publish_from_0": "2026-01-01",
            "publish_from_1": "09:00",
            "file": upload,
        },
    )


def test_the_admin_refuses_a_disguised_executable_with_a_clear_message(signed_in_publisher):
    client, organisation = signed_in_publisher
    response = _add_resource(client, organisation, _upload("toolkit.pdf", EXE))
    assert response.status_code == 200
    assert "its content is not a PDF file" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_admin_accepts_a_real_pdf_and_records_its_type_and_size(signed_in_publisher):
    client, organisation = signed_in_publisher
    response = _add_resource(client, organisation, _upload("toolkit.pdf", PDF))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file_type == "PDF"
    assert resource.file_size == len(PDF)


def test_a_case_study_image_needs_alt_text_unless_decorative(signed_in_publisher):
    client, organisation = signed_in_publisher
    story = CaseStudyFactory(organisation=organisation, status="draft")
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    data = change_form_data(client, url, image=_upload("ward.png", PNG), image_alt="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Describe the image" in response.content.decode()

    data = change_form_data(client, url, image=_upload("ward.png", PNG), image_alt="A ward bay")
    assert client.post(url, data).status_code == 302
    assert CaseStudy.objects.get(pk=story.pk).image_alt == "A ward bay"
