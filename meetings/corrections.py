"""What an editor's correction leaves behind, so that no re-ingest undoes it.

- A changed field of an extracted row is *locked*: its name goes into `corrected_fields`, and
  ingest never writes it again until an editor unlocks it.
- A deleted extracted row leaves a `Tombstone(meeting, kind, key)`, so ingest does not recreate
  it. Deleting a person, organisation or directive deletes its links to meetings (CASCADE):
  those get tombstones too.
- A meeting's review is an editor's verdict on the whole record: "verified" or "needs another
  look", with who and when. Correcting a value does not review the meeting (its lock says
  that value was corrected; the rest is still as extracted).
- Every editor's change names the editor and why in its history record (`by_editor`), and is
  preceded, in the history, by the row as ingest left it: "As ingested" the first time,
  "Updated by ingest" when ingest changed it since the last record (`ensure_history_baseline`),
  so each change has its "before".
- `touch_meetings` tells the list's cached facets that these meetings' people or bodies
  changed (meetings/facets.py keys its cache by the meetings' latest `updated_at`).

The admin calls these explicitly (no signals): ingest and the merge code save the same models
and must not be mistaken for an editor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from meetings.models import (
    Article,
    Directive,
    DirectiveCitation,
    Meeting,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    ReviewStatus,
    Tombstone,
)

# Rows the extractor writes and editors correct.
LINK_MODELS = (Participation, OrganizationMention, DirectiveCitation, Metric)
ENTITY_MODELS = (Person, Organization, Directive)
EXTRACTED_MODELS = (Meeting, *LINK_MODELS, *ENTITY_MODELS)

# Bookkeeping fields: changing them is not a correction of an extracted value.
NOT_LOCKABLE = frozenset(
    {
        "id",
        "corrected_fields",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "search_document",
        "search_vector",
        "search_stale",
        "name_folded",
        "number_key",
        "created_at",
        "updated_at",
        "merged_into",
        "meeting",
        "doubts",
        "slug",
        "identity_key",
        "extraction_key",
        "is_demo",
    }
)

# Which link rows disappear (CASCADE) with an entity, by the entity's model.
CASCADED_LINKS = {
    Person: (Participation, "person"),
    Organization: (OrganizationMention, "organization"),
    Directive: (DirectiveCitation, "directive"),
}


def lockable_fields(model) -> set[str]:
    """Names of the fields of `model` a correction can lock."""
    return {
        f.name
        for f in model._meta.concrete_fields
        if f.name not in NOT_LOCKABLE and not f.primary_key
    }


def differing_fields(before: models.Model, after: models.Model, names: Iterable[str]) -> set[str]:
    """Which of these fields hold different values in two instances of one model."""
    changed = set()
    for name in names:
        field = before._meta.get_field(name)
        if getattr(before, field.attname) != getattr(after, field.attname):
            changed.add(name)
    return changed


def record_corrections(obj, before, form_fields: Iterable[str], changed_data: Iterable[str]):
    """Lock the fields an editor changed on `obj` (about to be saved); returns their names.

    `before` is the row as stored. Fields outside the form keep their stored values, so
    reverting to an old version from the history restores what an editor can edit and nothing
    that ingest owns; the locks start from the stored ones, never from an old version's.
    The caller records `before` in the history first (ensure_history_baseline).
    """
    model = type(obj)
    in_form = set(form_fields)
    for field in model._meta.concrete_fields:
        if field.name not in in_form and not field.primary_key:
            setattr(obj, field.attname, getattr(before, field.attname))
    editable = in_form & lockable_fields(model)
    changed = (set(changed_data) & editable) | differing_fields(before, obj, editable)
    if changed:
        obj.lock(*changed)
    return changed


# History reasons written by the code (stored in English; meetings/history.py words them).
AS_INGESTED = "As ingested"
UPDATED_BY_INGEST = "Updated by ingest"
MAX_REASON = 100  # characters of a change reason the history keeps


def by_editor(obj, user, reason: str, when: datetime.datetime | None = None):
    """Make the history record of `obj`'s next save or delete name the editor (None: nobody
    signed in), why, and when (`when`: one moment for every row an action changes; None:
    now). Returns `obj`, so that `by_editor(row, user, "…").save()` reads as what it does."""
    obj._history_user = user
    if when is not None:
        obj._history_date = when
    obj._change_reason = reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"
    return obj


# Values whose change by ingest, between two editors' changes, gets its own history record.
NOT_COMPARED = frozenset({"evidence", "article", "evidence_start", "evidence_end", "city_basis"})
REVIEW_STATE = ("review_status", "reviewed_by", "reviewed_at")


def compared_fields(model) -> list:
    """The fields whose values the history tells (see ensure_history_baseline)."""
    names = (lockable_fields(model) - NOT_COMPARED) | {"corrected_fields"}
    if model is Meeting:
        names |= set(REVIEW_STATE)
    return [model._meta.get_field(name) for name in sorted(names)]


def ensure_history_baseline(before, when=None) -> None:
    """Before an editor changes `before` (the row as stored), make its history end with it.

    Ingest writes no history (meetings/ingest/write.py): a row it created has none, and a row
    it changed since an editor's last change has a last record that is no longer the row. So:
    no record yet → "As ingested"; a last record that differs from the stored row in a value
    the history tells → "Updated by ingest". Either way the editor's change that follows
    has, as its "before", the values the editor saw. `when`: the time the editor's change
    will be recorded at, if already chosen (one time per admin save): this record comes
    before it.
    """
    model = type(before)
    history = model.history
    latest = history.filter(id=before.pk).order_by("-history_date", "-history_id").first()
    before._history_user = None  # ingest wrote it, not the editor about to change it
    if latest is None:
        created = getattr(before, "created_at", None) or timezone.now()  # rows have none
        history.bulk_history_create(
            [before], default_change_reason=AS_INGESTED, default_date=_until(created, when)
        )
        return
    if latest.history_type == "-":
        return
    if any(
        getattr(latest, f.attname) != getattr(before, f.attname) for f in compared_fields(model)
    ):
        changed_at = max(getattr(before, "updated_at", None) or timezone.now(), latest.history_date)
        history.bulk_history_create(
            [before],
            update=True,
            default_change_reason=UPDATED_BY_INGEST,
            default_date=_until(changed_at, when),
        )


def _until(date, when):
    """`date`, or just before `when` if that is earlier: a "before" precedes its change."""
    if when is None:
        return date
    return min(date, when - datetime.timedelta(microseconds=1))


def tombstone(row) -> Tombstone | None:
    """Record that an editor deleted this extracted link row (idempotent)."""
    if not isinstance(row, LINK_MODELS) or row.meeting_id is None:
        return None
    key = (row.tombstone_key or "")[:400]
    if not key:
        return None
    stone, _ = Tombstone.objects.get_or_create(
        meeting_id=row.meeting_id, kind=row._meta.model_name, key=key
    )
    return stone


def rows_deleted_with(objs: Iterable[models.Model]) -> list[models.Model]:
    """The extracted rows that deleting `objs` removes: the rows themselves if they are link
    rows, and for people, organisations and directives their links to meetings."""
    rows, by_model = [], {}
    for obj in objs:
        if isinstance(obj, LINK_MODELS):
            rows.append(obj)
        elif type(obj) in CASCADED_LINKS:
            by_model.setdefault(type(obj), []).append(obj.pk)
    for model, pks in by_model.items():
        link_model, field = CASCADED_LINKS[model]
        rows += list(link_model.objects.filter(**{f"{field}__in": pks}).select_related(field))
    return rows


@transaction.atomic
def delete_with_tombstones(objs: Iterable[models.Model], user=None, when=None) -> set[int]:
    """Delete rows as an editor: tombstones first, then the rows; returns the meeting ids
    whose content changed. `when`: the time of the editor's save, when the deletion is part
    of one (its history then tells them as one event)."""
    objs = list(objs)
    meeting_ids = set()
    for row in rows_deleted_with(objs):
        tombstone(row)
        meeting_ids.add(row.meeting_id)
    for obj in objs:
        if isinstance(obj, EXTRACTED_MODELS):
            ensure_history_baseline(type(obj)._base_manager.get(pk=obj.pk), when)
        by_editor(obj, user, "Deleted by an editor", when).delete()
    return meeting_ids


def replaced_identity(before, after) -> Tombstone | None:
    """An editor pointed an extracted link row at another person (organisation, directive):
    the extracted one must not come back, so its key gets a tombstone."""
    if not isinstance(before, LINK_MODELS) or before.article_id is None:
        return None
    if before.tombstone_key != after.tombstone_key:
        return tombstone(before)
    return None


def unlock(obj, field: str, user=None) -> bool:
    """Let the next ingest write this field again; False when it was not locked."""
    if not obj.is_locked(field):
        return False
    ensure_history_baseline(type(obj)._base_manager.get(pk=obj.pk))
    obj.unlock(field)
    by_editor(obj, user, f"Unlocked {field}").save(update_fields=["corrected_fields"])
    # The same texts are skipped by ingest (content hash), so the unlocked value would only
    # come back with a new extractor. Asking for the sources to be applied again makes the
    # very next ingest of them write the extracted value.
    sources = (
        Article.objects.filter(meeting=obj, is_current=True)
        if isinstance(obj, Meeting)
        else Article.objects.filter(pk=getattr(obj, "article_id", None))
    )
    sources.update(extractor_version="")
    return True


def set_review(meeting: Meeting, status: str, user) -> None:
    """Set (without saving) who reviewed the meeting, when, and the outcome."""
    meeting.review_status = status
    meeting.reviewed_by = user if getattr(user, "is_authenticated", False) else None
    meeting.reviewed_at = timezone.now()


REVIEW_FIELDS = ["review_status", "reviewed_by", "reviewed_at", "updated_at"]
REVIEW_REASONS = {
    ReviewStatus.VERIFIED: "Marked verified",
    ReviewStatus.RECHECK: "Needs another look",
    ReviewStatus.UNREVIEWED: "Review withdrawn",
}


def review(meeting_ids: Iterable[int], status: str, user) -> int:
    """Record an editor's verdict on whole meetings (who, when, one history record each);
    returns how many."""
    count = 0
    for meeting in Meeting.objects.slim().filter(pk__in=set(meeting_ids)).order_by("pk"):
        ensure_history_baseline(meeting)
        set_review(meeting, status, user)
        by_editor(meeting, user, REVIEW_REASONS[status]).save(update_fields=REVIEW_FIELDS)
        count += 1
    return count


def verify_meetings(meeting_ids: Iterable[int], user) -> int:
    """An editor checked every value of these meetings (those they corrected included)."""
    return review(meeting_ids, ReviewStatus.VERIFIED, user)


def needs_another_look(meeting_ids: Iterable[int], user) -> int:
    """An editor found something to check again (by them or another editor)."""
    return review(meeting_ids, ReviewStatus.RECHECK, user)


def touch_meetings(meeting_ids: Iterable[int]) -> int:
    """Say that what these meetings show changed (a participant's roles, a person merged …)
    without saving them: their `updated_at` moves (feeds, sitemaps and the API date a meeting
    by it). Cached pages and counts need nothing more: the write itself moves the data
    version (meetings/data_version.py)."""
    ids = set(meeting_ids)
    if not ids:
        return 0
    return Meeting.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def meetings_involving(obj) -> set[int]:
    """Ids of the meetings whose search document shows this row."""
    if isinstance(obj, Meeting):
        return {obj.pk}
    if isinstance(obj, LINK_MODELS):
        return {obj.meeting_id}
    if isinstance(obj, Person):
        return set(obj.participations.values_list("meeting_id", flat=True))
    if isinstance(obj, Organization):
        return set(obj.mentions.values_list("meeting_id", flat=True))
    if isinstance(obj, Directive):
        return set(obj.citations.values_list("meeting_id", flat=True))
    return set()
