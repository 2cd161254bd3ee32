"""The base of every app's feed of its latest published items."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

FEED_LENGTH = 30


class PublishedFeed(Feed):
    model = None
    list_route = ""
    heading = ""

    def site_title(self) -> str:
        return settings.SITE_NAME

    def title(self):
        return f"{self.heading} – {self.site_title()}"

    def link(self):
        return reverse(self.list_route)

    def items(self):
        return self.model.objects.published().newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_from

    def item_updateddate(self, item):
        return item.updated_at
