"""A per-IP rate limit on everything under /api/, counted in the shared Django cache."""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/m' → (60, 60): that many requests per period of that many seconds."""
    match = _RATE.match(rate or "")
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT must look like 60/m (a number per s, m, h or d), not {rate!r}."
        )
    return int(match[1]), PERIODS[match[2]]


class ApiRateLimitMiddleware:
    """Fixed windows per client address: the (n+1)th request in a window gets 429.

    The address is REMOTE_ADDR; behind a proxy, the proxy must pass the client's address
    there (gunicorn's forwarded-allow-ips) rather than this trusting X-Forwarded-For, which
    any client can write. cache.incr is atomic in Redis and in the database cache, so every
    app server counts against the same limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        now = time.time()
        window = int(now // period)
        key = f"api-rate:{request.META.get('REMOTE_ADDR', '')}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        if count > limit:
            retry_after = max(1, int((window + 1) * period - now + 0.999))
            response = JsonResponse(
                {
                    "detail": f"Too many requests: at most {limit} per {period} seconds from "
                    f"one address. Try again in {retry_after} seconds.",
                    "errors": {},
                },
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            patch_cache_control(response, private=True, no_store=True)
            return response
        return self.get_response(request)
