from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("past/", views.PastEventListView.as_view(), name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("calendar/<slug:slug>.ics", views.programme_calendar_feed, name="programme_calendar"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
]
