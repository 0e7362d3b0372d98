"""Reviewing meetings: from the meeting's own page, in the review queue, and what the public
page then says (which values an editor checked or corrected, the rest machine-extracted)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import City, CitySource, Meeting, ReviewStatus
from tests.conftest import ingest_corpus
from tests.test_admin import change_url, form_data

HANOI_Q3_2023 = {"city__name": "Hà Nội", "held_on": datetime.date(2023, 10, 23)}
QUEUE = "admin:meetings_meetingtoreview_changelist"


@pytest.fixture
def corpus(db):
    ingest_corpus()
    return Meeting.objects.get(**HANOI_Q3_2023)


def press(client, meeting, button: str, **changes):
    """Press a button of the change form (after changing some fields)."""
    data = {**form_data(client.get(change_url(meeting))), **changes, button: "1"}
    return client.post(change_url(meeting), data)


@pytest.mark.parametrize(
    "button, status, reason",
    [
        ("_verify", ReviewStatus.VERIFIED, "Marked verified"),
        ("_recheck", ReviewStatus.RECHECK, "Needs another look"),
    ],
)
def test_review_from_the_meeting_s_own_page(editor_client, editor, corpus, button, status, reason):
    page = editor_client.get(change_url(corpus)).content.decode()
    assert 'name="_verify"' in page and 'name="_recheck"' in page
    response = press(editor_client, corpus, button)
    assert response.status_code == 302 and response["Location"] == change_url(corpus)
    corpus.refresh_from_db()
    assert corpus.review_status == status and corpus.reviewed_by == editor
    assert timezone.now() - corpus.reviewed_at < datetime.timedelta(minutes=5)
    assert corpus.history.first().history_change_reason == reason
    # Who and when, on the page.
    page = editor_client.get(change_url(corpus)).content.decode()
    assert "bởi Lan Trần" in page


def test_the_buttons_save_the_form_too(editor_client, corpus):
    hai_phong = City.objects.get(name="Hải Phòng")
    press(editor_client, corpus, "_verify", city=str(hai_phong.pk))
    corpus.refresh_from_db()
    assert corpus.city == hai_phong and corpus.city_source == CitySource.EDITOR
    assert corpus.review_status == ReviewStatus.VERIFIED


def test_needs_another_look_action(editor_client, corpus):
    response = editor_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "mark_needs_another_look", "_selected_action": [corpus.pk]},
    )
    assert response.status_code == 302
    corpus.refresh_from_db()
    assert corpus.review_status == ReviewStatus.RECHECK


def test_the_public_page_says_what_an_editor_checked_or_corrected(editor_client, client, corpus):
    page = client.get(corpus.get_absolute_url()).content.decode()
    assert "Trích xuất tự động" in page and "badge--checked" not in page
    assert "Biên tập viên đã sửa" not in page

    # Correcting one value: that value is the editor's, the record is not "checked".
    press(editor_client, corpus, "_save", city=str(City.objects.get(name="Hải Phòng").pk))
    page = client.get(corpus.get_absolute_url()).content.decode()
    assert "badge--checked" not in page and "Trích xuất tự động" in page
    assert "Biên tập viên đã sửa: tỉnh, thành phố." in page

    press(editor_client, corpus, "_verify")
    corpus.refresh_from_db()
    page = client.get(corpus.get_absolute_url()).content.decode()
    assert "badge--checked" in page and "Trích xuất tự động" not in page
    assert f"{corpus.reviewed_at.astimezone(timezone.get_current_timezone()):%Y-%m-%d}" in page
    assert "Biên tập viên đã sửa: tỉnh, thành phố." in page
    assert "Lan Trần" not in page  # who checked is for editors, not the public


def test_the_review_queue_puts_what_to_check_first_on_top(editor_client, make_meeting):
    day = datetime.date(2024, 1, 1)
    plain = make_meeting("Bình thường", held_on=day + datetime.timedelta(days=9))
    unsure = make_meeting("Chưa chắc", held_on=day, doubts=["held_on"])
    inferred = make_meeting("Suy ra", held_on=day, city_source=CitySource.DATABASE)
    duplicate = make_meeting("Có thể trùng", held_on=day, possible_duplicate_of=plain)
    again = make_meeting("Xem lại", held_on=day, review_status=ReviewStatus.RECHECK)
    make_meeting("Đã kiểm tra", held_on=day, review_status=ReviewStatus.VERIFIED)

    response = editor_client.get(reverse(QUEUE))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == [again, duplicate, inferred, unsure, plain]
    page = response.content.decode()
    assert change_url(again) in page  # each row opens the meeting's own page
    for reason in ("biên tập viên yêu cầu xem lại", "có thể trùng", "được suy ra", "chưa chắc"):
        assert reason in page
    # The queue's row opens the meeting itself.
    url = reverse("admin:meetings_meetingtoreview_change", args=[plain.pk])
    assert editor_client.get(url)["Location"] == change_url(plain)


def test_the_meeting_page_says_which_values_the_extractor_doubted(editor_client, make_meeting):
    meeting = make_meeting(doubts=["held_on"], held_on=datetime.date(2024, 1, 1))
    page = editor_client.get(change_url(meeting)).content.decode()
    assert page.count("Chương trình trích xuất không chắc chắn") == 1
