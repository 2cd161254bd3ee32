"""Look up a staff member's CSV file of postcodes: every row comes back with its collaborative,
integrated care board and a status; nothing is dropped.

The directory is read with one ``IN`` query per few thousand postcodes; boards, mappings and
the coverage rows are read once, so 10,000 rows take a handful of queries.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from collaboratives.lookup import postcode_prefixes
from collaboratives.models import POSTCODE_KINDS, Coverage, Organisation
from postcodes.lookup import FULL_POSTCODE, current_release
from postcodes.models import ENGLAND, ICB, ICBMapping, Postcode, country_name

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
BATCH = 2_000
POSTCODE_HEADERS = {"postcode", "postcodes", "post code", "post_code", "pcds", "pcd", "pcd2"}
ADDED_COLUMNS = ["organisation", "icb_code", "icb_name", "status"]


class BulkFileError(Exception):
    """The upload cannot be read as a CSV file of postcodes."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    column: int


def read_csv(data: bytes) -> Table:
    """The rows of an uploaded CSV file and the column holding the postcodes."""
    if len(data) > MAX_BYTES:
        raise BulkFileError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files."
        )
    if not data.strip():
        raise BulkFileError("The file is empty.")
    if b"\x00" in data:
        raise BulkFileError(
            "The file is not a CSV file. In a spreadsheet, use Save As and choose CSV."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error as error:
        raise BulkFileError(f"The file is not a readable CSV file ({error}).") from error
    if len(rows) > MAX_ROWS + 1:
        raise BulkFileError(f"The file has more than {MAX_ROWS:,} rows. Split it up.")
    names = [cell.strip().lower() for cell in rows[0]]
    for index, name in enumerate(names):
        if name in POSTCODE_HEADERS:
            return Table(rows[0], rows[1:], index)
    if FULL_POSTCODE.match(rows[0][0].replace(" ", "").upper()):
        width = max(len(row) for row in rows)
        header = ["postcode"] if width == 1 else [f"column_{i + 1}" for i in range(width)]
        return Table(header, rows, 0)
    return Table(rows[0], rows[1:], 0)


@dataclass(frozen=True)
class Outcome:
    organisation: str = ""
    icb_code: str = ""
    icb_name: str = ""
    status: str = ""


class Matcher:
    """Everything the per-row answers need, read once."""

    def __init__(self, on: datetime.date):
        self.release = current_release()
        self.boards = {icb.code: icb for icb in ICB.objects.all()}
        self.assigned: dict[str, list[Organisation]] = defaultdict(list)
        for row in (
            ICBMapping.objects.in_force(on)
            .filter(organisation__isnull=False)
            .select_related("icb", "organisation")
            .order_by("organisation__name")
        ):
            self.assigned[row.icb.code].append(row.organisation)
        self.prefixes: dict[tuple[str, str], list[Organisation]] = defaultdict(list)
        for row in Coverage.objects.filter(kind__in=POSTCODE_KINDS).select_related("organisation"):
            self.prefixes[(row.kind, row.normalised)].append(row.organisation)

    def by_prefix(self, postcode: str) -> list[Organisation]:
        for kind, prefix in postcode_prefixes(postcode):
            found = self.prefixes.get((kind, Coverage.normalise(kind, prefix)))
            if found:
                return sorted(set(found), key=lambda organisation: organisation.name)
        return []

    def outcome(self, postcode: str, row: tuple | None) -> Outcome:
        if row is None:
            organisations = self.by_prefix(postcode)
            status = "not in the postcode directory" if self.release else ""
            if organisations:
                status = f"{status}; found by postcode area" if status else "found by postcode area"
            return Outcome(_names(organisations), status=status or "not found")
        _, _, icb_code, country, terminated = row
        board = self.boards.get(icb_code)
        icb_name = board.full_name if board else ""
        if country and country != ENGLAND:
            where = country_name(country) or "another country"
            return Outcome("", icb_code, icb_name, f"outside England ({where})")
        status = f"retired {terminated:%Y-%m}; " if terminated else ""
        organisations = self.assigned.get(icb_code, [])
        if organisations:
            return Outcome(_names(organisations), icb_code, icb_name, f"{status}found")
        organisations = self.by_prefix(postcode)
        if organisations:
            return Outcome(
                _names(organisations),
                icb_code,
                icb_name,
                f"{status}found by postcode area (board not covered by a single collaborative)",
            )
        return Outcome("", icb_code, icb_name, f"{status}no collaborative found")


def _names(organisations: list[Organisation]) -> str:
    return "; ".join(organisation.name for organisation in organisations)


def outcomes(values: list[str], on: datetime.date | None = None) -> list[Outcome]:
    """One outcome per value, in order."""
    matcher = Matcher(on or timezone.localdate())
    compacts = [value.replace(" ", "").upper() for value in values]
    valid = sorted({key for key in compacts if FULL_POSTCODE.match(key)})
    found: dict[str, tuple] = {}
    if matcher.release:
        for start in range(0, len(valid), BATCH):
            for row in Postcode.objects.filter(key__in=valid[start : start + BATCH]).values_list(
                "key", "postcode", "icb_code", "country_code", "terminated"
            ):
                found[row[0]] = row
    results = []
    for value, key in zip(values, compacts, strict=True):
        if not FULL_POSTCODE.match(key):
            results.append(Outcome(status="empty" if not value.strip() else "not a postcode"))
            continue
        postcode = f"{key[:-3]} {key[-3:]}"
        results.append(matcher.outcome(postcode, found.get(key)))
    return results


def annotated_csv(table: Table, on: datetime.date | None = None) -> str:
    """The file again, each row with the added columns."""
    values = [row[table.column] if len(row) > table.column else "" for row in table.rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*table.header, *ADDED_COLUMNS])
    for row, outcome in zip(table.rows, outcomes(values, on), strict=True):
        writer.writerow(
            [*row, outcome.organisation, outcome.icb_code, outcome.icb_name, outcome.status]
        )
    return buffer.getvalue()
