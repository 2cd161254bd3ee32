"""iCalendar (RFC 5545) files: one event to add to a calendar, and feeds to subscribe to.

Times are written in UTC (``DTSTART:20260303T140000Z``), which every calendar app reads
correctly whatever its own time zone, so no VTIMEZONE block is needed. Each event's UID is its
stored UUID: a changed title, time or address updates the entry people already have.
"""

import html
from datetime import UTC, timedelta

from django.http import HttpResponse
from django.utils.html import strip_tags
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event

PRODUCT_ID = "-//PSC Portal//Events//EN"
UID_DOMAIN = "psc-portal.events"
# Calendar apps check a subscribed feed about this often (clients may ignore it).
REFRESH_INTERVAL = timedelta(hours=6)


def plain_text(rich: str) -> str:
    """Rich text as plain text: tags removed, entities decoded, paragraphs kept apart."""
    spaced = rich.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    lines = (line.strip() for line in html.unescape(strip_tags(spaced)).splitlines())
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def location_text(event: Event) -> str:
    if event.location.strip():
        return " ".join(event.location.split())
    return "Online" if event.is_online and not event.is_in_person else ""


def event_component(event: Event, page_url: str) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"{event.uid}@{UID_DOMAIN}")
    entry.add("dtstamp", event.updated_at.astimezone(UTC))
    entry.add("dtstart", event.start.astimezone(tz=UTC))
    entry.add("dtend", event.end.astimezone(tz=UTC))
    entry.add("summary", f"Cancelled: {event.title}" if event.is_cancelled else event.title)
    description = [event.summary.strip()]
    if event.description:
        description.append(plain_text(event.description))
    if event.is_illustrative:
        description.insert(0, "Illustrative example event.")
    description.append(f"Details: {page_url}")
    entry.add("description", "\n\n".join(part for part in description if part))
    entry.add("url", page_url)
    if location := location_text(event):
        entry.add("location", location)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    entry.add("last-modified", event.updated_at.astimezone(tz=UTC))
    return entry


def calendar_of(events, absolute_url, name: str) -> Calendar:
    """A calendar of ``events``; ``absolute_url(path)`` makes each page's full address."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_INTERVAL)
    for event in events:
        calendar.add_component(event_component(event, absolute_url(event.get_absolute_url())))
    return calendar


def calendar_response(calendar: Calendar, filename: str, download: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
