from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path

from psc_portal.security import serve_upload

urlpatterns = [
    path("admin/", admin.site.urls),
]

# Uploads from local storage, always as downloads (see psc_portal.security.serve_upload).
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_upload, name="upload"),
]
