"""What the shared core adds to the site's Jinja2 environment (see settings.TEMPLATES)."""

import hashlib
import threading
from collections import OrderedDict

from django.utils.safestring import mark_safe
from jinja2 import Undefined
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


class FragmentExtension(Extension):
    """``{% call fragment(...) %}``: markup rendered once per distinct data (see fragment)."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["fragment"] = fragment
