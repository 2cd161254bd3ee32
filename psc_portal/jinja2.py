"""The Jinja2 environment for the public site.

Templates under ``templates/`` end in ``.jinja`` and may import the official NHS.UK frontend
macros (``nhsuk-frontend-jinja``). The error pages ``404.html`` and ``500.html`` are Jinja too so
they share the site layout. Every other ``.html`` name (the admin, allauth) is left to the
Django template engine. Apps add their own filters as Jinja extensions named in settings.
"""

import json
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
            "site_name": settings.SITE_NAME,
        }
    )
    env.filters.update({"json_ld": json_ld, "date": format_date})
    return env
