"""RSS feeds of the latest published case studies and resources."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from casestudies.models import CaseStudy
from collaboratives.models import Organisation
from resources.models import Resource

FEED_LENGTH = 30


def site_title() -> str:
    home = Organisation.objects.home().only("psc_name").first()
    return home.psc_name if home else settings.SITE_NAME


class PublishedFeed(Feed):
    model = None
    list_route = ""
    heading = ""

    def title(self):
        return f"{self.heading} – {site_title()}"

    def link(self):
        return reverse(self.list_route)

    def items(self):
        return self.model.objects.published().order_by("-publish_from", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_from

    def item_updateddate(self, item):
        return item.updated_at


class CaseStudyFeed(PublishedFeed):
    model = CaseStudy
    list_route = "casestudies:list"
    heading = "Case studies"
    description = "The latest published patient safety improvement case studies."

    def items(self):
        return super().items().select_related("organisation")

    def item_author_name(self, item):
        return item.organisation.name


class ResourceFeed(PublishedFeed):
    model = Resource
    list_route = "resources:list"
    heading = "Resources"
    description = "The latest published patient safety resources: toolkits, reports and more."
