"""Import an ONS postcode directory release (ONSPD or NSPL) as ONS ships it.

The file is read once as a stream (the zip member through ``io.TextIOWrapper``, never whole
in memory), loaded into a staging table (PostgreSQL ``COPY``; batched inserts on SQLite) and
swapped for the live table in the same transaction as the per-area counts and the release
record. A lookup therefore sees the old release or the new one, never half of either, and a
bad file leaves everything as it was.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import datetime
import hashlib
import io
import re
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from postcodes.models import (
    ICB,
    AreaKind,
    AreaShare,
    ICBMapping,
    Postcode,
    PostcodeRelease,
)

csv.field_size_limit(1_000_000)

LIVE_TABLE = Postcode._meta.db_table
STAGING_TABLE = f"{LIVE_TABLE}_staging"
COLUMNS = (
    "key",
    "postcode",
    "district",
    "sector",
    "icb_code",
    "country_code",
    "introduced",
    "terminated",
)
SQLITE_BATCH = 5_000

PRODUCTS = {"ONSPD": "ONS Postcode Directory", "NSPL": "National Statistics Postcode Lookup"}
MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_RELEASE_NAME = re.compile(r"(ONSPD|NSPL)(?:\d{2})?[_ -]([A-Z]{3})[A-Z]*[_ -](\d{4})", re.I)
_COMPACT_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
_GSS_CODE = re.compile(r"^[A-Z]\d{8}$")
_ICB_NAMES_FILE = re.compile(r"(^|/)Documents/[^/]*ICB[^/]*names[^/]*\.csv$", re.I)

# Column names across releases, most preferred first; a pattern matches a whole name.
POSTCODE_COLUMNS = ("pcds", "pcd2", "pcd")
ICB_COLUMNS = ("icb", re.compile(r"icb\d{2}cd"), "stp")
COUNTRY_COLUMNS = ("ctry", re.compile(r"ctry\d{2}cd"))
TERMINATED_COLUMNS = ("doterm",)
INTRODUCED_COLUMNS = ("dointr",)
COUNTRY_BY_PREFIX = {"E": "E92000001", "W": "W92000004", "S": "S92000003", "N": "N92000002"}


class PostcodeImportError(Exception):
    """The file cannot be imported; the message says why in words staff can act on."""


@dataclass
class ImportResult:
    release: PostcodeRelease
    unchanged: bool = False
    skipped: int = 0
    icb_codes_created: list[str] = field(default_factory=list)
    unmapped_icbs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Release:
    product: str
    name: str
    release_date: datetime.date | None


def describe_release(file_names: Iterable[str], release_date: datetime.date | None = None):
    """Read 'ONSPD_MAY_2026_UK.csv' as the ONS Postcode Directory of May 2026."""
    product, found_date = "", None
    for name in file_names:
        match = _RELEASE_NAME.search(Path(name).name)
        if match and match[2].upper() in MONTHS:
            product = match[1].upper()
            found_date = datetime.date(int(match[3]), MONTHS[match[2].upper()], 1)
            break
    release_date = release_date or found_date
    title = PRODUCTS.get(product, "ONS postcode directory")
    if release_date is None:
        raise PostcodeImportError(
            "Cannot tell which release this is from the file name (expected something like "
            "ONSPD_MAY_2026_UK.zip). Give the month with --release-date 2026-05."
        )
    name = f"{title}, {release_date:%B %Y} release"
    return Release(product, name, release_date)


# --- Finding the data in a zip, a folder or a plain CSV --------------------------------------


class Source:
    """A release as a zip file, an unzipped folder or one CSV file."""

    def __init__(self, path: Path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self.names = sorted(
                str(p.relative_to(path)).replace("\\", "/") for p in path.rglob("*") if p.is_file()
            )
        elif zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as error:
                raise PostcodeImportError(
                    f"{path.name} is not a complete zip file ({error})."
                ) from error
            self.names = sorted(info.filename for info in self._zip.infolist())
        elif path.suffix.lower() == ".zip":
            raise PostcodeImportError(
                f"{path.name} is not a complete zip file: it may have been cut short while "
                "downloading. Download the release again."
            )
        else:
            self.names = [path.name]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    @property
    def is_single_file(self) -> bool:
        return self._zip is None and not self.path.is_dir()

    def data_members(self) -> list[str]:
        """The postcode CSV (or the parts of a multi-CSV release), in order."""
        if self.is_single_file:
            return self.names
        csvs = [name for name in self.names if name.lower().endswith(".csv")]
        single = [n for n in csvs if re.search(r"(^|/)Data/[^/]+\.csv$", n, re.I)]
        if len(single) == 1:
            return single
        if len(single) > 1:
            main = [n for n in single if _RELEASE_NAME.search(Path(n).name)]
            if len(main) == 1:
                return main
        parts = [n for n in csvs if re.search(r"(^|/)Data/multi_csv/[^/]+\.csv$", n, re.I)]
        if parts:
            return parts
        outside_documents = [n for n in csvs if not re.search(r"(^|/)Documents/", n, re.I)]
        if len(outside_documents) == 1:
            return outside_documents
        raise PostcodeImportError(
            f"Cannot find the postcode data in {self.path.name}: expected one CSV file in its "
            "Data folder (for example Data/ONSPD_MAY_2026_UK.csv)."
        )

    def icb_names_member(self) -> str | None:
        if self.is_single_file:
            return None
        matches = [name for name in self.names if _ICB_NAMES_FILE.search(name)]
        return matches[-1] if matches else None

    @contextlib.contextmanager
    def open_text(self, name: str) -> Iterator[io.TextIOBase]:
        if self._zip is not None:
            binary = self._zip.open(name)
        elif self.path.is_dir():
            binary = (self.path / name).open("rb")
        else:
            binary = self.path.open("rb")
        with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as text:
            yield text


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(file.relative_to(path)).encode())
            digest.update(file.read_bytes())
        return digest.hexdigest()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Reading rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMap:
    width: int
    postcode: int
    icb: int
    country: int | None
    terminated: int | None
    introduced: int | None


def _find_column(header: list[str], candidates) -> int | None:
    names = [name.strip().lower() for name in header]
    for candidate in candidates:
        for index, name in enumerate(names):
            if (isinstance(candidate, str) and name == candidate) or (
                not isinstance(candidate, str) and candidate.fullmatch(name)
            ):
                return index
    return None


def read_header(header: list[str], member: str) -> ColumnMap:
    postcode = _find_column(header, POSTCODE_COLUMNS)
    icb = _find_column(header, ICB_COLUMNS)
    missing = [
        label
        for label, index in (("a postcode (pcds, pcd2 or pcd)", postcode), ("icb", icb))
        if index is None
    ]
    if missing:
        shown = ", ".join(name.strip() for name in header[:8]) or "nothing"
        raise PostcodeImportError(
            f"{member} does not have the columns of an ONS postcode directory: no "
            f"{' or '.join(missing)} column. Its first line reads: {shown[:200]}."
        )
    return ColumnMap(
        width=len(header),
        postcode=postcode,
        icb=icb,
        country=_find_column(header, COUNTRY_COLUMNS),
        terminated=_find_column(header, TERMINATED_COLUMNS),
        introduced=_find_column(header, INTRODUCED_COLUMNS),
    )


def _month(value: str) -> str | None:
    """'201906' (ONS year and month) → '2019-06-01'; anything else → None."""
    if len(value) != 6 or not value.isdigit() or not "01" <= value[4:] <= "12":
        value = value.strip()
        if len(value) != 6 or not value.isdigit() or not "01" <= value[4:] <= "12":
            return None
    return f"{value[:4]}-{value[4:]}-01"


@dataclass
class Tally:
    rows: int = 0
    live: int = 0
    skipped: int = 0
    shares: Counter = field(default_factory=Counter)  # live postcodes by (sector, ICB, country)

    @property
    def icb_codes(self) -> set[str]:
        return {icb for _, icb, _ in self.shares if icb}

    def area_shares(self) -> Counter:
        """Live postcodes by (kind, area, ICB, country) for sectors, districts and areas."""
        counts = Counter()
        for (sector, icb, country), count in self.shares.items():
            district = sector[:-2]
            area = district[:2] if district[1].isalpha() else district[:1]
            counts[(AreaKind.SECTOR, sector, icb, country)] += count
            counts[(AreaKind.DISTRICT, district, icb, country)] += count
            counts[(AreaKind.AREA, area, icb, country)] += count
        return counts


def records(
    source: Source,
    tally: Tally,
    progress: Callable[[int], None] | None = None,
    every: int = 100_000,
) -> Iterator[tuple]:
    """(key, postcode, district, sector, icb, country, introduced, terminated) per row."""
    members = source.data_members()
    for member in members:
        label = Path(member).name
        try:
            with source.open_text(member) as text:
                reader = csv.reader(text)
                header = next(reader, None)
                if not header:
                    raise PostcodeImportError(f"{label} is empty.")
                columns = read_header(header, label)
                yield from _rows(reader, columns, label, tally, progress, every)
        except PostcodeImportError:
            raise
        except UnicodeDecodeError as error:
            raise PostcodeImportError(
                f"{label} is not a text CSV file (undecodable byte at position {error.start})."
            ) from error
        except csv.Error as error:
            raise PostcodeImportError(f"{label} is not a readable CSV file: {error}.") from error
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise PostcodeImportError(
                f"{label} is damaged inside the zip ({error}): the download may be incomplete."
            ) from error
    if tally.rows == 0:
        raise PostcodeImportError("The file holds no postcodes.")


def _rows(reader, columns: ColumnMap, label, tally: Tally, progress, every) -> Iterator[tuple]:
    shares = tally.shares
    width = columns.width
    for row in reader:
        if not row:
            continue
        if len(row) != width:
            raise PostcodeImportError(
                f"{label}, line {reader.line_num}: {len(row)} values where the header has "
                f"{width}. The file looks cut short or damaged; nothing was imported."
            )
        compact = row[columns.postcode].replace(" ", "").upper()
        if not _COMPACT_POSTCODE.match(compact):
            tally.skipped += 1
            continue
        outward, inward = compact[:-3], compact[-3:]
        sector = f"{outward} {inward[0]}"
        icb = row[columns.icb].strip().upper()
        if not _GSS_CODE.match(icb):
            icb = ""
        country = row[columns.country].strip().upper() if columns.country is not None else ""
        if not _GSS_CODE.match(country):
            country = COUNTRY_BY_PREFIX.get(icb[:1], "")
        terminated = _month(row[columns.terminated]) if columns.terminated is not None else None
        introduced = _month(row[columns.introduced]) if columns.introduced is not None else None
        tally.rows += 1
        if terminated is None:
            tally.live += 1
            shares[(sector, icb, country)] += 1
        if progress and tally.rows % every == 0:
            progress(tally.rows)
        postcode = f"{outward} {inward}"
        yield (compact, postcode, outward, sector, icb, country, introduced, terminated)


# --- Loading ------------------------------------------------------------------------------


class _CopyStream:
    """A file-like object that psycopg2's ``copy_expert`` reads COPY text lines from."""

    def __init__(self, rows: Iterator[tuple]):
        self._rows = rows
        self._pending = ""
        self.error: Exception | None = None

    def read(self, size: int = -1) -> str:
        try:
            return self._read(size)
        except Exception as error:
            self.error = error  # psycopg2 reports it only as text in a QueryCanceled
            raise

    def _read(self, size: int) -> str:
        chunks = [self._pending]
        length = len(self._pending)
        for row in self._rows:
            line = "\t".join("\\N" if value is None else value for value in row) + "\n"
            chunks.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        data = "".join(chunks)
        if size < 0 or len(data) <= size:
            self._pending = ""
            return data
        self._pending = data[size:]
        return data[:size]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _stage_postgres(rows: Iterator[tuple]) -> list[tuple[str, str]]:
    """Fill and index the staging table; returns the index renames the swap will make."""
    live, staging = _quote(LIVE_TABLE), _quote(STAGING_TABLE)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # faster index builds
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TABLE {staging} (LIKE {live} INCLUDING DEFAULTS)")
        columns = ", ".join(_quote(column) for column in COLUMNS)
        stream = _CopyStream(rows)
        try:
            cursor.cursor.copy_expert(f"COPY {staging} ({columns}) FROM STDIN", stream, 1 << 16)
        except Exception:
            if stream.error is not None:
                raise stream.error from None
            raise
        # The staging table gets the live table's indexes (as the migrations made them) under
        # temporary names, which take the live names after the swap.
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [LIVE_TABLE],
        )
        primary_key = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [LIVE_TABLE],
        )
        indexes = [(name, definition) for name, definition in cursor.fetchall()]
        renames = []
        for name, definition in indexes:
            temporary = f"{name[:50]}_staging"
            renames.append((temporary, name))
            if name == primary_key:
                cursor.execute(
                    f"ALTER TABLE {staging} ADD CONSTRAINT {_quote(temporary)} PRIMARY KEY (key)"
                )
                continue
            match = re.match(r"^CREATE (UNIQUE )?INDEX \S+ ON (?:\S+\.)?\S+ (.*)$", definition)
            unique = match[1] or ""
            definition = f"CREATE {unique}INDEX {_quote(temporary)} ON {staging} {match[2]}"
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {staging}")
    return renames


def _swap_postgres(renames: list[tuple[str, str]]) -> None:
    """Replace the live table by the staging table: the only moment lookups wait, briefly."""
    live, staging = _quote(LIVE_TABLE), _quote(STAGING_TABLE)
    with connection.cursor() as cursor:
        # Waiting behind a long reader would queue every lookup behind us: give up instead.
        cursor.execute("SET LOCAL lock_timeout = '10s'")
        try:
            cursor.execute(f"LOCK TABLE {live} IN ACCESS EXCLUSIVE MODE")
        except OperationalError as error:
            raise PostcodeImportError(
                "The live postcode table stayed busy for 10 seconds, so the new release was not "
                "swapped in. Try again in a moment."
            ) from error
        cursor.execute(f"DROP TABLE {live}")
        cursor.execute(f"ALTER TABLE {staging} RENAME TO {live}")
        for temporary, name in renames:
            cursor.execute(f"ALTER INDEX {_quote(temporary)} RENAME TO {_quote(name)}")


def _stage_sqlite(rows: Iterator[tuple]) -> None:
    live, staging = _quote(LIVE_TABLE), _quote(STAGING_TABLE)
    columns = ", ".join(_quote(column) for column in COLUMNS)
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TABLE {staging} AS SELECT {columns} FROM {live} WHERE 0")
        insert = f"INSERT INTO {staging} ({columns}) VALUES ({placeholders})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(insert, batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)


def _swap_sqlite() -> None:
    live, staging = _quote(LIVE_TABLE), _quote(STAGING_TABLE)
    columns = ", ".join(_quote(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {live}")
        cursor.execute(f"INSERT INTO {live} ({columns}) SELECT {columns} FROM {staging}")
        cursor.execute(f"DROP TABLE {staging}")


def _save_icb_names(source: Source) -> list[str]:
    """Add the boards named in the release's Documents folder that we do not know yet.

    Known boards keep the names administrators gave them; new ones start unassigned.
    """
    member = source.icb_names_member()
    if member is None:
        return []
    found: dict[str, tuple[str, str]] = {}
    try:
        with source.open_text(member) as text:
            reader = csv.reader(text)
            header = [name.strip().lower() for name in next(reader, [])]
            code = _find_column(header, (re.compile(r"icb\d{2}cd"), "icb", "code"))
            ods = _find_column(header, (re.compile(r"icb\d{2}cdh"), "ods"))
            name = _find_column(header, (re.compile(r"icb\d{2}nm"), "name"))
            if code is None or name is None:
                raise PostcodeImportError(
                    f"{Path(member).name} does not have ICB code and name columns "
                    "(such as ICB23CD and ICB23NM)."
                )
            for row in reader:
                if len(row) > max(code, name) and _GSS_CODE.match(row[code].strip()):
                    ods_code = row[ods].strip() if ods is not None and len(row) > ods else ""
                    title = row[name].strip().removeprefix("NHS ")
                    title = title.removesuffix(" Integrated Care Board")[:200]
                    found[row[code].strip().upper()] = (ods_code[:5], title)
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise PostcodeImportError(f"{Path(member).name} cannot be read ({error}).") from error
    known = set(ICB.objects.filter(code__in=found).values_list("code", flat=True))
    created = [code for code in sorted(found) if code not in known and code.startswith("E54")]
    ICB.objects.bulk_create(
        ICB(code=code, ods_code=found[code][0], name=found[code][1]) for code in created
    )
    return created


def _save_shares(shares: Counter) -> None:
    AreaShare.objects.all().delete()
    AreaShare.objects.bulk_create(
        (
            AreaShare(kind=kind, area=area, icb_code=icb, country_code=country, postcodes=count)
            for (kind, area, icb, country), count in shares.items()
        ),
        batch_size=5_000,
    )


def import_release(
    path: Path,
    *,
    release_date: datetime.date | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    every: int = 100_000,
) -> ImportResult:
    """Import the release at ``path`` (zip, unzipped folder or CSV) and make it current."""
    path = Path(path)
    if not path.exists():
        raise PostcodeImportError(f"No file at {path}.")
    started = time.monotonic()
    checksum = file_checksum(path)
    current = PostcodeRelease.objects.filter(is_current=True).first()
    if current and current.checksum == checksum and not force:
        return ImportResult(current, unchanged=True)
    source = Source(path)
    try:
        members = source.data_members()
        release = describe_release([*members, path.name], release_date)
        if (
            current
            and current.release_date
            and release.release_date < current.release_date
            and not force
        ):
            raise PostcodeImportError(
                f"This is the {release.name}, older than the {current.name} already loaded. "
                "Nothing was changed. Use --force to load it anyway."
            )
        tally = Tally()
        rows = records(source, tally, progress, every)
        try:
            with transaction.atomic():
                postgres = connection.vendor == "postgresql"
                renames = _stage_postgres(rows) if postgres else _stage_sqlite(rows)
                _save_shares(tally.area_shares())
                created = _save_icb_names(source)
                PostcodeRelease.objects.filter(is_current=True).update(is_current=False)
                saved = PostcodeRelease.objects.create(
                    name=release.name,
                    release_date=release.release_date,
                    file_name=path.name,
                    checksum=checksum,
                    rows=tally.rows,
                    live_rows=tally.live,
                    imported_at=timezone.now(),
                    seconds=round(time.monotonic() - started, 1),
                    is_current=True,
                )
                if postgres:
                    _swap_postgres(renames)
                else:
                    _swap_sqlite()
        except IntegrityError as error:
            raise PostcodeImportError(
                f"The file lists a postcode twice, so it cannot be a directory release: {error}"
            ) from error
    finally:
        source.close()
    return ImportResult(
        saved,
        skipped=tally.skipped,
        icb_codes_created=created,
        unmapped_icbs=unmapped_icbs(tally.icb_codes),
    )


def unmapped_icbs(codes: set[str], on: datetime.date | None = None) -> list[str]:
    """The English boards in a release that no mapping row assigns today."""
    on = on or timezone.localdate()
    english = {code for code in codes if code.startswith("E54")}
    mapped = set(
        ICBMapping.objects.in_force(on)
        .filter(icb__code__in=english, organisation__isnull=False)
        .values_list("icb__code", flat=True)
    )
    names = dict(ICB.objects.filter(code__in=english).values_list("code", "name"))
    return [
        f"{code} ({names[code]})" if code in names else code for code in sorted(english - mapped)
    ]
