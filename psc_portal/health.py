"""Health probes and the answer visitors get while the database is unavailable."""

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import Context, Engine
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

HEALTH_PATHS = {"/healthz", "/healthz/"}
READINESS_PATHS = {"/readyz", "/readyz/"}


def _probe_response(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(f"{text}\n", content_type="text/plain; charset=utf-8", status=status)
    add_never_cache_headers(response)
    return response


def _close_broken_connection() -> None:
    """Drop the connection so the next request opens a fresh one instead of reusing a dead one."""
    try:
        connection.close()
    except DatabaseError:
        logger.debug("closing the broken database connection failed", exc_info=True)


def readiness() -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        _close_broken_connection()
        logger.warning("readiness probe: the database does not answer")
        return _probe_response("database unavailable", status=503)
    try:
        caches["default"].get("readyz")
    except Exception:  # any cache client error means the shared cache is not usable
        logger.warning("readiness probe: the cache does not answer", exc_info=True)
        return _probe_response("cache unavailable", status=503)
    return _probe_response("ready")


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host checks, HTTPS redirects, sessions or views.

    Load balancers probe by IP address over plain HTTP; neither should make a probe fail.
    /healthz never touches the database: it says only that this process serves requests.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"}:
            if request.path in HEALTH_PATHS:
                return _probe_response("ok")
            if request.path in READINESS_PATHS:
                return readiness()
        return self.get_response(request)


@cache
def _outage_engine() -> Engine:
    # A private engine: the page must render with no database, no context processors and
    # whatever template engines the site itself configures.
    return Engine(
        dirs=[Path(__file__).resolve().parent / "templates"],
        libraries={"static": "django.templatetags.static"},
        debug=False,
    )


def database_unavailable_response() -> HttpResponse:
    html = (
        _outage_engine()
        .get_template("psc_portal/503.html")
        .render(Context({"site_name": settings.SITE_NAME}))
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database into a 503 "temporarily unavailable" page instead of a 500.

    The broken connection is closed, so the first request after the database comes back
    reconnects: the portal recovers without a restart. A statement cancelled by the
    server-side statement timeout is an OperationalError too, and gets the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "database unavailable: %s", type(exception).__name__, extra={"path": request.path}
        )
        _close_broken_connection()
        return database_unavailable_response()
