"""Opaque, signed cursors for keyset pagination on (publish_from, id), newest first.

A cursor names the last item of a page. The next page holds the items strictly older than
it, so items published meanwhile never shift or repeat what a client has already read.
"""

from datetime import datetime

from django.core import signing
from django.db.models import Q

SALT = "api.cursor"


class InvalidCursor(ValueError):
    pass


def encode(item) -> str:
    return signing.dumps([item.publish_from.isoformat(), item.pk], salt=SALT)


def decode(cursor: str) -> tuple[datetime, int]:
    try:
        moment, pk = signing.loads(cursor, salt=SALT)
        when = datetime.fromisoformat(moment)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidCursor("The cursor is not one this API gave out.") from error
    if not isinstance(pk, int) or isinstance(pk, bool) or when.tzinfo is None:
        raise InvalidCursor("The cursor is not one this API gave out.")
    return when, pk


def after(cursor: str) -> Q:
    """The items that come after the cursor in newest-first order."""
    when, pk = decode(cursor)
    return Q(publish_from__lt=when) | Q(publish_from=when, pk__lt=pk)
