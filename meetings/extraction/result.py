"""The extractor's result: dataclasses and their JSON form (what the scorer and ingest read)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Span:
    """A character span of the normalised article text: text[start:end] is the evidence."""

    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


def _span(span: Span | None) -> dict | None:
    return span.to_dict() if span else None


@dataclass
class Period:
    """The reporting period a meeting reviews ("quý III/2023" → quarter 2023 3)."""

    kind: str | None = None  # month, quarter, half, nine_months, year
    year: int | None = None
    number: int | None = None
    label: str | None = None
    evidence: Span | None = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "year": self.year,
            "number": self.number,
            "label": self.label,
            "evidence": _span(self.evidence),
        }


@dataclass
class Participant:
    """One person, with every role they had in the meeting merged."""

    name: str
    title: str | None
    roles: list[str]
    evidence: Span

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "roles": list(self.roles),
            "evidence": self.evidence.to_dict(),
        }


@dataclass
class Organization:
    """An organisation as written, with its full expanded name and abbreviation."""

    name: str
    canonical: str
    abbreviation: str | None
    evidence: Span
    # a class of bodies, not one ("Ban Dân vận các huyện", "HĐND các cấp"): not listed
    generic: bool = False

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "canonical": self.canonical,
            "abbreviation": self.abbreviation,
            "evidence": self.evidence.to_dict(),
        }


@dataclass
class Directive:
    """A numbered document cited by the article ("Chỉ thị số 24-CT/TU ngày 7/8/2023")."""

    kind: str | None
    number: str
    issued_on: str | None
    issuer: str | None
    subject: str | None
    evidence: Span

    def to_dict(self) -> dict:
        d = asdict(self)
        d["evidence"] = self.evidence.to_dict()
        return d


@dataclass
class Metric:
    """A reported figure: money, percentage, count or ratio to a target."""

    value: float | int
    unit: str | None
    qualifier: str | None
    target: float | int | None
    label: str | None
    organization: str | None
    evidence: Span

    def to_dict(self) -> dict:
        d = asdict(self)
        d["evidence"] = self.evidence.to_dict()
        return d


@dataclass
class ExtractedArticle:
    """Everything extracted from one article; `text` is what every span indexes."""

    text: str
    url: str | None = None
    published: str | None = None
    title: str | None = None
    city: str | None = None
    locality: str | None = None
    held_on: str | None = None
    held_until: str | None = None
    period: Period = field(default_factory=Period)
    meeting_type: str | None = None
    body: str | None = None
    participants: list[Participant] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    # a report of a meeting that took place, or (with the reason) a ceremony, a plan …
    is_meeting_report: bool = True
    not_meeting_reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    # where the single-valued fields came from (title, city, held_on, period)
    evidence: dict[str, Span] = field(default_factory=dict)
    sources: dict[str, str | None] = field(default_factory=dict)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "city": self.city,
            "locality": self.locality,
            "held_on": self.held_on,
            "held_until": self.held_until,
            "period": self.period.to_dict(),
            "meeting_type": self.meeting_type,
            "body": self.body,
            "participants": [p.to_dict() for p in self.participants],
            "organizations": [o.to_dict() for o in self.organizations],
            "directives": [d.to_dict() for d in self.directives],
            "metrics": [m.to_dict() for m in self.metrics],
            "is_meeting_report": self.is_meeting_report,
            "not_meeting_reason": self.not_meeting_reason,
            "warnings": list(self.warnings),
            "evidence": {k: v.to_dict() for k, v in self.evidence.items()},
            "sources": dict(self.sources),
            "url": self.url,
            "published": self.published,
            "text_sha256": self.text_sha256,
        }

    def to_json(self) -> str:
        """One line of UTF-8 JSON (not ASCII-escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)
