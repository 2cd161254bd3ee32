"""Time the public finders, their counts and the site search, and check their query plans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/psc_bench python bench/measure_public.py

Fill the database first with ``bench/generate_content.py``. Each scenario is requested through
Django's test client (the full view, templates included): once to warm up, then ``--runs``
times, and the median is printed with the number of SQL queries. Then every SELECT the
scenario ran is re-run under ``EXPLAIN (ANALYZE, BUFFERS)``; the report names the slowest
query and flags any sequential scan of the big tables (case studies, resources and their
link tables). ``--plans`` prints the plans of the slowest queries too.
"""

import argparse
import os
import re
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

from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from casestudies.models import CaseStudy  # noqa: E402
from resources.models import Resource  # noqa: E402

BIG_TABLES = (
    "casestudies_casestudy",
    "casestudies_casestudy_programmes",
    "casestudies_casestudy_care_settings",
    "casestudies_casestudy_themes",
    "resources_resource",
    "resources_resource_programmes",
    "resources_resource_topics",
    "resources_resource_care_settings",
)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")

SCENARIOS = [
    ("case studies: first page", "/case-studies/"),
    ("case studies: page 2", "/case-studies/?page=2"),
    ("case studies: deepest page (50)", "/case-studies/?page=50"),
    ("case studies: programme filter", "/case-studies/?programme=medicines-safety"),
    (
        "case studies: programme + setting + year",
        "/case-studies/?programme=medicines-safety&setting=care-homes&year=2021",
    ),
    (
        "case studies: two collaboratives + theme",
        "/case-studies/?collaborative=wessex&collaborative=oxford&theme=co-design",
    ),
    ("case studies: q common word", "/case-studies/?q=safety"),
    ("case studies: q mid word", "/case-studies/?q=opioids"),
    ("case studies: q rare phrase", '/case-studies/?q="opioids+dashboard"'),
    (
        "case studies: q + filter, newest",
        "/case-studies/?q=opioids&programme=mental-health&sort=newest",
    ),
    ("case studies: q typo", "/case-studies/?q=opiods"),
    ("case studies: q deepest page", "/case-studies/?q=opioids&page=50"),
    ("case studies: detail", "{case_study}"),
    ("resources: first page", "/resources/"),
    ("resources: deepest page (50)", "/resources/?page=50"),
    ("resources: kind + topic", "/resources/?kind=toolkit&topic=covid-19"),
    ("resources: q mid word", "/resources/?q=opioids"),
    ("resources: detail", "{resource}"),
    ("search: common word", "/search/?q=safety"),
    ("search: mid word", "/search/?q=opioids"),
    ("search: phrase and exclusion", '/search/?q="care+homes"+-covid'),
    ("search: typo", "/search/?q=opiods"),
]


def explain(sql: str) -> tuple[float, list[str], str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    total = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
    seq = sorted({table for table in SEQ_SCAN.findall(plan) if table in BIG_TABLES})
    return total, seq, plan


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print the slowest plans")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("Measure on PostgreSQL: set DATABASE_URL.")

    case_study = CaseStudy.objects.published().order_by("-publish_from").first()
    resource = Resource.objects.published().order_by("-publish_from").first()
    if case_study is None or resource is None:
        sys.exit("No published content: run bench/generate_content.py first.")
    print(
        f"Database {connection.settings_dict['NAME']}: "
        f"{CaseStudy.objects.count():,} case studies, {Resource.objects.count():,} resources"
    )
    client = Client()
    problems = 0
    header = (
        f"{'scenario':44} {'status':>6} {'cold':>9} {'warm':>9} {'queries':>7}"
        f" {'slowest SQL':>11}  seq scans"
    )
    print(header)
    print("-" * len(header))
    for name, path in SCENARIOS:
        path = path.format(
            case_study=case_study.get_absolute_url(), resource=resource.get_absolute_url()
        )
        client.get(path)  # warm up the connection and the database's buffers
        timings, warm = [], []
        for _ in range(args.runs):
            cache.clear()  # cold: no cached option counts
            reset_queries()  # the query log is bounded: a full one would capture nothing
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            # Copy now: every request starts by emptying the query log.
            queries = list(captured.captured_queries)
            started = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - started) * 1000)
        slowest, seq_tables, slowest_plan = 0.0, set(), ""
        for query in queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            total, seq, plan = explain(query["sql"])
            seq_tables.update(seq)
            if total > slowest:
                slowest, slowest_plan = total, plan
        if not queries:
            sys.exit(f"{name}: no queries captured, so the plans were not checked.")
        problems += bool(seq_tables) or response.status_code >= 500
        print(
            f"{name:44} {response.status_code:>6} {statistics.median(timings):>7.1f}ms "
            f"{statistics.median(warm):>7.1f}ms "
            f"{len(queries):>7} {slowest:>9.1f}ms  "
            f"{', '.join(sorted(seq_tables)) or 'none'}"
        )
        if args.plans:
            print(slowest_plan, "\n")
    print(
        "\ncold/warm: median time of the whole request through the test client (view, queries,"
        "\n  templates), without and with the cached option counts of broad views;"
        "\nslowest SQL: the EXPLAIN ANALYZE execution time of the scenario's slowest query."
    )
    print("No sequential scans of the big tables." if not problems else f"{problems} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
