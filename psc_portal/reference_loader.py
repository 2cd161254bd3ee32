"""Load the reference data files into the database without undoing administrators' edits.

Each object is found by its natural key. For every field the loader compares three values: the
database value, the value recorded in ``loaded_values`` when the loader last wrote it, and the
file's value. A field still equal to its snapshot follows the file; a field that differs from
its snapshot was edited in the admin and is kept (and reported). Nothing is ever deleted.
"""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from casestudies.models import Theme
from collaboratives.models import ContactDetail, Coverage, CoverageKind, Organisation
from programmes.models import CareSetting, Measure, Principle, Programme, Workstream
from psc_portal.reference import ReferenceData
from resources.models import Topic

BASE_DIR = Path(settings.BASE_DIR)
ORGANISATIONS_FILE = BASE_DIR / "collaboratives" / "data" / "organisations.toml"
PROGRAMMES_FILE = BASE_DIR / "programmes" / "data" / "programmes.toml"
THEMES_FILE = BASE_DIR / "casestudies" / "data" / "themes.toml"
TOPICS_FILE = BASE_DIR / "resources" / "data" / "topics.toml"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_MISSING = object()


@dataclass(frozen=True)
class KeptEdit:
    """A field an administrator changed, which the loader left alone."""

    obj: str
    field: str
    kept: Any
    from_file: Any

    def __str__(self) -> str:
        return (
            f"Kept administrator's edit: {self.obj} · {self.field} = {self.kept!r} "
            f"(file has {self.from_file!r})"
        )


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)
    kept: list[KeptEdit] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.counts[CREATED]} created, {self.counts[UPDATED]} updated, "
            f"{self.counts[UNCHANGED]} unchanged"
        )


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def snapshot_value(value: Any) -> Any:
    """The JSON form a value is compared and stored in."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [snapshot_value(item) for item in value]
    return value


def _label(model: type[models.Model], lookup: Mapping[str, Any]) -> str:
    """Name an object by its natural key, e.g. "coverage [organisation=wessex, kind=ics, ...]"."""
    parts = []
    for name, value in lookup.items():
        shown = getattr(value, "slug", value) if isinstance(value, models.Model) else value
        parts.append(f"{name}={shown}")
    return f"{model._meta.verbose_name} [{', '.join(parts)}]"


class Loader:
    def __init__(self, report: LoadReport) -> None:
        self.report = report

    def upsert(
        self,
        model: type[ReferenceData],
        lookup: dict[str, Any],
        values: dict[str, Any],
        many: Mapping[str, Iterable[models.Model]] | None = None,
    ) -> ReferenceData:
        """Create or refresh one object found by ``lookup``; ``many`` holds many-to-many fields."""
        many = {name: list(items) for name, items in (many or {}).items()}
        label = _label(model, lookup)
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.loaded_values = {name: snapshot_value(v) for name, v in values.items()}
            obj.loaded_values.update({name: _pks(items) for name, items in many.items()})
            obj.save()
            for name, items in many.items():
                getattr(obj, name).set(items)
            self.report.counts[CREATED] += 1
            self.report.changes.append(f"Create {label}")
            return obj

        snapshot = dict(obj.loaded_values or {})
        changed: list[str] = []
        writes: dict[str, Any] = {}
        for name, file_value in values.items():
            current = snapshot_value(getattr(obj, name))
            if self._follows_file(label, name, current, snapshot_value(file_value), snapshot):
                writes[name] = file_value
                changed.append(name)
        m2m_writes: dict[str, list[models.Model]] = {}
        for name, items in many.items():
            current = _pks(getattr(obj, name).all())
            if self._follows_file(label, name, current, _pks(items), snapshot):
                m2m_writes[name] = items
                changed.append(name)

        if not writes and not m2m_writes and snapshot == (obj.loaded_values or {}):
            self.report.counts[UNCHANGED] += 1
            return obj
        for name, value in writes.items():
            setattr(obj, name, value)
        obj.loaded_values = snapshot
        obj.save()
        for name, items in m2m_writes.items():
            getattr(obj, name).set(items)
        if changed:
            self.report.counts[UPDATED] += 1
            self.report.changes.append(f"Update {label}: {', '.join(changed)}")
        else:
            # Only the snapshot moved (the file now agrees with the database): no data changed.
            self.report.counts[UNCHANGED] += 1
        return obj

    def _follows_file(
        self, label: str, name: str, current: Any, from_file: Any, snapshot: dict[str, Any]
    ) -> bool:
        """Whether the field should take the file's value; updates ``snapshot`` to match.

        A value that already equals the file is simply recorded. A value that differs from the
        snapshot (or has none) belongs to an administrator: it is kept and reported.
        """
        loaded = snapshot.get(name, _MISSING)
        if current == from_file:
            snapshot[name] = from_file
            return False
        if loaded is _MISSING or current != loaded:
            self.report.kept.append(KeptEdit(label, name, current, from_file))
            return False
        snapshot[name] = from_file
        return True

    def get_or_create(self, model: type[models.Model], slug: str, name: str) -> models.Model:
        obj, created = model.objects.get_or_create(slug=slug, defaults={"name": name})
        if created:
            self.report.counts[CREATED] += 1
            self.report.changes.append(f"Create {_label(model, {'slug': slug})}")
        else:
            self.report.counts[UNCHANGED] += 1
        return obj


def _pks(items: Iterable[models.Model]) -> list[Any]:
    return sorted(item.pk for item in items)


def _coverage_items(coverage: Mapping[str, list[Any]]) -> Iterable[tuple[str, str, str]]:
    for kind, items in coverage.items():
        if kind not in CoverageKind.values:
            raise ValueError(f"Unknown coverage kind {kind!r}")
        for item in items:
            if isinstance(item, str):
                yield kind, item, ""
            else:
                yield kind, item["value"], item.get("note", "")


def load_organisations(loader: Loader, data: Mapping[str, Any]) -> None:
    for row in data["organisations"]:
        organisation = loader.upsert(
            Organisation,
            {"slug": row["slug"]},
            {
                "acronym": row["acronym"],
                "name": row["name"],
                "former_names": "\n".join(row.get("former_names", [])),
                "psc_name": row["psc_name"],
                "territory": row["territory"],
                "territory_notes": row.get("territory_notes", ""),
                "summary": row.get("summary", ""),
            },
        )
        for order, contact in enumerate(row.get("contacts", [])):
            loader.upsert(
                ContactDetail,
                {"organisation": organisation, "kind": contact["kind"], "value": contact["value"]},
                {
                    "is_current": contact.get("is_current", True),
                    "verified": contact.get("verified", False),
                    "source": contact.get("source", ""),
                    "order": order,
                },
            )
        for kind, value, note in _coverage_items(row.get("coverage", {})):
            loader.upsert(
                Coverage,
                {
                    "organisation": organisation,
                    "kind": kind,
                    "normalised": Coverage.normalise(kind, value),
                },
                {"value": value, "note": note},
            )


def load_programmes(loader: Loader, data: Mapping[str, Any]) -> None:
    principles = {}
    for order, row in enumerate(data["principles"]):
        principles[row["slug"]] = loader.upsert(
            Principle,
            {"slug": row["slug"]},
            {"name": row["name"], "description": row.get("description", ""), "order": order},
        )
    for order, row in enumerate(data["programmes"]):
        programme = loader.upsert(
            Programme,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "summary": row["summary"],
                "aims": row["aims"],
                "status": row.get("status", "active"),
                "status_note": row.get("status_note", ""),
                "status_from": row.get("status_from"),
                "order": order,
            },
            many={"principles": [principles[slug] for slug in row.get("principles", [])]},
        )
        workstreams = {}
        for ws_order, ws in enumerate(row.get("workstreams", [])):
            workstreams[ws["slug"]] = loader.upsert(
                Workstream,
                {"programme": programme, "slug": ws["slug"]},
                {"name": ws["name"], "aim": ws.get("aim", ""), "order": ws_order},
            )
        for m_order, measure in enumerate(row.get("measures", [])):
            workstream_slug = measure.get("workstream")
            loader.upsert(
                Measure,
                {"programme": programme, "key": measure["key"]},
                {
                    "workstream": workstreams[workstream_slug] if workstream_slug else None,
                    "label": measure["label"],
                    "target": measure["target"],
                    "period": measure["period"],
                    "target_date": measure.get("target_date"),
                    "source": measure["source"],
                    "source_url": measure.get("source_url", ""),
                    "order": m_order,
                },
            )
    for row in data.get("care_settings", []):
        loader.upsert(CareSetting, {"slug": row["slug"]}, {"name": row["name"]})


def load_reference_data(*, dry_run: bool = False) -> LoadReport:
    """Load every reference data file in one transaction; roll it back when ``dry_run``."""
    report = LoadReport()
    loader = Loader(report)
    with transaction.atomic():
        load_organisations(loader, read_toml(ORGANISATIONS_FILE))
        load_programmes(loader, read_toml(PROGRAMMES_FILE))
        for row in read_toml(THEMES_FILE)["themes"]:
            loader.get_or_create(Theme, row["slug"], row["name"])
        for row in read_toml(TOPICS_FILE)["topics"]:
            loader.get_or_create(Topic, row["slug"], row["name"])
        if dry_run:
            transaction.set_rollback(True)
    return report
