"""Cache-Control for pages a CDN or proxy may share between anonymous visitors."""

from django.conf import settings
from django.utils.cache import patch_cache_control

PRIVATE_PREFIXES = ("/admin/", "/accounts/")


class PublicCacheMiddleware:
    """`public, max-age=N` for anonymous GETs of public pages; `private, no-store` otherwise.

    A response is shared only when the request carried no session cookie, the response sets
    no cookie and nothing else has decided its caching already (the admin, health probes and
    the outage page set their own). No `Vary: Cookie`: it would split a CDN's cache by every
    visitor's cookies, and a signed-in editor who is handed the public copy sees just what the
    public sees (their own pages are `private`). ConditionalGetMiddleware then adds an ETag and
    answers 304, so a cache revalidates cheaply when max-age runs out, and an edit shows
    within PUBLIC_CACHE_MAX_AGE seconds.
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
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
