"""Import a full-size postcode directory and time the lookups that use it.

    createdb -h 127.0.0.1 -U postgres psc_postcodes_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/psc_postcodes_bench
    .venv/bin/python bench/generate_onspd.py /tmp/ONSPD_MAY_2026_UK.csv
    .venv/bin/python bench/postcodes.py /tmp/ONSPD_MAY_2026_UK.csv

It migrates the database and loads the reference data and ICBs, then prints:

- import: wall time and peak memory (``ru_maxrss``) of ``manage.py import_postcodes`` run as a
  child process, with its targets (3 minutes, 300 MB);
- lookup: p50/p95 of the indexed query for one full postcode, over 1,000 random postcodes,
  and of the whole ``postcodes.lookup.lookup()`` (target p95 under 5 ms);
- page: p50/p95 server time of /collaboratives/find/?q=<postcode> through Django's test
  client (target under 20 ms);
- bulk: a CSV of 10,000 postcodes (a tenth of them not postcodes) through the staff tool's
  code (target under 10 s).
"""

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psc_portal.settings")
os.environ.setdefault("DEBUG", "true")  # a local benchmark needs no production secrets
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from postcodes import bulk  # noqa: E402
from postcodes.loader import load_icbs  # noqa: E402
from postcodes.lookup import lookup  # noqa: E402
from postcodes.models import Postcode  # noqa: E402


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms, max {max(samples):.2f} ms"


def timed_ms(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def run_import(path: Path) -> None:
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_postcodes", str(path), "--force"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    if completed.returncode:
        sys.exit(f"Import failed:\n{completed.stderr}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else "")
    print(f"import: {seconds:.1f} s (target < 180 s: {verdict(seconds < 180)})")
    print(f"import peak memory: {peak_mb:.0f} MB (target < 300 MB: {verdict(peak_mb < 300)})")


def sample_postcodes(count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT postcode FROM postcodes_postcode TABLESAMPLE SYSTEM (1) "
            "WHERE terminated IS NULL LIMIT %s",
            [count],
        )
        found = [row[0] for row in cursor.fetchall()]
    random.shuffle(found)
    return found


def measure_lookups(postcodes: list[str]) -> None:
    sql = "SELECT icb_code, country_code, terminated FROM postcodes_postcode WHERE key = %s"
    keys = [postcode.replace(" ", "") for postcode in postcodes]
    with connection.cursor() as cursor:
        for key in keys[:50]:  # warm the connection and the cache
            cursor.execute(sql, [key])
            cursor.fetchone()

        def query(key):
            cursor.execute(sql, [key])
            return cursor.fetchone()

        samples = [timed_ms(query, key) for key in keys]
        p95 = statistics.quantiles(samples, n=100)[94]
        print(f"lookup query, round trip from Python: {percentiles(samples)} "
              f"(target p95 < 5 ms: {verdict(p95 < 5)})")  # fmt: skip
        server = []
        for key in keys:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", [key])
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            server.append(plan["Execution Time"])
        print(f"lookup query, time in PostgreSQL (EXPLAIN ANALYZE): {percentiles(server)}")
        print(f"  plan: {plan['Plan']['Node Type']} using {plan['Plan'].get('Index Name')}")
    orm = [timed_ms(lookup, postcode) for postcode in postcodes]
    print(f"lookup() (current release, postcode, board and mapping: 3 queries): "
          f"{percentiles(orm)}")  # fmt: skip


def measure_page(postcodes: list[str]) -> None:
    client = Client()
    samples = [timed_ms(client.get, "/collaboratives/find/") for _ in range(50)]
    print(f"page /collaboratives/find/ without a query (layout only): {percentiles(samples)}")
    for postcode in postcodes[:20]:
        client.get("/collaboratives/find/", {"q": postcode})
    samples = []
    for postcode in postcodes[:300]:
        started = time.perf_counter()
        response = client.get("/collaboratives/find/", {"q": postcode})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"page /collaboratives/find/?q=<postcode>: {percentiles(samples)} "
          f"(target < 20 ms: {verdict(statistics.median(samples) < 20)})")  # fmt: skip


def measure_bulk(postcodes: list[str]) -> None:
    values = [
        postcodes[n % len(postcodes)] if n % 10 else f"not a postcode {n}" for n in range(10_000)
    ]
    data = "reference,postcode\r\n" + "".join(f"{n},{v}\r\n" for n, v in enumerate(values))
    started = time.perf_counter()
    output = bulk.annotated_csv(bulk.read_csv(data.encode()))
    seconds = time.perf_counter() - started
    lines = output.count("\r\n") - 1
    print(f"bulk CSV of 10,000 postcodes: {seconds:.2f} s for {lines:,} rows "
          f"(target < 10 s: {verdict(seconds < 10)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a release made by bench/generate_onspd.py")
    parser.add_argument("--skip-import", action="store_true", help="measure what is loaded")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL to a scratch database.")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    load_icbs()
    if not args.skip_import:
        run_import(args.file)
    print("load average: " + " ".join(f"{load:.1f}" for load in os.getloadavg()))
    postcodes = sample_postcodes(1_000)
    print(f"{Postcode.objects.count():,} postcodes loaded; measuring on {len(postcodes):,}")
    measure_lookups(postcodes)
    measure_page(postcodes)
    measure_bulk(postcodes)


if __name__ == "__main__":
    main()
