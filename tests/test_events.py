"""Events and webinars: UK times across the clock changes, upcoming and past lists, the
event page, its JSON-LD, 'Add to calendar' and the calendar feeds."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from icalendar import Calendar

from core.publishing import PublicationStatus
from events.dates import format_clock, format_when
from events.models import EventFormat
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ResourceFactory,
)
from tests.html_helpers import json_ld_items, parse

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time_and_fresh_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def result_titles(response) -> list[str]:
    """Result titles in page order (the card links inside the results list)."""
    html = response.content.decode()
    results = html.split('class="nhsuk-list app-card-list app-finder__list"', 1)
    if len(results) < 2:
        return []
    return [
        " ".join(title.split())
        for title in re.findall(r'class="nhsuk-card__link"[^>]*>(.*?)</a>', results[1], re.S)
    ]


def facet_count(response, name: str, value: str) -> str | None:
    """The count shown beside a filter option, or None when the option is not offered."""
    match = re.search(
        rf'name="{name}" type="checkbox" value="{re.escape(value)}"(?:(?!</label>).)*?'
        r'class="app-facet-count">\(([^<]*)<',
        response.content.decode(),
        re.S,
    )
    return match.group(1) if match else None


# --- UK time, the NHS way ------------------------------------------------------------------


def test_times_read_the_nhs_way():
    assert format_clock(utc(2026, 1, 6, 14, 0)) == "2pm"
    assert format_clock(utc(2026, 1, 6, 15, 30)) == "3:30pm"
    assert format_clock(utc(2026, 1, 6, 12, 0)) == "midday"
    assert format_clock(utc(2026, 1, 6, 0, 0)) == "midnight"
    assert format_clock(utc(2026, 1, 6, 9, 5)) == "9:05am"


def test_a_winter_event_is_shown_in_greenwich_mean_time():
    assert format_when(utc(2026, 3, 3, 14, 0), utc(2026, 3, 3, 15, 30)) == (
        "Tuesday 3 March 2026, 2pm to 3:30pm"
    )


def test_an_event_across_the_spring_clock_change_shows_each_time_in_its_own_offset():
    # 29 March 2026: at 1am GMT the clocks go forward to 2am BST.
    start, end = utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)
    assert format_when(start, end) == "Sunday 29 March 2026, 12:30am to 2:30am"


def test_an_event_after_the_spring_clock_change_is_an_hour_ahead_of_utc():
    assert format_when(utc(2026, 3, 30, 13, 0), utc(2026, 3, 30, 14, 0)) == (
        "Monday 30 March 2026, 2pm to 3pm"
    )


def test_an_event_across_the_autumn_clock_change_shows_each_time_in_its_own_offset():
    # 25 October 2026: at 2am BST the clocks go back to 1am GMT.
    start, end = utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)
    assert format_when(start, end) == "Sunday 25 October 2026, 1:30am to 1:30am"


def test_an_event_over_midnight_names_both_days():
    assert format_when(utc(2026, 6, 1, 20, 0), utc(2026, 6, 2, 8, 0)) == (
        "Monday 1 June 2026, 9pm to Tuesday 2 June 2026, 9am"
    )


def test_the_event_page_shows_the_uk_time_in_summer(client):
    event = EventFactory(start=utc(2026, 7, 7, 13, 0), end=utc(2026, 7, 7, 14, 30))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Tuesday 7 July 2026, 2pm to 3:30pm" in html
    assert "(UK time)" in html


# --- Upcoming and past ---------------------------------------------------------------------


def test_upcoming_events_are_listed_soonest_first(client):
    EventFactory(
        title="Later", start=NOW + timedelta(days=20), end=NOW + timedelta(days=20, hours=1)
    )
    EventFactory(
        title="Soonest", start=NOW + timedelta(days=2), end=NOW + timedelta(days=2, hours=1)
    )
    EventFactory(
        title="Middle", start=NOW + timedelta(days=9), end=NOW + timedelta(days=9, hours=1)
    )
    EventFactory(
        title="Over",
        start=NOW - timedelta(days=3),
        end=NOW - timedelta(days=3) + timedelta(hours=1),
    )
    response = client.get("/events/")
    assert response.status_code == 200
    assert result_titles(response) == ["Soonest", "Middle", "Later"]
    assert "3 events" in response.content.decode()
    assert "soonest first" in response.content.decode()


def test_past_events_have_their_own_list_most_recent_first(client):
    EventFactory(
        title="Long ago",
        start=NOW - timedelta(days=60),
        end=NOW - timedelta(days=60) + timedelta(hours=1),
    )
    EventFactory(
        title="Last week",
        start=NOW - timedelta(days=7),
        end=NOW - timedelta(days=7) + timedelta(hours=1),
    )
    EventFactory(
        title="Coming", start=NOW + timedelta(days=7), end=NOW + timedelta(days=7, hours=1)
    )
    response = client.get("/events/past/")
    assert response.status_code == 200
    assert result_titles(response) == ["Last week", "Long ago"]
    assert parse(response.content.decode()).h1s == ["Past events"]


def test_the_past_list_is_paginated(client):
    for day in range(25):
        start = NOW - timedelta(days=day + 1)
        EventFactory(title=f"Past {day:02d}", start=start, end=start + timedelta(hours=1))
    first = client.get("/events/past/")
    second = client.get("/events/past/?page=2")
    assert len(result_titles(first)) == 20
    assert result_titles(second) == [f"Past {day:02d}" for day in range(20, 25)]
    assert client.get("/events/past/?page=9").status_code == 404


def test_an_event_moves_to_the_past_list_the_moment_it_ends(client):
    event = EventFactory(
        title="Webinar", start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=2)
    )
    with time_machine.travel(event.end - timedelta(seconds=1), tick=False):
        assert result_titles(client.get("/events/")) == ["Webinar"]  # in progress: still listed
        assert result_titles(client.get("/events/past/")) == []
    with time_machine.travel(event.end, tick=False):
        assert result_titles(client.get("/events/")) == []
        assert result_titles(client.get("/events/past/")) == ["Webinar"]
        html = client.get(event.get_absolute_url()).content.decode()
        assert "This event has ended" in html
        assert "Add to calendar" not in html


def test_drafts_and_scheduled_events_are_hidden_from_the_public(client):
    draft = EventFactory(title="Draft", status=PublicationStatus.DRAFT)
    scheduled = EventFactory(title="Scheduled", publish_from=NOW + timedelta(days=1))
    EventFactory(title="Public")
    assert result_titles(client.get("/events/")) == ["Public"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(f"/events/{draft.slug}/event.ics").status_code == 404
    feed = Calendar.from_ical(client.get("/events/calendar.ics").content)
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["Public"]


# --- Filters and counts --------------------------------------------------------------------


def test_the_finder_filters_by_programme_collaborative_format_and_month_with_counts(client):
    deterioration = ProgrammeFactory(slug="managing-deterioration", name="Managing deterioration")
    medicines = ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    wessex = OrganisationFactory(slug="wessex", name="Health Innovation Wessex")
    oxford = OrganisationFactory(slug="oxford", name="Health Innovation Oxford")
    march = EventFactory(
        title="March online",
        organisation=wessex,
        format=EventFormat.ONLINE,
        start=utc(2026, 3, 10, 14),
        end=utc(2026, 3, 10, 15),
    )
    march.programmes.add(deterioration)
    april = EventFactory(
        title="April in person",
        organisation=oxford,
        format=EventFormat.IN_PERSON,
        start=utc(2026, 4, 14, 9),
        end=utc(2026, 4, 14, 16),
    )
    april.programmes.add(medicines)
    # 31 March 23:30 UTC is 1 April 00:30 in UK summer time: an April event.
    late = EventFactory(
        title="Just after midnight",
        organisation=wessex,
        format=EventFormat.HYBRID,
        start=utc(2026, 3, 31, 23, 30),
        end=utc(2026, 4, 1, 1, 0),
    )
    late.programmes.add(deterioration)

    assert result_titles(client.get("/events/?programme=managing-deterioration")) == [
        "March online",
        "Just after midnight",
    ]
    assert result_titles(client.get("/events/?collaborative=oxford")) == ["April in person"]
    assert result_titles(client.get("/events/?format=in_person")) == ["April in person"]
    assert result_titles(client.get("/events/?month=2026-04")) == [
        "Just after midnight",
        "April in person",
    ]
    everything = client.get("/events/")
    html = everything.content.decode()
    assert "March 2026" in html and "April 2026" in html
    assert facet_count(everything, "month", "2026-03") == "1"
    assert facet_count(everything, "month", "2026-04") == "2"
    assert facet_count(everything, "programme", "managing-deterioration") == "2"
    assert facet_count(everything, "format", "in_person") == "1"
    # Counts with a filter chosen say what ticking another option would add.
    filtered = client.get("/events/?collaborative=wessex")
    assert facet_count(filtered, "collaborative", "oxford") == "1"
    assert facet_count(filtered, "month", "2026-04") == "1"
    # Shareable and working without JavaScript: a plain GET form.
    assert 'method="get"' in html


def test_a_bad_filter_value_gets_a_clear_message_not_an_error(client):
    for query in ("month=2026-13", "month=nonsense", "programme=nope", "format=teleport"):
        response = client.get(f"/events/?{query}")
        assert response.status_code == 400, query
        assert "There is a problem with the search or filters" in response.content.decode()


def test_search_words_find_events(client):
    EventFactory(title="NEWS2 refresher", summary="Early warning scores.")
    EventFactory(title="Opioids webinar", summary="Prescribing.")
    assert result_titles(client.get("/events/?q=warning")) == ["NEWS2 refresher"]


# --- The event page ------------------------------------------------------------------------


def test_the_event_page_says_how_to_book_or_that_no_booking_is_needed(client):
    booked = EventFactory(booking_url="https://booking.example.org/e/1", capacity_note="40 places")
    open_event = EventFactory(location="")
    html = client.get(booked.get_absolute_url()).content.decode()
    assert 'href="https://booking.example.org/e/1"' in html
    assert "40 places" in html
    html = client.get(open_event.get_absolute_url()).content.decode()
    assert "No booking needed" in html
    assert "Joining details to follow" in html
    assert parse(html).h1s == [open_event.title]


def test_a_past_event_links_its_recording_and_slides(client):
    recording = ResourceFactory(title="The recording")
    draft_slides = ResourceFactory(title="Draft slides", status=PublicationStatus.DRAFT)
    event = EventFactory(
        start=NOW - timedelta(days=2), end=NOW - timedelta(days=2) + timedelta(hours=1)
    )
    event.materials.add(recording, draft_slides)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "This event has ended" in html
    assert "The recording" in html
    assert "Draft slides" not in html


def test_an_illustrative_event_says_so_everywhere_it_appears(client):
    programme = ProgrammeFactory(slug="managing-deterioration")
    event = EventFactory(is_illustrative=True)
    event.programmes.add(programme)
    for url in ("/", "/events/", event.get_absolute_url(), programme.get_absolute_url()):
        assert "Illustrative example event" in client.get(url).content.decode(), url


def test_the_event_page_carries_schema_org_event_data(client):
    organisation = OrganisationFactory(name="Health Innovation Wessex", slug="wessex")
    event = EventFactory(
        title="Deterioration webinar",
        organisation=organisation,
        format=EventFormat.HYBRID,
        location="Ageas Bowl, Southampton",
        start=utc(2026, 7, 7, 13, 0),
        end=utc(2026, 7, 7, 14, 30),
    )
    html = client.get(event.get_absolute_url()).content.decode()
    [data] = [item for item in json_ld_items(html) if item.get("@type") == "Event"]
    assert data["name"] == "Deterioration webinar"
    assert data["startDate"] == "2026-07-07T14:00:00+01:00"
    assert data["endDate"] == "2026-07-07T15:30:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert {location["@type"] for location in data["location"]} == {"VirtualLocation", "Place"}
    assert data["organizer"]["name"] == "Health Innovation Wessex"
    assert data["url"].endswith(event.get_absolute_url())


def test_an_online_event_is_a_virtual_location_and_a_cancelled_one_says_so(client):
    event = EventFactory(format=EventFormat.ONLINE, is_cancelled=True)
    html = client.get(event.get_absolute_url()).content.decode()
    [data] = [item for item in json_ld_items(html) if item.get("@type") == "Event"]
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "This event has been cancelled" in html


# --- Calendars -----------------------------------------------------------------------------


def test_add_to_calendar_downloads_an_icalendar_file_in_utc(client):
    event = EventFactory(
        title="Spring-forward webinar",
        summary="Short summary.",
        description="<p>About <strong>this</strong> &amp; that.</p>",
        location="Online via Teams",
        start=utc(2026, 3, 29, 0, 30),
        end=utc(2026, 3, 29, 1, 30),
    )
    response = client.get(f"/events/{event.slug}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"DTSTART:20260329T003000Z" in response.content
    assert b"DTEND:20260329T013000Z" in response.content
    [entry] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(entry["uid"]) == f"{event.uid}@psc-portal.events"
    assert entry.decoded("dtstart") == utc(2026, 3, 29, 0, 30)
    assert str(entry["summary"]) == "Spring-forward webinar"
    assert "About this & that." in str(entry["description"])
    assert "<" not in str(entry["description"])
    assert str(entry["url"]) == f"http://testserver{event.get_absolute_url()}"
    assert str(entry["location"]) == "Online via Teams"


def test_the_calendar_uid_stays_the_same_when_the_event_changes(client):
    event = EventFactory(start=utc(2026, 10, 25, 0, 30), end=utc(2026, 10, 25, 1, 30))
    first = Calendar.from_ical(client.get(f"/events/{event.slug}/event.ics").content)
    event.title, event.slug = "Renamed", "renamed"
    event.save()
    second = Calendar.from_ical(client.get("/events/renamed/event.ics").content)
    [a], [b] = first.walk("VEVENT"), second.walk("VEVENT")
    assert a["uid"] == b["uid"]
    assert b.decoded("dtstart") == utc(2026, 10, 25, 0, 30)


def test_the_calendar_feeds_list_upcoming_events_for_everyone_and_per_programme(client):
    programme = ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    mine = EventFactory(title="Opioids")
    mine.programmes.add(programme)
    EventFactory(title="Other programme")
    EventFactory(title="Last year", start=NOW - timedelta(days=365), end=NOW - timedelta(days=364))
    everything = Calendar.from_ical(client.get("/events/calendar.ics").content)
    assert sorted(str(e["summary"]) for e in everything.walk("VEVENT")) == [
        "Opioids",
        "Other programme",
    ]
    response = client.get("/events/calendar/medicines-safety.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    feed = Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["Opioids"]
    assert "Medicines safety" in str(feed["x-wr-calname"])
    assert client.get("/events/calendar/no-such-programme.ics").status_code == 404


def test_the_home_and_programme_pages_show_the_next_events(client):
    programme = ProgrammeFactory(slug="maternity-and-neonatal")
    event = EventFactory(title="Preterm learning day")
    event.programmes.add(programme)
    EventFactory(title="Already over", start=NOW - timedelta(days=3), end=NOW - timedelta(days=2))
    home = client.get("/").content.decode()
    assert "Preterm learning day" in home and "Already over" not in home
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Preterm learning day" in page
    assert "/events/calendar/maternity-and-neonatal.ics" in page


# --- Preview and admin ---------------------------------------------------------------------


def test_staff_preview_a_draft_event_in_the_public_design(admin_client):
    event = EventFactory(status=PublicationStatus.DRAFT, title="Draft webinar")
    response = admin_client.get(f"/admin/events/event/{event.pk}/preview/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview – not published" in html
    assert "Draft webinar" in html


def test_the_admin_lists_and_edits_events(admin_client):
    event = EventFactory()
    assert admin_client.get("/admin/events/event/").status_code == 200
    assert admin_client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/events/event/{event.pk}/history/").status_code == 200
