"""Helpers for back-office tests: staff accounts with a role, and MFA-complete sessions."""

import time

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db.models.fields.files import FieldFile

from backoffice.models import StaffProfile
from core.roles import ROLES, create_role_groups

PASSWORD = "correct-horse-battery-staple"


def make_staff(email: str, role: str | None = None, organisation=None, mfa: bool = True) -> User:
    """A staff account with a role group, a collaborative and (by default) a TOTP device."""
    user = User.objects.create_user(
        username=email, email=email, password=PASSWORD, is_staff=True, first_name=email[:10]
    )
    if role:
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, organisation=organisation)
    if mfa:
        add_totp(user)
    return user


def ensure_role_groups() -> None:
    """The role groups come from a migration, but tests that flush the database (live-server
    and committed-data fixtures) remove them; put them back when they are missing."""
    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        create_role_groups(apps)


def add_totp(user: User) -> str:
    """Give the user an authenticator app; returns the shared secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client, user: User, second_factor: bool = True):
    """Log the client in as if through allauth: password, then (by default) a TOTP code."""
    client.force_login(user)
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if second_factor:
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret (RFC 6238, 30 s steps)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def totp_secret_of(user: User) -> str:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def change_form_data(client, url: str, **overrides) -> dict:
    """An admin change form's current values, as a browser would post them back."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(value, FieldFile):
            continue
        if isinstance(value, list):
            data[name] = value
        elif hasattr(field, "fields"):  # split date/time
            local = form[name].field.widget.decompress(value) if value else ["", ""]
            data[f"{name}_0"], data[f"{name}_1"] = [str(v) for v in local]
        else:
            data[name] = value
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
    data.update(overrides)
    return data
