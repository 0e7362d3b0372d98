"""The rows of a list of meetings (templates/includes/meeting_rows.html), as plain values.

A page of 20 rows rendered from model instances cost the template engine about 16 lookups a
row, each trying a dictionary, an attribute and a call, plus a reverse() per link: half of an
uncached list page. Here each row's values are read once, in Python, and its links are built
from one reverse() per page (`slug_urls`); the template only prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format

# A slug no real one equals (slugs are letters, digits, "-" and "_"); it fits every slug route.
_PLACEHOLDER = "__slug__"


def slug_urls(viewname: str) -> Callable[[str], str]:
    """reverse(viewname, kwargs={"slug": …}) for many slugs at the cost of one reverse().

    Slugs need no quoting (SlugField), so filling them into the reversed pattern gives
    what reverse() would."""
    head, tail = reverse(viewname, kwargs={"slug": _PLACEHOLDER}).split(_PLACEHOLDER)
    return lambda slug: f"{head}{slug}{tail}"


@dataclass(slots=True)
class MeetingRow:
    url: str
    title: str  # escaped HTML with the query's words marked when the list is a search's
    held_on: str  # ISO date, "" when not known
    held_on_text: str  # the date as the reader's language writes it
    city: str
    period: str
    presiding: list[tuple[str, str]] = field(default_factory=list)  # (url, name)
    snippet: str = ""


def meeting_rows(meetings: Iterable, *, highlighted: bool = False) -> list[MeetingRow]:
    """A row for each meeting, from its city (select_related) and, when prefetched, its
    `presiding_participations` (MeetingQuerySet.with_presiding). No query.

    `highlighted`: the meetings carry `title_html` and `snippet` (set by the search view).
    """
    meeting_url = slug_urls("meetings:meeting_detail")
    person_url = slug_urls("meetings:person_detail")
    rows = []
    for meeting in meetings:
        held_on = meeting.held_on
        presiding = getattr(meeting, "presiding_participations", ())
        rows.append(
            MeetingRow(
                url=meeting_url(meeting.slug),
                title=meeting.title_html if highlighted else meeting.title,
                held_on=held_on.isoformat() if held_on else "",
                held_on_text=date_format(held_on, "DATE_FORMAT") if held_on else "",
                city=meeting.city.name if meeting.city_id else "",
                period=str(meeting.period_label),
                presiding=[(person_url(p.person.slug), p.person.name) for p in presiding],
                snippet=meeting.snippet if highlighted else "",
            )
        )
    return rows
