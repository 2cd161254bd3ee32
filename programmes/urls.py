from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="list"),
    path("<slug:slug>/", views.ProgrammeDetailView.as_view(), name="detail"),
]
