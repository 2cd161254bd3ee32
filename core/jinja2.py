"""What the shared core adds to the site's Jinja2 environment (see settings.TEMPLATES)."""

from jinja2.ext import Extension

from core.richtext import is_blank, rich_text


class RichTextExtension(Extension):
    """``rich_text``: sanitised HTML of the back-office's long fields, as filter and function;
    ``is_blank``: whether such a field has any words."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["rich_text"] = rich_text
        environment.globals["rich_text"] = rich_text
        environment.globals["is_blank"] = is_blank
