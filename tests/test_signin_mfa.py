"""Staff sign-in: allauth with e-mail and password, required TOTP, no public sign-up."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from core import roles
from tests.factories import OrganisationFactory
from tests.staff import PASSWORD, make_staff, sign_in, totp_code, totp_secret_of

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


def _password_step(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_admin_login_page_sends_people_to_the_allauth_sign_in(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=/admin/" in response.redirect_chain[-1][0]
    page = response.content.decode()
    assert "nhsuk-frontend.min.css" in page
    assert 'class="nhsuk-input' in page
    assert page.count("<h1") == 1


def test_there_is_no_public_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert 'name="password1"' not in response.content.decode()
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_password_alone_does_not_reach_the_admin_when_mfa_is_set_up(client):
    user = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    response = _password_step(client, user.email)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get(ADMIN).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_and_a_totp_code_reach_the_admin(client):
    user = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    _password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret_of(user))})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_totp_code_is_refused_with_a_message(client):
    user = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    _password_step(client, user.email)
    good = totp_code(totp_secret_of(user))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_staff_without_mfa_are_sent_to_set_it_up_before_anything_else(client):
    user = make_staff("new@example.org", roles.EDITOR, OrganisationFactory(), mfa=False)
    _password_step(client, user.email)
    for path in (ADMIN, "/admin/casestudies/casestudy/", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path


def test_setting_up_totp_counts_as_the_second_factor_for_this_session(client):
    user = make_staff("new@example.org", roles.EDITOR, OrganisationFactory(), mfa=False)
    # As allauth records the address of an account made with createsuperuser: unverified.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    _password_step(client, user.email)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert client.get(ADMIN).status_code == 200


def test_a_session_that_skipped_the_second_factor_is_asked_for_a_code(client):
    user = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    sign_in(client, user, second_factor=False)
    response = client.get("/admin/casestudies/casestudy/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    response = client.post(response["Location"], {"code": totp_code(totp_secret_of(user))})
    assert response.status_code == 302
    assert client.get("/admin/casestudies/casestudy/").status_code == 200


def test_repeated_wrong_passwords_are_rate_limited(client):
    user = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    for _ in range(5):
        _password_step(client, user.email, "not-the-password")
    response = _password_step(client, user.email)  # even the right password now waits
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_network_administrator_invites_staff_who_set_their_own_password(client, role_groups):
    admin_user = make_staff("net@example.org", roles.NETWORK_ADMINISTRATOR)
    sign_in(client, admin_user)
    organisation = OrganisationFactory()
    from django.contrib.auth.models import Group

    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "email": "Newcomer@Example.org",
            "first_name": "Nia",
            "last_name": "Newcomer",
            "role": Group.objects.get(name=roles.EDITOR).pk,
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 302
    invited = User.objects.get(email="newcomer@example.org")
    assert not invited.has_usable_password()
    assert invited.is_staff and not invited.is_superuser
    assert invited.staff_profile.organisation == organisation
    assert list(invited.groups.values_list("name", flat=True)) == [roles.EDITOR]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_an_editor_cannot_invite_staff(client):
    editor = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    sign_in(client, editor)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_the_invitation_link_lets_the_person_set_a_password_then_sign_in(client, role_groups):
    from django.core.management import call_command

    call_command("invite_staff", "First@Example.org", "--site-url", "http://testserver")
    user = User.objects.get(email="first@example.org")
    assert user.groups.get().name == roles.NETWORK_ADMINISTRATOR
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line)
    form_page = client.get(link.replace("http://testserver", ""), follow=True)
    assert form_page.status_code == 200
    new_password = "a-long-and-unusual-passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    # Their first sign-in leads straight to setting up two-factor authentication.
    _password_step(client, user.email, new_password)
    assert client.get(ADMIN)["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_rate_limits_use_a_cache_shared_by_every_process(redis_url, backend):
    import os
    import subprocess
    import sys

    env = {**os.environ, "REDIS_URL": redis_url}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "psc_portal.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == backend


def test_the_admin_login_address_does_not_redirect_to_other_sites(client):
    user = make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())
    sign_in(client, user)
    response = client.get("/admin/login/", {"next": "https://evil.example/steal"})
    assert response["Location"] == reverse("admin:index")
    response = client.get("/admin/login/", {"next": "/admin/casestudies/casestudy/"})
    assert response["Location"] == "/admin/casestudies/casestudy/"
