"""The extractor's result as ingest reads it: typed, from the JSON each article keeps.

The writer (write.py) and the province's inference (places.py) read an extraction through
`read_extraction`, whether the extractor made it a moment ago or an older version made it years
ago (a re-read of a stored article's `Article.extraction`). Values the database cannot take are
left out here, once: a span outside the text, a figure that is not a number, a period the
model does not allow, a date that is not one, a date held until before the date held.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from meetings.extraction.text import squash_spaces
from meetings.ingest.values import parse_date
from meetings.models.meetings import clean_period

Span = tuple[int | None, int | None]  # text[start:end] is the evidence; (None, None): none
NO_SPAN: Span = (None, None)
MAX_DECIMAL = Decimal(10) ** 20  # Metric.value: 24 digits, 4 of them decimals


@dataclass(frozen=True)
class Participant:
    name: str
    title: str = ""
    roles: tuple[str, ...] = ()
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Body:
    """An organisation: its full name, its name as found and its abbreviation. When a
    generic name was qualified by the meeting's place (write._qualified), `written` keeps the
    name as the article wrote it and `bare` the generic name ("Ban Dân vận")."""

    canonical: str
    name: str = ""
    abbreviation: str = ""
    span: Span = NO_SPAN
    written: str = ""
    bare: str = ""

    @property
    def full_name(self) -> str:
        return self.canonical or self.name


@dataclass(frozen=True)
class Document:
    number: str
    kind: str = ""
    issued_on: datetime.date | None = None
    issuer: str = ""
    subject: str = ""
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Figure:
    value: Decimal
    unit: str = ""
    qualifier: str = ""
    target: Decimal | None = None
    label: str = ""
    organization: str = ""
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Extraction:
    title: str = ""
    meeting_type: str = ""
    body: str = ""
    city: str = ""
    city_found_by: str = ""  # how the extractor found the province (its `sources["city"]`)
    locality: str = ""
    held_on: datetime.date | None = None
    held_until: datetime.date | None = None
    period: tuple[str, int | None, int | None] = ("", None, None)  # clean_period's
    participants: tuple[Participant, ...] = ()
    organizations: tuple[Body, ...] = ()
    directives: tuple[Document, ...] = ()
    metrics: tuple[Figure, ...] = ()
    warnings: tuple[str, ...] = ()
    # Meeting-level spans, key → [start, end] (Meeting.evidence's form)
    evidence: dict[str, list[int]] = field(default_factory=dict)


def read_extraction(data: dict | None, text: str) -> Extraction:
    """The extraction stored as `data` (the extractor's JSON form), its spans checked against
    the article's `text`."""
    data = data or {}
    period = data.get("period") or {}
    held_on = parse_date(data.get("held_on"))
    held_until = parse_date(data.get("held_until"))
    if held_until is not None and (held_on is None or held_until < held_on):
        held_until = None
    return Extraction(
        title=_text(data.get("title")),
        meeting_type=_text(data.get("meeting_type")),
        body=_text(data.get("body")),
        city=_text(data.get("city")),
        city_found_by=_text((data.get("sources") or {}).get("city")),
        locality=_text(data.get("locality")),
        held_on=held_on,
        held_until=held_until,
        period=clean_period(
            period.get("kind"), _int(period.get("year")), _int(period.get("number"))
        ),
        participants=tuple(_participants(data.get("participants"), text)),
        organizations=tuple(_bodies(data.get("organizations"), text)),
        directives=tuple(_documents(data.get("directives"), text)),
        metrics=tuple(_figures(data.get("metrics"), text)),
        warnings=tuple(str(w) for w in data.get("warnings") or []),
        evidence=_meeting_spans(data.get("evidence")),
    )


def _participants(items, text: str) -> Iterable[Participant]:
    for p in _dicts(items):
        name = _text(p.get("name"))
        if name:
            roles = tuple(str(r) for r in p.get("roles") or [] if r)
            yield Participant(name, _text(p.get("title")), roles, _span(p.get("evidence"), text))


def _bodies(items, text: str) -> Iterable[Body]:
    for o in _dicts(items):
        canonical, name = _text(o.get("canonical")), _text(o.get("name"))
        if canonical or name:
            span = _span(o.get("evidence"), text)
            yield Body(canonical, name, _text(o.get("abbreviation")), span)


def _documents(items, text: str) -> Iterable[Document]:
    for d in _dicts(items):
        number = _text(d.get("number"))
        if number:
            yield Document(
                number,
                kind=_text(d.get("kind")),
                issued_on=parse_date(d.get("issued_on")),
                issuer=_text(d.get("issuer")),
                subject=_text(d.get("subject")),
                span=_span(d.get("evidence"), text),
            )


def _figures(items, text: str) -> Iterable[Figure]:
    for m in _dicts(items):
        value = _decimal(m.get("value"))
        if value is not None:
            yield Figure(
                value,
                unit=_text(m.get("unit")),
                qualifier=_text(m.get("qualifier")),
                target=_decimal(m.get("target")),
                label=_text(m.get("label")),
                organization=_text(m.get("organization")),
                span=_span(m.get("evidence"), text),
            )


def _meeting_spans(evidence) -> dict[str, list[int]]:
    spans = {}
    for key, span in (evidence if isinstance(evidence, dict) else {}).items():
        if isinstance(span, dict) and isinstance(span.get("start"), int):
            spans[key] = [span["start"], span.get("end", span["start"])]
    return spans


def _dicts(items) -> list[dict]:
    return [item for item in items or [] if isinstance(item, dict)]


def _span(evidence, text: str) -> Span:
    if not isinstance(evidence, dict):
        return NO_SPAN
    start, end = evidence.get("start"), evidence.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
        return start, end
    return NO_SPAN


def _text(value) -> str:
    return squash_spaces(str(value)) if value else ""


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value)).quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() and abs(d) < MAX_DECIMAL else None
