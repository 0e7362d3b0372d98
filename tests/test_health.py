"""/healthz: 200 with row counts when the database answers, 503 when it does not."""

import json

import pytest

from meetings.models import City
from tests.conftest import run_django


@pytest.mark.django_db
def test_healthz_ok_with_counts(client, make_meeting):
    make_meeting()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["counts"]["meetings"] == 1
    assert body["counts"]["cities"] == City.objects.count()  # every province, from 0011
    assert set(body["counts"]) >= {"articles", "people", "organizations", "directives"}


@pytest.mark.django_db
def test_healthz_answers_head_but_not_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_503_when_database_unreachable():
    # A real connection attempt to a port where nothing listens, in a fresh process.
    code = (
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    result = run_django(
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere?connect_timeout=2",
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["database"] == "unreachable"


@pytest.mark.django_db
def test_counts_only_for_staff_or_this_machine(client, admin_user, make_meeting):
    make_meeting()
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    body = client.get("/healthz", **remote).json()
    assert body == {"status": "ok", "database": "ok"}  # up, and nothing more
    assert "counts" in client.get("/healthz", REMOTE_ADDR="::1").json()
    client.force_login(admin_user)
    assert client.get("/healthz", **remote).json()["counts"]["meetings"] == 1


@pytest.mark.django_db
def test_behind_a_local_proxy_visitors_are_not_local(client, settings):
    """With the proxy on the same machine every connection comes from 127.0.0.1: the address
    that counts is the one the proxy reports."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert "counts" not in client.get("/healthz", **proxied).json()
    local = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert "counts" in client.get("/healthz", **local).json()
