"""Seed the integrated care boards and their mapping to collaboratives from data/icbs.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from collaboratives.models import Organisation
from postcodes.models import ICB, ICBMapping

ICBS_FILE = Path(__file__).resolve().parent / "data" / "icbs.toml"


@dataclass
class ICBLoadReport:
    created: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Integrated care boards: {len(self.created)} created, "
            f"{len(self.mapped)} mapping rows created."
        )
        if self.waiting:
            text += (
                f" {len(self.waiting)} not mapped yet because their organisation is missing "
                f"(load the reference data first): {', '.join(self.waiting)}."
            )
        return text


def load_icbs(path: Path = ICBS_FILE) -> ICBLoadReport:
    """Create the boards and mapping rows that do not exist yet. Safe to run repeatedly.

    Nothing is updated or deleted: a board already in the database keeps what administrators
    made of it, and a board that already has any mapping row gets no new one.
    """
    with path.open("rb") as file:
        entries = tomllib.load(file)["icbs"]
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    report = ICBLoadReport()
    with transaction.atomic():
        existing = {icb.code: icb for icb in ICB.objects.all()}
        mapped_codes = set(ICBMapping.objects.values_list("icb__code", flat=True))
        for entry in entries:
            icb = existing.get(entry["code"])
            if icb is None:
                icb = ICB.objects.create(
                    code=entry["code"],
                    ods_code=entry.get("ods_code", ""),
                    name=entry["name"],
                    valid_from=entry.get("valid_from"),
                    valid_to=entry.get("valid_to"),
                )
                report.created.append(icb.code)
            if icb.code in mapped_codes:
                continue
            slug = entry.get("organisation", "")
            if slug and slug not in organisations:
                report.waiting.append(icb.code)
                continue
            ICBMapping.objects.create(
                icb=icb,
                organisation=organisations.get(slug) if slug else None,
                note=entry.get("note", ""),
            )
            report.mapped.append(icb.code)
    return report
