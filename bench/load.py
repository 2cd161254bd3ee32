"""Drive the running portal with mixed public traffic and print throughput and latency.

    make serve                       # in one terminal (gunicorn on PostgreSQL, demo data)
    make load                        # in another: 50 clients for 60 seconds
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --clients 50 --seconds 60

Only loopback addresses are accepted, and the run stops by itself after --seconds.
The mix follows what a content site sees: mostly the home page and section lists, then
detail pages found through the sitemap, postcode searches, feeds and the stylesheet.
"""

import argparse
import asyncio
import ipaddress
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import httpx

POSTCODES = [
    "SO16 6YD",
    "OX3 9DU",
    "NE1 4LP",
    "M13 9WL",
    "LS1 3EX",
    "B15 2TH",
    "CB2 0QQ",
    "XX1 1XX",
]
MAX_DETAIL_PAGES = 300
MAX_SITEMAPS = 20  # sitemap pages read from the index
SECTION_WEIGHTS = {
    "/": 20,
    "/programmes/": 10,
    "/case-studies/": 10,
    "/resources/": 8,
    "/collaboratives/": 8,
    "detail": 25,
    "find": 8,
    "search": 5,
    "/sitemap.xml": 2,
    "/feeds/case-studies/": 2,
    "stylesheet": 2,
}


def loopback_only(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    sys.exit(f"Refusing to load-test {host!r}: only loopback addresses are allowed.")


async def discover(client: httpx.AsyncClient) -> dict:
    """Detail pages from the sitemap and the stylesheet from the home page."""
    index = (await client.get("/sitemap.xml")).text
    details = []
    for part in re.findall(r"<sitemap>\s*<loc>([^<]+)</loc>", index)[:MAX_SITEMAPS]:
        split = urlsplit(part)
        sitemap = (await client.get(split.path + (f"?{split.query}" if split.query else ""))).text
        details += [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    details = [path for path in details if path.count("/") >= 3]
    # At 100,000 items the sitemap lists many more pages than a run can visit: a sample.
    details = random.sample(details, min(len(details), MAX_DETAIL_PAGES))
    # Pages that fail before the run starts are reported, not hammered.
    answers = [(path, (await client.get(path)).status_code) for path in details]
    broken = [f"{path} ({status})" for path, status in answers if status != 200]
    details = [path for path, status in answers if status == 200] or ["/"]
    home = (await client.get("/")).text
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home) or ["/"]
    sections = {path for path in SECTION_WEIGHTS if path.startswith("/")}
    available = {path for path in sections if (await client.get(path)).status_code == 200}
    search = (await client.get("/search/", params={"q": "safety"})).status_code == 200
    return {
        "details": details,
        "broken": broken,
        "stylesheets": stylesheets,
        "sections": available,
        "search": search,
    }


def pick(site: dict) -> tuple[str, str, dict]:
    choices = [
        name
        for name in SECTION_WEIGHTS
        if (name in site["sections"])
        or name in {"detail", "find", "stylesheet"}
        or (name == "search" and site["search"])
    ]
    name = random.choices(choices, weights=[SECTION_WEIGHTS[c] for c in choices])[0]
    if name == "detail":
        return "detail", random.choice(site["details"]), {}
    if name == "find":
        return "find", "/collaboratives/find/", {"postcode": random.choice(POSTCODES)}
    if name == "search":
        return "search", "/search/", {"q": random.choice(["deterioration", "sepsis", "opioids"])}
    if name == "stylesheet":
        return "stylesheet", random.choice(site["stylesheets"]), {}
    return name, name, {}


async def worker(client, site, stop_at, latencies, statuses, errors):
    while time.monotonic() < stop_at:
        label, path, params = pick(site)
        started = time.perf_counter()
        try:
            # Read as sent, not decompressed: the load generator shares the server's cores.
            async with client.stream("GET", path, params=params) as response:
                async for _chunk in response.aiter_raw():
                    pass
            status = response.status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
        elapsed = (time.perf_counter() - started) * 1000
        latencies[label].append(elapsed)
        statuses[status] += 1
        if not isinstance(status, int) or status >= 400:
            errors[(label, path, status)] += 1


def say(line: str) -> None:
    sys.stdout.write(f"{line}\n")


def percentile(values: list[float], pct: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    loopback_only(args.url)
    clients = max(1, min(args.clients, 200))
    seconds = max(1.0, min(args.seconds, 600.0))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=args.url, timeout=30, limits=limits) as client:
        site = await discover(client)
        latencies: dict[str, list[float]] = defaultdict(list)
        statuses: Counter = Counter()
        errors: Counter = Counter()
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(
            *(worker(client, site, stop_at, latencies, statuses, errors) for _ in range(clients))
        )
        duration = time.monotonic() - started

    everything = [value for values in latencies.values() for value in values]
    total = len(everything)
    error_count = sum(errors.values())
    say(
        f"Load test: {args.url}, {clients} clients, {duration:.1f} s, {len(site['details'])} "
        "detail pages from the sitemap"
    )
    say(f"requests      {total}")
    say(f"throughput    {total / duration:.1f} requests/s")
    say(
        "latency ms    "
        f"p50 {percentile(everything, 50):.1f}  p95 {percentile(everything, 95):.1f}  "
        f"p99 {percentile(everything, 99):.1f}  max {max(everything):.1f}"
    )
    say(f"errors        {error_count}")
    say(f"statuses      {dict(sorted(statuses.items(), key=str))}")
    say("by page       requests   p50 ms   p95 ms")
    for label, values in sorted(latencies.items()):
        say(
            f"  {label:<22}{len(values):>7}{percentile(values, 50):>9.1f}"
            f"{percentile(values, 95):>9.1f}"
        )
    driven = (
        site["sections"]
        | {"detail", "find", "stylesheet"}
        | ({"search"} if site["search"] else set())
    )
    skipped = sorted(SECTION_WEIGHTS.keys() - driven)
    if skipped or site["broken"]:
        say(f"not driven (no 200 before the run): {', '.join(skipped + site['broken'][:10])}")
    for (label, path, status), count in errors.most_common(10):
        say(f"  error: {count} x {status} on {path} ({label})")
    return 1 if error_count else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
