"""The base of every app's sitemap of its published items.

/sitemap.xml is an index of one sitemap per section (pages.urls), each split into pages of
``PAGE_SIZE`` addresses: at 100,000 items one file of every address took over a minute to
build, long enough to tie up a server thread for each crawler that asked.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

PAGE_SIZE = 5_000  # addresses per sitemap page (the protocol allows up to 50,000)


class PublishedSitemap(Sitemap):
    changefreq = "weekly"
    limit = PAGE_SIZE
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not a walk over every item (Django's default)."""
        return self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"]
