"""Refuse requests that carry a NUL character before any view can pass it to the database.

Postgres cannot store a NUL in text and psycopg2 refuses a query that holds one, so a view that
looks anything up by a value from the request (an upload by its path, an admin object by its
id, a changelist search) would fail with a 500. No address, parameter or form field of this
site can legitimately contain a NUL, so the answer is decided here, once, for every view:

- in the path: 404. The address names something that cannot exist; no slug, id or file name
  holds a NUL, so "not found" is the truthful answer and matches any other unknown address.
- in a query parameter (name or value): 400. The address exists but the request is malformed.
  A view whose form validates its parameters itself (and so can say what is wrong beside what
  was typed) is marked with ``@validates_nul`` and is left to do so.
- form fields are left to the forms: Django's text fields refuse a NUL with a message beside
  the field and keep everything else the person typed, which a 400 page would lose.
"""

from django.core.exceptions import BadRequest
from django.http import Http404

NUL = "\x00"


def _holds_nul(query_dict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


def validates_nul(view):
    """Mark a view whose forms refuse a NUL in the query string with their own message.

    A class-based view says so with a ``validates_nul = True`` attribute instead.
    """
    view.validates_nul = True
    return view


class RejectNulMiddleware:
    """Answer 404 for a NUL in the path and 400 for one in query parameters.

    Raised as exceptions, so the site's own 404 and 400 pages (and every header the outer
    middleware adds) answer, exactly as when a view raises them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or NUL in request.path:
            raise Http404("The address holds a NUL character.")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        validates = getattr(view_func, "validates_nul", False) or getattr(
            view_class, "validates_nul", False
        )
        if _holds_nul(request.GET) and not validates:
            raise BadRequest("A query parameter holds a NUL character.")
        return None
