"""Demo resources, read from a TOML file and loaded once per slug (see core.demo)."""

import textwrap
from pathlib import Path

from django.core.files.base import ContentFile

from collaboratives.models import Organisation
from core.demo import PUBLISHABLE_FIELDS, LoadReport, Vocabulary, fields, read_toml, required
from programmes.models import CareSetting, Programme
from resources.models import Resource, Topic

RESOURCES_FILE = Path(__file__).resolve().parent / "data" / "demo_resources.toml"
RESOURCE_FIELDS = (*PUBLISHABLE_FIELDS, "description", "kind", "url", "published_on")
LABEL = "Resources"


def load_demo_content(report: LoadReport, path: Path = RESOURCES_FILE) -> None:
    """Create every demo resource whose slug is not yet taken. Call inside a transaction."""
    data = read_toml(path)
    items = data.get("resource", [])
    report.labels.append(LABEL)
    organisations = required(
        Organisation, {item["organisation"] for item in items if item["organisation"]}
    )
    programmes = required(
        Programme, {slug for item in items for slug in item.get("programmes", [])}
    )
    care_settings = Vocabulary(CareSetting, "Care settings", data.get("care_settings", {}), report)
    topics = Vocabulary(Topic, "Topics", data.get("topics", {}), report)

    existing = set(Resource.objects.values_list("slug", flat=True))
    for item in items:
        if item["slug"] in existing:
            report.kept[LABEL] += 1
            continue
        resource = Resource(
            organisation=organisations.get(item["organisation"]),
            **fields(item, RESOURCE_FIELDS),
        )
        if "upload" in item:
            pdf = make_pdf(item["title"], item["pdf_text"])
            resource.file.save(item["upload"], ContentFile(pdf), save=False)
        resource.full_clean()
        resource.save()
        resource.programmes.set(programmes[slug] for slug in item.get("programmes", []))
        resource.topics.set(topics.get_all(item.get("topics", [])))
        resource.care_settings.set(care_settings.get_all(item.get("care_settings", [])))
        report.created[LABEL] += 1


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF of plain text in Helvetica, with a correct cross-reference table."""
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(line, width=85, subsequent_indent="  ") if line else [""]
    content = b"BT /F1 11 Tf 15 TL 56 790 Td\n"
    content += b"".join(_pdf_string(line) + b" '\n" for line in wrapped) + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Title %s /Producer (PSC Portal demo content) >>" % _pdf_string(title),
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(pdf)
