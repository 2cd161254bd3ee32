from django.urls import path

from postcodes import views

app_name = "postcodes"

urlpatterns = [
    path("find/", views.find, name="find"),
]
