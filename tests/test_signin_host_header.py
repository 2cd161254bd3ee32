"""The Host header a visitor sends decides nothing about sign-in locks or e-mailed links.

ALLOWED_HOSTS compares the host name only, so "127.0.0.1:8106" and "127.0.0.1:4" are both
accepted; the per-account lock and the password-reset e-mail must not depend on either.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core import roles
from tests.factories import OrganisationFactory
from tests.staff import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts"


@pytest.fixture
def editor():
    return make_staff("ed@example.org", roles.EDITOR, OrganisationFactory())


def sign_in_step(client, email, password, host):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, HTTP_HOST=host
    )


def lock_out(client, email, host="127.0.0.1:8106"):
    for _ in range(5):
        response = sign_in_step(client, email, "not-the-password", host)
        assert LOCKED not in response.content.decode()
    assert LOCKED in sign_in_step(client, email, "not-the-password", host).content.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:4", "127.0.0.1", "localhost:8106", "LOCALHOST"])
def test_the_lock_follows_the_account_whatever_the_host_header_says(client, editor, host):
    lock_out(client, editor.email)
    response = sign_in_step(client, editor.email, "another-wrong-one", host)
    assert LOCKED in response.content.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:8106", "127.0.0.1:4", "localhost"])
def test_the_right_password_is_refused_while_locked_on_any_host(client, editor, host):
    lock_out(client, editor.email)
    response = sign_in_step(client, editor.email, PASSWORD, host)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "account_authentication_methods_user" not in client.session


def test_the_lock_does_not_care_how_the_address_is_capitalised(client, editor):
    lock_out(client, "ED@example.org")
    assert LOCKED in sign_in_step(client, editor.email, PASSWORD, "127.0.0.1").content.decode()


def test_another_account_is_not_locked_by_someone_elses_failures(client, editor):
    other = make_staff("pub@example.org", roles.PUBLISHER, OrganisationFactory())
    lock_out(client, editor.email)
    response = sign_in_step(client, other.email, PASSWORD, "127.0.0.1:4")
    assert response.status_code == 302


def test_the_reset_email_names_the_site_and_links_to_it_whatever_the_host(client, editor, settings):
    settings.SITE_URL = "https://psc.example.nhs.uk"
    settings.SITE_NAME = "Wessex Patient Safety Collaborative"
    response = client.post(
        reverse("account_reset_password"),
        {"email": editor.email},
        HTTP_HOST="localhost:6666",
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.startswith("[Wessex Patient Safety Collaborative] ")
    assert "localhost" not in message.subject
    assert "6666" not in message.body
    assert "localhost" not in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert links
    assert all(link.startswith("https://psc.example.nhs.uk/accounts/") for link in links)
    assert "Wessex Patient Safety Collaborative" in message.body


def test_the_reset_link_in_the_email_works(client, editor, settings):
    settings.SITE_URL = "https://psc.example.nhs.uk"
    client.post(reverse("account_reset_password"), {"email": editor.email}, HTTP_HOST="localhost:1")
    link = re.search(
        r"https://psc\.example\.nhs\.uk(/accounts/password/reset/key/\S+)", mail.outbox[-1].body
    )
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()


def test_the_adapter_replaces_a_method_allauth_still_calls():
    # The lock key is built by a private allauth method; an upgrade that renames it must fail.
    from allauth.account.adapter import DefaultAccountAdapter

    assert hasattr(DefaultAccountAdapter, "_get_login_attempts_cache_key")


@pytest.mark.parametrize(
    ("value", "debug", "hosts", "expected"),
    [
        ("", False, ["psc.example.nhs.uk", "www.example"], "https://psc.example.nhs.uk"),
        ("", True, [], "http://127.0.0.1:8000"),
        ("https://psc.example.nhs.uk/", False, ["x"], "https://psc.example.nhs.uk"),
        ("http://127.0.0.1:8010", False, ["x"], "http://127.0.0.1:8010"),
    ],
)
def test_the_site_address_comes_from_settings(value, debug, hosts, expected):
    from psc_portal.production import site_url

    assert site_url(value, debug=debug, allowed_hosts=hosts) == expected


@pytest.mark.parametrize(
    ("value", "hosts"),
    [("", [".example.org"]), ("", ["*"]), ("psc.example.nhs.uk", ["x"]), ("https://a/b", ["x"])],
)
def test_an_unusable_site_address_stops_the_portal_with_a_message(value, hosts):
    from django.core.exceptions import ImproperlyConfigured

    from psc_portal.production import site_url

    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        site_url(value, debug=False, allowed_hosts=hosts)
