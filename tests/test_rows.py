"""Rows of meeting lists (meetings/rows.py): what the template prints, read without queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import Meeting
from meetings.rows import meeting_rows, slug_urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["ha-noi", "meeting-12", "a_b-2023-10-23", "x"])
def test_slug_urls_are_what_reverse_gives(slug):
    for name in ("meetings:meeting_detail", "meetings:person_detail"):
        assert slug_urls(name)(slug) == reverse(name, kwargs={"slug": slug})


def test_a_row_holds_what_the_list_shows(
    make_meeting, make_person, make_participation, django_assert_num_queries
):
    made = make_meeting(
        title="Hội nghị giao ban quý III",
        held_on=datetime.date(2023, 10, 23),
        period_kind="quarter",
        period_year=2023,
        period_number=3,
    )
    first, second = make_person("Nguyễn Thị Tuyến"), make_person("Đỗ Anh Tuấn")
    make_participation(made, first, roles=["presiding"])
    make_participation(made, second, roles=["presiding", "speaking"])
    make_participation(made, make_person("Lê Văn Dự"), roles=["attending"])
    undated = make_meeting(city=None)
    meetings = list(
        Meeting.objects.filter(pk__in=[made.pk, undated.pk])
        .select_related("city")
        .with_presiding()
        .order_by("id")
    )
    with translation.override("vi"), django_assert_num_queries(0):
        row, bare = meeting_rows(meetings)
    assert row.url == made.get_absolute_url() and row.title == made.title
    assert (row.held_on, row.held_on_text) == ("2023-10-23", "23/10/2023")
    assert (row.city, row.period) == ("Hà Nội", "Quý III/2023")
    assert row.presiding == [
        (first.get_absolute_url(), "Nguyễn Thị Tuyến"),
        (second.get_absolute_url(), "Đỗ Anh Tuấn"),
    ]
    assert row.snippet == ""
    assert (bare.held_on, bare.held_on_text, bare.city, bare.period) == ("", "", "", "")
    assert bare.presiding == []


def test_search_rows_keep_the_marked_title_and_the_snippet(make_meeting):
    meeting = make_meeting(title="Liên đoàn Lao động")
    meeting.title_html = "<mark>Liên đoàn</mark> Lao động"
    meeting.snippet = "… <mark>Liên đoàn</mark> …"
    (row,) = meeting_rows([meeting], highlighted=True)
    assert row.title == meeting.title_html and row.snippet == meeting.snippet


def test_the_meeting_page_never_reads_the_extractor_output(client, make_full_meeting):
    """Each row of a meeting's parts joins its article; the article's extraction JSON (kilobytes
    a row) was decoded for every one of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = make_full_meeting(n_people=3, n_metrics=3)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if '"extraction"' in q["sql"]]
