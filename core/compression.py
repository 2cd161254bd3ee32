"""Brotli or gzip for pages and JSON, with Django's BREACH mitigation where it matters.

Brotli at quality 5 makes the home page about 8% smaller than gzip, at the same cost (the
higher qualities that save a fifth take 25 ms a page). WhiteNoise, with the same package,
precompresses static files at full quality (the NHS.UK stylesheet: 24 KB instead of 30 KB
gzipped). Brotli is used only for a
response that can hold no secret: the browser asked for ``br``, the request carried no cookie
(so no session and no CSRF cookie) and the response sets none. BREACH guesses a secret from
the compressed size of a page that also reflects the attacker's input, so such a response
offers nothing to guess. Everything else goes through Django's ``GZipMiddleware``, which
adds up to 100 random bytes to every gzip header (Django's BREACH mitigation, on top of the
per-request masking of CSRF tokens). Static files are compressed ahead of time by WhiteNoise.

``psc_portal.caching.negotiated_encoding`` makes the same choice from the request alone, so
the page cache stores each encoding under its own key.
"""

import brotli
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from psc_portal.caching import negotiated_encoding

# Quality 5: smaller than gzip and about as fast (stored pages are compressed once, but
# uncached pages such as searches are compressed on every request).
BROTLI_QUALITY = 5
MINIMUM_SIZE = 200  # as GZipMiddleware: not worth compressing below this


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not self.brotli_allowed(request, response):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):  # RFC 9110 8.8.1, as GZipMiddleware does
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response

    @staticmethod
    def brotli_allowed(request, response) -> bool:
        return (
            negotiated_encoding(request) == "br"
            and not response.streaming
            and not response.cookies
            and not response.has_header("Content-Encoding")
            and len(response.content) >= MINIMUM_SIZE
        )
