"""The XML sitemap: published content and the fixed pages, nothing else."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from casestudies.models import CaseStudy
from collaboratives.models import Organisation
from programmes.models import Programme
from psc_portal.jinja2 import optional_url
from resources.models import Resource


class PagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        routes = [
            "pages:home",
            "pages:about",
            "pages:accessibility",
            "pages:privacy",
            "programmes:list",
            "collaboratives:list",
            "postcodes:find",
            "casestudies:list",
            "resources:list",
        ]
        return [route for route in routes if optional_url(route)]

    def location(self, item):
        return reverse(item)


class ProgrammeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Programme.objects.all()


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.all()


class PublishedSitemap(Sitemap):
    changefreq = "weekly"
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class CaseStudySitemap(PublishedSitemap):
    model = CaseStudy


class ResourceSitemap(PublishedSitemap):
    model = Resource


SITEMAPS = {
    "pages": PagesSitemap,
    "programmes": ProgrammeSitemap,
    "collaboratives": OrganisationSitemap,
    "case-studies": CaseStudySitemap,
    "resources": ResourceSitemap,
}
