from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from backoffice.views import admin_login
from psc_portal.feeds import CaseStudyFeed, ResourceFeed
from psc_portal.pages import robots_txt
from psc_portal.sitemaps import SITEMAPS

urlpatterns = [
    path("", include("psc_portal.pages")),
    path("programmes/", include("programmes.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("resources/", include("resources.urls")),
    path("collaboratives/", include("collaboratives.urls")),
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/case-studies/", CaseStudyFeed(), name="feed_case_studies"),
    path("feeds/resources/", ResourceFeed(), name="feed_resources"),
    # The admin's own login form would bypass allauth's MFA and rate limits.
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
