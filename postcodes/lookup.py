"""Find the collaborative for a postcode, district, place or integrated care board.

In order:

1. a full postcode in the imported ONS directory → its ICB → the collaborative the mapping in
   force assigns (exact); a retired postcode is answered as such; a postcode in Wales,
   Scotland or Northern Ireland is answered as outside England;
2. a sector, district or area (``SO16 6``, ``PE28``, ``SO``) → every collaborative with
   postcodes in it and the share of live postcodes each holds, largest first;
3. an ICB code (``E54000042``) or ODS code (``QRL``);
4. an area known to lie wholly outside England (``EH``, ``BT``...), when the directory cannot say;
5. the coverage rows staff keep (``collaboratives.lookup``): postcode prefixes, places,
   integrated care systems, organisation names; used when no directory is loaded, for a board
   no single collaborative covers, and for everything that is not a postcode;
6. an ICB name.

Every answer says what it matched and from which data.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from collaboratives import lookup as coverage
from collaboratives.models import Organisation, normalise_place, normalise_postcode
from postcodes.models import (
    ENGLAND,
    ICB,
    AreaKind,
    AreaShare,
    ICBMapping,
    Postcode,
    PostcodeRelease,
    country_name,
)

FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
_SECTOR = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_AREA = re.compile(r"^[A-Z]{1,2}$")
_ICB_CODE = re.compile(r"^E54\d{6}$")
_ODS_CODE = re.compile(r"^Q[A-Z\d]{2}$")

# Postcode areas wholly outside England, for when no directory is loaded. Areas that cross
# the border (CH, LD, NP, SY, TD) are left to the directory and the coverage rows.
OUTSIDE_ENGLAND_AREAS = {
    **dict.fromkeys(["CF", "LL", "SA"], "Wales"),
    **dict.fromkeys(
        ["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"],
        "Scotland",
    ),
    "BT": "Northern Ireland",
    **dict.fromkeys(["GY", "JE"], "the Channel Islands"),
    "IM": "the Isle of Man",
}

COVERAGE_SOURCE = "the postcode areas, places and care systems each collaborative covers"


@dataclass
class Share:
    """Part of an area: the live postcodes one collaborative (or one unassigned board, or
    the country over the border) holds."""

    postcodes: int
    fraction: float
    organisation: Organisation | None = None
    icb: ICB | None = None
    country: str = ""

    @property
    def percent(self) -> str:
        value = self.fraction * 100
        if 0 < value < 1:
            return "less than 1%"
        return f"{value:.0f}%"


@dataclass
class Answer:
    """What the text was read as, what it matched, the organisations and the data used.

    ``kind``: postcode, terminated, sector, district, area, icb, place, organisation,
    outside_england; or, naming no organisation, invalid_postcode (not shaped like one),
    unknown_postcode (shaped like one, not found) or not_found (no such place or name).
    """

    query: str
    kind: str
    matched: str = ""
    organisations: list[Organisation] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    icb: ICB | None = None
    country: str = ""
    terminated: datetime.date | None = None
    release: PostcodeRelease | None = None
    used_coverage: bool = False
    not_in_directory: str = ""
    notes: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.organisations)

    @property
    def source(self) -> str:
        """The data the answer rests on, in words."""
        if self.release and self.used_coverage:
            return f"{self.release.name} and {COVERAGE_SOURCE}"
        if self.release:
            return f"{self.release.name}, and the integrated care boards each collaborative covers"
        return COVERAGE_SOURCE


def current_release() -> PostcodeRelease | None:
    return PostcodeRelease.objects.filter(is_current=True).first()


def _mappings(codes, on: datetime.date) -> dict[str, list[ICBMapping]]:
    rows = (
        ICBMapping.objects.in_force(on)
        .filter(icb__code__in=codes)
        .select_related("icb", "organisation")
        .order_by("icb__code", "organisation__name")
    )
    found: dict[str, list[ICBMapping]] = defaultdict(list)
    for row in rows:
        found[row.icb.code].append(row)
    return found


def _organisations(mappings: list[ICBMapping] | None) -> list[Organisation]:
    unique = {
        row.organisation_id: row.organisation for row in mappings or [] if row.organisation_id
    }
    return sorted(unique.values(), key=lambda organisation: organisation.name)


def _board(code: str, mappings: dict[str, list[ICBMapping]]) -> ICB | None:
    if mappings.get(code):
        return mappings[code][0].icb
    return ICB.objects.filter(code=code).first() if code else None


def _from_coverage(answer: Answer, postcode: str) -> Answer:
    """Fill in the organisations from the coverage rows (a board split between collaboratives)."""
    answer.organisations = coverage.find_by_postcode(postcode)
    answer.used_coverage = True
    if answer.icb:
        answer.notes.append(
            f"{answer.icb.full_name} is not covered by a single collaborative, so this answer "
            "comes from the postcode areas each collaborative covers."
        )
    return answer


def _postcode(query: str, compact: str, release: PostcodeRelease, on) -> Answer | None:
    row = (
        Postcode.objects.filter(key=compact)
        .values("postcode", "icb_code", "country_code", "terminated")
        .first()
    )
    if row is None:
        return None
    answer = Answer(query, "postcode", row["postcode"], release=release)
    if row["terminated"]:
        answer.kind = "terminated"
        answer.terminated = row["terminated"]
    if row["country_code"] and row["country_code"] != ENGLAND:
        answer.kind = "outside_england"
        answer.country = country_name(row["country_code"]) or "outside England"
        return answer
    mappings = _mappings([row["icb_code"]], on)
    answer.icb = _board(row["icb_code"], mappings)
    answer.organisations = _organisations(mappings.get(row["icb_code"], []))
    if not answer.organisations:
        return _from_coverage(answer, row["postcode"])
    return answer


def _area(query: str, kind: str, area: str, release: PostcodeRelease, on) -> Answer | None:
    rows = list(AreaShare.objects.filter(kind=kind, area=area))
    if not rows:
        return None
    answer = Answer(query, kind, area, release=release)
    english = [row for row in rows if row.country_code in (ENGLAND, "")]
    if not english:
        answer.kind = "outside_england"
        answer.country = country_name(rows[0].country_code) or "outside England"
        return answer
    mappings = _mappings({row.icb_code for row in english}, on)
    unassigned = {row.icb_code for row in english if not _organisations(mappings.get(row.icb_code))}
    boards = {}
    if unassigned:
        boards = {icb.code: icb for icb in ICB.objects.filter(code__in=unassigned)}
    shares: dict[tuple, Share] = {}

    def add(key: tuple, postcodes: int, **about) -> None:
        shares.setdefault(key, Share(0, 0, **about)).postcodes += postcodes

    for row in rows:
        if row not in english:
            country = country_name(row.country_code) or "outside England"
            add(("country", country), row.postcodes, country=country)
        elif row.icb_code in unassigned:
            add(("icb", row.icb_code), row.postcodes, icb=boards.get(row.icb_code))
        else:
            for organisation in _organisations(mappings[row.icb_code]):
                add(("organisation", organisation.pk), row.postcodes, organisation=organisation)
    total = sum(row.postcodes for row in rows)
    answer.shares = sorted(shares.values(), key=lambda share: -share.postcodes)
    for share in answer.shares:
        share.fraction = share.postcodes / total
    answer.organisations = [share.organisation for share in answer.shares if share.organisation]
    if not answer.organisations:
        return _from_coverage(answer, area)
    return answer


def _area_kind(postcode: str) -> tuple[str, str] | None:
    if _SECTOR.match(postcode):
        return AreaKind.SECTOR, postcode
    if _DISTRICT.match(postcode):
        return AreaKind.DISTRICT, postcode
    if _AREA.match(postcode):
        return AreaKind.AREA, postcode
    return None


def _icb_answer(query: str, icb: ICB, on) -> Answer:
    mappings = _mappings([icb.code], on)
    answer = Answer(query, "icb", icb.full_name, icb=icb)
    answer.organisations = _organisations(mappings.get(icb.code, []))
    return answer


def _icb_name_forms(text: str) -> set[str]:
    name = normalise_place(text).removeprefix("nhs ")
    for suffix in (" integrated care board", " icb", " integrated care system", " ics"):
        name = name.removesuffix(suffix)
    return {name, name.replace(" the ", " ")}


def _icb_by_name(text: str) -> ICB | None:
    wanted = _icb_name_forms(text)
    for icb in ICB.objects.all():
        if wanted & _icb_name_forms(icb.name):
            return icb
    return None


def lookup(text: str, on: datetime.date | None = None) -> Answer:
    """Answer ``text`` (already stripped and of sane length) as of the date ``on``."""
    query = " ".join(text.split())
    on = on or timezone.localdate()
    postcode = normalise_postcode(query)
    compact = postcode.replace(" ", "")
    release = current_release()

    if release and FULL_POSTCODE.match(compact):
        answer = _postcode(query, compact, release, on)
        if answer:
            return answer
        # Not in the directory: new since the release, or mistyped. Answer for its sector.
        for kind, area in ((AreaKind.SECTOR, postcode[:-2]), (AreaKind.DISTRICT, compact[:-3])):
            answer = _area(query, kind, area, release, on)
            if answer:
                answer.not_in_directory = postcode
                return answer

    shape = _area_kind(postcode)
    if release and shape:
        answer = _area(query, *shape, release, on)
        if answer:
            return answer

    upper = query.upper()
    if _ICB_CODE.match(upper) or _ODS_CODE.match(upper):
        icb = ICB.objects.filter(code=upper).first() or ICB.objects.filter(ods_code=upper).first()
        if icb:
            return _icb_answer(query, icb, on)

    if coverage.looks_like_postcode(query) and coverage.is_postcode_shaped(query):
        area_match = re.match(r"[A-Z]+", compact)
        country = OUTSIDE_ENGLAND_AREAS.get(area_match[0] if area_match else "")
        if country:
            return Answer(query, "outside_england", postcode, country=country)

    found = coverage.find(query)
    if found:
        matched = found.matched if found.kind != "postcode" else postcode
        return Answer(
            query,
            found.kind,
            matched,
            organisations=list(found.organisations),
            notes=list(found.notes),
            used_coverage=True,
        )

    icb = _icb_by_name(query)
    if icb:
        return _icb_answer(query, icb, on)

    if coverage.looks_like_postcode(query):
        kind = "unknown_postcode" if coverage.is_postcode_shaped(query) else "invalid_postcode"
        return Answer(query, kind, postcode, release=release)
    return Answer(query, "not_found", query, suggestions=coverage.suggest_places(query))
