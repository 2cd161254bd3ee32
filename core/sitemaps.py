"""The base of every app's sitemap of its published items."""

from django.contrib.sitemaps import Sitemap


class PublishedSitemap(Sitemap):
    changefreq = "weekly"
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
