"""Production settings: `check --deploy` is clean, and every response carries the security
headers, the Content-Security-Policy with no 'unsafe-inline' first among them."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),  # 67 random characters
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    env = {**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    # Whatever the developer's shell says about TLS, the defaults are what is checked.
    # (The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; no deployment does.)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output and "?:" not in output, output


def test_policy_allows_no_inline_code():
    policy = settings.CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/meetings/",
        "/search/?q=x",
        "/healthz",
        "/robots.txt",
        "/no-such-page/",
        "/admin/login/",
        "/static/css/portal.css",
    ],
)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_headers_on_a_rejected_host(client):
    """A request refused before any view (DisallowedHost, 400) still gets the policy."""
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_admin_pages_send_the_policy(admin_client):
    for url in ["/admin/", "/admin/meetings/meeting/", "/admin/meetings/meeting/add/"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
        assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_style():
    """Inline code would be blocked by the policy: it belongs in static/."""
    import re

    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
        r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
        re.I,
    )
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if inline.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_charts_have_no_style_attribute():
    from meetings.templatetags.charts import bar_chart

    svg = str(bar_chart([("Quý I/2023", 3), ("Quý II/2023", 5)], title="Hội nghị"))
    assert "<svg" in svg and "style=" not in svg and "<script" not in svg
