"""The calendar (meetings/views/calendar.py), the date range filter and the province grid."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("meetings:calendar")


@pytest.fixture
def october(make_meeting):
    made = [make_meeting(f"Giao ban {n}", held_on=datetime.date(2023, 10, 23)) for n in range(5)]
    haiphong = make_meeting(
        "Hội nghị Hải Phòng", city="Hải Phòng", held_on=datetime.date(2023, 10, 2)
    )
    made.append(haiphong)
    made.append(make_meeting("Hội nghị tháng chín", held_on=datetime.date(2023, 9, 30)))
    return made


def cell(response, day):
    for week in response.context["grid"]["weeks"]:
        for found in week:
            if found and found["date"] == day:
                return found
    raise AssertionError(day)


def test_a_month_lists_the_meetings_of_each_day(client, october, django_assert_num_queries):
    with django_assert_num_queries(2):
        # 1. meetings per day of the month  2. the first three of each day, with their city
        response = client.get(URL, {"year": "2023", "month": "10"})
    day = cell(response, datetime.date(2023, 10, 23))
    assert day["count"] == 5 and len(day["meetings"]) == 3 and day["more"] == 2
    assert day["url"] == "/meetings/?held_from=2023-10-23&held_to=2023-10-23"
    assert cell(response, datetime.date(2023, 10, 2))["count"] == 1
    assert response.context["total"] == 6
    html = response.content.decode()
    assert "Hội nghị Hải Phòng" in html and "Hội nghị tháng chín" not in html
    assert 'href="/calendar/?year=2023&amp;month=9"' in html


def test_without_a_date_the_newest_month_and_the_list_filters_apply(client, october):
    response = client.get(URL, {"city": october[-2].city.slug})
    assert (response.context["year"], response.context["month"]) == (2023, 10)
    assert response.context["total"] == 1
    assert "city=hai-phong" in response.context["next_url"]


def test_a_year_counts_meetings_per_day(client, october, django_assert_num_queries):
    with django_assert_num_queries(1):  # meetings per day of the year
        response = client.get(URL, {"year": "2023"})
    months = response.context["months"]
    assert [m["total"] for m in months][8:10] == [1, 6]
    assert 'aria-label="23/10/2023: 5' in response.content.decode()


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "2023", "month": "13"}])
def test_a_month_that_does_not_exist_is_a_404(client, params):
    assert client.get(URL, params).status_code == 404


def test_the_list_filters_by_dates_held(client, october):
    url = reverse("meetings:meeting_list")
    response = client.get(url, {"held_from": "2023-10-01", "held_to": "2023-10-22"})
    assert [m.title for m in response.context["meetings"]] == ["Hội nghị Hải Phòng"]
    response = client.get(url, {"held_from": "2023-10-23"})
    assert response.context["paginator"].count == 5
    response = client.get(url, {"held_from": "not a date"})
    assert response.context["errors"]
    html = client.get(url).content.decode()
    assert 'type="date" name="held_from"' in html and 'type="date" name="held_to"' in html


def test_the_province_page_has_a_grid_of_quarters(client, october):
    html = client.get(october[0].city.get_absolute_url()).content.decode()
    assert 'class="quarter-grid"' in html
    assert "<title>III/2023: 1</title>" in html and "<title>IV/2023: 5</title>" in html
