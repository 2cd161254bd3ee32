from django.urls import path

from api import views
from api.api import api

# Every API parameter is validated by the API itself, which answers a NUL with a JSON 400
# rather than the site's HTML 400 page (core.nulbytes).
api_patterns = api.urls  # built anew on every access
for pattern in api_patterns[0]:
    pattern.callback.validates_nul = True

urlpatterns = [
    path("", views.index, name="api_index"),
    path("", api_patterns),
]
