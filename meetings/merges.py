"""Merging duplicate people, organisations and meetings into one survivor.

Real data names one person several ways ("Nguyễn Thị Tuyến", "Tuyến"), or one body by its full
name and its abbreviation. A merge moves everything of the others to the survivor, keeps their
names as the survivor's aliases (so ingest resolves them to the survivor from then on), and
keeps the other rows with `merged_into` set, so their public URLs redirect (301) to the survivor
and ingest follows them too. Everything happens in one transaction, and every row it changes
gets a history record naming the editor and the merge (after the row as it was, when its
history did not have it yet: see corrections.ensure_history_baseline). The meetings whose
people or bodies changed are touched (corrections.touch_meetings), so the meeting list's
cached counts offer the survivor at once.

Meetings (two reports ingest could not be sure were one, see meetings/ingest/identity.py) merge
the same way, except that the other meeting is deleted (its history keeps it) and its address
is kept as a MeetingRedirect to the survivor; its sources, participants, organisations,
directives, figures and tombstones move to the survivor, and the survivor's blank values
(city, place, date, period) are filled from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy

from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone

from meetings.corrections import by_editor, ensure_history_baseline, touch_meetings
from meetings.extraction.text import fold, fold_name, squash_spaces
from meetings.models import (
    Article,
    DirectiveCitation,
    Meeting,
    MeetingRedirect,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    Tombstone,
)
from meetings.models.links import Role
from meetings.search import update_search_documents

ROLE_ORDER = {role: n for n, role in enumerate(Role.values)}
MAX_HOPS = 20  # merged_into chains are flattened by merges; this only guards against cycles


class MergeError(ValueError):
    """The rows cannot be merged as asked (a survivor among the others, one already merged …)."""


def final_survivor(obj):
    """The row `obj` was merged into, following chains; `obj` itself when not merged."""
    seen = {obj.pk}
    for _ in range(MAX_HOPS):
        if not getattr(obj, "merged_into_id", None):
            break
        obj = obj.merged_into
        if obj.pk in seen:
            break
        seen.add(obj.pk)
    return obj


def redirect_if_merged(obj) -> HttpResponsePermanentRedirect | None:
    """For public detail views: a 301 to the survivor's page when editors merged `obj`."""
    if not getattr(obj, "merged_into_id", None):
        return None
    survivor = final_survivor(obj)
    if survivor.pk == obj.pk:
        return None
    return HttpResponsePermanentRedirect(survivor.get_absolute_url())


def merge_people(survivor: Person, others: Iterable[Person], user=None) -> dict:
    """Merge `others` into `survivor`; returns counts of what moved."""
    return _merge(Person, survivor, others, user)


def merge_organizations(survivor: Organization, others: Iterable[Organization], user=None) -> dict:
    """Merge `others` into `survivor`; returns counts of what moved."""
    return _merge(Organization, survivor, others, user)


@transaction.atomic
def _merge(model, survivor, others, user) -> dict:
    when = timezone.now()  # one merge, one moment in every row's history
    ids = {o.pk for o in others} - {survivor.pk}
    if not ids:
        raise MergeError("Choose at least one other record to merge into the survivor.")
    # Lock the rows in a stable order, so two editors merging overlapping sets wait in turn.
    rows = {o.pk: o for o in model.objects.select_for_update().filter(pk__in=ids | {survivor.pk})}
    survivor = rows.pop(survivor.pk)
    if survivor.merged_into_id:
        raise MergeError(f"{survivor} was itself merged into another record.")
    others = [rows[pk] for pk in sorted(rows)]
    already = [o for o in others if o.merged_into_id]
    if already:
        raise MergeError(f"{already[0]} was already merged into another record.")

    counts = {"merged": len(others), "moved": 0, "combined": 0, "metrics": 0}
    meeting_ids: set[int] = set()
    for other in others:
        if model is Person:
            moved, combined, touched = _move_links(
                Participation, "person", other, survivor, user, when, _combine_participation
            )
        else:
            moved, combined, touched = _move_links(
                OrganizationMention, "organization", other, survivor, user, when, _combine_mention
            )
            counts["metrics"] += _move_metrics(other, survivor, user, when)
        counts["moved"] += moved
        counts["combined"] += combined
        meeting_ids |= touched

    ensure_history_baseline(copy(survivor), when)
    _absorb_names(survivor, others)
    by_editor(survivor, user, _reason("Absorbed", others), when)
    survivor.save()
    for other in others:
        # Rows merged into `other` earlier now point straight at the survivor.
        for earlier in model.objects.filter(merged_into=other):
            earlier.merged_into = survivor
            by_editor(earlier, user, f"Merged into {survivor} (#{survivor.pk})", when)
            earlier.save(update_fields=["merged_into"])
        ensure_history_baseline(copy(other), when)
        other.merged_into = survivor
        by_editor(other, user, f"Merged into {survivor} (#{survivor.pk})", when)
        other.save(update_fields=["merged_into"])
    update_search_documents(meeting_ids)
    touch_meetings(meeting_ids)
    return counts


def _move_links(link_model, field, other, survivor, user, when, combine):
    """Move `other`'s links to the survivor; where both were at one meeting, keep one row."""
    kept = {
        row.meeting_id: row
        for row in link_model.objects.select_for_update().filter(**{field: survivor})
    }
    moved = combined = 0
    touched = set()
    for row in link_model.objects.select_for_update().filter(**{field: other}).order_by("id"):
        touched.add(row.meeting_id)
        target = kept.get(row.meeting_id)
        ensure_history_baseline(copy(row), when)
        if target is None:
            setattr(row, field, survivor)
            by_editor(row, user, f"Moved from {other} (#{other.pk}) by a merge", when).save()
            kept[row.meeting_id] = row
            moved += 1
            continue
        ensure_history_baseline(copy(target), when)
        combine(target, row)
        by_editor(target, user, f"Combined with the row of {other} (#{other.pk})", when)
        target.save()
        reason = f"Combined into the row of {survivor} (#{survivor.pk}) by a merge"
        by_editor(row, user, reason, when).delete()
        combined += 1
    return moved, combined, touched


def _combine_evidence(target, row) -> None:
    if target.evidence_start is None and row.evidence_start is not None:
        target.article_id = row.article_id
        target.evidence_start, target.evidence_end = row.evidence_start, row.evidence_end
    target.corrected_fields = sorted(set(target.corrected_fields) | set(row.corrected_fields))


def _combine_participation(target: Participation, row: Participation) -> None:
    """Roles: the union. Title: the survivor's, else the other's; a title the other row has
    and the survivor's lacks is the more specific one when it contains the survivor's."""
    before = (list(target.roles), target.title)
    roles = set(target.roles) | set(row.roles)
    target.roles = sorted(roles, key=lambda r: ROLE_ORDER.get(r, len(ROLE_ORDER)))
    mine, theirs = squash_spaces(target.title), squash_spaces(row.title)
    if not mine or (theirs and fold(mine) in fold(theirs)):
        target.title = theirs
    _combine_evidence(target, row)
    if (target.roles, target.title) != before:
        target.lock("roles", "title")  # the merge decided them, not the extractor


def _combine_mention(target: OrganizationMention, row: OrganizationMention) -> None:
    if not target.name_as_written:
        target.name_as_written = row.name_as_written
    _combine_evidence(target, row)


def _move_metrics(other: Organization, survivor: Organization, user, when) -> int:
    moved = 0
    for metric in Metric.objects.select_for_update().filter(organization=other):
        ensure_history_baseline(copy(metric), when)
        metric.organization = survivor
        by_editor(metric, user, f"Moved from {other} (#{other.pk}) by a merge", when)
        metric.save()
        moved += 1
    return moved


def _absorb_names(survivor, others) -> None:
    """The others' names and aliases become the survivor's aliases (once each, folded)."""
    seen = {fold_name(survivor.name)}
    aliases = []
    candidates = list(survivor.aliases or [])
    for other in others:
        candidates += [other.name, *(other.aliases or [])]
        if isinstance(other, Organization) and other.abbreviation:
            if not survivor.abbreviation:
                survivor.abbreviation = other.abbreviation
            else:
                candidates.append(other.abbreviation)
    for name in candidates:
        key = fold_name(name)
        if key and key not in seen:
            seen.add(key)
            aliases.append(squash_spaces(name))
    survivor.aliases = aliases


def _reason(verb: str, others) -> str:
    names = ", ".join(f"{o} (#{o.pk})" for o in others)
    return f"{verb} {names} by a merge"


# Meetings

MEETING_BLANKS = (
    "city",
    "city_source",
    "city_basis",
    "place",
    "locality",
    "held_on",
    "held_until",
    "meeting_type",
    "body",
)
MEETING_ROWS = (
    (Participation, "person_id", _combine_participation),
    (OrganizationMention, "organization_id", _combine_mention),
    (DirectiveCitation, "directive_id", _combine_evidence),
    (Metric, "extraction_key", _combine_evidence),
)


@transaction.atomic
def merge_meetings(survivor: Meeting, others: Iterable[Meeting], user=None) -> dict:
    """Merge `others` into `survivor`; returns counts of what moved."""
    when = timezone.now()  # one merge, one moment in every row's history
    ids = {o.pk for o in others} - {survivor.pk}
    if not ids:
        raise MergeError("Choose at least one other meeting to merge into the survivor.")
    rows = {m.pk: m for m in Meeting.objects.select_for_update().filter(pk__in=ids | {survivor.pk})}
    survivor = rows.pop(survivor.pk)
    ensure_history_baseline(copy(survivor), when)
    counts = {"merged": len(rows), "moved": 0, "combined": 0, "metrics": 0}
    for other in (rows[pk] for pk in sorted(rows)):
        counts["moved"] += Article.objects.filter(meeting=other).update(meeting=survivor)
        for model, key, combine in MEETING_ROWS:
            moved, combined = _move_meeting_rows(model, key, combine, other, survivor, user, when)
            counts["moved"] += moved
            counts["combined"] += combined
        for tomb in Tombstone.objects.filter(meeting=other):
            Tombstone.objects.get_or_create(meeting=survivor, kind=tomb.kind, key=tomb.key)
        _fill_blanks(survivor, other)
        MeetingRedirect.objects.filter(meeting=other).update(meeting=survivor)
        MeetingRedirect.objects.update_or_create(
            old_slug=other.slug, defaults={"meeting": survivor}
        )
        Meeting.objects.filter(possible_duplicate_of=other).exclude(pk=survivor.pk).update(
            possible_duplicate_of=survivor
        )
        by_editor(other, user, f"Merged into {survivor} (#{survivor.pk})", when)
        other.delete()
    if survivor.possible_duplicate_of_id in rows:
        survivor.possible_duplicate_of = None
    by_editor(survivor, user, _reason("Absorbed", rows.values()), when)
    survivor.save()
    update_search_documents([survivor.pk])
    touch_meetings([survivor.pk])
    return counts


def _move_meeting_rows(model, key: str, combine, other, survivor, user, when):
    """Move one kind of row to the survivor; where both have one for the same thing, keep
    the survivor's, combined with the other's."""
    kept = {getattr(r, key): r for r in model.objects.select_for_update().filter(meeting=survivor)}
    moved = combined = 0
    for row in model.objects.select_for_update().filter(meeting=other).order_by("id"):
        ensure_history_baseline(copy(row), when)
        target = kept.get(getattr(row, key))
        if target is None:
            row.meeting = survivor
            by_editor(row, user, f"Moved from meeting #{other.pk} by a merge", when).save()
            moved += 1
            continue
        ensure_history_baseline(copy(target), when)
        combine(target, row)
        by_editor(target, user, f"Combined with the row of meeting #{other.pk}", when)
        target.save()
        by_editor(row, user, f"Combined into meeting #{survivor.pk} by a merge", when).delete()
        combined += 1
    return moved, combined


def _fill_blanks(survivor: Meeting, other: Meeting) -> None:
    if not survivor.city_id and other.city_id:
        survivor.city_source, survivor.city_basis = other.city_source, other.city_basis
    for name in MEETING_BLANKS:
        attr = f"{name}_id" if name in ("city", "place") else name
        if getattr(survivor, attr) in (None, "") and getattr(other, attr) not in (None, ""):
            setattr(survivor, attr, getattr(other, attr))
    if not survivor.period_kind and other.period_kind:
        survivor.period_kind = other.period_kind
        survivor.period_year, survivor.period_number = other.period_year, other.period_number
    if survivor.held_until and (not survivor.held_on or survivor.held_until < survivor.held_on):
        survivor.held_until = None
