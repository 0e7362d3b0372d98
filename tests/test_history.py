"""One history for a meeting: its own values and its rows', in words, with undo.

meetings/history.py tells the story; the admin shows it at the meeting's history page
(MeetingAdmin.history_view) and undoes one step (revert_view). Every meeting has its "As
ingested" record (ingest's end, migration 0013, `record_history_baselines`).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from meetings import history
from meetings.models import (
    City,
    Meeting,
    Metric,
    Participation,
    ReviewStatus,
    Tombstone,
)
from tests.conftest import ingest_corpus
from tests.test_admin import change_url, form_data, inline_prefix

HANOI_Q3_2023 = {"city__name": "Hà Nội", "held_on": datetime.date(2023, 10, 23)}


@pytest.fixture
def corpus(db):
    ingest_corpus()
    return Meeting.objects.get(**HANOI_Q3_2023)


def history_url(meeting) -> str:
    return reverse("admin:meetings_meeting_history", args=[meeting.pk])


def edit(client, meeting, *, city=None, roles=None, value=None, delete=None, add=None):
    """One save of the change form: a province, one participant's roles, a figure's value,
    a participant deleted, a participant added (a Person)."""
    response = client.get(change_url(meeting))
    data = form_data(response)
    if city is not None:
        data["city"] = str(city.pk)
    if roles is not None:
        row, new_roles = roles
        prefix, rows = inline_prefix(response, Participation)
        n = next(i for i, p in enumerate(rows) if p.pk == row.pk)
        data[f"{prefix}-{n}-roles"] = new_roles
    if value is not None:
        metric, new_value = value
        prefix, rows = inline_prefix(response, Metric)
        n = next(i for i, m in enumerate(rows) if m.pk == metric.pk)
        data[f"{prefix}-{n}-value"] = new_value
    if delete is not None:
        prefix, rows = inline_prefix(response, Participation)
        n = next(i for i, p in enumerate(rows) if p.pk == delete.pk)
        data[f"{prefix}-{n}-DELETE"] = "on"
    if add is not None:
        prefix, rows = inline_prefix(response, Participation)
        n = len(rows)
        data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
        data[f"{prefix}-{n}-person"] = str(add.pk)
        data[f"{prefix}-{n}-title"] = "Phó Chủ tịch"
        data[f"{prefix}-{n}-roles"] = ["attending"]
    response = client.post(change_url(meeting), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def presided_by(client, meeting) -> str:
    """The public page's facts: province, date, period, who presided."""
    html = client.get(meeting.get_absolute_url()).content.decode()
    return html.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]


def steps_of(meeting, **kwargs) -> list[history.Step]:
    return [step for event in history.meeting_story(meeting, **kwargs) for step in event.steps]


# "As ingested" for every meeting


def test_every_ingested_meeting_has_its_as_ingested_record(db):
    ingest_corpus()
    for meeting in Meeting.objects.all():
        records = list(meeting.history.all())
        assert [(r.history_type, r.history_change_reason) for r in records] == [
            ("+", "As ingested")
        ]
        assert records[0].history_user is None and records[0].title == meeting.title
    ingest_corpus(reextract=True)  # a later run adds none
    assert not Meeting.history.exclude(history_change_reason="As ingested").exists()


def test_meetings_ingested_before_get_theirs(db, make_meeting, editor):
    untouched, reviewed = make_meeting(), make_meeting()
    # Written as ingest writes them: no history (the factory's save wrote one).
    Meeting.history.filter(id__in=[untouched.pk, reviewed.pk]).delete()
    # Before issue 16, a review-only save was a meeting's first record (no "before").
    reviewed.review_status, reviewed.reviewed_by = ReviewStatus.VERIFIED, editor
    reviewed._history_user, reviewed._change_reason = editor, "Marked verified"
    reviewed.save()

    call_command("record_history_baselines", "--dry-run", verbosity=0)
    assert not untouched.history.exists()
    call_command("record_history_baselines", verbosity=0)
    (baseline,) = untouched.history.all()
    assert baseline.history_change_reason == "As ingested" and baseline.history_type == "+"
    first, verified = reversed(list(reviewed.history.all()))
    assert first.history_change_reason == "As ingested"
    assert first.review_status == ReviewStatus.UNREVIEWED and first.reviewed_by is None
    assert first.history_date < verified.history_date
    assert history.record_baselines() == {"from the first change": 0, "as they are": 0}


# The story, in words


def test_the_story_says_who_when_what_before_and_after_in_words(editor_client, corpus):
    hai_phong = City.objects.get(name="Hải Phòng")
    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến")
    fund = corpus.metrics.get(unit="VND")
    assert chair.roles == ["presiding", "speaking", "concluding"]  # as extracted
    edit(editor_client, corpus, city=hai_phong)
    edit(
        editor_client,
        corpus,
        roles=(chair, ["presiding", "concluding"]),
        value=(fund, "56000000000"),
    )
    editor_client.post(
        change_url(corpus), {**form_data(editor_client.get(change_url(corpus))), "_verify": "1"}
    )

    page = editor_client.get(history_url(corpus)).content.decode()
    # Who and when, as Vietnamese write a date (portal/formats/vi: "14:50 3/12/2026").
    with translation.override("vi"):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert "Lan Trần" in page
    assert re.search(rf"\d{{1,2}}:\d\d {re.escape(today)}\b", page)
    # What, before → after, in words: names not ids, labels not codes, numbers grouped.
    for words in (
        "Hà Nội",
        "Hải Phòng",
        "Người tham dự Nguyễn Thị Tuyến",
        "chủ trì, kết luận",
        "55.000.000.000",
        "56.000.000.000",
        "Đánh dấu đã kiểm tra",
        "Như khi nhập dữ liệu",
    ):
        assert words in page, words
    for raw in ("presiding", "pk=None", "[", "+00:00", "None"):
        assert raw not in page.split("<body", 1)[1].split("<script", 1)[0], raw

    with translation.override("en"):
        events = history.meeting_story(corpus)
        newest, middle, first_edit = [e for e in events if e.by_editor]
        ingested = events[-1]
        assert [s.action for s in newest.steps] == ["marked verified"]
        assert newest.who == "Lan Trần"
        figure = next(s for s in middle.steps if s.model is Metric)
        assert [(c.label, c.before, c.after) for c in figure.changes] == [
            ("value", "55,000,000,000", "56,000,000,000")
        ]
        roles = next(s for s in middle.steps if s.model is Participation)
        assert [(c.label, c.before, c.after) for c in roles.changes] == [
            ("roles", "presiding, speaking, concluding", "presiding, concluding")
        ]
        assert roles.locked == ["roles"]
        (city,) = first_edit.steps
        assert [(c.label, c.before, c.after) for c in city.changes] == [
            ("city", "Hà Nội", "Hải Phòng")
        ]
        assert ingested.steps[0].action == "as ingested" and ingested.who == "ingest"
        assert ("city", "", "Hà Nội (named in the article)") in [
            (c.label, c.before, c.after) for c in ingested.steps[0].changes
        ]


def test_a_row_page_history_is_in_words_too(editor_client, corpus):
    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến")
    edit(editor_client, corpus, roles=(chair, ["presiding", "speaking"]))
    url = reverse("admin:meetings_participation_history", args=[chair.pk])
    page = editor_client.get(url).content.decode()
    assert "chủ trì, phát biểu, kết luận → chủ trì, phát biểu" in page
    assert "[presiding]" not in page and "Choose a date" not in page


def test_what_ingest_changed_between_two_edits_is_told_as_ingest_s(editor_client, corpus):
    edit(editor_client, corpus, city=City.objects.get(name="Hải Phòng"))
    # A later ingest (no history of its own) retitles the meeting …
    Meeting.objects.filter(pk=corpus.pk).update(title="Hội nghị giao ban (bản sửa)")
    # … then an editor corrects another value: the title change is not theirs.
    edit(editor_client, corpus, city=City.objects.get(name="Hà Nội"))
    with translation.override("en"):
        events = history.meeting_story(corpus)
    actions = [(e.who, [s.action for s in e.steps]) for e in events]
    assert actions[:3] == [
        ("Lan Trần", ["corrected"]),
        ("ingest", ["updated by a later ingest"]),
        ("Lan Trần", ["corrected"]),
    ]
    assert [c.label for c in events[0].steps[0].changes] == ["city"]  # not the title
    assert [c.label for c in events[1].steps[0].changes] == ["title"]


def test_saving_an_unchanged_form_writes_no_history(editor_client, corpus):
    before, updated_at = corpus.history.count(), corpus.updated_at
    assert (
        editor_client.post(
            change_url(corpus), form_data(editor_client.get(change_url(corpus)))
        ).status_code
        == 302
    )
    assert corpus.history.count() == before
    corpus.refresh_from_db()
    assert corpus.updated_at == updated_at  # nor moves the list's cached counts


# Undo


def test_undo_one_change_restores_the_value_and_its_lock(editor_client, editor, corpus, client):
    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến")
    extracted = chair.roles
    hai_phong = City.objects.get(name="Hải Phòng")
    edit(editor_client, corpus, city=hai_phong, roles=(chair, ["attending"]))
    assert "Nguyễn Thị Tuyến" not in presided_by(client, corpus)
    roles_step = next(
        s
        for s in steps_of(corpus, revert_url=history.revert_url_for(corpus))
        if s.model is Participation
    )
    assert roles_step.revert_url
    page = editor_client.get(history_url(corpus)).content.decode()
    assert roles_step.revert_url in page

    response = editor_client.post(roles_step.revert_url)
    assert response.status_code == 302 and response["Location"] == history_url(corpus)
    chair.refresh_from_db()
    corpus.refresh_from_db()
    assert chair.roles == extracted and chair.corrected_fields == []  # as ingested again
    assert corpus.city == hai_phong and corpus.corrected_fields == ["city"]  # untouched
    latest = chair.history.first()
    assert latest.history_user == editor and latest.history_change_reason == "Reverted roles"
    # The public page has the presiding official back.
    assert "Nguyễn Thị Tuyến" in presided_by(client, corpus)
    # Undone once: nothing left to undo in that step.
    assert editor_client.post(roles_step.revert_url).status_code == 302
    messages = [str(m) for m in editor_client.get(history_url(corpus)).context["messages"]]
    assert any("không còn gì để hoàn tác" in m for m in messages)


def test_a_value_changed_again_since_is_not_undone(editor_client, corpus):
    edit(editor_client, corpus, city=City.objects.get(name="Hải Phòng"))
    edit(editor_client, corpus, city=City.objects.get(name="Đà Nẵng"))
    first, second = [
        s
        for s in steps_of(corpus, revert_url=history.revert_url_for(corpus))
        if s.model is Meeting and s.user_id is not None
    ][::-1]
    assert second.revert_url and not first.revert_url
    assert first.not_revertible
    editor_client.post(second.revert_url)
    corpus.refresh_from_db()
    assert corpus.city.name == "Hải Phòng"


def test_undo_an_added_and_a_deleted_participant(editor_client, corpus, make_person):
    gone = corpus.participations.get(person__name="Lê Đình Hùng")
    newcomer = make_person("Trần Văn Mới", city=corpus.city)
    edit(editor_client, corpus, delete=gone, add=newcomer)
    assert Tombstone.objects.filter(meeting=corpus, key=gone.person.name_folded).exists()
    steps = steps_of(corpus, revert_url=history.revert_url_for(corpus))
    deleted = next(s for s in steps if s.record.history_type == "-")
    added = next(s for s in steps if s.record.history_type == "+" and s.model is Participation)
    editor_client.post(deleted.revert_url)
    editor_client.post(added.revert_url)
    assert corpus.participations.filter(pk=gone.pk, person__name="Lê Đình Hùng").exists()
    assert not Tombstone.objects.filter(meeting=corpus, key=gone.person.name_folded).exists()
    assert not corpus.participations.filter(person=newcomer).exists()
    assert not Tombstone.objects.filter(meeting=corpus, key=newcomer.name_folded).exists()


def test_undo_is_post_only_and_for_editors_only(editor_client, client, corpus, django_user_model):
    edit(editor_client, corpus, city=City.objects.get(name="Hải Phòng"))
    (step,) = [
        s for s in steps_of(corpus, revert_url=history.revert_url_for(corpus)) if s.revert_url
    ]
    assert editor_client.get(step.revert_url).status_code == 405
    reader = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(reader)
    assert client.post(step.revert_url).status_code == 403
    url = step.revert_url.replace("/meeting/", "/nosuchmodel/", 1)
    assert editor_client.post(url).status_code == 404
    corpus.refresh_from_db()
    assert corpus.city.name == "Hải Phòng"


def test_a_merge_is_told_not_undone(editor_client, corpus, make_person):
    from meetings.merges import merge_people

    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến").person
    twin = make_person("Nguyễn Thị Tuyến (2)", city=corpus.city)
    merge_people(twin, [chair])
    with translation.override("en"):
        steps = steps_of(corpus, revert_url=history.revert_url_for(corpus))
    moved = next(s for s in steps if s.model is Participation)
    assert moved.action.startswith("moved here from Nguyễn Thị Tuyến")
    assert not moved.revert_url
