"""Published objects as plain data: nested for JSON, flattened for CSV."""

import csv
import html
import io
import re
from datetime import UTC

import nh3
from django.db.models import Prefetch
from django.urls import reverse

from casestudies.models import CaseStudy, ImpactFigure
from collaboratives.models import ContactDetail, Coverage, CoverageKind, Organisation
from core.richtext import rich_text
from measures import charts
from measures.models import Measure
from programmes.models import Programme
from resources.models import Resource

LIST_SEPARATOR = "; "
_BLOCK_END = re.compile(r"</(p|h2|h3|h4|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n+")


def plain_text(value: str) -> str:
    """Rich text as plain text: one paragraph, heading or list item per block."""
    marked = _BLOCK_END.sub("\n\n", str(rich_text(value)))
    text = html.unescape(nh3.clean(marked, tags=set()))
    return _BLANK_LINES.sub("\n\n", text).strip()


def rich(value: str) -> dict:
    return {"html": str(rich_text(value)), "text": plain_text(value)}


def term(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name}


def terms(related) -> list[dict]:
    return [term(obj) for obj in related.all()]


def number(value):
    return None if value is None else float(value)


# --- Querysets with what each serialiser reads, fetched in a constant number of queries ---


def organisations():
    return Organisation.objects.order_by("name").prefetch_related(
        Prefetch(
            "contact_details",
            queryset=ContactDetail.objects.filter(verified=True),
            to_attr="verified_contacts",
        ),
        Prefetch(
            "coverage",
            queryset=Coverage.objects.filter(kind=CoverageKind.ICS).order_by("value"),
            to_attr="ics_coverage",
        ),
    )


def programmes():
    return Programme.objects.prefetch_related("principles", "workstreams", "measures__workstream")


def case_studies(queryset):
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("figures", queryset=ImpactFigure.objects.select_related("measure")),
        Prefetch(
            "measures",
            queryset=Measure.objects.published().order_by("name", "pk"),
            to_attr="published_measures",
        ),
        "quotes",
        "programmes",
        "workstreams",
        "care_settings",
        "themes",
    )


def measures(queryset):
    """Measures with their series (for the statistics), links and published case studies."""
    return charts.with_series(queryset.select_related("organisation")).prefetch_related(
        "programmes",
        "workstreams",
        Prefetch(
            "case_studies",
            queryset=CaseStudy.objects.published().newest_first().defer("search_vector"),
            to_attr="published_case_studies",
        ),
    )


def events(queryset):
    return queryset.select_related("organisation").prefetch_related(
        "programmes",
        "care_settings",
        "topics",
        Prefetch(
            "materials",
            queryset=Resource.objects.published().newest_first().defer("search_vector"),
            to_attr="published_materials",
        ),
    )


def resources(queryset):
    return queryset.select_related("organisation").prefetch_related(
        "programmes", "topics", "care_settings"
    )


# --- Nested data (JSON) ------------------------------------------------------------------


def organisation(obj, absolute) -> dict:
    return {
        "slug": obj.slug,
        "acronym": obj.acronym,
        "name": obj.name,
        "former_names": obj.former_name_list,
        "psc_name": obj.psc_name,
        "host_organisation": obj.host_organisation,
        "territory": obj.territory,
        "territory_notes": obj.territory_notes,
        "summary": obj.summary,
        "integrated_care_systems": [row.value for row in obj.ics_coverage],
        "contacts": [
            {"kind": c.kind, "value": c.value, "is_current": c.is_current}
            for c in obj.verified_contacts
        ],
        "url": absolute(obj.get_absolute_url()),
    }


def programme(obj, absolute) -> dict:
    return {
        "slug": obj.slug,
        "name": obj.name,
        "short_name": obj.short_name,
        "summary": obj.summary,
        "aims": obj.aims,
        "status": obj.status,
        "status_note": obj.status_note,
        "status_from": obj.status_from,
        "principles": terms(obj.principles),
        "workstreams": [
            {"slug": w.slug, "name": w.name, "aim": w.aim} for w in obj.workstreams.all()
        ],
        "measures": [
            {
                "key": m.key,
                "label": m.label,
                "target": m.target,
                "period": m.period,
                "target_date": m.target_date,
                "source": m.source,
                "source_url": m.source_url,
                "workstream": m.workstream.slug if m.workstream else None,
            }
            for m in obj.measures.all()
        ],
        "url": absolute(obj.get_absolute_url()),
    }


def link(obj, absolute, name_field="name") -> dict:
    return {
        "slug": obj.slug,
        "name": getattr(obj, name_field),
        "url": absolute(obj.get_absolute_url()),
    }


def utc(moment):
    return moment.astimezone(UTC)


def case_study(obj, absolute) -> dict:
    return {
        "slug": obj.slug,
        "title": obj.title,
        "summary": obj.summary,
        "organisation": term(obj.organisation),
        "publish_from": obj.publish_from,
        "updated_at": obj.updated_at,
        "sections": {
            "issue": rich(obj.issue),
            "what_we_did": rich(obj.what_we_did),
            "impact": rich(obj.impact),
            "next_steps": rich(obj.next_steps),
        },
        "impact_figures": [
            {
                "label": f.label,
                "value": number(f.value),
                "unit": f.unit,
                "baseline": number(f.baseline),
                "target": number(f.target),
                "period": f.period,
                "source": f.source,
                "measure": f.measure.slug if f.measure and f.measure.is_public else None,
            }
            for f in obj.figures.all()
        ],
        "measures": [link(m, absolute) for m in obj.published_measures],
        "quotes": [
            {"text": q.text, "attribution": q.attribution, "role": q.role} for q in obj.quotes.all()
        ],
        "programmes": terms(obj.programmes),
        "workstreams": terms(obj.workstreams),
        "settings": terms(obj.care_settings),
        "themes": terms(obj.themes),
        "url": absolute(obj.get_absolute_url()),
    }


def resource(obj, absolute) -> dict:
    return {
        "slug": obj.slug,
        "title": obj.title,
        "summary": obj.summary,
        "description": rich(obj.description),
        "kind": obj.kind,
        "kind_label": obj.get_kind_display(),
        "organisation": term(obj.organisation) if obj.organisation else None,
        "publish_from": obj.publish_from,
        "updated_at": obj.updated_at,
        "published_on": obj.published_on,
        "file_type": obj.file_type,
        "file_size": obj.file_size if obj.file else None,
        "download_url": absolute(obj.file.url) if obj.file else None,
        "link": obj.url or None,
        "programmes": terms(obj.programmes),
        "topics": terms(obj.topics),
        "settings": terms(obj.care_settings),
        "url": absolute(obj.get_absolute_url()),
    }


def measure(obj, absolute) -> dict:
    """A measure with its statistics (``Measure.analysis()``), but not its points."""
    result = obj.analysis()
    icons = charts.icons(result)
    latest = result.latest
    return {
        "slug": obj.slug,
        "name": obj.name,
        "definition": obj.definition,
        "unit": obj.unit,
        "direction": obj.direction,
        "direction_label": obj.get_direction_display(),
        "target": number(obj.target),
        "target_from": obj.target_from,
        "frequency": obj.frequency,
        "data_source": obj.data_source,
        "baseline_points": obj.baseline_points,
        "is_illustrative": obj.is_illustrative,
        "organisation": term(obj.organisation),
        "programmes": [link(p, absolute) for p in obj.programmes.all()],
        "workstreams": terms(obj.workstreams),
        "case_studies": [link(c, absolute, "title") for c in obj.published_case_studies],
        "point_count": len(result.points),
        "latest": None if latest is None else {"period": latest.period, "value": latest.value},
        "variation_icon": result.variation_icon and str(result.variation_icon),
        "variation_label": icons.variation_label,
        "assurance_icon": result.assurance_icon and str(result.assurance_icon),
        "assurance_label": icons.assurance_label,
        "summary": result.summary,
        "publish_from": obj.publish_from,
        "updated_at": obj.updated_at,
        "url": absolute(obj.get_absolute_url()),
        "csv_url": absolute(reverse("measures:csv", kwargs={"slug": obj.slug})),
    }


def measure_detail(obj, absolute) -> dict:
    """A measure with every point (its value and computed flags) and every phase's limits."""
    result = obj.analysis()
    stored = {point.period: point for point in obj.data_points.all()}
    reasons = {change.date: change.reason for change in obj.phase_changes.all()}
    points = []
    for computed in result.points:
        point = stored[computed.period]
        points.append(
            {
                "period": computed.period,
                "value": computed.value,
                "numerator": number(point.numerator),
                "denominator": number(point.denominator),
                "annotation": point.annotation,
                "phase": computed.phase,
                "in_baseline": computed.in_baseline,
                "mean": computed.mean,
                "lower": computed.lower,
                "upper": computed.upper,
                "flags": [str(flag) for flag in computed.flags],
                "classification": computed.classification and str(computed.classification),
                "side": computed.side and str(computed.side),
            }
        )
    phases = [
        {
            "index": phase.index,
            "start": phase.start,
            "end": phase.end,
            "point_count": phase.point_count,
            "baseline_count": phase.baseline_count,
            "mean": phase.mean,
            "lower": phase.lower,
            "upper": phase.upper,
            "limits_reliable": phase.limits_reliable,
            "reason": "" if phase.index == 0 else _phase_reason(phase, reasons),
        }
        for phase in result.phases
    ]
    return {**measure(obj, absolute), "points": points, "phases": phases}


def _phase_reason(phase, reasons: dict) -> str:
    """The recalculation that started the phase: the latest one on or before its start."""
    earlier = [day for day in reasons if day <= phase.start]
    return reasons[max(earlier)] if earlier else ""


def event(obj, absolute) -> dict:
    return {
        "slug": obj.slug,
        "title": obj.title,
        "summary": obj.summary,
        "description": rich(obj.description),
        "start": utc(obj.start),
        "end": utc(obj.end),
        "when": obj.when,
        "format": obj.format,
        "format_label": obj.get_format_display(),
        "is_cancelled": obj.is_cancelled,
        "is_past": obj.is_past,
        "location": obj.location,
        "booking_url": obj.booking_url or None,
        "capacity_note": obj.capacity_note,
        "is_illustrative": obj.is_illustrative,
        "organisation": link(obj.organisation, absolute),
        "programmes": [link(p, absolute) for p in obj.programmes.all()],
        "settings": terms(obj.care_settings),
        "topics": terms(obj.topics),
        "materials": [
            {
                "slug": r.slug,
                "title": r.title,
                "kind": r.kind,
                "url": absolute(r.get_absolute_url()),
                "download_url": absolute(r.file.url) if r.file else None,
                "link": r.url or None,
            }
            for r in (obj.published_materials if obj.is_past else [])
        ],
        "publish_from": obj.publish_from,
        "updated_at": obj.updated_at,
        "url": absolute(obj.get_absolute_url()),
        "ics_url": absolute(reverse("events:ics", kwargs={"slug": obj.slug})),
    }


# --- Flat rows (CSV): one column per value, lists joined with "; " ------------------------


def joined(values) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values)


def names(items: list[dict]) -> str:
    return joined(item["name"] for item in items)


def _figure(f: dict) -> str:
    value = f"{f['value']:g}{f['unit']}"
    return f"{f['label']}: {value}" + (f" ({f['period']})" if f["period"] else "")


def organisation_row(data: dict) -> dict:
    return {
        **{k: data[k] for k in ("slug", "acronym", "name", "psc_name", "host_organisation")},
        "former_names": joined(data["former_names"]),
        "territory": data["territory"],
        "territory_notes": data["territory_notes"],
        "integrated_care_systems": joined(data["integrated_care_systems"]),
        "contacts": joined(f"{c['kind']}: {c['value']}" for c in data["contacts"]),
        "url": data["url"],
    }


def programme_row(data: dict) -> dict:
    return {
        **{k: data[k] for k in ("slug", "name", "short_name", "status", "status_note")},
        "status_from": data["status_from"] or "",
        "summary": data["summary"],
        "principles": names(data["principles"]),
        "workstreams": names(data["workstreams"]),
        "measures": joined(
            f"{m['label']}: {m['target']} ({m['period']})" for m in data["measures"]
        ),
        "url": data["url"],
    }


def case_study_row(data: dict) -> dict:
    sections = data["sections"]
    return {
        "slug": data["slug"],
        "title": data["title"],
        "url": data["url"],
        "organisation": data["organisation"]["name"],
        "publish_from": data["publish_from"].isoformat(),
        "updated_at": data["updated_at"].isoformat(),
        "summary": data["summary"],
        "programmes": names(data["programmes"]),
        "workstreams": names(data["workstreams"]),
        "settings": names(data["settings"]),
        "themes": names(data["themes"]),
        "impact_figures": joined(_figure(f) for f in data["impact_figures"]),
        "measures": joined(m["slug"] for m in data["measures"]),
        "issue": sections["issue"]["text"],
        "what_we_did": sections["what_we_did"]["text"],
        "impact": sections["impact"]["text"],
        "next_steps": sections["next_steps"]["text"],
    }


def resource_row(data: dict) -> dict:
    return {
        "slug": data["slug"],
        "title": data["title"],
        "url": data["url"],
        "kind": data["kind_label"],
        "organisation": data["organisation"]["name"] if data["organisation"] else "",
        "publish_from": data["publish_from"].isoformat(),
        "published_on": data["published_on"] or "",
        "summary": data["summary"],
        "description": data["description"]["text"],
        "programmes": names(data["programmes"]),
        "topics": names(data["topics"]),
        "settings": names(data["settings"]),
        "file_type": data["file_type"],
        "file_size": "" if data["file_size"] is None else data["file_size"],
        "download_url": data["download_url"] or "",
        "link": data["link"] or "",
    }


def measure_row(data: dict) -> dict:
    latest = data["latest"]
    return {
        **{k: data[k] for k in ("slug", "name", "url", "csv_url", "definition", "unit")},
        "direction": data["direction"],
        "target": "" if data["target"] is None else f"{data['target']:g}",
        "target_from": data["target_from"] or "",
        "frequency": data["frequency"],
        "data_source": data["data_source"],
        "is_illustrative": "yes" if data["is_illustrative"] else "no",
        "organisation": data["organisation"]["name"],
        "programmes": names(data["programmes"]),
        "case_studies": joined(c["slug"] for c in data["case_studies"]),
        "point_count": data["point_count"],
        "latest_period": latest["period"] if latest else "",
        "latest_value": f"{latest['value']:g}" if latest else "",
        "variation_icon": data["variation_icon"] or "",
        "assurance_icon": data["assurance_icon"] or "",
        "summary": data["summary"],
        "publish_from": data["publish_from"].isoformat(),
    }


def event_row(data: dict) -> dict:
    return {
        "slug": data["slug"],
        "title": data["title"],
        "url": data["url"],
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
        "when": data["when"],
        "format": data["format"],
        "is_cancelled": "yes" if data["is_cancelled"] else "no",
        "location": data["location"],
        "booking_url": data["booking_url"] or "",
        "capacity_note": data["capacity_note"],
        "organisation": data["organisation"]["name"],
        "programmes": names(data["programmes"]),
        "summary": data["summary"],
        "description": data["description"]["text"],
        "materials": joined(m["url"] for m in data["materials"]),
        "ics_url": data["ics_url"],
        "is_illustrative": "yes" if data["is_illustrative"] else "no",
    }


ORGANISATION_COLUMNS = [
    "slug", "acronym", "name", "psc_name", "host_organisation", "former_names", "territory",
    "territory_notes", "integrated_care_systems", "contacts", "url",
]  # fmt: skip
PROGRAMME_COLUMNS = [
    "slug", "name", "short_name", "status", "status_note", "status_from", "summary",
    "principles", "workstreams", "measures", "url",
]  # fmt: skip
CASE_STUDY_COLUMNS = [
    "slug", "title", "url", "organisation", "publish_from", "updated_at", "summary",
    "programmes", "workstreams", "settings", "themes", "impact_figures", "measures", "issue",
    "what_we_did", "impact", "next_steps",
]  # fmt: skip
RESOURCE_COLUMNS = [
    "slug", "title", "url", "kind", "organisation", "publish_from", "published_on", "summary",
    "description", "programmes", "topics", "settings", "file_type", "file_size",
    "download_url", "link",
]  # fmt: skip

MEASURE_COLUMNS = [
    "slug", "name", "url", "csv_url", "definition", "unit", "direction", "target",
    "target_from", "frequency", "data_source", "is_illustrative", "organisation", "programmes",
    "case_studies", "point_count", "latest_period", "latest_value", "variation_icon",
    "assurance_icon", "summary", "publish_from",
]  # fmt: skip
EVENT_COLUMNS = [
    "slug", "title", "url", "start", "end", "when", "format", "is_cancelled", "location",
    "booking_url", "capacity_note", "organisation", "programmes", "summary", "description",
    "materials", "ics_url", "is_illustrative",
]  # fmt: skip


def to_csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
