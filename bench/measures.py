"""Time a measure's chart page (200 points) and a programme page rolling up 50 measures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/psc_bench python bench/measures.py

Works in a scratch database (``test_<name>`` of DATABASE_URL, created and dropped here), so
it never touches real data. Pages are requested through Django's test client (view and
templates included): once to warm up, then ``--runs`` times; the median and the query count
are printed. It also prints the time of the chart computation alone (``Measure.analysis()``:
``measures.spc.analyse`` on the stored points) and of drawing the SVG, per series; the target
is under 5 ms per series.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psc_portal.settings")
os.environ.setdefault("DEBUG", "true")  # a local benchmark needs no production secrets
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from collaboratives.models import Organisation  # noqa: E402
from measures import charts, svg  # noqa: E402
from measures.models import DataPoint, Measure, PhaseChange  # noqa: E402
from programmes.models import Programme  # noqa: E402

TARGET_MS = 5.0


def month(i: int) -> datetime.date:
    return datetime.date(2000 + i // 12, i % 12 + 1, 1)


def make_measure(organisation, slug: str, points: int, rng: random.Random) -> Measure:
    measure = Measure.objects.create(
        name=f"Bench measure {slug}",
        slug=slug,
        definition="Generated for the benchmark.",
        unit="%",
        direction="increase",
        target=55,
        data_source="Benchmark",
        organisation=organisation,
        status="published",
        publish_from=timezone.now() - datetime.timedelta(days=1),
    )
    DataPoint.objects.bulk_create(
        DataPoint(
            measure=measure,
            period=month(i),
            value=round(50 + rng.gauss(0, 5) + (8 if i > points * 0.6 else 0), 2),
            annotation="Change introduced" if i == int(points * 0.6) else "",
        )
        for i in range(points)
    )
    PhaseChange.objects.create(measure=measure, date=month(points // 3), reason="Rebase")
    return measure


def timed(client: Client, path: str, runs: int) -> tuple[float, int, int]:
    client.get(path)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), len(queries), len(response.content)


def per_series(measures: list[Measure], repeat: int = 20) -> tuple[float, float]:
    """Median milliseconds per series: the XmR analysis, and drawing the full chart."""
    analysis, drawing = [], []
    for measure in measures:
        for _ in range(repeat):
            measure._analysis = None
            start = time.perf_counter()
            result = measure.analysis()
            analysis.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            svg.render_chart(result, title=measure.name, description=result.summary)
            drawing.append((time.perf_counter() - start) * 1000)
    return statistics.median(analysis), statistics.median(drawing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(2021)
        organisation = Organisation.objects.create(
            acronym="BENCH", slug="bench", name="Bench", psc_name="Bench PSC", territory="-"
        )
        programme = Programme.objects.create(
            slug="bench-programme", name="Bench programme", short_name="B", summary="-", aims="-"
        )
        long_one = make_measure(organisation, "two-hundred-points", 200, rng)
        many = [make_measure(organisation, f"rollup-{n}", 36, rng) for n in range(50)]
        for measure in many:
            measure.programmes.add(programme)

        client = Client()
        rows = [
            ("chart page, 200 points", long_one.get_absolute_url()),
            ("CSV of 200 points", f"{long_one.get_absolute_url()}data.csv"),
            ("programme page, 50 measures x 36 points", programme.get_absolute_url()),
        ]
        print(f"{'page':45} {'median ms':>10} {'queries':>8} {'bytes':>9}")
        for label, path in rows:
            median, queries, size = timed(client, path, args.runs)
            print(f"{label:45} {median:10.1f} {queries:8d} {size:9,d}")

        fetched = list(charts.with_series(Measure.objects.filter(pk=long_one.pk)))
        analysis_ms, drawing_ms = per_series(fetched)
        print(f"\nper series, 200 points: analysis {analysis_ms:.2f} ms, SVG {drawing_ms:.2f} ms")
        fetched = list(charts.with_series(Measure.objects.filter(pk__in=[m.pk for m in many])))
        analysis_ms36, drawing_ms36 = per_series(fetched, repeat=3)
        print(f"per series, 36 points:  analysis {analysis_ms36:.2f} ms, SVG {drawing_ms36:.2f} ms")
        verdict = "under" if analysis_ms < TARGET_MS else "OVER"
        print(f"chart computation is {verdict} the {TARGET_MS:g} ms target per series")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
