"""The XML sitemap: published content and the fixed pages, nothing else."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from casestudies.sitemaps import CaseStudySitemap
from collaboratives.sitemaps import OrganisationSitemap
from events.sitemaps import EventSitemap
from programmes.sitemaps import ProgrammeSitemap
from psc_portal.jinja2 import optional_url
from resources.sitemaps import ResourceSitemap


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
            "events:list",
            "contact:form",
        ]
        return [route for route in routes if optional_url(route)]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "programmes": ProgrammeSitemap,
    "collaboratives": OrganisationSitemap,
    "case-studies": CaseStudySitemap,
    "resources": ResourceSitemap,
    "events": EventSitemap,
}
