"""Which Meeting an article reports: the identity rule.

Two articles report the same meeting when
  1. they name the same city (province) and the same date held. Both are required: an article
     that lacks either is a meeting of its own (keyed by its address, else its text hash)
     until an editor merges it, because a guess would silently fuse unrelated meetings;
  2. their reporting periods agree, where both state one ("quý III/2023" ≠ "năm 2023");
  3. their presiding officials overlap, where both name one (folded names, so "Uỷ"/"Ủy"
     spellings and capitals do not matter);
  4. their meeting types agree, where both state one (folded, "Hội nghị" prefix dropped:
     "Hội nghị giao ban" = "giao ban"; "giao ban" ≠ "sơ kết").
The title, the outlet and the wording are deliberately not part of it: two outlets title the same
meeting differently, and the same page captured twice may differ in its chrome.

A meeting's current values are compared (an editor's correction counts), and its
`identity_key` — the extracted values it was created from — is matched too, so a later article
with the original, uncorrected city still finds it. Among several compatible meetings the one
agreeing on the most optional parts wins (presiding official, then period, then type), then
the oldest.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from meetings.extraction.text import fold, squash_spaces
from meetings.models import Meeting, Participation


@dataclass(frozen=True)
class Identity:
    city_key: str  # folded city name
    held_on: str  # "YYYY-MM-DD"
    period: tuple  # (kind, year, number) or ()
    presiding: frozenset[str]  # folded names
    meeting_type: str  # folded, "" when unknown

    @property
    def prefix(self) -> str:
        return f"{self.city_key}|{self.held_on}|"

    @property
    def lock_key(self) -> str:
        """The advisory lock (see resolve.advisory_lock) that serialises ingests of meetings
        of this city and day until their transactions end."""
        return self.prefix

    @property
    def key(self) -> str:
        period = ":".join("" if p is None else str(p) for p in self.period)
        presiding = ",".join(sorted(self.presiding))
        return f"{self.prefix}{period}|{presiding}|{self.meeting_type}"[:400]


def identity_of(
    city_name: str | None,
    held_on: datetime.date | None,
    period: tuple,
    presiding: list[str],
    meeting_type: str,
) -> Identity | None:
    """The identity of the meeting an article reports, or None when it cannot be told."""
    if not city_name or not held_on:
        return None
    return Identity(
        city_key=fold(city_name),
        held_on=held_on.isoformat(),
        period=tuple(period),
        presiding=frozenset(fold(squash_spaces(n)) for n in presiding if n),
        meeting_type=type_key(meeting_type),
    )


def type_key(meeting_type: str | None) -> str:
    """ "Hội nghị giao ban" and "giao ban" are one type."""
    key = fold(squash_spaces(meeting_type or ""))
    return key.removeprefix("hoi nghi ").strip()


def find_meeting(identity: Identity, city_id: int | None) -> Meeting | None:
    """The existing meeting with this identity, if any (see the module docstring).

    Call it holding the identity lock. The candidates (meetings of that city and day) are
    row-locked until commit, so the meeting returned can be updated as it is read.
    """
    query = Q(identity_key__startswith=identity.prefix)
    if city_id is not None:
        query |= Q(city_id=city_id, held_on=identity.held_on)
    candidates = list(
        Meeting.objects.filter(query)
        .slim()  # not the search document and vector: kilobytes a row, rebuilt anyway
        .select_related("city")
        .select_for_update(of=("self",))
        .order_by("id")
    )
    if not candidates:
        return None
    presiders: dict[int, set[str]] = {m.pk: set() for m in candidates}
    for meeting_id, name in Participation.objects.filter(
        meeting__in=candidates, roles__contains=["presiding"]
    ).values_list("meeting_id", "person__name_folded"):
        presiders[meeting_id].add(name)
    best, best_score = None, -1
    for meeting in candidates:
        score = _agreement(identity, meeting, presiders[meeting.pk])
        if score > best_score:
            best, best_score = meeting, score
    return best


def _agreement(identity: Identity, meeting: Meeting, presiders: set[str]) -> int:
    """-1 when the meeting contradicts the identity, else how many optional parts agree."""
    stored = _parse_key(meeting.identity_key)
    score = 0
    if identity.presiding:
        known = presiders | stored.get("presiding", set())
        if known:
            if not identity.presiding & known:
                return -1
            score += 4
    if identity.period and meeting.period_kind:
        mine = (meeting.period_kind, meeting.period_year, meeting.period_number)
        if identity.period != mine and identity.period != stored.get("period"):
            return -1
        score += 2
    if identity.meeting_type and meeting.meeting_type:
        if identity.meeting_type not in (type_key(meeting.meeting_type), stored.get("type")):
            return -1
        score += 1
    return score


def _parse_key(key: str) -> dict:
    parts = (key or "").split("|")
    if len(parts) != 5:
        return {}
    period = (
        tuple(None if not p else int(p) if p.isdigit() else p for p in parts[2].split(":"))
        if parts[2]
        else ()
    )
    return {
        "period": period,
        "presiding": {p for p in parts[3].split(",") if p},
        "type": parts[4],
    }
