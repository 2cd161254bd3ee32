from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(authenticator_added)
def count_setting_up_totp_as_a_second_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means typing a valid code, so this session has passed the second factor.

    Without this a staff member who has just set up MFA would be asked for a code again
    before reaching the admin.
    """
    if authenticator.type == authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
