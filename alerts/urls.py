from django.urls import path

from alerts import feeds, views

app_name = "alerts"

urlpatterns = [
    path("feeds/case-studies/atom/", feeds.CaseStudyAtomFeed(), name="feed_case_studies"),
    path("feeds/resources/atom/", feeds.ResourceAtomFeed(), name="feed_resources"),
    path("feeds/events/atom/", feeds.EventAtomFeed(), name="feed_events"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/check-your-email/", views.check_email, name="check_email"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
