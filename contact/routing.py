"""Who receives a contact message, and by what address."""

from collaboratives import lookup
from collaboratives.models import ContactDetail, ContactKind, Organisation


def find_by_place(text: str) -> list[Organisation]:
    """The collaboratives covering a postcode or place (usually one; none if unknown)."""
    result = lookup.find(text)
    return list(result.organisations) if result else []


def email_address_of(organisation: Organisation) -> str:
    """The collaborative's current recorded e-mail address, else the home collaborative's,
    else empty (the message is then kept for staff only: an address is never guessed)."""
    for candidate in (organisation, Organisation.objects.home().first()):
        if candidate is None:
            continue
        detail = (
            ContactDetail.objects.filter(
                organisation=candidate, kind=ContactKind.EMAIL, is_current=True
            )
            .order_by("order", "pk")
            .first()
        )
        if detail:
            return detail.value
    return ""
