"""Demo improvement measures, built from the recipes in ``data/demo_measures.toml``.

The figures are made up, deterministically (the recipe is documented at the top of the TOML
file): each measure exists to show one Making Data Count icon or rule. Every one is stored as
``is_illustrative`` and named "Illustrative: ...", and is linked only to programmes, never to
a real case study. Loaded once per slug (see core.demo).
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils.dateparse import parse_datetime

from collaboratives.models import Organisation
from core.demo import LoadReport, read_toml, required
from measures.models import DataPoint, Measure, PhaseChange
from programmes.models import Programme, Workstream

MEASURES_FILE = Path(__file__).resolve().parent / "data" / "demo_measures.toml"
LABEL = "Improvement measures (illustrative)"
MEASURE_FIELDS = ("slug", "name", "definition", "unit", "direction", "data_source", "frequency")


def periods(start: datetime.date, frequency: str, count: int) -> list[datetime.date]:
    if frequency == "weekly":
        return [start + datetime.timedelta(weeks=i) for i in range(count)]
    step = 3 if frequency == "quarterly" else 1
    months = [start.year * 12 + start.month - 1 + i * step for i in range(count)]
    return [datetime.date(m // 12, m % 12 + 1, 1) for m in months]


def _round(value: float, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def build_series(recipe: dict) -> list[dict]:
    """The recipe's points: dicts of period, value, numerator, denominator, annotation."""
    rng = random.Random(recipe["seed"])
    count, decimals = recipe["points"], recipe.get("decimals", 2)
    notes = {int(index): text for index, text in recipe.get("annotations", {}).items()}
    series = []
    for i, period in enumerate(periods(recipe["start"], recipe["frequency"], count)):
        value = recipe["base"] + recipe["noise"] * (2 * rng.random() - 1)
        if "step_at" in recipe and i >= recipe["step_at"]:
            value += recipe["step"]
        if "trend_from" in recipe and i >= recipe["trend_from"]:
            value += recipe["trend"] * (i - recipe["trend_from"] + 1)
        if "spike_at" in recipe and i == recipe["spike_at"]:
            value += recipe["spike"]
        point = {"period": period, "numerator": None, "denominator": None}
        if "denominator" in recipe:
            denominator = Decimal(recipe["denominator"])
            numerator = _round(value * recipe["denominator"] / 100, 0)
            point.update(
                numerator=numerator,
                denominator=denominator,
                value=(numerator * 100 / denominator).quantize(Decimal("0.0001")),
            )
        else:
            point["value"] = _round(value, decimals)
        point["annotation"] = notes.get(i, "")
        series.append(point)
    return series


def recipes(path: Path = MEASURES_FILE) -> list[dict]:
    data = read_toml(path)
    defaults = data.get("defaults", {})
    return [{**defaults, **item} for item in data.get("measure", [])]


def load_demo_content(report: LoadReport, path: Path = MEASURES_FILE) -> None:
    """Create every demo measure whose slug is not yet taken. Call inside a transaction."""
    items = recipes(path)
    report.labels.append(LABEL)
    organisations = required(Organisation, {item["organisation"] for item in items})
    programmes = required(
        Programme, {slug for item in items for slug in item.get("programmes", [])}
    )
    existing = set(Measure.objects.values_list("slug", flat=True))
    for item in items:
        if item["slug"] in existing:
            report.kept[LABEL] += 1
            continue
        publish_from = item["publish_from"]
        if isinstance(publish_from, str):
            publish_from = parse_datetime(publish_from)
        measure = Measure(
            organisation=organisations[item["organisation"]],
            is_illustrative=True,  # always: these figures are made up
            status=item["status"],
            publish_from=publish_from,
            target=None if item.get("target") is None else Decimal(str(item["target"])),
            baseline_points=item.get("baseline_points"),
            **{name: item[name] for name in MEASURE_FIELDS},
        )
        measure.full_clean()
        measure.save()
        measure.programmes.set(programmes[slug] for slug in item.get("programmes", []))
        measure.workstreams.set(_workstreams(item.get("workstreams", []), report))
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, **point) for point in build_series(item)
        )
        if "rebase_at" in item:
            period = periods(item["start"], item["frequency"], item["points"])[item["rebase_at"]]
            PhaseChange.objects.create(measure=measure, date=period, reason=item["rebase_reason"])
        report.created[LABEL] += 1


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
