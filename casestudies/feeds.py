"""The feed of the latest published case studies."""

from casestudies.models import CaseStudy
from collaboratives.feeds import HomeCollaborativeTitle
from core.feeds import PublishedFeed


class CaseStudyFeed(HomeCollaborativeTitle, PublishedFeed):
    model = CaseStudy
    list_route = "casestudies:list"
    heading = "Case studies"
    description = "The latest published patient safety improvement case studies."

    def items(self):
        return super().items().select_related("organisation")

    def item_author_name(self, item):
        return item.organisation.name
