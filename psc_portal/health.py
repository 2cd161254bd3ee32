"""Health probes and the answer visitors get while the database is unavailable."""

import logging
import sys
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.dispatch import receiver
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


def _is_database_failure(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


@receiver(got_request_exception)
def _note_database_failure(sender, request=None, **kwargs):
    # Django turns an exception raised by a middleware (not the view) into a 500 response
    # before outer middleware sees it; this signal is sent while the exception is handled.
    if request is not None and _is_database_failure(sys.exc_info()[1]):
        request.database_unavailable = True


class DatabaseUnavailableMiddleware:
    """Turn a lost database into a 503 "temporarily unavailable" page instead of a 500.

    Catches the failure in views and templates (process_exception) and in the middleware
    inside this one, such as sessions and authentication (through the signal above). The
    broken connection is closed, so the first request after the database comes back
    reconnects: the portal recovers without a restart. A statement cancelled by the
    server-side statement timeout is an OperationalError too, and gets the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            return self._unavailable(request)
        return response

    def process_exception(self, request, exception):
        if not _is_database_failure(exception):
            return None
        return self._unavailable(request)

    def _unavailable(self, request) -> HttpResponse:
        logger.error("database unavailable", extra={"path": request.path})
        _close_broken_connection()
        return database_unavailable_response()
