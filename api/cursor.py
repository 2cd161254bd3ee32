"""Opaque, signed cursors for keyset pagination on (a moment, id): newest first on
``publish_from`` for most lists, on ``start`` (either way) for events.

A cursor names the last item of a page. The next page holds the items strictly after it in
the list's order, so items published meanwhile never shift or repeat what a client has
already read. Each ordering signs its cursors differently: one list's cursor is refused by
another.
"""

from datetime import datetime

from django.core import signing
from django.db.models import Q

SALT = "api.cursor"


class InvalidCursor(ValueError):
    pass


def _salt(field: str, descending: bool) -> str:
    if field == "publish_from" and descending:
        return SALT
    return f"{SALT}:{field}:{'desc' if descending else 'asc'}"


def encode(item, field: str = "publish_from", descending: bool = True) -> str:
    moment = getattr(item, field)
    return signing.dumps([moment.isoformat(), item.pk], salt=_salt(field, descending))


def decode(cursor: str, field: str = "publish_from", descending: bool = True):
    try:
        moment, pk = signing.loads(cursor, salt=_salt(field, descending))
        when = datetime.fromisoformat(moment)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidCursor("The cursor is not one this API gave out.") from error
    if not isinstance(pk, int) or isinstance(pk, bool) or when.tzinfo is None:
        raise InvalidCursor("The cursor is not one this API gave out.")
    return when, pk


def after(cursor: str, field: str = "publish_from", descending: bool = True) -> Q:
    """The items that come after the cursor in the list's order."""
    when, pk = decode(cursor, field, descending)
    if descending:
        return Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": pk})
    return Q(**{f"{field}__gt": when}) | Q(**{field: when, "pk__gt": pk})
