from datetime import UTC, datetime

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Sign-in, sign-out and MFA set-up live under /accounts/; they must stay reachable.
_OPEN_PREFIXES = ("/accounts/", settings.STATIC_URL, settings.MEDIA_URL)
# Pages that need a session which passed the second factor (previews live under the admin).
_STAFF_PREFIXES = ("/admin/",)


def passed_second_factor(request) -> bool:
    """Did this session use the second factor, or set up the authenticator app itself?

    Activating TOTP means typing a valid code, so a session in which the authenticator was
    created counts too; otherwise someone who has just set up MFA would be asked again.
    """
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    signed_in_at = min((record["at"] for record in records), default=None)
    if signed_in_at is None:
        return False
    return Authenticator.objects.filter(
        user=request.user,
        type=Authenticator.Type.TOTP,
        created_at__gte=datetime.fromtimestamp(signed_in_at, tz=UTC),
    ).exists()


class StaffMFARequiredMiddleware:
    """Every signed-in account must have MFA; the admin needs a session that used it.

    A user without an authenticator is sent to set one up before anything else. A user who
    has one but whose session did not pass the second factor (for example a session that
    predates the set-up) is asked for a code before reaching the admin or a preview.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in; not touching request.user then keeps
        # public pages free of "Vary: Cookie", so caches can share them.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        path = request.path_info
        if user.is_authenticated and not path.startswith(_OPEN_PREFIXES):
            if not is_mfa_enabled(user):
                messages.info(
                    request,
                    "Set up two-factor authentication before you continue. Every staff "
                    "account needs it.",
                )
                return redirect("mfa_activate_totp")
            if path.startswith(_STAFF_PREFIXES) and not passed_second_factor(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
