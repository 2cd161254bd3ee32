from django.urls import path

from postcodes import api

urlpatterns = [
    path("lookup", api.lookup, name="api_lookup"),
    path("openapi.json", api.openapi, name="api_openapi"),
]
