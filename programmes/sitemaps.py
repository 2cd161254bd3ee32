from django.contrib.sitemaps import Sitemap

from programmes.models import Programme


class ProgrammeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Programme.objects.all()
