"""Atom feeds of a finder's current search: the feed address carries the finder's filters."""

from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from alerts.topics import TOPICS, InvalidFilters, as_query, clean_filters, describe
from casestudies.feeds import CaseStudyFeed
from collaboratives.feeds import HomeCollaborativeTitle
from core.feeds import FEED_LENGTH, PublishedFeed
from events.models import Event
from resources.feeds import ResourceFeed


class FilteredAtomFeed:
    """Mixed into an app's feed: the same items as its finder with the same filters."""

    feed_type = Atom1Feed
    topic_slug = ""

    def __call__(self, request, *args, **kwargs):
        try:
            clean_filters(TOPICS[self.topic_slug], request.GET)
        except InvalidFilters as error:
            lines = [f"{name}: {' '.join(messages)}" for name, messages in error.errors.items()]
            return HttpResponseBadRequest(
                "This feed cannot be made from these filters.\n" + "\n".join(lines),
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return clean_filters(TOPICS[self.topic_slug], request.GET)

    def title(self, filters):
        return f"{describe(TOPICS[self.topic_slug], filters)} – {self.site_title()}"

    def link(self, filters):
        query = as_query(filters).urlencode()
        return reverse(TOPICS[self.topic_slug].list_route) + (f"?{query}" if query else "")

    def items(self, filters):
        topic = TOPICS[self.topic_slug]
        filterset = topic.filterset(as_query(filters))
        return topic.ordered(filterset.qs)[:FEED_LENGTH]


class CaseStudyAtomFeed(FilteredAtomFeed, CaseStudyFeed):
    topic_slug = "case-studies"

    def items(self, filters):
        return super().items(filters).select_related("organisation")


class ResourceAtomFeed(FilteredAtomFeed, ResourceFeed):
    topic_slug = "resources"


class EventAtomFeed(FilteredAtomFeed, HomeCollaborativeTitle, PublishedFeed):
    """Upcoming events, soonest first, as the events finder lists them."""

    topic_slug = "events"
    model = Event
    list_route = "events:list"
    heading = "Events"
    description = "Upcoming patient safety events and webinars."

    def items(self, filters):
        return super().items(filters).select_related("organisation")

    def item_description(self, item):
        cancelled = "Cancelled. " if item.is_cancelled else ""
        where = item.get_format_display().lower()
        return f"{cancelled}{item.when} (UK time), {where}. {item.summary}"

    def item_author_name(self, item):
        return item.organisation.name
