import time
from urllib.parse import quote, urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.urls import reverse


class ConfiguredSite:
    """The site as e-mails name it: SITE_NAME and SITE_URL, never the request's Host header."""

    def __init__(self):
        self.name = settings.SITE_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc

    def __str__(self):
        return self.domain


class StaffAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by network administrators; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The failed sign-in lock follows the account, whatever Host header the request sent.

        allauth prefixes the key with the request's host *and port*; ALLOWED_HOSTS ignores the
        port, so every port would otherwise get five fresh attempts at the same password.
        """
        login = credentials.get("email", credentials.get("username", ""))
        return f"account:{login.strip().lower()}"

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"current_site": ConfiguredSite(), **context})

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up the first authenticator right after signing in needs no second password.

        The MFA middleware sends every account without MFA to the set-up page straight after
        sign-in; asking for the password again there would only add a step. Later changes to
        MFA (and any set-up in an older session) still ask for it.
        """
        request = context.request
        user = request.user
        if app == "allauth.mfa" and user.is_authenticated and not is_mfa_enabled(user):
            records = get_authentication_records(request, user)
            latest = max((r["at"] for r in records if r.get("method") == "password"), default=0)
            if time.time() - latest < app_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
