from django.urls import path

from api import views
from api.api import api

urlpatterns = [
    path("", views.index, name="api_index"),
    path("", api.urls),
]
