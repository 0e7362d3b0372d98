"""/healthz: 200 with row counts when the database answers, 503 when it does not."""

import json

import pytest

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
    assert body["counts"]["cities"] == 1
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
