"""What the redirect fallback costs a page that answers (it should be nothing).

    .venv/bin/python bench/redirects.py [--requests 20000]

Two measurements, each with and without ``RedirectFallbackMiddleware``:

1. the middleware alone around a view that returns a 200 (no database);
2. a full request for ``/robots.txt`` through Django's test client and the whole middleware
   stack (a 200 page that touches no database, so the figure is the stack's own cost).

It prints the median time per request over several rounds and the difference. The fallback
looks anything up only on a 404, so on a 200 the difference is one status-code comparison.
"""

import argparse
import os
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

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402

from redirects.middleware import RedirectFallbackMiddleware  # noqa: E402

FALLBACK = "redirects.middleware.RedirectFallbackMiddleware"
ROUNDS = 5


def per_request(call, requests: int) -> float:
    """Median microseconds per call over ROUNDS rounds."""
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(requests):
            call()
        timings.append((time.perf_counter() - start) / requests * 1e6)
    return statistics.median(timings)


def middleware_alone(requests: int) -> tuple[float, float]:
    request = RequestFactory().get("/programmes/")
    response = HttpResponse("ok")

    def view(_request):
        return response

    wrapped = RedirectFallbackMiddleware(view)
    return per_request(lambda: view(request), requests), per_request(
        lambda: wrapped(request), requests
    )


def full_stack(requests: int) -> tuple[float, float]:
    """Each client builds its middleware chain on its first request; the rounds then
    alternate between the two, so a busy machine slows both alike."""
    without_fallback = [name for name in settings.MIDDLEWARE if name != FALLBACK]
    clients = []
    for middleware in (without_fallback, list(settings.MIDDLEWARE)):
        with override_settings(MIDDLEWARE=middleware, SECURE_SSL_REDIRECT=False):
            client = Client()
            assert client.get("/robots.txt").status_code == 200
            clients.append(client)
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS * 2):
        for client, found in zip(clients, timings, strict=True):
            start = time.perf_counter()
            for _ in range(requests):
                client.get("/robots.txt")
            found.append((time.perf_counter() - start) / requests * 1e6)
    return statistics.median(timings[0]), statistics.median(timings[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    args = parser.parse_args()
    alone = middleware_alone(args.requests)
    stack = full_stack(max(args.requests // 20, 200))
    for label, (without, with_fallback) in (
        ("middleware alone, 200 response", alone),
        ("full stack, GET /robots.txt (200)", stack),
    ):
        print(
            f"{label:36} without {without:8.2f} µs   with {with_fallback:8.2f} µs   "
            f"difference {with_fallback - without:+.2f} µs per request"
        )


if __name__ == "__main__":
    main()
