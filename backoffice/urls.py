from django.urls import path

from backoffice.views import admin_login

urlpatterns = [
    # The admin's own login form would bypass allauth's MFA and rate limits.
    path("admin/login/", admin_login, name="admin_login_redirect"),
]
