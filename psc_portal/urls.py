"""The root URLs: every app's addresses, included by name so this package imports no app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("programmes/", include("programmes.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("resources/", include("resources.urls")),
    path("events/", include("events.urls")),
    path("contact/", include("contact.urls")),
    path("measures/", include("measures.urls")),
    # The find page (/collaboratives/find/) before the collaboratives' own slugs.
    path("collaboratives/", include("postcodes.urls")),
    path("collaboratives/", include("collaboratives.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("", include("alerts.urls")),
    path("", include("backoffice.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]
