"""Reference data of the collaboratives: organisations, their contact facts and coverage."""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from collaboratives.models import ContactDetail, Coverage, CoverageKind, Organisation
from core.reference import Loader, read_toml

ORGANISATIONS_FILE = Path(__file__).resolve().parent / "data" / "organisations.toml"


def _coverage_items(coverage: Mapping[str, list[Any]]) -> Iterable[tuple[str, str, str]]:
    for kind, items in coverage.items():
        if kind not in CoverageKind.values:
            raise ValueError(f"Unknown coverage kind {kind!r}")
        for item in items:
            if isinstance(item, str):
                yield kind, item, ""
            else:
                yield kind, item["value"], item.get("note", "")


def load(loader: Loader) -> None:
    data = read_toml(ORGANISATIONS_FILE)
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
