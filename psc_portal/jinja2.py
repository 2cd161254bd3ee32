"""The Jinja2 environment for the public site.

Templates under ``templates/`` end in ``.jinja`` and may import the official NHS.UK frontend
macros (``nhsuk-frontend-jinja``). The error pages ``404.html`` and ``500.html`` are Jinja too so
they share the site layout. Every other ``.html`` name (the admin, allauth) is left to the
Django template engine. Apps add their own filters as Jinja extensions named in settings.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe
from jinja2 import (
    BaseLoader,
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    PackageLoader,
    TemplateNotFound,
    Undefined,
)

JINJA_ERROR_PAGES = frozenset({"400.html", "403.html", "404.html", "500.html"})


class JinjaOnlyLoader(BaseLoader):
    """Serves ``*.jinja`` and the error pages; anything else is another engine's template."""

    def __init__(self, loader: BaseLoader):
        self.loader = loader

    def get_source(self, environment, template):
        if not (template.endswith(".jinja") or template in JINJA_ERROR_PAGES):
            raise TemplateNotFound(template)
        return self.loader.get_source(environment, template)


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def optional_url(name: str) -> str | None:
    """The URL for a route that another part of the site may not have added yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def query_url(request, **changes) -> str:
    """The current path and query string with some parameters replaced (None removes one).

    ``query_url(request, page=3)`` keeps the filters and moves to page 3.
    """
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    path = request.path if request is not None else ""
    query = params.urlencode() if hasattr(params, "urlencode") else urlencode(params)
    return f"{path}?{query}" if query else path


def absolute_url(request, path: str) -> str:
    """The full address of `path`, or the path alone when the request's Host is not allowed.

    The 400 page for a forged Host header renders this layout too; it must not fail again.
    """
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path


def json_ld(data) -> str:
    """JSON for a ``<script type="application/ld+json">`` block, safe against ``</script>``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above


FRAGMENTS_KEPT = 512
_fragments: OrderedDict[str, str] = OrderedDict()
_fragments_lock = threading.Lock()


def _stable(value):
    if isinstance(value, Undefined):
        return None
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stable(item) for item in value]
    return value


def fragment(*parts, caller) -> str:
    """Render the ``{% call fragment(...) %}`` body once per distinct ``parts``, then reuse it.

    For markup that is a pure function of its data, such as an NHS.UK macro called with a
    parameters dict: ``parts`` must hold everything the body reads (pass the dict itself,
    or dataclasses whose repr shows every field), so the key *is* the data and nothing ever
    needs invalidating. Kept in process memory, the most recently used ``FRAGMENTS_KEPT``.
    """
    key = hashlib.sha256(repr(_stable(parts)).encode()).hexdigest()
    with _fragments_lock:
        html = _fragments.get(key)
        if html is not None:
            _fragments.move_to_end(key)
    if html is None:
        html = str(caller())
        with _fragments_lock:
            _fragments[key] = html
            while len(_fragments) > FRAGMENTS_KEPT:
                _fragments.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping environment


def format_date(value, fmt: str = "j F Y") -> str:
    return dateformat.format(value, fmt) if value else ""


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            JinjaOnlyLoader(options["loader"]),
            PackageLoader("nhsuk_frontend_jinja"),
        ]
    )
    # The NHS.UK macros read optional nested parameters (params.search.input.placeholder).
    options["undefined"] = ChainableUndefined
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - Django's backend turns autoescape on
    env.globals.update(
        {
            "static": static,
            "url": url,
            "query_url": query_url,
            "absolute_url": absolute_url,
            "optional_url": optional_url,
            "fragment": fragment,
            "site_name": settings.SITE_NAME,
        }
    )
    env.filters.update({"json_ld": json_ld, "date": format_date})
    return env
