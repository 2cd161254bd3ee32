"""Find the collaborative that covers a postcode, from the coverage rows staff maintain."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Q

from collaboratives.models import (
    Coverage,
    CoverageKind,
    Organisation,
    normalise_place,
    normalise_postcode,
)

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


# --- Finding by place or organisation name (the public "find your collaborative" page) -------

PLACE_KINDS = (CoverageKind.TOWN, CoverageKind.COUNTY, CoverageKind.ICS)
_PLACE_SUFFIXES = (
    " integrated care system",
    " integrated care board",
    " ics",
    " icb",
    " health and care partnership",
)
_LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Za-z]{1,2}\d")


@dataclass(frozen=True)
class LookupResult:
    """What the text was read as, what it matched, and the organisations found."""

    kind: str  # "postcode", "place" or "organisation"
    matched: str
    organisations: list[Organisation]
    notes: list[str] = field(default_factory=list)


def looks_like_postcode(text: str) -> bool:
    return bool(_LOOKS_LIKE_POSTCODE.match(text.strip()))


def is_postcode_shaped(text: str) -> bool:
    """A full postcode, sector, district or area in a form we can read (case and spaces aside)."""
    return bool(postcode_prefixes(text))


def _place_forms(text: str) -> list[str]:
    """'NHS Dorset ICB' → ['nhs dorset icb', 'dorset']: the name as typed and without the
    NHS prefix and system suffix people add to an integrated care system's name."""
    name = normalise_place(text)
    forms = [name]
    stripped = name.removeprefix("nhs ")
    for suffix in _PLACE_SUFFIXES:
        stripped = stripped.removesuffix(suffix)
    if stripped and stripped != name:
        forms.append(stripped)
    return forms


def find_by_place(text: str) -> LookupResult | None:
    """A town, county or unitary area, or integrated care system, matched on the whole name."""
    forms = _place_forms(text)
    rows = list(
        Coverage.objects.filter(kind__in=PLACE_KINDS, normalised__in=forms)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if not rows:
        return None
    organisations = sorted({row.organisation for row in rows}, key=lambda o: o.name)
    notes = sorted({row.note for row in rows if row.note})
    return LookupResult("place", rows[0].value, organisations, notes)


def find_by_organisation_name(text: str) -> LookupResult | None:
    """An organisation's acronym, current, former or PSC name (whole name, any case)."""
    wanted = normalise_place(text)
    if len(wanted) < 2:
        return None
    matches = []
    for organisation in Organisation.objects.all():
        names = [
            organisation.acronym,
            organisation.name,
            organisation.psc_name,
            *organisation.former_name_list,
        ]
        if wanted in {normalise_place(name) for name in names}:
            matches.append(organisation)
    if not matches:
        return None
    return LookupResult("organisation", text.strip(), matches)


def find(text: str) -> LookupResult | None:
    """Read ``text`` as a postcode (full, district or area), then a place, then a name."""
    if looks_like_postcode(text) or len(text.strip()) <= 2:
        organisations = find_by_postcode(text)
        if organisations:
            return LookupResult("postcode", normalise_postcode(text), organisations)
    return find_by_place(text) or find_by_organisation_name(text)


def suggest_places(text: str, limit: int = 5) -> list[str]:
    """Known places and organisation names like ``text``: spelt alike ("Southamptn" →
    "Southampton") or containing it ("Oxford and Thames" → the Oxford network's name)."""
    name = normalise_place(text)
    if len(name) < 3:
        return []
    names = dict(Coverage.objects.filter(kind__in=PLACE_KINDS).values_list("normalised", "value"))
    for organisation in Organisation.objects.all():
        for known in (organisation.name, *organisation.former_name_list):
            names.setdefault(normalise_place(known), known)
    close = difflib.get_close_matches(name, list(names), n=limit, cutoff=0.75)
    if len(name) >= 4:
        close += [known for known in sorted(names) if name in known and known not in close]
    return [names[match] for match in close[:limit]]
