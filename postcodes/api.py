"""The find-your-collaborative answer as JSON, served by the open-data API as GET /api/lookup."""

from django.db.models import prefetch_related_objects

from postcodes.lookup import Answer
from postcodes.lookup import lookup as find
from postcodes.views import QUERY_MAX_LENGTH, contact_prefetch, error_for

CONTACT_PREFERENCE = ("psc_website", "website", "email")


def _error(message: str) -> tuple[int, dict]:
    return 400, {"error": message}


def _contact_url(organisation) -> str | None:
    contacts = {contact.kind: contact.value for contact in reversed(organisation.current_contacts)}
    for kind in CONTACT_PREFERENCE:
        if contacts.get(kind):
            return f"mailto:{contacts[kind]}" if kind == "email" else contacts[kind]
    return None


def _organisation(request, organisation, share=None) -> dict:
    return {
        "slug": organisation.slug,
        "acronym": organisation.acronym,
        "name": organisation.name,
        "psc_name": organisation.psc_name,
        "former_names": organisation.former_name_list,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
        "contact_url": _contact_url(organisation),
        "share": round(share.fraction, 4) if share else None,
        "postcodes": share.postcodes if share else None,
    }


def serialise(request, answer: Answer) -> dict:
    shares = {share.organisation.pk: share for share in answer.shares if share.organisation}
    release = answer.release
    return {
        "query": answer.query,
        "kind": answer.kind,
        "matched": answer.matched,
        "found": answer.found,
        "message": None if answer.found else error_for(answer),
        "organisations": [
            _organisation(request, organisation, shares.get(organisation.pk))
            for organisation in answer.organisations
        ],
        "shares": [
            {
                "organisation": share.organisation.slug if share.organisation else None,
                "icb_code": share.icb.code if share.icb else None,
                "country": share.country or None,
                "postcodes": share.postcodes,
                "share": round(share.fraction, 4),
            }
            for share in answer.shares
        ],
        "icb": (
            {
                "code": answer.icb.code,
                "ods_code": answer.icb.ods_code or None,
                "name": answer.icb.full_name,
            }
            if answer.icb
            else None
        ),  # fmt: skip
        "country": answer.country or None,
        "terminated": answer.terminated.strftime("%Y-%m") if answer.terminated else None,
        "not_in_directory": answer.not_in_directory or None,
        "notes": answer.notes,
        "data": {
            "source": answer.source,
            "release": (
                {
                    "name": release.name,
                    "date": release.release_date.isoformat() if release.release_date else None,
                    "imported_at": release.imported_at.isoformat(),
                }
                if release
                else None
            ),
        },
    }


def lookup_answer(request, query: str | None) -> tuple[int, dict]:
    """(status, body) for ``?q=``: the answer, or 400 with ``{"error": "..."}``."""
    if query is None:
        return _error("Give the postcode, place or organisation to look up: ?q=SO16+6YD")
    if len(query) > QUERY_MAX_LENGTH:
        return _error(f"q must be {QUERY_MAX_LENGTH} characters or fewer.")
    if "\x00" in query:
        return _error("q must not contain NUL characters.")
    if not query.strip():
        return _error("q is empty: give a postcode, place or organisation name.")
    answer = find(query.strip())
    prefetch_related_objects(answer.organisations, contact_prefetch())
    return 200, serialise(request, answer)
