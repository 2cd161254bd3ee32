from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("", views.MeasureListView.as_view(), name="list"),
    path("<slug:slug>/", views.MeasureDetailView.as_view(), name="detail"),
    path("<slug:slug>/data.csv", views.measure_csv, name="csv"),
]
