import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled


class StaffAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by network administrators; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False

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
