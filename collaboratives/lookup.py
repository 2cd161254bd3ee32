"""Find the collaborative that covers a postcode, from the coverage rows staff maintain."""

from __future__ import annotations

import re

from django.db.models import Q

from collaboratives.models import Coverage, CoverageKind, Organisation, normalise_postcode

_OUTWARD = re.compile(r"^(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z\d]?)?$")


def postcode_prefixes(text: str) -> list[tuple[CoverageKind, str]]:
    """The prefixes of a postcode to try, most specific first.

    "SW1A 1AA" gives sector "SW1A 1", districts "SW1A" and "SW1", and area "SW". An outward
    code alone ("NW10", "SO16") is read as a district, not as a sector written without its
    space. Text that is not shaped like a postcode or a prefix of one gives an empty list.
    """
    postcode = normalise_postcode(text)
    compact = postcode.replace(" ", "")
    if _OUTWARD.match(compact):
        outward, inward = compact, ""
    else:
        outward, _, inward = postcode.partition(" ")
    match = _OUTWARD.match(outward)
    if not match:
        return []
    prefixes: list[tuple[CoverageKind, str]] = []
    if inward[:1].isdigit():
        prefixes.append((CoverageKind.POSTCODE_SECTOR, f"{outward} {inward[0]}"))
    if match["district"]:
        prefixes.append((CoverageKind.POSTCODE_DISTRICT, outward))
    if match["district"] and outward[-1].isalpha():
        # Central London sub-districts (SW1A, EC1V, W1D) also belong to their parent district.
        prefixes.append((CoverageKind.POSTCODE_DISTRICT, outward[:-1]))
    prefixes.append((CoverageKind.POSTCODE_AREA, match["area"]))
    return prefixes


def find_by_postcode(text: str) -> list[Organisation]:
    """Organisations whose coverage holds the longest matching prefix of ``text``.

    Usually one; more than one when staff record a prefix as shared; none when no row matches.
    """
    prefixes = [
        (kind, Coverage.normalise(kind, prefix)) for kind, prefix in postcode_prefixes(text)
    ]
    if not prefixes:
        return []
    condition = Q()
    for kind, normalised in prefixes:
        condition |= Q(kind=kind, normalised=normalised)
    rows = Coverage.objects.filter(condition).select_related("organisation")
    by_prefix: dict[tuple[str, str], list[Organisation]] = {}
    for row in rows:
        by_prefix.setdefault((row.kind, row.normalised), []).append(row.organisation)
    for prefix in prefixes:
        if prefix in by_prefix:
            return sorted(set(by_prefix[prefix]), key=lambda organisation: organisation.name)
    return []
