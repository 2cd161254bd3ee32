from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from backoffice.views import admin_login
from postcodes import api as postcodes_api
from psc_portal.feeds import CaseStudyFeed, ResourceFeed
from psc_portal.pages import robots_txt
from psc_portal.security import serve_upload
from psc_portal.sitemaps import SITEMAPS

urlpatterns = [
    path("", include("psc_portal.pages")),
    path("programmes/", include("programmes.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("resources/", include("resources.urls")),
    path("collaboratives/", include("postcodes.urls")),  # the find page, before the slugs
    path("collaboratives/", include("collaboratives.urls")),
    path("search/", include("search.urls")),
    path("api/lookup", postcodes_api.lookup, name="api_lookup"),
    path("api/openapi.json", postcodes_api.openapi, name="api_openapi"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/case-studies/", CaseStudyFeed(), name="feed_case_studies"),
    path("feeds/resources/", ResourceFeed(), name="feed_resources"),
    # The admin's own login form would bypass allauth's MFA and rate limits.
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]

# Uploads from local storage, always as downloads (see psc_portal.security.serve_upload).
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_upload, name="upload"),
]
