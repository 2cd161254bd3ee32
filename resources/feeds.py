"""The feed of the latest published resources."""

from collaboratives.feeds import HomeCollaborativeTitle
from core.feeds import PublishedFeed
from resources.models import Resource


class ResourceFeed(HomeCollaborativeTitle, PublishedFeed):
    model = Resource
    list_route = "resources:list"
    heading = "Resources"
    description = "The latest published patient safety resources: toolkits, reports and more."
