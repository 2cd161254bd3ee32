"""Rich text for long fields: a small allow-list of HTML, enforced by nh3 on save and display.

Editors get headings (levels 2–4), paragraphs, lists, links, bold, italic and quotes. Anything
else (scripts, styles, event attributes, ``javascript:`` links, images, tables) is removed.
Templates show these fields with ``rich_text(value)`` (a Jinja global/filter and a Django
filter), which sanitises again, so nothing unsafe reaches a page even if it bypassed a save.
"""

import html
import re

import nh3
from django import forms
from django.db import models
from django.utils.html import strip_tags
from markupsafe import Markup

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "b",
    "em",
    "i",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z!/][^>]*>")
_PRESENTATIONAL = re.compile(r"<(/?)(b|i)>")
_SEMANTIC = {"b": "strong", "i": "em"}


def _paragraphs_from_plain_text(text: str) -> str:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>{}</p>".format(html.escape(block, quote=False).replace("\n", "<br>"))
        for block in blocks
        if block
    )


def sanitise(value: str | None) -> str:
    """Clean HTML to the allow-list; plain text (no tags) becomes escaped paragraphs."""
    if not value:
        return ""
    if not _LOOKS_LIKE_HTML.search(value):
        value = _paragraphs_from_plain_text(value)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()
    # Browsers' editing commands write <b> and <i>; store the semantic tags.
    return _PRESENTATIONAL.sub(lambda m: f"<{m[1]}{_SEMANTIC[m[2]]}>", cleaned)


def rich_text(value: str | None) -> Markup:
    """Safe HTML for a template: ``{{ rich_text(case_study.impact) }}`` in Jinja."""
    return Markup(sanitise(value))


class RichTextWidget(forms.Textarea):
    """A textarea that the back-office editor script turns into a small formatting editor.

    Without JavaScript it stays a textarea of HTML, which the server sanitises anyway.
    """

    template_name = "backoffice/widgets/rich_text.html"

    class Media:
        css = {"all": ["backoffice/richtext.css"]}
        js = ["backoffice/richtext.js"]

    def __init__(self, attrs=None):
        attrs = {"rows": 12, "class": "vLargeTextField", **(attrs or {}), "data-rich-text": "true"}
        super().__init__(attrs)


class RichTextField(models.TextField):
    """A TextField whose value is sanitised every time it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # The admin offers its plain textarea for every TextField; this field keeps its editor.
        widget = kwargs.get("widget")
        is_rich = isinstance(widget, RichTextWidget) or (
            isinstance(widget, type) and issubclass(widget, RichTextWidget)
        )
        if not is_rich:
            kwargs["widget"] = RichTextWidget
        return super().formfield(**kwargs)


def is_blank(value: str | None) -> bool:
    """True when rich text has no words (empty, or only empty tags and spaces)."""
    return not strip_tags(value or "").replace("&nbsp;", " ").strip()
