"""The fallback: only a 404 to a GET or HEAD looks for a redirect, so every page that
answers costs nothing more (no query; see bench/redirects.py)."""

from django.http import HttpResponsePermanentRedirect

from redirects.lookup import find_target


class RedirectFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = find_target(request.path)
        if not target:
            return response
        query = request.META.get("QUERY_STRING", "")
        if query:
            target = f"{target}{'&' if '?' in target else '?'}{query}"
        return HttpResponsePermanentRedirect(target)
