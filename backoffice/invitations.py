"""Inviting staff: an account without a password and an e-mail with a link to set one.

The link is allauth's password-reset link (valid for PASSWORD_RESET_TIMEOUT, 3 days by
default), so setting the first password and resetting a forgotten one are the same page.
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from backoffice.models import StaffProfile


def set_password_link(user: User, base_url: str) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def send_invitation(user: User, base_url: str) -> str:
    """E-mail the invitation; returns the link (for the console when no SMTP is set)."""
    link = set_password_link(user, base_url)
    context = {
        "user": user,
        "link": link,
        "site_name": settings.SITE_NAME,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    send_mail(
        subject=f"You have been invited to the {settings.SITE_NAME} back-office",
        message=render_to_string("backoffice/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return link


@transaction.atomic
def invite(
    email: str, role: Group, organisation=None, first_name: str = "", last_name: str = ""
) -> User:
    """Create a staff account with a role and collaborative, and no usable password yet."""
    email = email.strip().lower()
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.is_staff = True
    user.set_unusable_password()
    user.save()
    user.groups.set([role])
    StaffProfile.objects.create(user=user, organisation=organisation)
    # Only someone who can read this inbox can set the password, so the address is verified.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user
