"""The site's own pages, and the addresses that draw on several apps."""

from django.conf import settings
from django.contrib.sitemaps.views import index, sitemap
from django.urls import include, path, re_path

from casestudies.feeds import CaseStudyFeed
from pages import views
from pages.sitemaps import SITEMAPS
from pages.uploads import serve_upload
from resources.feeds import ResourceFeed

site_pages = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]

urlpatterns = [
    path("", include((site_pages, "pages"))),
    # An index of one sitemap per section, each in pages (core.sitemaps.PAGE_SIZE).
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feeds/case-studies/", CaseStudyFeed(), name="feed_case_studies"),
    path("feeds/resources/", ResourceFeed(), name="feed_resources"),
    # Uploads from local storage, always as downloads (see pages.uploads.serve_upload).
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_upload, name="upload"),
]
