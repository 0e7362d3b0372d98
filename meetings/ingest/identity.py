"""Which Meeting an article reports: the identity rule.

Two articles report the same meeting when
  1. they name the same city (province) and the same date held, and
     a. their reporting periods agree, where both state one: the same kind and number, and the
        same year where both state it ("quý III/2023" ≠ "năm 2023"; "6 tháng đầu năm" of a
        report that omits the year agrees with "6 tháng đầu năm 2024");
     b. their presiding officials overlap, where both name one (folded names, so "Uỷ"/"Ủy"
        spellings and capitals do not matter);
     c. their meeting types agree, where both state one (folded, "Hội nghị" prefix dropped:
        "Hội nghị giao ban" = "giao ban"; "giao ban" ≠ "sơ kết");
  2. or one of them lacks the city or the date held (a province the database inferred counts
     as stated, see meetings/ingest/places.py), and
     a. nothing both state differs: city, date held, reporting period (as in 1a);
     b. both state a reporting period of the same kind and number, and a meeting type (1c);
     c. their presiding officials overlap, or, where neither names one, they name the same
        set of at least two officials (bylines left out);
     d. both state the same date held, or the one without a date was published at most
        PUBLISHED_WITHIN days after the other's date held.
     When a to c hold but d cannot be told (a date or a publication date is missing), or only
     the meeting type is missing, the evidence is not enough: the article becomes a meeting of
     its own, flagged as a possible duplicate of the other (`Meeting.possible_duplicate_of`),
     for an editor to merge or clear. Nothing is merged on a guess.
An article that matches nothing is a meeting of its own; one without city or date is keyed by
its address, else its text hash. The title, the outlet and the wording are deliberately not
part of the rule: two outlets title the same meeting differently, and the same page captured
twice may differ in its chrome.

A meeting's current values are compared (an editor's correction counts), and for rule 1 its
`identity_key` — the extracted values it was created from — is matched too, so a later article
with the original, uncorrected city still finds it. Among several compatible meetings the one
agreeing on the most optional parts wins (presiding official, then period, then type), then
the oldest; under rule 2, a sure match wins over a possible one, then the oldest.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from meetings import prepared
from meetings.extraction.text import fold, fold_name, squash_spaces
from meetings.models import Article, Meeting, Participation, Person
from meetings.models.links import CREDIT_ROLES, Role

PUBLISHED_WITHIN = 3  # days from a meeting to a report of it that gives no date (rule 2d)
LOOSE_CANDIDATES = 50  # meetings of one official and period looked at under rule 2


@dataclass(frozen=True)
class Identity:
    city_key: str  # folded city name, "" when unknown
    held_on: str  # "YYYY-MM-DD", "" when unknown
    period: tuple  # (kind, year, number) or ()
    presiding: frozenset[str]  # folded names
    meeting_type: str  # folded, "" when unknown
    officials: frozenset[str] = frozenset()  # the other participants, bylines left out
    published: datetime.date | None = None  # the article's publication date

    @property
    def complete(self) -> bool:
        """City and date held both known: rule 1 applies."""
        return bool(self.city_key and self.held_on)

    @property
    def prefix(self) -> str:
        return f"{self.city_key}|{self.held_on}|"

    @property
    def lock_keys(self) -> list[str]:
        """The advisory locks (see locks.advisory_lock) that serialise ingests of possibly
        the same meeting until their transactions end: its city and day, and its presiding
        officials (or, without any, its officials), which rule 2 matches on."""
        keys = [self.prefix] if self.complete else []
        keys += [f"official:{n}" for n in sorted(self.presiding or self.officials)]
        return keys

    @property
    def key(self) -> str:
        period = ":".join("" if p is None else str(p) for p in self.period)
        presiding = ",".join(sorted(self.presiding))
        return f"{self.prefix}{period}|{presiding}|{self.meeting_type}"[:400]


def identity_of(
    city_name: str | None,
    held_on: datetime.date | None,
    period: tuple,
    presiding: Sequence[str],
    meeting_type: str,
    officials: Sequence[str] = (),
    published: datetime.date | None = None,
) -> Identity:
    """The identity of the meeting an article reports (see the module docstring)."""
    presiding_keys = frozenset(fold_name(n) for n in presiding if n)
    return Identity(
        city_key=fold(city_name) if city_name else "",
        held_on=held_on.isoformat() if held_on else "",
        period=tuple(period),
        presiding=presiding_keys,
        meeting_type=type_key(meeting_type),
        officials=frozenset(fold_name(n) for n in officials if n) - presiding_keys,
        published=published,
    )


def periods_agree(a: tuple, b: tuple) -> bool:
    """Rule 1a: the same kind and number, and the same year where both state it; a missing
    period agrees with any."""
    if not a or not b or not a[0] or not b[0]:
        return True
    return a[0] == b[0] and a[2] == b[2] and (a[1] is None or b[1] is None or a[1] == b[1])


def type_key(meeting_type: str | None) -> str:
    """ "Hội nghị giao ban" and "giao ban" are one type."""
    key = fold(squash_spaces(meeting_type or ""))
    return key.removeprefix("hoi nghi ").strip()


def find_meeting(
    identity: Identity, city_id: int | None, exclude: int | None = None
) -> tuple[Meeting | None, Meeting | None]:
    """(the existing meeting with this identity, a possible duplicate) — either may be None
    (see the module docstring); `exclude`: a meeting not to find (the one being checked).

    Call it holding the identity's locks. The candidates are row-locked until commit, so the
    meeting returned can be updated as it is read.
    """
    if identity.complete:
        found = _same_city_and_day(identity, city_id, exclude)
        if found is not None:
            return found, None
    return _loose_match(identity, city_id, exclude)


# Participations (pa) with their people (p), for the candidates' queries below.
_PEOPLE_AT_MEETINGS = (
    f'FROM "{Participation._meta.db_table}" pa'
    f' JOIN "{Person._meta.db_table}" p ON p.id = pa.person_id'
)


def _locked_rows(
    where: str, params: list, exclude: int | None, columns: str = "", limit: str = ""
) -> list[tuple]:
    """(id, *columns) of the meetings `where` selects, oldest first, `exclude` left out,
    row-locked until commit.

    Hand-written SQL, prepared (meetings/prepared.py): most articles report a meeting not
    stored yet, and building these queries (the ORM) then planning them (PostgreSQL) took
    several times longer than answering them."""
    meeting = connection.ops.quote_name(Meeting._meta.db_table)
    if exclude is not None:
        where, params = f"({where}) AND m.id <> %s", [*params, exclude]
    with connection.cursor() as cursor:
        prepared.execute(
            cursor,
            f"SELECT m.id{columns} FROM {meeting} m WHERE {where}"
            f" ORDER BY m.id {limit} FOR UPDATE OF m",
            params,
        )
        return cursor.fetchall()


def _loaded(ids: list[int]) -> list[Meeting]:
    """These (locked) meetings, oldest first, without the search document and vector:
    kilobytes a row, rebuilt anyway."""
    if not ids:
        return []
    return list(Meeting.objects.filter(pk__in=ids).slim().select_related("city").order_by("id"))


@dataclass(frozen=True)
class _Stored:
    """What rule 1 compares of a stored meeting."""

    identity_key: str
    period_kind: str
    period_year: int | None
    period_number: int | None
    meeting_type: str


def _same_city_and_day(
    identity: Identity, city_id: int | None, exclude: int | None = None
) -> Meeting | None:
    """Rule 1. The candidates and their presiding officials are read in one statement;
    only the one chosen is loaded."""
    where = "m.identity_key LIKE %s"
    params: list = [connection.ops.prep_for_like_query(identity.prefix) + "%"]
    if city_id is not None:
        where += " OR (m.city_id = %s AND m.held_on = %s)"
        params += [city_id, identity.held_on]
    columns = (
        ", m.identity_key, m.period_kind, m.period_year, m.period_number, m.meeting_type,"
        f" ARRAY(SELECT p.name_folded {_PEOPLE_AT_MEETINGS}"
        " WHERE pa.meeting_id = m.id AND pa.roles @> %s::varchar[])"
    )
    rows = _locked_rows(where, [[Role.PRESIDING.value], *params], exclude, columns)
    best, best_score = None, -1
    for pk, *stored, presiders in rows:
        score = _agreement(identity, _Stored(*stored), set(presiders))
        if score > best_score:
            best, best_score = pk, score
    return _loaded([best])[0] if best is not None else None


def _agreement(identity: Identity, meeting: _Stored, presiders: set[str]) -> int:
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
        if not (
            periods_agree(identity.period, mine)
            or periods_agree(identity.period, stored.get("period", ()))
        ):
            return -1
        score += 2
    if identity.meeting_type and meeting.meeting_type:
        if identity.meeting_type not in (type_key(meeting.meeting_type), stored.get("type")):
            return -1
        score += 1
    return score


def _loose_match(
    identity: Identity, city_id: int | None, exclude: int | None = None
) -> tuple[Meeting | None, Meeting | None]:
    """Rule 2: (the meeting, a possible duplicate)."""
    names = identity.presiding or (identity.officials if len(identity.officials) >= 2 else ())
    if not names or not identity.period or not identity.period[0]:
        return None, None
    kind, year, number = identity.period
    # Meetings one of these people attended (credits alone are not attending: see
    # Participation.objects.attendees), presiding if the identity names who presided.
    attended = (
        f"SELECT pa.meeting_id {_PEOPLE_AT_MEETINGS} WHERE p.name_folded = ANY(%s)"
        " AND NOT (pa.roles <@ %s::varchar[] AND pa.roles <> '{}')"
    )
    params: list = [sorted(names), sorted(role.value for role in CREDIT_ROLES)]
    if identity.presiding:
        attended += " AND pa.roles @> %s::varchar[]"
        params.append([Role.PRESIDING.value])
    where = (
        f"m.id IN ({attended}) AND m.period_kind = %s AND m.period_number IS NOT DISTINCT FROM %s"
    )
    params += [kind, number]
    if year is not None:
        where += " AND (m.period_year IS NULL OR m.period_year = %s)"
        params.append(year)
    if identity.complete:  # rule 1 has answered for meetings that have both
        where += " AND (m.city_id IS NULL OR m.held_on IS NULL)"
    if identity.city_key:
        where += " AND (m.city_id IS NULL OR m.city_id = %s)"
        params.append(city_id)
    if identity.held_on:
        where += " AND (m.held_on IS NULL OR m.held_on = %s)"
        params.append(identity.held_on)
    rows = _locked_rows(where, params, exclude, limit=f"LIMIT {LOOSE_CANDIDATES}")
    candidates = _loaded([pk for (pk,) in rows])
    if not candidates:
        return None, None
    people: dict[int, tuple[set[str], set[str]]] = {m.pk: (set(), set()) for m in candidates}
    for meeting_id, name, roles in (
        Participation.objects.attendees()
        .filter(meeting__in=candidates)
        .values_list("meeting_id", "person__name_folded", "roles")
    ):
        people[meeting_id][0 if "presiding" in roles else 1].add(name)
    published: dict[int, list[datetime.date]] = {m.pk: [] for m in candidates}
    for meeting_id, day in Article.objects.filter(
        meeting__in=candidates, is_current=True, published_on__isnull=False
    ).values_list("meeting_id", "published_on"):
        if day is not None:  # the filter says so; the type does not
            published[meeting_id].append(day)
    possible = None
    for meeting in candidates:
        verdict = _loose_verdict(identity, meeting, *people[meeting.pk], published[meeting.pk])
        if verdict == SAME:
            return meeting, None
        if verdict == MAYBE and possible is None:
            possible = meeting
    return None, possible


SAME, MAYBE = "same", "maybe"


def _loose_verdict(identity, meeting, presiders, others, published) -> str:
    """SAME, MAYBE or "" for one candidate of rule 2 (city, date and period are filtered)."""
    if identity.presiding or presiders:
        if not identity.presiding & presiders:
            return ""
    elif identity.officials != others:
        return ""
    types = identity.meeting_type, type_key(meeting.meeting_type)
    if all(types) and types[0] != types[1]:
        return ""
    if identity.held_on and meeting.held_on:
        close = identity.held_on == meeting.held_on.isoformat()
    elif identity.held_on:
        close = _soon_after(datetime.date.fromisoformat(identity.held_on), published)
    elif meeting.held_on:
        close = _soon_after(meeting.held_on, [identity.published] if identity.published else [])
    else:
        close = False
    return SAME if close and all(types) else MAYBE


def _soon_after(day: datetime.date, published: list[datetime.date]) -> bool:
    return any(0 <= (p - day).days <= PUBLISHED_WITHIN for p in published)


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
