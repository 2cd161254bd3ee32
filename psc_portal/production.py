"""Builders for the production part of the settings, kept out of settings.py to stay readable."""

from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS

NHS_FONT_HOST = "https://assets.nhs.uk"


def content_security_policy(*, upgrade_insecure_requests: bool) -> dict:
    """A strict policy: nothing inline, nothing evaluated, only our origin and the NHS font host.

    `default-src 'none'` makes every other resource type opt-in. The public templates load
    their one start-up script from a file (static/js/init.js), so no hash or nonce is needed;
    that also keeps the header identical between requests, which conditional GET relies on.
    """
    return {
        "DIRECTIVES": {
            "default-src": [NONE],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:"],
            "font-src": [SELF, NHS_FONT_HOST],
            "connect-src": [SELF],
            "manifest-src": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "base-uri": [SELF],
            "object-src": [NONE],
            "upgrade-insecure-requests": upgrade_insecure_requests,
        }
    }


def database_options(*, connect_timeout: int, statement_timeout_ms: int, wait_seconds: int) -> dict:
    """libpq options: give up connecting after a few seconds; the server cancels long queries.

    TCP keepalives and tcp_user_timeout let the kernel notice a database host that vanished
    (a network cut, a powered-off machine) within about `wait_seconds`, even in processes
    without the application-level bound (server/dbtimeout.py), such as management
    commands. A live server that is merely busy still acknowledges them, so long statements
    are not affected.
    """
    options = {
        "connect_timeout": connect_timeout,
        "options": f"-c statement_timeout={statement_timeout_ms}",
    }
    if wait_seconds <= 0:
        return options
    return {
        **options,
        "keepalives": 1,
        "keepalives_idle": wait_seconds,
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": wait_seconds * 1000,
    }


def site_url(value: str, *, debug: bool, allowed_hosts: list[str]) -> str:
    """The site's own address for links in e-mails, never taken from a request's Host header.

    Unset: the first ALLOWED_HOSTS name over HTTPS (the loopback development server in DEBUG).
    """
    if not value:
        if debug:
            return "http://127.0.0.1:8000"
        host = allowed_hosts[0] if allowed_hosts else ""
        if not host or host.startswith(".") or "*" in host:
            raise ImproperlyConfigured(
                "Set SITE_URL (e.g. https://psc.example.nhs.uk): the first ALLOWED_HOSTS entry "
                f"{host!r} is not one host name."
            )
        return f"https://{host}"
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path.strip("/"):
        raise ImproperlyConfigured(
            f"SITE_URL must be http(s)://host[:port] with no path, not {value!r}."
        )
    return f"{parts.scheme}://{parts.netloc}"


def cache_settings(redis_url: str) -> dict:
    """Redis when configured (shared by every app server), otherwise a table in Postgres.

    Both are shared between processes and machines, unlike the per-process memory cache, so
    rate limits and cached fragments mean the same thing on every app server.

    ``pages`` holds rendered anonymous pages and finder option counts (psc_portal/caching.py):
    the same Redis when there is one; otherwise each process's memory, which costs no
    database round trip and stays correct because the content generation that keys every
    entry is read from ``default``, shared by all processes.
    """
    if redis_url:
        redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        return {
            "default": {**redis, "KEY_PREFIX": "psc"},
            "pages": {**redis, "KEY_PREFIX": "psc-pages"},
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "psc-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }


def media_storage(*, bucket: str, region: str, endpoint_url: str) -> dict:
    """Uploads in S3-compatible object storage: private objects, signed URLs, always downloaded.

    Credentials come from the standard AWS variables or the machine's role, never settings.
    """
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"ContentDisposition": "attachment"},
    }
    if region:
        options["region_name"] = region
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def logging_settings(*, level: str, fmt: str) -> dict:
    """Everything to stdout, one JSON object a line, each carrying the request id."""
    if fmt not in {"json", "plain"}:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {fmt!r}.")
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django attaches the request to some records; its repr holds the query string.
            "reserved_attrs": [*RESERVED_ATTRS, "request", "server_time"],
        }
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "psc_portal.logs.RequestIdFilter"}},
        "formatters": {"main": formatter},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            # Host-header noise from scanners; the 400 answer is enough.
            "django.security.DisallowedHost": {"handlers": [], "propagate": False},
        },
    }
