"""Public event pages: upcoming and past events (finders), one event, and calendar files."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from collaboratives.models import Organisation
from core.finders import FinderView
from core.preview import PublicDetailView
from events.calendar import calendar_of, calendar_response
from events.dates import uk_time
from events.filters import EventFilter
from events.models import Event, EventFormat
from programmes.models import Programme
from psc_portal.caching import keep_until

# A subscribed calendar drops what leaves its feed: keep events there a while after they end.
FEED_KEEPS_PAST_DAYS = 30
ATTENDANCE_MODES = {
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


class EventListView(FinderView):
    """Upcoming events, soonest first (one in progress is still listed)."""

    model = Event
    filterset_class = EventFilter
    template_name = "events/event_list.jinja"
    noun_plural = "events"
    sort_choices = ()
    order_label = "soonest first"
    deferred_fields = ()
    is_past = False

    def published_queryset(self):
        return Event.objects.published().upcoming()

    def order(self, queryset):
        return queryset.soonest_first()

    def list_select_related(self):
        return ("organisation",)

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_past=self.is_past, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The lists change when an event ends, which no save announces to the page cache.
        keep_until(response, Event.objects.published().next_end())
        return response


class PastEventListView(EventListView):
    """Events that have ended, most recent first."""

    order_label = "most recent first"
    is_past = True

    def published_queryset(self):
        return Event.objects.published().past()

    def order(self, queryset):
        return queryset.latest_first()


class EventDetailView(PublicDetailView):
    """One published event; staff previews call it with their own queryset."""

    model = Event
    template_name = "events/event_detail.jinja"
    context_object_name = "event"

    def get_object(self, queryset=None):
        queryset = (queryset if queryset is not None else self.get_queryset()).select_related(
            "organisation"
        )
        queryset = queryset.prefetch_related("programmes", "care_settings", "topics")
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context["materials"] = (
            list(event.materials.published().newest_first()) if event.is_past else []
        )
        context["json_ld"] = event_json_ld(event, self.request)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # The page says "this event has ended" (and links its recording) from its end.
        if not self.object.is_past:
            keep_until(response, self.object.end)
        return response


def event_json_ld(event: Event, request) -> dict:
    """schema.org Event: https://schema.org/Event and Google's event guidelines."""
    page_url = request.build_absolute_uri(event.get_absolute_url())
    locations = []
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": event.booking_url or page_url})
    if event.is_in_person:
        venue = " ".join(event.location.split()) or "Venue to be confirmed"
        locations.append({"@type": "Place", "name": venue, "address": venue})
    organisation = event.organisation
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": uk_time(event.start).isoformat(),
        "endDate": uk_time(event.end).isoformat(),
        "eventAttendanceMode": ATTENDANCE_MODES[event.format],
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": organisation.name,
            "url": request.build_absolute_uri(organisation.get_absolute_url()),
        },
        "url": page_url,
    }
    if event.booking_url:
        data["offers"] = {
            "@type": "Offer",
            "url": event.booking_url,
            "price": "0",
            "priceCurrency": "GBP",
            "availability": "https://schema.org/InStock",
        }
    return data


def _site_name() -> str:
    home = Organisation.objects.home().first()
    return home.psc_name if home else settings.SITE_NAME


def _feed_events(queryset):
    since = timezone.now() - timedelta(days=FEED_KEEPS_PAST_DAYS)
    return (
        queryset.published()
        .filter(end__gt=since)
        .select_related("organisation")
        .order_by("start", "pk")
    )


@require_safe
def event_ics(request, slug):
    """'Add to calendar': one event as an .ics download."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    calendar = calendar_of([event], request.build_absolute_uri, event.title)
    return calendar_response(calendar, f"{event.slug}.ics", download=True)


@require_safe
def calendar_feed(request):
    """Every upcoming event (and those of the last few weeks), for calendar apps to subscribe."""
    calendar = calendar_of(
        _feed_events(Event.objects.all()), request.build_absolute_uri, f"Events – {_site_name()}"
    )
    return calendar_response(calendar, "events.ics", download=False)


@require_safe
def programme_calendar_feed(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    calendar = calendar_of(
        _feed_events(programme.events.all()),
        request.build_absolute_uri,
        f"{programme.name} events – {_site_name()}",
    )
    return calendar_response(calendar, f"events-{programme.slug}.ics", download=False)
