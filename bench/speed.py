"""The speed figures of issue 13 in one command: pages against a bare view, search, admin, load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/psc_perf_bench python bench/speed.py
    ... --load            # also run bench/load.py (50 clients, 60 s) against the same server

Starts gunicorn in production mode (DEBUG off, the gunicorn.conf.py defaults) with
``bench.settings``, which adds a bare reference view (2 KB, no query, the portal's own
middleware) at /__bench__/bare/; that URLconf exists only for this script. Each page is
driven for a few seconds by concurrent keep-alive clients right after the bare view, over the
same connections (so both see the same machine load and the same spread over gunicorn's
workers); the ratio of their throughputs is the figure to compare. Bodies are read as sent,
not decompressed. "uncached" pages carry a new query string on every request, so no page
cache can answer them.

Then, in this process against the same database: the site search's time in the database
(sum of its SQL statements' execution time) over a fixed list of terms, p50 and p95; the admin
case-study changelist's server time with and without a search; SQL queries per public page
cold (caches emptied) and warm. The figures are printed, never asserted. Use a scratch
database: the script empties the cache and adds a bench superuser.
"""

import argparse
import asyncio
import itertools
import logging
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

logging.getLogger("httpx").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "true")  # the in-process part needs no production secrets
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from casestudies.models import CaseStudy  # noqa: E402

SEARCH_TERMS = [
    "safety",  # in almost every item
    "patients",
    "staff",
    "deterioration",
    "sepsis",
    "opioids",
    "methotrexate",
    "tracheostomy",
    "news2",
    "medicines safety",
    "mental health restraint",
    '"virtual wards"',
    '"care homes"',
    '"learning disability"',
    "sepsis or asthma",
    "safety -sepsis",
    "falls -dementia",
    "deteriration",  # typos
    "sepsiss",
    "opiods",
    "polypharmacy prescribing",
    "zzyzx",  # nothing matches
]
PUBLIC_PAGES = [
    ("home", "/"),
    ("case-study finder", "/case-studies/"),
    ("case-study finder, filtered", "/case-studies/?programme=medicines-safety&year=2021"),
    ("case-study finder, searched", "/case-studies/?q=deterioration"),
    ("resource finder", "/resources/"),
    ("site search", "/search/?q=deterioration"),
]


def say(line: str = "") -> None:
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def percentile(values: list[float], pct: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


# --- HTTP against gunicorn -------------------------------------------------------------------
def start_server(port: int, log: Path) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"Port {port} is in use; choose another with --port.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "warning",
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        time.sleep(0.3)
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
    stop_server(server)
    sys.exit(f"gunicorn did not start; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


async def drive(client, path: str, fresh: bool, seconds: float, clients: int) -> list[float]:
    """Latencies (ms) of every 200 answer while ``clients`` keep-alive clients loop on ``path``."""
    counter = itertools.count()
    latencies: list[float] = []
    failures = 0

    async def loop(stop_at):
        nonlocal failures
        while time.monotonic() < stop_at:
            url = path
            if fresh:
                url += ("&" if "?" in path else "?") + f"_b={os.getpid()}-{next(counter)}"
            started = time.perf_counter()
            # The body is read as sent, not decompressed (as wrk or a CDN would): the clients
            # share the server's two cores, and inflating pages here would slow the server.
            async with client.stream("GET", url) as response:
                async for _chunk in response.aiter_raw():
                    pass
            if response.status_code == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                failures += 1

    stop_at = time.monotonic() + seconds
    await asyncio.gather(*(loop(stop_at) for _ in range(clients)))
    if failures:
        say(f"  ! {failures} non-200 answers on {path}")
    return latencies


async def pair(base: str, path: str, fresh: bool, seconds: float, clients: int):
    """The bare view, then the page, over the same keep-alive connections: each connection
    stays with one gunicorn worker, so both see the same spread of work over the workers."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        await drive(client, "/__bench__/bare/", False, 0.5, clients)  # opens the connections
        bare = await drive(client, "/__bench__/bare/", False, seconds, clients)
        page = await drive(client, path, fresh, seconds, clients)
    return bare, page


def find_detail_path(base: str) -> str:
    html = httpx.get(f"{base}/case-studies/", timeout=30).text
    match = re.search(r'href="(/case-studies/[\w-]+/)"', html)
    return match.group(1) if match else "/case-studies/"


def page_figures(base: str, seconds: float, rounds: int, clients: int) -> None:
    pages = [
        ("bare view (reference)", "/__bench__/bare/", False),
        ("home, anonymous (cacheable)", "/", False),
        ("home, uncached", "/", True),
        ("case-study detail, uncached", find_detail_path(base), True),
        ("case-study finder, uncached", "/case-studies/", True),
        ("site search 'deterioration', uncached", "/search/?q=deterioration", True),
    ]
    for _name, path, fresh in pages[1:]:  # warm up every worker's imports and caches
        asyncio.run(pair(base, path, fresh, 1.0, clients))
    results = {name: ([], 0.0, [], 0.0) for name, _p, _f in pages[1:]}
    for _round in range(rounds):
        for name, path, fresh in pages[1:]:
            bare, page = asyncio.run(pair(base, path, fresh, seconds, clients))
            page_lat, page_time, bare_lat, bare_time = results[name]
            results[name] = (
                page_lat + page,
                page_time + seconds,
                bare_lat + bare,
                bare_time + seconds,
            )
    say(f"Pages vs the bare view ({clients} clients, {rounds} x {seconds:.0f} s each, interleaved)")
    say(f"  {'page':<40}{'req/s':>8}{'p99 ms':>9}{'bare req/s':>12}{'ratio':>8}")
    for name, (page_lat, page_time, bare_lat, bare_time) in results.items():
        page_rps, bare_rps = len(page_lat) / page_time, len(bare_lat) / bare_time
        say(
            f"  {name:<40}{page_rps:>8.1f}{percentile(page_lat, 99):>9.1f}"
            f"{bare_rps:>12.1f}{page_rps / bare_rps:>8.1%}"
        )


# --- In process ------------------------------------------------------------------------------
class DatabaseTimer:
    """Sum of the execution time of every statement run while installed."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def search_figures(runs: int) -> None:
    client = Client()
    per_term = []
    for term in SEARCH_TERMS:
        times = []
        for run in range(runs + 1):
            timer = DatabaseTimer()
            with connection.execute_wrapper(timer):
                response = client.get("/search/", {"q": term, "_b": f"{time.time()}-{run}"})
            assert response.status_code == 200, (term, response.status_code)
            if run:  # the first run warms the planner and the buffers
                times.append(timer.seconds * 1000)
        per_term.append((term, statistics.median(times)))
    values = [ms for _term, ms in per_term]
    say(f"Site search, time in the database over {len(SEARCH_TERMS)} terms (median of {runs})")
    say(f"  p50 {percentile(values, 50):.1f} ms  p95 {percentile(values, 95):.1f} ms")
    slowest = sorted(per_term, key=lambda item: -item[1])[:5]
    say("  slowest: " + ", ".join(f"{term} {ms:.0f} ms" for term, ms in slowest))


def staff_client() -> Client:
    user, _created = User.objects.get_or_create(
        username="bench-admin@example.org",
        defaults={"email": "bench-admin@example.org", "is_staff": True, "is_superuser": True},
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def admin_figures(runs: int) -> None:
    client = staff_client()
    say(f"Admin case-study changelist, server time (median of {runs}) and queries")
    for label, params in [
        ("no search", {}),
        ("search 'deterioration'", {"q": "deterioration"}),
        ("search 'safety'", {"q": "safety"}),
    ]:
        times, queries = [], 0
        for run in range(runs + 1):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/admin/casestudies/casestudy/", params)
            assert response.status_code == 200, response.status_code
            if run:
                times.append((time.perf_counter() - started) * 1000)
                queries = len(captured)
        say(f"  {label:<28}{statistics.median(times):>8.1f} ms{queries:>5} queries")


def query_figures() -> None:
    client = Client()
    say("SQL queries per public page: cold (caches emptied), warm (same URL), new URL")
    for label, path in PUBLIC_PAGES:
        for alias in django.conf.settings.CACHES:
            caches[alias].clear()
        client.get("/robots.txt")  # re-creates shared state such as the content generation
        counts = []
        for url in (path, path, path + ("&" if "?" in path else "?") + "_b=other"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            counts.append(len(captured))
        say(f"  {label:<32}{counts[0]:>4}{counts[1]:>5}{counts[2]:>5}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18077)
    parser.add_argument("--seconds", type=float, default=3.0, help="per slice")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3, help="repeats of in-process timings")
    parser.add_argument("--load", action="store_true", help="also run bench/load.py")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--load-only", action="store_true", help="only bench/load.py")
    args = parser.parse_args()

    settings_db = connection.settings_dict
    say(
        f"Database {settings_db['NAME']}: {CaseStudy.objects.count():,} case studies; "
        f"cache {django.conf.settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    if not args.load_only:
        query_figures()
        search_figures(args.runs)
        admin_figures(args.runs)
    connection.close()
    if args.skip_http:
        return 0
    log = ROOT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = start_server(args.port, log)
    base = f"http://127.0.0.1:{args.port}"
    try:
        if not args.load_only:
            page_figures(base, args.seconds, args.rounds, args.clients)
        if args.load or args.load_only:
            say("make load (bench/load.py, 50 clients, 60 s)")
            subprocess.run(
                [sys.executable, "bench/load.py", "--url", base, "--clients", "50"],
                cwd=ROOT,
                check=False,
            )
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
