"""HTTP caching: Cache-Control for shared caches, and the server-side page cache behind it.

The page cache answers anonymous GET/HEAD requests for public pages from a stored copy before
sessions, URL resolution, views or templates run. Every entry is keyed by the *content
generation*: a random token in the shared ``default`` cache that any change to public content
replaces (``content_changed``, connected to the content models' signals by core.apps), so
a publish, edit, unpublish or archive shows at once on every app server, with no list of
pages to purge.
"""

import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

PRIVATE_PREFIXES = ("/admin/", "/accounts/")
GENERATION_KEY = "content-generation"
PAGES_CACHE = "pages"
# Cookies that change what a page shows: the signed-in session and one-off messages.
_PERSONAL_COOKIES = ("messages",)
_GZIP = re.compile(r"\bgzip\b")
_BROTLI = re.compile(r"\bbr\b")

logger = logging.getLogger(__name__)


def _fresh_generation() -> str:
    return secrets.token_hex(8)


def content_generation() -> str:
    """The current content generation (created when missing, e.g. after an eviction).

    A fresh random token rather than a counter: if the entry is ever evicted, the new value
    cannot coincide with one under which old pages were stored.
    """
    shared = caches["default"]
    value = shared.get(GENERATION_KEY)
    if value is None:
        value = _fresh_generation()
        if not shared.add(GENERATION_KEY, value, None):
            value = shared.get(GENERATION_KEY) or value
    return value


def bump_content_generation() -> None:
    caches["default"].set(GENERATION_KEY, _fresh_generation(), None)


def content_changed(sender=None, using=None, action=None, **kwargs) -> None:
    """Signal receiver: public content changed, so every stored page is out of date.

    Bumped at once (later requests in the same transaction, and tests, see the change) and
    again after the commit: a page rendered by another request between the two, from data
    as it was before the commit, must not outlive it.
    """
    if action is not None and not action.startswith("post_"):  # m2m_changed: after only
        return
    bump_content_generation()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        transaction.on_commit(bump_content_generation, using=using)


def keep_until(response, moment) -> None:
    """Let caches keep this response only until ``moment``: a page that changes by time alone
    (an event moving to the past list when it ends), which no content save announces."""
    if moment is None:
        return
    seconds = max(0, int((moment - timezone.now()).total_seconds()))
    response.cache_seconds = min(getattr(response, "cache_seconds", seconds), seconds)


def cache_seconds(response, default: int) -> int:
    return min(default, getattr(response, "cache_seconds", default))


def request_generation(request) -> str:
    """The generation this request was served under (read once per request)."""
    generation = getattr(request, "content_generation", None)
    if generation is None:
        generation = request.content_generation = content_generation()
    return generation


def negotiated_encoding(request) -> str:
    """The encoding core.compression will use: Brotli only for a request without cookies."""
    accepted = request.headers.get("Accept-Encoding", "")
    if _BROTLI.search(accepted) and not request.COOKIES:
        return "br"
    return "gzip" if _GZIP.search(accepted) else "identity"


class PageCacheMiddleware:
    """Answer anonymous requests for public pages from the page cache.

    Placed inside the security-header, CSP and conditional-GET middlewares (so a stored page
    still gets every header, an ETag and 304s) and outside everything that does work per page.
    Only a 200 that PublicCacheMiddleware marked ``public`` (no cookie set, not the admin, not
    a signed-in visitor) is stored, under the full URL, the negotiated encoding and the
    content generation, for at most PAGE_CACHE_SECONDS (scheduled items appear by time, not
    by a save).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.eligible(request):
            return self.get_response(request)
        try:
            url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        except DisallowedHost:  # answered 400 below, like any other request
            return self.get_response(request)
        store = caches[PAGES_CACHE]
        try:
            generation = request_generation(request)
            key = self.key(url, negotiated_encoding(request), generation)
            stored = store.get(key)
        except Exception:  # a cache outage must not take pages down: serve uncached
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return self.thaw(stored)
        response = self.get_response(request)
        timeout = cache_seconds(response, settings.PAGE_CACHE_SECONDS)
        if request.method == "GET" and timeout > 0 and self.storable(response):
            try:
                store.set(key, self.freeze(response), timeout)
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
        return response

    @staticmethod
    def eligible(request) -> bool:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in {"GET", "HEAD"}:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        if any(name in request.COOKIES for name in _PERSONAL_COOKIES):
            return False
        return not request.path.startswith(
            (*PRIVATE_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
        )

    @staticmethod
    def key(url: str, encoding: str, generation: str) -> str:
        digest = hashlib.sha256(f"{encoding} {url}".encode()).hexdigest()
        return f"page:{generation}:{digest}"

    @staticmethod
    def storable(response) -> bool:
        cache_control = response.headers.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in cache_control
            and "private" not in cache_control
            and "cookie" not in response.headers.get("Vary", "").lower()
        )

    @staticmethod
    def freeze(response) -> tuple:
        return (response.status_code, list(response.headers.items()), response.content)

    @staticmethod
    def thaw(stored: tuple) -> HttpResponse:
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        return response


class PublicCacheMiddleware:
    """`public, max-age=N` for anonymous GETs of public pages; `private, no-store` otherwise.

    A response is shared only when the request carried no session cookie, the response sets
    no cookie and nothing else has decided its caching already (the admin, health probes and
    the outage page set their own). No `Vary: Cookie`: it would split a CDN's cache by every
    visitor's cookies, and a signed-in editor who is handed the public copy sees just what the
    public sees (their own pages are `private`). The ETag is taken here, from the uncompressed
    page; ConditionalGetMiddleware answers 304 to it, so a cache revalidates cheaply when
    max-age runs out, and an edit shows within PUBLIC_CACHE_MAX_AGE seconds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        shareable = (
            request.method in {"GET", "HEAD"}
            # Not 404: a draft's address answers 404 until it is published, and a cached 404
            # would hide the new page from the people who just published it.
            and response.status_code in {200, 301}
            and not signed_in
            and not response.cookies
            and not request.path.startswith(PRIVATE_PREFIXES)
        )
        if shareable:
            max_age = cache_seconds(response, settings.PUBLIC_CACHE_MAX_AGE)
            patch_cache_control(response, public=True, max_age=max_age)
            # The ETag of the page itself, before GZipMiddleware compresses it (its random
            # header bytes would change the ETag each time); gzip then marks it weak.
            if not response.streaming and not response.has_header("ETag"):
                set_response_etag(response)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
