"""The correction workflow through the admin: locks, tombstones, review, history, permissions.

Every test drives the real admin views with the test client, as an editor (a staff user in the
"Editors" group made by `setup_editors`), over the seeds ingested for real.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from meetings.models import (
    Article,
    City,
    Meeting,
    Metric,
    Participation,
    ReviewStatus,
    Tombstone,
)
from tests.conftest import ingest_corpus

HANOI_Q3_2023 = {"city__name": "Hà Nội", "held_on": datetime.date(2023, 10, 23)}


# Helpers


def field_data(bound) -> str | list[str] | None:
    """What a browser would submit for a form field showing its current value."""
    field, value = bound.field, bound.value()
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(v) for v in value or []]
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(field.prepare_value(value))


def form_data(response) -> dict:
    """The POST data of an admin change form (with its inlines) as rendered, unchanged."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = field_data(bound)
        forms_ += formset.forms
    for form in forms_:
        for bound in form:
            value = field_data(bound)
            if value is not None:
                data[bound.html_name] = value
    return data


def inline_prefix(response, model) -> tuple[str, list]:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix, [f.instance for f in inline.formset.forms]
    raise AssertionError(f"no inline of {model.__name__}")


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# Fixtures


@pytest.fixture
def corpus(db):
    ingest_corpus()
    return Meeting.objects.get(**HANOI_Q3_2023)


def correct_meeting(client, meeting, *, city, title_of, value_of):
    """Through the change form: a new city, a participant's title and a metric's value."""
    response = client.get(change_url(meeting))
    assert response.status_code == 200
    data = form_data(response)
    data["city"] = str(city.pk)
    prefix, rows = inline_prefix(response, Participation)
    n = next(i for i, p in enumerate(rows) if p.pk == title_of[0].pk)
    data[f"{prefix}-{n}-title"] = title_of[1]
    prefix, rows = inline_prefix(response, Metric)
    n = next(i for i, m in enumerate(rows) if m.pk == value_of[0].pk)
    data[f"{prefix}-{n}-value"] = value_of[1]
    response = client.post(change_url(meeting), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return response


# Locks


def test_corrections_survive_reingest_are_shown_locked_and_can_be_unlocked(
    editor_client, editor, corpus
):
    meeting = corpus
    hai_phong = City.objects.get(name="Hải Phòng")
    chair = meeting.participations.get(person__name="Nguyễn Thị Tuyến")
    fund = meeting.metrics.get(unit="VND")
    extracted_title = chair.title

    correct_meeting(
        editor_client,
        meeting,
        city=hai_phong,
        title_of=(chair, "Phó Bí thư Thường trực Thành ủy Hà Nội"),
        value_of=(fund, "56000000000"),
    )

    meeting.refresh_from_db()
    chair.refresh_from_db()
    fund.refresh_from_db()
    assert meeting.city == hai_phong and meeting.corrected_fields == ["city"]
    assert chair.corrected_fields == ["title"]
    assert fund.corrected_fields == ["value"]
    # Correcting three values does not review the meeting: the rest is unchecked.
    assert meeting.review_status == ReviewStatus.UNREVIEWED
    assert meeting.reviewed_by is None and meeting.reviewed_at is None
    # Other rows were submitted unchanged: nothing else is locked.
    assert not meeting.participations.exclude(pk=chair.pk).exclude(corrected_fields=[]).exists()

    for reextract in (False, True):
        ingest_corpus(reextract=reextract)
        meeting.refresh_from_db()
        chair.refresh_from_db()
        fund.refresh_from_db()
        assert meeting.city == hai_phong
        assert chair.title == "Phó Bí thư Thường trực Thành ủy Hà Nội"
        assert fund.value == Decimal("56000000000")

    # The change page shows each lock, with its unlock link.
    page = editor_client.get(change_url(meeting)).content.decode()
    assert "🔒" in page
    for obj, field in ((meeting, "city"), (chair, "title"), (fund, "value")):
        opts = obj._meta
        url = reverse(f"admin:meetings_{opts.model_name}_unlock", args=[obj.pk, field])
        assert url in page

    # Unlock the title (confirmation page, then POST); the next ingest updates it again.
    unlock = reverse("admin:meetings_participation_unlock", args=[chair.pk, "title"])
    assert editor_client.get(unlock).status_code == 200
    response = editor_client.post(unlock, {"next": change_url(meeting)})
    assert response.status_code == 302 and response["Location"] == change_url(meeting)
    chair.refresh_from_db()
    assert chair.corrected_fields == []

    ingest_corpus()  # the same texts, the same extractor: unlocking asked for the source again
    chair.refresh_from_db()
    meeting.refresh_from_db()
    fund.refresh_from_db()
    assert chair.title == extracted_title
    assert meeting.city == hai_phong  # still locked
    assert fund.value == Decimal("56000000000")

    # Unlocking the city lets the extracted one back.
    editor_client.post(reverse("admin:meetings_meeting_unlock", args=[meeting.pk, "city"]))
    ingest_corpus()
    meeting.refresh_from_db()
    assert meeting.city.name == "Hà Nội" and meeting.corrected_fields == []


def test_saving_unchanged_form_locks_nothing_and_keeps_review_status(editor_client, corpus):
    data = form_data(editor_client.get(change_url(corpus)))
    assert editor_client.post(change_url(corpus), data).status_code == 302
    corpus.refresh_from_db()
    assert corpus.corrected_fields == []
    assert corpus.review_status == ReviewStatus.UNREVIEWED
    assert not Participation.objects.filter(meeting=corpus).exclude(corrected_fields=[]).exists()


def test_change_page_shows_source_sentences_and_links(editor_client, corpus):
    response = editor_client.get(change_url(corpus))
    page = response.content.decode()
    start, end = corpus.evidence["city"]
    source = corpus.articles.order_by("pk").first()
    assert f"<mark>{source.text[start:end]}</mark>" in page  # beside the city field
    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến")
    assert f"<mark>{chair.evidence_text}</mark>" in page  # in the participants inline
    assert corpus.get_absolute_url() in page
    assert reverse("admin:meetings_article_change", args=[source.pk]) in page
    assert source.url in page


def test_evidence_is_escaped(editor_client, corpus):
    article = corpus.articles.order_by("pk").first()
    Article.objects.filter(pk=article.pk).update(text="<b>Hà Nội</b> " + article.text)
    Meeting.objects.filter(pk=corpus.pk).update(evidence={"city": [3, 9]})
    page = editor_client.get(change_url(corpus)).content.decode()
    assert "&lt;b&gt;<mark>Hà Nội</mark>&lt;/b&gt;" in page


# Tombstones


def test_deleted_participant_stays_deleted(editor_client, corpus):
    response = editor_client.get(change_url(corpus))
    data = form_data(response)
    prefix, rows = inline_prefix(response, Participation)
    n, gone = next((i, p) for i, p in enumerate(rows) if p.person.name == "Lê Đình Hùng")
    data[f"{prefix}-{n}-DELETE"] = "on"
    assert editor_client.post(change_url(corpus), data).status_code == 302

    assert not Participation.objects.filter(pk=gone.pk).exists()
    assert Tombstone.objects.filter(
        meeting=corpus, kind="participation", key=gone.person.name_folded
    ).exists()
    corpus.refresh_from_db()
    assert corpus.review_status == ReviewStatus.UNREVIEWED  # a deletion is no review

    for reextract in (False, True):
        ingest_corpus(reextract=reextract)
        assert not corpus.participations.filter(person__name="Lê Đình Hùng").exists()
    assert corpus.participations.filter(person__name="Nguyễn Thị Tuyến").exists()


def test_bulk_delete_from_changelist_leaves_tombstones(editor_client, corpus):
    metrics = list(corpus.metrics.order_by("pk")[:2])
    response = editor_client.post(
        reverse("admin:meetings_metric_changelist"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in metrics], "post": "yes"},
    )
    assert response.status_code == 302
    keys = set(Tombstone.objects.filter(kind="metric").values_list("key", flat=True))
    assert keys == {m.extraction_key for m in metrics}
    ingest_corpus(reextract=True)
    assert not corpus.metrics.filter(extraction_key__in=keys).exists()


def test_deleting_a_person_tombstones_their_participations(editor_client, corpus):
    person = corpus.participations.get(person__name="Vũ Hà").person
    url = reverse("admin:meetings_person_delete", args=[person.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert Tombstone.objects.filter(meeting=corpus, key=person.name_folded).exists()
    ingest_corpus(reextract=True)
    assert not corpus.participations.filter(person__name="Vũ Hà").exists()


def test_pointing_a_row_at_another_person_tombstones_the_extracted_one(
    editor_client, corpus, make_person
):
    other = make_person("Trần Văn Khác")
    response = editor_client.get(change_url(corpus))
    data = form_data(response)
    prefix, rows = inline_prefix(response, Participation)
    n, row = next((i, p) for i, p in enumerate(rows) if p.person.name == "Vũ Hà")
    data[f"{prefix}-{n}-person"] = str(other.pk)
    assert editor_client.post(change_url(corpus), data).status_code == 302
    row.refresh_from_db()
    assert row.person == other and "person" in row.corrected_fields
    ingest_corpus(reextract=True)
    assert not corpus.participations.filter(person__name="Vũ Hà").exists()


def test_deleted_meeting_is_not_recreated(editor_client, corpus):
    sources = list(corpus.articles.values_list("pk", flat=True))
    url = reverse("admin:meetings_meeting_delete", args=[corpus.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    # Its articles stay, detached; ingest leaves an article whose meeting was deleted alone.
    assert Article.objects.filter(pk__in=sources, meeting=None).count() == len(sources)
    for reextract in (False, True):
        ingest_corpus(reextract=reextract)
        assert not Meeting.objects.filter(**HANOI_Q3_2023).exists()


# Review


def test_mark_verified_action(editor_client, editor, corpus):
    flagged = Meeting.objects.exclude(pk=corpus.pk).first()
    Meeting.objects.filter(pk=flagged.pk).update(review_status=ReviewStatus.RECHECK)
    response = editor_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "mark_verified", "_selected_action": [corpus.pk, flagged.pk]},
    )
    assert response.status_code == 302
    corpus.refresh_from_db()
    flagged.refresh_from_db()
    assert corpus.review_status == ReviewStatus.VERIFIED and corpus.reviewed_by == editor
    assert flagged.review_status == ReviewStatus.VERIFIED  # checked again: verified now
    assert corpus.history.first().history_change_reason == "Marked verified"
    # The public page says an editor checked it.
    assert "badge--checked" in editor_client.get(corpus.get_absolute_url()).content.decode()


def test_meeting_list_filters_and_folded_search(editor_client, corpus):
    url = reverse("admin:meetings_meeting_changelist")
    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến").person
    for query in (
        {"needs_review": "yes"},
        {"presiding": chair.pk},
        {"sources": "1"},
        {"q": "nguyen thi tuyen"},
        {"q": "Nguyễn Thị Tuyến"},
    ):
        response = editor_client.get(url, query)
        assert response.status_code == 200
        assert corpus in response.context["cl"].result_list, query
    response = editor_client.get(url, {"q": "khong co cuoc hop nao nhu the"})
    assert list(response.context["cl"].result_list) == []


def test_meeting_search_uses_the_indexed_vector_not_like(editor_client, corpus):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:meetings_meeting_changelist")
    for query in ("LĐLĐ", "lien doan lao dong", "NGUYỄN THỊ TUYẾN"):
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(url, {"q": query})
        assert response.status_code == 200
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "search_vector" in sql and "@@" in sql, query
        assert "LIKE" not in sql.upper(), query  # no scan of titles or article texts
    assert corpus in response.context["cl"].result_list


def test_meeting_changelist_pages_read_ids_first(editor_client, corpus):
    from meetings.admin.meetings import MeetingAdmin
    from meetings.pagination import IdsFirstPaginator

    assert MeetingAdmin.paginator is IdsFirstPaginator
    url = reverse("admin:meetings_meeting_changelist")
    response = editor_client.get(url)
    shown = [m.pk for m in response.context["cl"].result_list]
    assert shown == list(Meeting.objects.values_list("pk", flat=True)[:100])


# History


def test_history_records_who_and_what_and_reverts(editor_client, editor, corpus):
    hanoi = corpus.city
    hai_phong = City.objects.get(name="Hải Phòng")
    data = form_data(editor_client.get(change_url(corpus)))
    data["city"] = str(hai_phong.pk)
    editor_client.post(change_url(corpus), data)

    latest = corpus.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Corrected city"
    delta = latest.diff_against(latest.prev_record)
    changes = {c.field: (c.old, c.new) for c in delta.changes}
    assert changes["city"] == (hanoi.pk, hai_phong.pk)

    page = editor_client.get(reverse("admin:meetings_meeting_history", args=[corpus.pk]))
    assert page.status_code == 200 and "editor" in page.content.decode()
    assert "/admin/auth/user/" not in page.content.decode()  # editors don't manage users

    # Revert to the version before the edit, from the admin.
    before = latest.prev_record
    revert = reverse("admin:meetings_meeting_simple_history", args=[corpus.pk, before.pk])
    response = editor_client.get(revert)
    assert response.status_code == 200
    assert editor_client.post(revert, form_data(response)).status_code == 302
    corpus.refresh_from_db()
    assert corpus.city == hanoi
    assert corpus.history.first().history_user == editor
    # A revert is an editor's decision too: the city stays locked at the reverted value.
    assert corpus.corrected_fields == ["city"]


def test_history_of_an_inline_edit_has_before_and_after(editor_client, corpus):
    fund = corpus.metrics.get(unit="VND")
    correct_meeting(
        editor_client,
        corpus,
        city=corpus.city,
        title_of=(corpus.participations.first(), corpus.participations.first().title),
        value_of=(fund, "1"),
    )
    records = list(fund.history.all())
    assert [r.history_change_reason for r in records] == ["Corrected value", "As ingested"]
    assert records[1].value == Decimal("55000000000") and records[0].value == Decimal("1")

    # Revert the row to its ingested version from its own history page.
    revert = reverse("admin:meetings_metric_simple_history", args=[fund.pk, records[1].pk])
    response = editor_client.get(revert)
    assert editor_client.post(revert, form_data(response)).status_code == 302
    fund.refresh_from_db()
    assert fund.value == Decimal("55000000000")
    assert fund.corrected_fields == ["value"]  # an editor chose it: ingest leaves it alone


# Permissions


def test_editor_cannot_reach_user_management(editor_client):
    for name in (
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:auth_group_add",
    ):
        assert editor_client.get(reverse(name)).status_code == 403, name
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index
    assert reverse("admin:meetings_meeting_changelist") in index


def test_editor_can_correct_but_not_add_meetings(editor_client):
    assert editor_client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:meetings_meeting_add")).status_code == 403
    assert editor_client.get(reverse("admin:meetings_article_changelist")).status_code == 200


def test_setup_editors_is_idempotent_and_has_a_dry_run(db, capsys):
    call_command("setup_editors", "--dry-run")
    assert not Group.objects.filter(name="Editors").exists()
    User.objects.create_user("anna")
    call_command("setup_editors", "anna")
    call_command("setup_editors")
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_meeting", "delete_participation", "view_historicalmeeting"} <= codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}
    anna = User.objects.get(username="anna")
    assert anna.is_staff and anna.groups.filter(name="Editors").exists()
    assert "Editors" in capsys.readouterr().out


def test_public_pages_show_no_admin_links_to_anonymous(client, corpus, admin_user):
    chair = corpus.participations.get(person__name="Nguyễn Thị Tuyến").person
    pages = ["/", corpus.get_absolute_url(), chair.get_absolute_url(), "/meetings/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/admin/" not in response.content.decode(), url
    client.force_login(admin_user)
    assert "/admin/" in client.get("/").content.decode()
