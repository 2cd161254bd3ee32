"""The portal's URLs plus /__bench__/bare/: 2 KB of text, no query, the same middleware."""

from django.http import HttpResponse
from django.urls import include, path

BARE_BODY = ("<!DOCTYPE html><title>bare</title>" + "x" * 2048).encode()


def bare(request):
    return HttpResponse(BARE_BODY)


urlpatterns = [
    path("__bench__/bare/", bare),
    path("", include("psc_portal.urls")),
]
