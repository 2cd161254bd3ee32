"""Production security: check --deploy, response headers, cookies, HTTPS and safe uploads."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from core.publishing import PublicationStatus
from resources.models import Resource
from tests.factories import ResourceFactory
from tests.public_site import make_public_content, public_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "d8Yp3kq0Vw7Zr2Lx9Bn4Tc6Hm1Js5Fg8Qa0We3Rt7Yu2IoPzXcV6bN",
    "ALLOWED_HOSTS": "psc.example.nhs.uk",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/psc_portal",
}


def manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "TRUST_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(PRODUCTION_ENV, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_finds_nothing_to_warn_about_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_notices_when_https_redirects_are_switched_off():
    result = manage("check", "--deploy", SECURE_SSL_REDIRECT="false")
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("trust", "expected"), [("", "None"), ("true", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_the_forwarded_scheme_is_trusted_only_when_configured(trust, expected):
    env = {"TRUST_X_FORWARDED_PROTO": trust} if trust else {}
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.fixture
def https_site(settings):
    settings.SECURE_SSL_REDIRECT = True
    return make_public_content()


def test_every_public_page_sends_the_full_set_of_security_headers(client, https_site):
    for url in public_urls(https_site):
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        headers = response.headers
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert "camera=()" in headers["Permissions-Policy"], url
        assert "geolocation=()" in headers["Permissions-Policy"], url
        assert "microphone=()" in headers["Permissions-Policy"], url
        assert "Content-Security-Policy" in headers, url


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_content_security_policy_allows_only_our_origin_and_the_nhs_font_host(client):
    directives = csp_directives(client.get(reverse("pages:home"), secure=True))
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["font-src"] == ["'self'", "https://assets.nhs.uk"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "upgrade-insecure-requests" in directives
    policy = " ".join(sum(directives.values(), []))
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


# An inline <script> with code in it (JSON-LD data blocks are not run, so CSP allows them).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>\s*\S", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[\s>]|<[^>]+\sstyle\s*=", re.IGNORECASE)


def test_public_pages_need_no_inline_script_or_style_the_policy_would_block(client, https_site):
    for url in public_urls(https_site):
        html = client.get(url, secure=True).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert not INLINE_STYLE.search(html), url


def test_admin_pages_need_no_inline_script_the_policy_would_block(admin_client, https_site):
    for url in [
        reverse("admin:index"),
        reverse("admin:casestudies_casestudy_changelist"),
        reverse("admin:casestudies_casestudy_add"),
        reverse("admin:casestudies_casestudy_change", args=[https_site["case_study"].pk]),
    ]:
        response = admin_client.get(url, secure=True)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response.headers
        assert not INLINE_SCRIPT.search(response.content.decode()), url


def test_plain_http_is_redirected_to_https(client, https_site):
    response = client.get(reverse("programmes:list"))
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/programmes/"


def test_a_forged_forwarded_scheme_is_not_believed_by_default(client, https_site):
    response = client.get(reverse("programmes:list"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301


def test_session_and_csrf_cookies_are_host_only_secure_http_only_and_same_site(
    client, superuser, https_site
):
    login = reverse("account_login")
    page = client.get(login, secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    response = client.post(
        login,
        {
            "login": "admin@example.org",
            "password": "correct-horse-battery-staple",
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
        headers={"Referer": "https://testserver" + login},
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    names = {}
    for name, content in [
        ("report.pdf", b"%PDF-1.4 a report"),
        ("page.html", b"<script>alert(document.cookie)</script>"),
        ("logo.svg", b"<svg onload='alert(1)'></svg>"),
    ]:
        names[name] = default_storage.save(f"resources/2026/11/{name}", ContentFile(content))
        # Files are served only with the published item they belong to.
        ResourceFactory(url="", file=names[name])
    return names


def test_an_uploaded_document_is_served_as_a_download_with_its_own_type(client, uploads):
    response = client.get(f"/media/{uploads['report.pdf']}", secure=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a report"


@pytest.mark.parametrize("name", ["page.html", "logo.svg"])
def test_an_uploaded_page_or_image_with_script_can_never_run_on_our_origin(client, uploads, name):
    response = client.get(f"/media/{uploads[name]}", secure=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", ["/media/../settings.py", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/missing.pdf"]
)
def test_a_path_outside_the_uploads_or_missing_is_not_found(client, uploads, path):
    assert client.get(path, secure=True).status_code == 404


def test_uploads_can_only_be_read(client, uploads):
    response = client.post(f"/media/{uploads['report.pdf']}", secure=True)
    assert response.status_code == 405


ENV_READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_environment_variable_is_documented_in_the_readme_and_env_example():
    sources = [ROOT / "psc_portal" / "settings.py", ROOT / "gunicorn.conf.py"]
    names = {name for path in sources for name in ENV_READ.findall(path.read_text())}
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert "SECURE_SSL_REDIRECT" in names
    assert [name for name in sorted(names) if f"| `{name}` |" not in readme] == []
    assert [name for name in sorted(names) if f"\n{name}=" not in example] == []


def test_a_draft_resources_file_is_not_served_to_the_public(client, uploads):
    draft = ResourceFactory(url="", file=uploads["report.pdf"], status=PublicationStatus.DRAFT)
    Resource.objects.exclude(pk=draft.pk).filter(file=uploads["report.pdf"]).delete()
    assert client.get(f"/media/{uploads['report.pdf']}", secure=True).status_code == 404


def test_a_file_no_item_refers_to_is_not_served(client, uploads):
    Resource.objects.filter(file=uploads["report.pdf"]).delete()
    assert client.get(f"/media/{uploads['report.pdf']}", secure=True).status_code == 404
