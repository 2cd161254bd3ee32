"""Event dates and times in UK time, written the NHS way: "Tuesday 3 March 2026, 2pm to
3:30pm", "midday", "midnight" (NHS digital service manual, "Dates" and "Times")."""

from datetime import datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_time(value: datetime) -> datetime:
    return value.astimezone(UK)


def format_day(value: datetime) -> str:
    local = uk_time(value)
    return f"{local:%A} {local.day} {local:%B %Y}"


def format_clock(value: datetime) -> str:
    local = uk_time(value)
    if local.minute == 0 and local.hour == 12:
        return "midday"
    if local.minute == 0 and local.hour == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_when(start: datetime, end: datetime) -> str:
    """'Tuesday 3 March 2026, 2pm to 3:30pm', or both days when it runs over midnight."""
    if uk_time(start).date() == uk_time(end).date():
        return f"{format_day(start)}, {format_clock(start)} to {format_clock(end)}"
    return f"{format_day(start)}, {format_clock(start)} to {format_day(end)}, {format_clock(end)}"
