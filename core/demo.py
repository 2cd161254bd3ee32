"""What demo content loaders share: reading their files, finding reference data, reporting.

Each content app's ``demo.py`` creates its demo items once per slug and never changes an item
that already exists: once a demo item is in the database it belongs to the editors, so a rerun
counts it as "kept" and moves on. Organisations and programmes must come from
``load_reference_data``; the smaller vocabularies (care settings, themes, topics) are created
by slug if the reference data lacks one the demo needs.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models

PUBLISHABLE_FIELDS = ("slug", "title", "summary", "status", "publish_from")


class ReferenceDataMissing(Exception):
    """Organisations or programmes the demo content names are not in the database."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    vocabulary_created: Counter = field(default_factory=Counter)
    unlinked_workstreams: set[str] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"{label}: {self.created[label]} created, {self.kept[label]} kept"
            for label in self.labels
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


def required(model: type[models.Model], slugs: set[str]) -> dict[str, models.Model]:
    found = model.objects.in_bulk(slugs, field_name="slug")
    missing = sorted(slugs - found.keys())
    if missing:
        raise ReferenceDataMissing(
            f"{model._meta.verbose_name_plural.capitalize()} not found: {', '.join(missing)}"
        )
    return found


class Vocabulary:
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


def fields(item: dict, names: tuple[str, ...]) -> dict:
    values = {name: item[name] for name in names if name in item}
    for name in ("summary", "issue", "what_we_did", "impact", "next_steps", "description"):
        if name in values:
            values[name] = values[name].strip()
    return values
