"""Reading data points pasted from a spreadsheet or uploaded as CSV.

Two columns, period and value, separated by tabs (a paste from a spreadsheet) or commas (CSV),
with an optional third column for a note. A first line that is not data is taken as a
heading. Periods in the forms UK spreadsheets use: ``03/2021``, ``2021-03``, ``2021-03-01``,
``01/03/2021`` (day first), ``Mar 2021``, ``March 2021``, ``1 Mar 2021``, and ``Q1 2021``
(calendar quarters). Months and quarters become their first day; weekly measures need a day.

``parse`` checks every line and reports every problem by line number; a caller writes
nothing unless the list of errors is empty.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from measures.spc import Frequency, format_number, format_period

MAX_LINES = 5000
MAX_DIGITS_BEFORE_POINT = 10  # the model keeps 14 digits, 4 after the point
MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_abbr[number], calendar.month_name[number])
}
MONTHS["sept"] = 9
PERIOD_FORMATS = "03/2021, 2021-03, 2021-03-01, 01/03/2021, Mar 2021 or Q1 2021"


@dataclasses.dataclass(frozen=True)
class ParsedPoint:
    line: int
    period: datetime.date
    value: Decimal
    annotation: str = ""


@dataclasses.dataclass
class ParseResult:
    points: list[ParsedPoint]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.points)


class PeriodError(ValueError):
    pass


def _date(year: int, month: int, day: int = 1) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise PeriodError("is not a real date") from error


def parse_period(text: str, frequency: str) -> datetime.date:
    """The period a cell names, as stored: raises ``PeriodError`` with the reason."""
    frequency = Frequency(frequency)
    cleaned = " ".join(text.strip().replace(",", " ").split())
    has_day = True
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned):
        period = _date(int(match[1]), int(match[2]), int(match[3]))
    elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", cleaned):
        period = _date(int(match[3]), int(match[2]), int(match[1]))
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})", cleaned):
        period, has_day = _date(int(match[1]), int(match[2])), False
    elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", cleaned):
        period, has_day = _date(int(match[2]), int(match[1])), False
    elif match := re.fullmatch(r"(?:(\d{1,2}) )?([A-Za-z]+)\.? (\d{4})", cleaned):
        month = MONTHS.get(match[2].lower())
        if month is None:
            raise PeriodError("is not a date we recognise")
        has_day = match[1] is not None
        period = _date(int(match[3]), month, int(match[1] or 1))
    elif match := re.fullmatch(r"[Qq]([1-4]) (\d{4})", cleaned):
        if frequency is not Frequency.QUARTERLY:
            raise PeriodError("is a quarter, but this measure is not quarterly")
        return _date(int(match[2]), 3 * (int(match[1]) - 1) + 1)
    else:
        raise PeriodError("is not a date we recognise")
    if frequency is Frequency.WEEKLY and not has_day:
        raise PeriodError("has no day, and this measure is weekly: give the week's date")
    if frequency is Frequency.MONTHLY:
        return period.replace(day=1)
    if frequency is Frequency.QUARTERLY:
        return period.replace(month=3 * ((period.month - 1) // 3) + 1, day=1)
    return period


def parse_value(text: str) -> Decimal:
    cleaned = text.strip().replace("%", "").replace("£", "").strip()
    if not cleaned:
        raise ValueError("has no value")
    if "," in cleaned:
        # Commas only as thousands separators: "11,5" is not read as 115 (or as 11.5).
        if not re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
            raise ValueError(f"“{text.strip()}” is not a number (use a point for decimals)")
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"“{text.strip()}” is not a number") from error
    if not value.is_finite():
        raise ValueError(f"“{text.strip()}” is not a number")
    if abs(value) >= Decimal(10) ** MAX_DIGITS_BEFORE_POINT:
        raise ValueError(f"“{text.strip()}” is too large")
    return value.quantize(Decimal("0.0001"))


def parse(text: str, frequency: str, existing: dict[datetime.date, Decimal]) -> ParseResult:
    """Every point in ``text``, or every problem with it. ``existing`` maps the measure's
    stored periods to their values: a pasted period already stored is an error."""
    points: list[ParsedPoint] = []
    errors: list[str] = []
    delimiter = "\t" if "\t" in text else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        return ParseResult([], [f"The data could not be read as a table: {error}."])
    if len(rows) > MAX_LINES:
        return ParseResult([], [f"Paste at most {MAX_LINES:,} lines at a time."])
    seen: dict[datetime.date, int] = {}
    first_data_line = True
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) < 2:
            errors.append(
                f"Line {number}: expected a period and a value separated by a tab or a comma, "
                f"found “{cells[0]}”."
            )
            first_data_line = False
            continue
        if len(cells) > 3:
            errors.append(
                f"Line {number}: expected two columns (period, value) and an optional note, "
                f"found {len(cells)}."
            )
            first_data_line = False
            continue
        try:
            period = parse_period(cells[0], frequency)
        except PeriodError as error:
            if first_data_line and not re.search(r"\d", cells[1]):
                first_data_line = False  # a heading line such as "Month, Value"
                continue
            errors.append(
                f"Line {number}: the period “{cells[0]}” {error}. Use a form such as "
                f"{PERIOD_FORMATS}."
            )
            first_data_line = False
            continue
        first_data_line = False
        try:
            value = parse_value(cells[1])
        except ValueError as error:
            errors.append(f"Line {number} ({format_period(period, frequency)}): {error}.")
            continue
        if period in seen:
            errors.append(
                f"Line {number}: {format_period(period, frequency)} is also on line "
                f"{seen[period]}. Give each period once."
            )
            continue
        seen[period] = number
        if period in existing:
            errors.append(
                f"Line {number}: {format_period(period, frequency)} already has a value "
                f"({format_number(float(existing[period]))}). Change it in the data points "
                "table instead, or leave this line out."
            )
            continue
        annotation = cells[2] if len(cells) == 3 else ""
        if delimiter == "," and re.fullmatch(r"\d{3}(\.\d+)?%?", annotation):
            errors.append(
                f"Line {number}: “{cells[1]},{annotation}” looks like a number with a comma "
                "in it. Remove the comma or put the number in double quotes."
            )
            continue
        if len(annotation) > 300:
            errors.append(f"Line {number}: the note is longer than 300 characters.")
            continue
        points.append(ParsedPoint(number, period, value, annotation))
    if not points and not errors:
        errors.append("There are no data to add: paste two columns, period and value.")
    return ParseResult(sorted(points, key=lambda point: point.period), errors)


def serialise(points: list[ParsedPoint]) -> str:
    """The points as tab-separated text with ISO dates, read back by ``parse`` unchanged."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for point in points:
        writer.writerow(
            [point.period.isoformat(), f"{point.value.normalize():f}", point.annotation]
        )
    return out.getvalue()
