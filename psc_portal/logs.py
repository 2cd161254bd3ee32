"""Structured logs: a request id on every line, JSON for the app and for gunicorn's access log.

Nothing personal or secret is logged: paths without query strings (which can carry e-mail
addresses or postcodes), no cookies, no request bodies and no client addresses unless the
operator asks for them (LOG_CLIENT_IP).
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from gunicorn.glogging import Logger as GunicornLogger
from pythonjsonlogger.json import JsonFormatter

from psc_portal.env import env_bool

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str] = ContextVar("request_id", default="-")
# Ids from a proxy are kept only if they cannot forge or break a log line.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def current_request_id() -> str:
    return _request_id.get()


def request_id_for(incoming: str | None) -> str:
    if incoming and _ACCEPTABLE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID (or make one), log with it and send it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Kept until the request is finished: Django logs the response after the middleware.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    _request_id.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonGunicornLogger(GunicornLogger):
    """gunicorn's logger with one JSON object per access line and per error-log line."""

    def setup(self, cfg):
        super().setup(cfg)
        self.log_client_ip = env_bool("LOG_CLIENT_IP", default=False)
        formatter = JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
        for handler in self.error_log.handlers:
            handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        headers = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
        response_headers = {name.lower(): value for name, value in headers}
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": response_headers.get(REQUEST_ID_HEADER.lower(), "-"),
            "user_agent": environ.get("HTTP_USER_AGENT", "-")[:200],
        }
        if self.log_client_ip:
            line["client_ip"] = environ.get("REMOTE_ADDR")
        self.access_log.info(json.dumps(line))
