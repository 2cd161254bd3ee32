"""Demo case studies and resources, read from TOML files and loaded once per slug.

The loader never changes an item that already exists: once a demo item is in the database it
belongs to the editors, so a rerun counts it as "kept" and moves on. Organisations and
programmes must come from ``load_reference_data``; the smaller vocabularies (care settings,
themes, topics) are created by slug if the reference data lacks one the demo needs.
"""

import textwrap
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import models

from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from collaboratives.models import Organisation
from programmes.models import CareSetting, Programme, Workstream
from resources.models import Resource, Topic

BASE_DIR = Path(__file__).resolve().parent.parent
CASE_STUDIES_FILE = BASE_DIR / "casestudies" / "data" / "demo_case_studies.toml"
RESOURCES_FILE = BASE_DIR / "resources" / "data" / "demo_resources.toml"

PUBLISHABLE_FIELDS = ("slug", "title", "summary", "status", "publish_from")
CASE_STUDY_FIELDS = (*PUBLISHABLE_FIELDS, "issue", "what_we_did", "impact", "next_steps")
RESOURCE_FIELDS = (*PUBLISHABLE_FIELDS, "description", "kind", "url", "published_on")


class ReferenceDataMissing(Exception):
    """Organisations or programmes the demo content names are not in the database."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    vocabulary_created: Counter = field(default_factory=Counter)
    unlinked_workstreams: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        lines = [
            f"{label}: {self.created[label]} created, {self.kept[label]} kept"
            for label in ("Case studies", "Resources")
        ]
        lines += [
            f"{label}: {count} created (missing from the reference data)"
            for label, count in sorted(self.vocabulary_created.items())
            if count
        ]
        if self.unlinked_workstreams:
            lines.append(
                "Workstreams not in the reference data, so not linked: "
                + ", ".join(sorted(self.unlinked_workstreams))
            )
        return lines


def read_toml(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def load_demo_content(
    case_studies_file: Path = CASE_STUDIES_FILE, resources_file: Path = RESOURCES_FILE
) -> LoadReport:
    """Create every demo item whose slug is not yet taken. Call inside a transaction."""
    case_data = read_toml(case_studies_file)
    resource_data = read_toml(resources_file)
    items = case_data.get("case_study", []) + resource_data.get("resource", [])
    organisations = _required(
        Organisation, {item["organisation"] for item in items if item["organisation"]}
    )
    programmes = _required(
        Programme, {slug for item in items for slug in item.get("programmes", [])}
    )

    report = LoadReport()
    care_settings = _Vocabulary(
        CareSetting,
        "Care settings",
        {**case_data.get("care_settings", {}), **resource_data.get("care_settings", {})},
        report,
    )
    themes = _Vocabulary(Theme, "Themes", case_data.get("themes", {}), report)
    topics = _Vocabulary(Topic, "Topics", resource_data.get("topics", {}), report)
    contacts = case_data.get("contacts", {})

    existing = set(CaseStudy.objects.values_list("slug", flat=True))
    for item in case_data.get("case_study", []):
        if item["slug"] in existing:
            report.kept["Case studies"] += 1
            continue
        case_study = CaseStudy(
            organisation=organisations[item["organisation"]],
            **_fields(item, CASE_STUDY_FIELDS),
        )
        case_study.full_clean()
        case_study.save()
        case_study.programmes.set(programmes[slug] for slug in item.get("programmes", []))
        case_study.workstreams.set(_workstreams(item.get("workstreams", []), report))
        case_study.care_settings.set(care_settings.get_all(item.get("care_settings", [])))
        case_study.themes.set(themes.get_all(item.get("themes", [])))
        _add_children(case_study, item, contacts)
        report.created["Case studies"] += 1

    existing = set(Resource.objects.values_list("slug", flat=True))
    for item in resource_data.get("resource", []):
        if item["slug"] in existing:
            report.kept["Resources"] += 1
            continue
        resource = Resource(
            organisation=organisations.get(item["organisation"]),
            **_fields(item, RESOURCE_FIELDS),
        )
        if "upload" in item:
            pdf = make_pdf(item["title"], item["pdf_text"])
            resource.file.save(item["upload"], ContentFile(pdf), save=False)
        resource.full_clean()
        resource.save()
        resource.programmes.set(programmes[slug] for slug in item.get("programmes", []))
        resource.topics.set(topics.get_all(item.get("topics", [])))
        resource.care_settings.set(care_settings.get_all(item.get("care_settings", [])))
        report.created["Resources"] += 1

    return report


def _required(model: type[models.Model], slugs: set[str]) -> dict[str, models.Model]:
    found = model.objects.in_bulk(slugs, field_name="slug")
    missing = sorted(slugs - found.keys())
    if missing:
        raise ReferenceDataMissing(
            f"{model._meta.verbose_name_plural.capitalize()} not found: {', '.join(missing)}"
        )
    return found


class _Vocabulary:
    """Care settings, themes or topics by slug, created from the demo file's names if absent."""

    def __init__(self, model, label: str, names: dict[str, str], report: LoadReport):
        self.model, self.label, self.names, self.report = model, label, names, report

    def get_all(self, slugs: list[str]) -> list[models.Model]:
        objects = []
        for slug in slugs:
            obj, created = self.model.objects.get_or_create(
                slug=slug,
                defaults={"name": self.names.get(slug, slug.replace("-", " ").capitalize())},
            )
            self.report.vocabulary_created[self.label] += created
            objects.append(obj)
        return objects


def _workstreams(refs: list[str], report: LoadReport) -> list[Workstream]:
    found = []
    for ref in refs:
        programme_slug, _, slug = ref.partition("/")
        workstream = Workstream.objects.filter(programme__slug=programme_slug, slug=slug).first()
        if workstream is None:
            report.unlinked_workstreams.add(ref)
        else:
            found.append(workstream)
    return found


def _fields(item: dict, names: tuple[str, ...]) -> dict:
    values = {name: item[name] for name in names if name in item}
    for name in ("summary", "issue", "what_we_did", "impact", "next_steps", "description"):
        if name in values:
            values[name] = values[name].strip()
    return values


def _add_children(case_study: CaseStudy, item: dict, contacts: dict) -> None:
    for order, figure in enumerate(item.get("figures", [])):
        numbers = {
            name: Decimal(str(figure[name]))
            for name in ("value", "baseline", "target")
            if name in figure
        }
        text = {
            name: figure[name] for name in ("label", "unit", "period", "source") if name in figure
        }
        ImpactFigure.objects.create(case_study=case_study, order=order, **numbers, **text)
    for order, quote in enumerate(item.get("quotes", [])):
        Quote.objects.create(
            case_study=case_study,
            order=order,
            text=quote["text"].strip(),
            attribution=quote["attribution"],
            role=quote.get("role", ""),
        )
    for order, key in enumerate(item.get("contacts", [])):
        Contact.objects.create(case_study=case_study, order=order, **contacts[key])


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
