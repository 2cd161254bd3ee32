"""Reference data of the programmes: principles, programmes, workstreams, measures, settings."""

from pathlib import Path

from core.reference import Loader, read_toml
from programmes.models import CareSetting, Measure, Principle, Programme, Workstream

PROGRAMMES_FILE = Path(__file__).resolve().parent / "data" / "programmes.toml"


def load(loader: Loader) -> None:
    data = read_toml(PROGRAMMES_FILE)
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
