"""The JSON API: its documents, and schemathesis against meetings/openapi.yaml.

schemathesis generates requests from the OpenAPI description (every filter, page and slug
in and out of range) and checks each answer: never a 500, the status documented, the body
valid against the schema. The requests go to the Django application in the same process
(WSGI), inside each test's transaction, over a small data set.
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from hypothesis import HealthCheck, settings

from meetings.views.api import SCHEMA

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.yaml", get_wsgi_application())


@pytest.fixture
def api_data(make_full_meeting, make_meeting, reindex):
    first = make_full_meeting("Giao ban quý III/2023", held_on=datetime.date(2023, 10, 23))
    make_full_meeting(
        "Giao ban năm 2022",
        city="Hải Phòng",
        held_on=datetime.date(2022, 12, 29),
        period_kind="year",
        period_number=None,
        period_year=2022,
    )
    for n in range(25):
        make_meeting(f"Hội nghị {n}", held_on=datetime.date(2021, 1, 1) + datetime.timedelta(n))
    reindex()
    return first


@pytest.fixture
def wsgi_in_transaction():
    """Keep the test's connection (and transaction) across the WSGI requests, as Django's
    test client does: a request's end would otherwise close it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_description(case, api_data, wsgi_in_transaction):
    case.call_and_validate()


def test_the_schema_is_served_and_is_the_file(client):
    response = client.get(reverse("meetings:api_schema"))
    assert response.status_code == 200
    assert response.content == SCHEMA.read_bytes()


def test_meeting_list_takes_the_list_filters_and_pages(client, api_data):
    url = reverse("meetings:api_meeting_list")
    data = client.get(url).json()
    assert data["count"] == 27 and data["pages"] == 2 and data["count_is_exact"]
    assert data["next"].endswith("/api/meetings/?page=2") and data["previous"] is None
    assert data["results"][0]["slug"] == api_data.slug
    assert data["results"][0]["presiding"] == ["Nguyễn Thị Tuyến"]
    assert data["results"][0]["api_url"].endswith(f"/api/meetings/{api_data.slug}/")
    data = client.get(url, {"city": "hai-phong"}).json()
    assert [r["title"] for r in data["results"]] == ["Giao ban năm 2022"]
    data = client.get(url, {"held_from": "2023-01-01", "held_to": "2023-12-31"}).json()
    assert [r["title"] for r in data["results"]] == ["Giao ban quý III/2023"]
    response = client.get(url, {"year": "abc"})
    assert response.status_code == 400 and "year" in response.json()["errors"]
    response = client.get(url, {"page": "3"})
    assert response.status_code == 404
    assert response.json()["last_page"].endswith("/api/meetings/?page=2")


def test_one_document_per_meeting_person_organisation_directive(client, api_data):
    meeting = client.get(reverse("meetings:api_meeting", args=[api_data.slug])).json()
    assert meeting["meeting"]["title"] == api_data.title
    assert meeting["metrics"][0]["evidence"]["text"] == "328 công đoàn cơ sở"
    person = api_data.participations.get().person
    data = client.get(reverse("meetings:api_person", args=[person.slug])).json()
    assert data["person"]["name"] == "Nguyễn Thị Tuyến"
    assert data["meetings"]["results"][0]["roles"] == ["presiding"]
    org = api_data.mentions.get().organization
    data = client.get(reverse("meetings:api_organization", args=[org.slug])).json()
    assert data["organization"]["abbreviation"] == "LĐLĐ"
    assert data["meetings"]["count"] == 1
    directive = api_data.citations.get().directive
    data = client.get(reverse("meetings:api_directive", args=[directive.slug])).json()
    assert data["directive"]["number"] == "24-CT/TU"
    assert data["meetings"]["results"][0]["text_as_written"] == "Chỉ thị số 24-CT/TU"
    for name in ("api_meeting", "api_person", "api_organization", "api_directive"):
        response = client.get(reverse(f"meetings:{name}", args=["nope"]))
        assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_api_and_about_pages_for_people(client, api_data):
    for name in ("api", "about"):
        response = client.get(reverse(f"meetings:{name}"))
        assert response.status_code == 200
    html = client.get(reverse("meetings:about")).content.decode()
    assert "CC BY 4.0" in html and "/api/" in html


def test_query_counts(client, api_data, django_assert_num_queries):
    with django_assert_num_queries(3):
        # 1. the data version (the page cache, off here, would have read it)  2. the bounded
        # count, cached under it  3. the page of rows, presiding names in an array subquery
        client.get(reverse("meetings:api_meeting_list"), {"city": "ha-noi"})
    with django_assert_num_queries(2):
        # the same list again: the data version and the rows; the count is cached
        client.get(reverse("meetings:api_meeting_list"), {"city": "ha-noi", "page": "1"})
    with django_assert_num_queries(6):
        # 1. the meeting and its city  2. participants  3. organisations  4. directives
        # 5. figures  6. current articles
        client.get(reverse("meetings:api_meeting", args=[api_data.slug]))
    person = api_data.participations.get().person
    with django_assert_num_queries(3):
        # 1. the person, city and survivor  2. the count of meetings  3. the page of them
        client.get(reverse("meetings:api_person", args=[person.slug]))
    with django_assert_num_queries(3):
        # 1. meetings  2. current articles  3. meetings an editor checked
        client.get(reverse("meetings:about"))
