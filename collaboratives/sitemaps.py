from django.contrib.sitemaps import Sitemap

from collaboratives.models import Organisation


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.all()
