"""The story of a meeting, told from its history records, and undoing one change of it.

A meeting's record is its own fields and its participants, organisations, directives and
figures; each has its own history (django-simple-history), and an editor's single save may
change several. `meeting_story()` reads them all and tells them as events, newest first:
who (an editor, or ingest), when, and for each row what happened (as ingested, corrected,
added, deleted, marked verified, merged …) with each value "before → after" in the
reader's language: names for ids, labels for codes, dates as dates, an empty value as "—".

`revert()` undoes one step: the values it changed go back (each only if nobody changed it
since), with the locks they had before; an editor's added row is removed, a deleted one
restored. It is an editor's change like any other (history, search document, the list's
counts). Merges and ingest's own work are not undone here.

`record_baselines()` gives every meeting without one its "As ingested" history record
(migration 0013, `manage.py record_history_baselines`, and the end of every ingest run).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.corrections import (
    AS_INGESTED,
    LINK_MODELS,
    UPDATED_BY_INGEST,
    by_editor,
    ensure_history_baseline,
    touch_meetings,
)
from meetings.models import (
    Directive,
    DirectiveCitation,
    Meeting,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    Tombstone,
)
from meetings.models.links import Role
from meetings.models.meetings import CitySource, PeriodKind, ReviewStatus, period_label
from meetings.search import update_search_documents

EMPTY = "—"

# What the story tells of each model: (key, the fields holding that value). A key names a
# field of the model, except "period" (three fields, one value) and "review".
PERIOD = ("period_kind", "period_year", "period_number")
REVIEW = ("review_status", "reviewed_by_id", "reviewed_at")
TOLD = {
    Meeting: [
        ("title", ("title",)),
        ("meeting_type", ("meeting_type",)),
        ("body", ("body",)),
        ("city", ("city_id",)),
        ("place", ("place_id",)),
        ("locality", ("locality",)),
        ("held_on", ("held_on",)),
        ("held_until", ("held_until",)),
        ("period", PERIOD),
        ("possible_duplicate_of", ("possible_duplicate_of_id",)),
        ("review", REVIEW),
    ],
    Participation: [
        ("person", ("person_id",)),
        ("title", ("title",)),
        ("roles", ("roles",)),
    ],
    OrganizationMention: [
        ("organization", ("organization_id",)),
        ("name_as_written", ("name_as_written",)),
    ],
    DirectiveCitation: [
        ("directive", ("directive_id",)),
        ("text_as_written", ("text_as_written",)),
    ],
    Metric: [
        ("value", ("value",)),
        ("qualifier", ("qualifier",)),
        ("unit", ("unit",)),
        ("target", ("target",)),
        ("label", ("label",)),
        ("organization", ("organization_id",)),
    ],
    Person: [
        ("name", ("name",)),
        ("city", ("city_id",)),
        ("aliases", ("aliases",)),
        ("merged_into", ("merged_into_id",)),
    ],
    Organization: [
        ("name", ("name",)),
        ("abbreviation", ("abbreviation",)),
        ("city", ("city_id",)),
        ("aliases", ("aliases",)),
        ("merged_into", ("merged_into_id",)),
    ],
    Directive: [
        ("kind", ("kind",)),
        ("number", ("number",)),
        ("issuer", ("issuer",)),
        ("issued_on", ("issued_on",)),
        ("subject", ("subject",)),
        ("city", ("city_id",)),
    ],
}
# The meeting's values shown in its "As ingested" entry.
INGESTED_SUMMARY = ("title", "city", "place", "held_on", "period")


def related_model(model, attname: str):
    """The model a foreign key's id (`city_id`) names; None for other fields."""
    for f in model._meta.concrete_fields:
        if f.attname == attname and f.is_relation:
            return f.related_model
    return None


LEGACY_STATUSES = {"corrected": gettext_lazy("corrected")}
QUALIFIERS = {
    "over": gettext_lazy("over"),
    "exceeds": gettext_lazy("exceeding"),
    "under": gettext_lazy("under"),
    "about": gettext_lazy("about"),
    "at least": gettext_lazy("at least"),
    "nearly": gettext_lazy("nearly"),
}
UNITS = {"percent": "%", "VND": gettext_lazy("VND"), "people": gettext_lazy("people")}


class RevertError(Exception):
    """A step that cannot be undone (any more): the message says why, in words."""


# --- words for values ----------------------------------------------------------------------


class Names:
    """The names of the rows a story mentions by id, read once per model."""

    def __init__(self):
        self.wanted: dict[type, set[int]] = {}
        self.found: dict[tuple[type, int], str] = {}

    def want(self, model, attname: str, value) -> None:
        related = related_model(model, attname)
        if related is not None and value is not None:
            self.wanted.setdefault(related, set()).add(value)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            ids = {i for i in ids if (model, i) not in self.found}
            if not ids:
                continue
            for obj in model._base_manager.filter(pk__in=ids):
                self.found[(model, obj.pk)] = str(obj)
        self.wanted = {}

    def name(self, model, attname: str, value) -> str:
        found = self.found.get((related_model(model, attname), value))
        if found is None:
            return _("#%(id)s (no longer exists)") % {"id": value}
        return found


def label_of(model, key: str) -> str:
    """What the reader calls a value: the field's name, or the group's."""
    if key == "period":
        return _("reporting period")
    if key == "review":
        return _("review")
    return str(model._meta.get_field(key).verbose_name)


def words(model, key: str, attnames, values, names: Names) -> str:
    """One value as the reader reads it ("—" when empty)."""
    if key == "period":
        kind, year, number = values
        return str(period_label(kind, year, number)) or EMPTY
    if key == "review":
        status = values[0]
        label = dict(ReviewStatus.choices).get(status) or LEGACY_STATUSES.get(status, status)
        return str(label)
    (attname,), (value,) = attnames, values
    if value is None or value == "" or value == []:
        return EMPTY
    if related_model(model, attname) is not None:
        return names.name(model, attname, value)
    if key == "roles":
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(role, role)) for role in value)
    if key == "qualifier":
        return str(QUALIFIERS.get(value, value))
    if key == "unit":
        return str(UNITS.get(value, value))
    if key == "period_kind":
        return str(dict(PeriodKind.choices).get(value, value))
    return display(value)


def display(value) -> str:
    """A plain value in the reader's language: dates, numbers, yes/no."""
    from meetings.templatetags.charts import format_number

    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | int | float):
        return format_number(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or EMPTY
    return str(value)


def values_of(record, attnames) -> tuple:
    return tuple(getattr(record, name) for name in attnames)


def lock_labels(model, names) -> list[str]:
    labels = []
    for name in names:
        label = label_of(model, "period") if name in PERIOD else label_of(model, name)
        if label not in labels:
            labels.append(label)
    return labels


# --- reasons -----------------------------------------------------------------------------------

MERGE_REASONS = [
    (re.compile(r"^Absorbed (?P<what>.+) by a merge$"), gettext_lazy("took in %(what)s (merge)")),
    (re.compile(r"^Merged into (?P<what>.+)$"), gettext_lazy("merged into %(what)s")),
    (
        re.compile(r"^Moved from (?P<what>.+) by a merge$"),
        gettext_lazy("moved here from %(what)s (merge)"),
    ),
    (
        re.compile(r"^Combined with the row of (?P<what>.+)$"),
        gettext_lazy("combined with the row of %(what)s (merge)"),
    ),
    (
        re.compile(r"^Combined into (?P<what>.+) by a merge$"),
        gettext_lazy("combined into %(what)s (merge)"),
    ),
]
_MEETING_NUMBER = re.compile(r"\bmeeting #(\d+)")


def merge_words(reason: str) -> str | None:
    """A merge's reason in the reader's language, None when the reason is no merge's."""
    for pattern, text in MERGE_REASONS:
        match = pattern.match(reason or "")
        if match:
            what = _MEETING_NUMBER.sub(
                lambda m: _("meeting #%(n)s") % {"n": m.group(1)}, match["what"]
            )
            return str(text) % {"what": what}
    return None


def action_of(record) -> str:
    """What a record did, in words (for any model's history)."""
    reason = record.history_change_reason or ""
    editor = record.history_user_id is not None
    merged = merge_words(reason)
    if merged:
        return merged
    if reason == AS_INGESTED:
        return _("as ingested")
    if reason == UPDATED_BY_INGEST:
        return _("updated by a later ingest")
    if reason.startswith("Review reset"):
        return _("review reset: correcting a value no longer counts as reviewing the meeting")
    if reason.startswith("Reverted"):
        return _("reverted")
    if reason.startswith("Unlocked"):
        return _("unlocked")
    if reason == "Marked verified":
        return _("marked verified")
    if reason == "Needs another look":
        return _("marked as needing another look")
    if reason == "Review withdrawn":
        return _("review withdrawn")
    if record.history_type == "+":
        return _("added") if editor else _("added by ingest")
    if record.history_type == "-":
        return _("deleted") if editor else _("removed by ingest")
    return _("corrected") if editor else _("changed by ingest")


def who(record) -> str:
    user = record.history_user
    if user is None:
        return _("ingest")
    return user.get_full_name() or user.get_username()


# --- the story ---------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Step:
    """What one history record did to one row."""

    record: object
    model: type
    subject: str  # "" for the meeting itself
    action: str
    changes: list[Change] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)
    revert_url: str = ""
    not_revertible: str = ""  # why a change of an editor's cannot be undone (any more)

    @property
    def when(self):
        return self.record.history_date

    @property
    def user_id(self):
        return self.record.history_user_id


@dataclass
class Event:
    """What one person (or ingest) did at one time: one save, one review, one merge."""

    when: datetime.datetime
    who: str
    by_editor: bool
    steps: list[Step]


SUBJECTS = {
    Participation: gettext_lazy("Participant %(name)s"),
    OrganizationMention: gettext_lazy("Organisation %(name)s"),
    DirectiveCitation: gettext_lazy("Directive %(name)s"),
    Metric: gettext_lazy("Figure %(name)s"),
}


def subject_of(model, record, names: Names) -> str:
    if model is Meeting:
        return ""
    if model is Participation:
        name = names.name(model, "person_id", record.person_id)
    elif model is OrganizationMention:
        name = names.name(model, "organization_id", record.organization_id)
    elif model is DirectiveCitation:
        name = names.name(model, "directive_id", record.directive_id)
    else:
        value = display(record.value)
        unit = str(UNITS.get(record.unit, record.unit))
        name = f"“{record.label}” ({value} {unit})".strip() if record.label else f"{value} {unit}"
    return str(SUBJECTS[model]) % {"name": name}


def _histories(meeting: Meeting) -> list[tuple[type, list]]:
    """(model, records of one row in order) for the meeting and every row that was its."""
    out = [
        (
            Meeting,
            list(
                Meeting.history.filter(id=meeting.pk)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            ),
        )
    ]
    for model in LINK_MODELS:
        rows = model.history.filter(meeting_id=meeting.pk).values("id")
        records = (
            model.history.filter(id__in=rows)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        by_row: dict[int, list] = {}
        for record in records:
            by_row.setdefault(record.id, []).append(record)
        out += [(model, rows) for rows in by_row.values()]
    return out


def _hidden(record) -> bool:
    """Records that are only a row's "before": its "As ingested" copy (the meeting's own is
    shown as the story's first event)."""
    return record.history_change_reason == AS_INGESTED


def meeting_story(meeting: Meeting, *, revert_url=None) -> list[Event]:
    """The meeting's events, newest first. `revert_url(model, record)` gives the address
    that undoes a step (None: no revert buttons)."""
    names = Names()
    histories = _histories(meeting)
    for model, records in histories:
        for record in records:
            want_names(names, model, record)
    names.load()
    current = _current_rows(histories)

    steps: list[Step] = []
    ingested = None
    for model, records in histories:
        previous = None
        for record in records:
            mine = model is Meeting or record.meeting_id == meeting.pk
            if model is Meeting and record.history_change_reason == AS_INGESTED:
                ingested = ingested or record
            elif mine and not _hidden(record):
                step = _step(model, record, previous, names)
                if step is not None:
                    if revert_url is not None and step.record.history_user_id is not None:
                        _revertibility(step, previous, current, revert_url)
                    steps.append(step)
            previous = record if record.history_type != "-" else None
    events = _events(steps)
    events.append(_ingested_event(meeting, ingested, names))
    return events


def _step(model, record, previous, names: Names) -> Step | None:
    subject = subject_of(model, record, names)
    step = Step(record, model, subject, action_of(record))
    if record.history_type == "-":
        return step
    for key, attnames in TOLD[model]:
        after = values_of(record, attnames)
        before = values_of(previous, attnames) if previous is not None else None
        if record.history_type == "+" or previous is None:
            if model is Meeting or key == "review" or after == (None,) or after == ("",):
                continue
            value = words(model, key, attnames, after, names)
            step.changes.append(Change(label_of(model, key), EMPTY, value))
            continue
        if before != after:
            step.changes.append(
                Change(
                    label_of(model, key),
                    words(model, key, attnames, before, names),
                    words(model, key, attnames, after, names),
                )
            )
    if previous is not None:
        was, now = set(previous.corrected_fields or []), set(record.corrected_fields or [])
        step.locked = lock_labels(model, sorted(now - was))
        step.unlocked = lock_labels(model, sorted(was - now))
    if record.history_type == "~" and not (step.changes or step.locked or step.unlocked):
        return None  # saved without a visible change (a search refresh, a provenance detail)
    return step


def _current_rows(histories) -> dict[tuple[type, int], object]:
    """The rows as they are now, by (model, id), for telling what can still be undone."""
    wanted: dict[type, set[int]] = {}
    for model, records in histories:
        if records:
            wanted.setdefault(model, set()).add(records[0].id)
    current = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            current[(model, obj.pk)] = obj
    return current


def _revertibility(step: Step, previous, current: dict, revert_url) -> None:
    """Sets the step's revert address, or why it cannot be undone."""
    record, model = step.record, step.model
    reason = record.history_change_reason or ""
    if merge_words(reason) or reason.startswith(("Unlocked", "Review reset")):
        return
    row = current.get((model, record.id))
    if record.history_type == "+":
        if row is None:
            step.not_revertible = _("deleted since")
        else:
            step.revert_url = revert_url(model, record)
        return
    if record.history_type == "-":
        if row is not None:
            step.not_revertible = _("added again since")
        else:
            step.revert_url = revert_url(model, record)
        return
    if previous is None or not step.changes:
        return
    if row is None:
        step.not_revertible = _("deleted since")
    elif _undoable(model, record, previous, row):
        step.revert_url = revert_url(model, record)
    else:
        step.not_revertible = _("changed again since")


def _undoable(model, record, previous, row) -> list[tuple[str, tuple]]:
    """(key, fields) of the values `record` changed that still hold what it wrote."""
    out = []
    for key, attnames in TOLD[model]:
        after = values_of(record, attnames)
        if after == values_of(previous, attnames):
            continue
        if values_of(row, attnames) == after:
            out.append((key, attnames))
    return out


def _events(steps: list[Step]) -> list[Event]:
    """Steps grouped by who and when, newest first: one save of the meeting's page (or one
    merge) writes all its records at one time (admin/mixins.py, request_time)."""
    steps.sort(key=lambda s: (s.when, s.record.history_id))
    events: list[Event] = []
    for step in steps:
        last = events[-1] if events else None
        if last is not None and last.steps[0].user_id == step.user_id and step.when == last.when:
            last.steps.append(step)
            continue
        events.append(Event(step.when, who(step.record), step.user_id is not None, [step]))
    for event in events:  # the meeting's own step first, then its rows
        event.steps.sort(key=lambda s: s.model is not Meeting)
    events.reverse()
    return events


def _ingested_event(meeting: Meeting, record, names: Names) -> Event:
    """The story's first event: the meeting as ingest made it (its stored "As ingested"
    record; a meeting no one changed since is as ingested now)."""
    source = record if record is not None else meeting
    step = Step(record, Meeting, "", _("as ingested"))
    told = dict(TOLD[Meeting])
    for key in INGESTED_SUMMARY:
        attnames = told[key]
        values = values_of(source, attnames)
        names.want(Meeting, attnames[0], values[0])
    names.load()
    for key in INGESTED_SUMMARY:
        attnames = told[key]
        value = words(Meeting, key, attnames, values_of(source, attnames), names)
        if key == "city" and value != EMPTY and source.city_source:
            found_from = dict(CitySource.choices).get(source.city_source, source.city_source)
            value = f"{value} ({found_from})"  # "inferred from people or bodies already known"
        if value != EMPTY:
            step.changes.append(Change(label_of(Meeting, key), "", value))
    when = record.history_date if record is not None else meeting.created_at
    return Event(when, _("ingest"), False, [step])


# --- undoing one step --------------------------------------------------------------------------


@transaction.atomic
def revert(meeting: Meeting, model, history_id: int, user) -> str:
    """Undo one step of the meeting's story (see the module docstring); returns what was
    done, in words. Raises RevertError when it cannot be done."""
    record = model.history.filter(history_id=history_id).first()
    belongs = record is not None and (
        record.id == meeting.pk if model is Meeting else record.meeting_id == meeting.pk
    )
    if not belongs or record.history_user_id is None:
        raise RevertError(_("This change is not an editor's change of this meeting."))
    reason = record.history_change_reason or ""
    if merge_words(reason) or reason.startswith(("Unlocked", "Review reset")):
        raise RevertError(_("A merge or an unlock is not undone here."))
    row = model._base_manager.select_for_update().filter(pk=record.id).first()
    if record.history_type == "+":
        return _revert_addition(meeting, model, record, row, user)
    if record.history_type == "-":
        return _revert_deletion(meeting, model, record, row, user)
    records = list(model.history.filter(id=record.id).order_by("history_date", "history_id"))
    at = next(i for i, r in enumerate(records) if r.history_id == record.history_id)
    previous = records[at - 1] if at and records[at - 1].history_type != "-" else None
    if previous is None:
        raise RevertError(_("There is no earlier version to go back to."))
    if row is None:
        raise RevertError(_("It was deleted since."))
    undoable = _undoable(model, record, previous, row)
    if not undoable:
        raise RevertError(_("These values were changed again since: there is nothing to undo."))
    ensure_history_baseline(model._base_manager.get(pk=row.pk))
    locks = set(previous.corrected_fields or [])
    for key, attnames in undoable:
        for attname, value in zip(attnames, values_of(previous, attnames), strict=True):
            setattr(row, attname, value)
            name = attname.removesuffix("_id")
            if name in (f.name for f in model._meta.concrete_fields):
                (row.lock if name in locks else row.unlock)(name)
        if model is Meeting and key == "city":
            row.city_source, row.city_basis = previous.city_source, previous.city_basis
    row.lock()  # keeps corrected_fields sorted
    by_editor(row, user, "Reverted " + ", ".join(key for key, _f in undoable)).save()
    _after(meeting)
    labels = ", ".join(label_of(model, key) for key, _f in undoable)
    subject = subject_of(model, record, _names_for(model, record))
    return _("Undone: %(what)s") % {"what": f"{subject}: {labels}" if subject else labels}


def _revert_addition(meeting, model, record, row, user) -> str:
    if row is None:
        raise RevertError(_("It was deleted since."))
    subject = subject_of(model, record, _names_for(model, record))
    ensure_history_baseline(model._base_manager.get(pk=row.pk))
    # An editor's own row: no tombstone, ingest may find it again.
    by_editor(row, user, "Reverted: added by an editor").delete()
    _after(meeting)
    return _("Undone: %(what)s added") % {"what": subject}


def _revert_deletion(meeting, model, record, row, user) -> str:
    if row is not None:
        raise RevertError(_("It was added again since."))
    restored = record.instance
    by_editor(restored, user, "Reverted: deleted by an editor")
    try:
        with transaction.atomic():
            restored.save(force_insert=True)
    except IntegrityError:
        raise RevertError(
            _("It cannot come back: another row now holds its place, or what it named is gone.")
        ) from None
    key = (restored.tombstone_key or "")[:400]
    Tombstone.objects.filter(
        meeting_id=restored.meeting_id, kind=model._meta.model_name, key=key
    ).delete()
    _after(meeting)
    subject = subject_of(model, record, _names_for(model, record))
    return _("Undone: %(what)s deleted") % {"what": subject}


def _names_for(model, record) -> Names:
    names = Names()
    want_names(names, model, record)
    names.load()
    return names


def want_names(names: Names, model, record) -> None:
    for _key, attnames in TOLD[model]:
        for attname in attnames:
            names.want(model, attname, getattr(record, attname))


def _after(meeting: Meeting) -> None:
    touch_meetings([meeting.pk])
    update_search_documents([meeting.pk])


# --- "As ingested" for every meeting -----------------------------------------------------------


def record_baselines(apps=None, *, connection_=None, legacy: bool = True) -> dict[str, int]:
    """Give every meeting an "As ingested" history record, in two statements:

    - a meeting without any history: its row as it is (nobody changed it; ingest's later
      changes are its own), dated when it was created;
    - a meeting whose history starts with an editor's change (the review-only saves of
      before issue 16 wrote none): that first record with the review as ingest leaves it
      (not reviewed), dated just before it.

    `apps`: a migration's apps (None: the project's). `legacy=False` skips the second kind,
    which editors' changes no longer make (they record the "before" first): the end of an
    ingest run needs only the first, a scan of new meetings. Returns the counts of each.
    """
    if apps is None:
        from django.apps import apps
    historical = apps.get_model("meetings", "HistoricalMeeting")
    meeting = apps.get_model("meetings", "Meeting")
    conn = connection_ or connection
    quote = conn.ops.quote_name
    hist_table, table = quote(historical._meta.db_table), quote(meeting._meta.db_table)
    columns = [
        f.column
        for f in historical._meta.concrete_fields
        if not f.name.startswith("history_") and f.name != "history_id"
    ]
    cols = ", ".join(quote(c) for c in columns)
    meta = "history_date, history_change_reason, history_type, history_user_id"
    reset = {"review_status": "'unreviewed'", "reviewed_by_id": "NULL", "reviewed_at": "NULL"}
    first_cols = ", ".join(reset.get(c, f"f.{quote(c)}") for c in columns)
    first = 0
    with conn.cursor() as cursor:
        if legacy:
            cursor.execute(
                f"INSERT INTO {hist_table} ({cols}, {meta})"
                f" SELECT {first_cols},"
                " LEAST(m.created_at, f.history_date - interval '1 millisecond'), %s, '+', NULL"
                f" FROM (SELECT DISTINCT ON (h.id) h.* FROM {hist_table} h"
                " ORDER BY h.id, h.history_date, h.history_id) f"
                f" JOIN {table} m ON m.id = f.id"
                " WHERE f.history_type = '~' AND f.history_change_reason IS DISTINCT FROM %s",
                [AS_INGESTED, AS_INGESTED],
            )
            first = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {hist_table} ({cols}, {meta})"
            f" SELECT {', '.join('m.' + quote(c) for c in columns)}, m.created_at, %s, '+', NULL"
            f" FROM {table} m"
            f" WHERE NOT EXISTS (SELECT 1 FROM {hist_table} h WHERE h.id = m.id)",
            [AS_INGESTED],
        )
        untouched = cursor.rowcount
    return {"from the first change": first, "as they are": untouched}


def revert_url_for(meeting: Meeting):
    """The revert_url function meeting_story takes, for the admin's URLs."""

    def url(model, record) -> str:
        return reverse(
            "admin:meetings_meeting_revert",
            args=[meeting.pk, model._meta.model_name, record.history_id],
        )

    return url


MODELS_BY_NAME = {model._meta.model_name: model for model in TOLD}


# --- any row's own history page ----------------------------------------------------------------


def record_changes(model, record, previous, names: Names) -> list[Change]:
    """What `record` changed since `previous`, in words (the values TOLD of the model)."""
    if previous is None or record.history_type == "-":
        return []
    changes = []
    for key, attnames in TOLD.get(model, ()):
        before, after = values_of(previous, attnames), values_of(record, attnames)
        if before != after:
            changes.append(
                Change(
                    label_of(model, key),
                    words(model, key, attnames, before, names),
                    words(model, key, attnames, after, names),
                )
            )
    was, now = set(previous.corrected_fields or []), set(record.corrected_fields or [])
    for label in lock_labels(model, sorted(now - was)):
        changes.append(Change(_("locked"), EMPTY, label))
    for label in lock_labels(model, sorted(was - now)):
        changes.append(Change(_("locked"), label, EMPTY))
    return changes


def describe_records(model, records) -> None:
    """Set `changes` (in words), `action` and `who` on each record of one row's history
    (newest first, as the admin's history page lists them)."""
    records = list(records)
    if not records:
        return
    names = Names()
    for record in records:
        want_names(names, model, record)
    names.load()
    for record, previous in zip(records, [*records[1:], None], strict=True):
        record.changes_in_words = record_changes(model, record, previous, names)
        record.action_in_words = action_of(record)
        record.who_in_words = who(record)
