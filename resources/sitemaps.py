from core.sitemaps import PublishedSitemap
from resources.models import Resource


class ResourceSitemap(PublishedSitemap):
    model = Resource
