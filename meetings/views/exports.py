"""CSV and JSON exports of meeting lists and of one meeting.

A list export takes the meeting list's query string (same filters, same order) and streams
every matching row from a server-side cursor, so 10,000 rows cost no more memory than 10.
A filter value that is not valid answers 400 rather than silently exporting everything.
Rows go out LINES_PER_WRITE at a time: a write per row would cost the server a system call
per row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from meetings.filters import MeetingFilter, capped
from meetings.models import (
    Article,
    DirectiveCitation,
    Meeting,
    Metric,
    OrganizationMention,
    Participation,
)

CHUNK = 1000  # rows fetched per round trip of the server-side cursor
LINES_PER_WRITE = 200  # rows sent to the client at a time (one write each, not one per row)
LIST_COLUMNS = [
    "slug",
    "title",
    "held_on",
    "held_until",
    "city",
    "city_slug",
    "locality",
    "period",
    "period_kind",
    "period_year",
    "period_number",
    "presiding",
    "meeting_type",
    "body",
    "review_status",
    "url",
]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _cell(value):
    """A CSV cell; text a spreadsheet would run as a formula starts with a quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def invalid_filters(filterset) -> JsonResponse:
    """400 naming each filter value that is not valid, and why (exports, feeds, the API)."""
    errors = {name: [str(m) for m in msgs] for name, msgs in filterset.form.errors.items()}
    return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})


def _filtered(request):
    """The meeting list's filtered, ordered queryset, or a 400 response."""
    filterset = MeetingFilter(capped(request.GET))
    if not filterset.is_valid():
        return None, invalid_filters(filterset)
    return filterset.qs.for_export(), None


def _meeting_urls(request):
    """slug → absolute address of that meeting's page; the route is reversed once, not for
    each of thousands of rows."""
    placeholder = "slug-placeholder"
    address = request.build_absolute_uri(
        reverse("meetings:meeting_detail", kwargs={"slug": placeholder})
    )
    head, _, tail = address.rpartition(placeholder)
    return lambda slug: f"{head}{slug}{tail}"


def _batched(parts: Iterable[str], size: int = LINES_PER_WRITE) -> Iterator[str]:
    """Consecutive strings joined `size` at a time."""
    batch = []
    for part in parts:
        batch.append(part)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _list_row(meeting: Meeting, meeting_url) -> dict:
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "held_on": meeting.held_on.isoformat() if meeting.held_on else None,
        "held_until": meeting.held_until.isoformat() if meeting.held_until else None,
        "city": meeting.city.name if meeting.city else None,
        "city_slug": meeting.city.slug if meeting.city else None,
        "locality": meeting.locality,
        "period": str(meeting.period_label) or None,
        "period_kind": meeting.period_kind or None,
        "period_year": meeting.period_year,
        "period_number": meeting.period_number,
        "presiding": [name for name in meeting.presiding_names or [] if name],
        "meeting_type": meeting.meeting_type,
        "body": meeting.body,
        "review_status": meeting.review_status,
        "url": meeting_url(meeting.slug),
    }


def _csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A BOM, so spreadsheet programs read the Vietnamese as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])


@require_safe
def meeting_list_csv(request):
    meetings, error = _filtered(request)
    if error:
        return error

    meeting_url = _meeting_urls(request)

    def rows():
        for meeting in meetings.iterator(chunk_size=CHUNK):
            row = _list_row(meeting, meeting_url)
            row["presiding"] = "; ".join(row["presiding"])
            yield [row[c] for c in LIST_COLUMNS]

    response = StreamingHttpResponse(
        _batched(_csv_stream(LIST_COLUMNS, rows())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meetings.csv"'
    return response


@require_safe
def meeting_list_json(request):
    meetings, error = _filtered(request)
    if error:
        return error

    meeting_url = _meeting_urls(request)

    def chunks():
        yield '{"meetings": ['
        first = True
        for meeting in meetings.iterator(chunk_size=CHUNK):
            row = json.dumps(_list_row(meeting, meeting_url), ensure_ascii=False)
            yield row if first else "," + row
            first = False
        yield "]}\n"

    return StreamingHttpResponse(_batched(chunks()), content_type="application/json; charset=utf-8")


# One meeting with all its parts.


def _meeting_with_parts(slug: str) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("city").prefetch_related(
            Prefetch(
                "participations",
                Participation.objects.select_related("person", "article").order_by("id"),
                to_attr="participant_rows",
            ),
            Prefetch(
                "mentions",
                OrganizationMention.objects.select_related("organization", "article").order_by(
                    "id"
                ),
                to_attr="mention_rows",
            ),
            Prefetch(
                "citations",
                DirectiveCitation.objects.select_related("directive", "article").order_by("id"),
                to_attr="citation_rows",
            ),
            Prefetch(
                "metrics",
                Metric.objects.select_related("organization", "article").order_by(
                    "evidence_start", "id"
                ),
                to_attr="metric_rows",
            ),
            Prefetch(
                "articles",
                Article.objects.filter(is_current=True).order_by("id"),
                to_attr="source_rows",
            ),
        ),
        slug=slug,
    )


def _evidence(row) -> dict | None:
    """Where a value came from: the article and the words, when the span is valid."""
    if row.article_id is None or row.evidence_start is None:
        return None
    return {
        "article_url": row.article.url if row.article else "",
        "start": row.evidence_start,
        "end": row.evidence_end,
        "text": row.evidence_text,
    }


def _meeting_document(meeting: Meeting, absolute) -> dict:
    return {
        "meeting": {
            "slug": meeting.slug,
            "title": meeting.title,
            "meeting_type": meeting.meeting_type,
            "body": meeting.body,
            "city": meeting.city.name if meeting.city else None,
            "city_slug": meeting.city.slug if meeting.city else None,
            "locality": meeting.locality,
            "held_on": meeting.held_on,
            "held_until": meeting.held_until,
            "period": str(meeting.period_label) or None,
            "period_kind": meeting.period_kind or None,
            "period_year": meeting.period_year,
            "period_number": meeting.period_number,
            "review_status": meeting.review_status,
            "url": absolute(meeting.get_absolute_url()),
        },
        "participants": [
            {
                "name": p.person.name,
                "slug": p.person.slug,
                "title": p.title,
                "roles": list(p.roles),
                "evidence": _evidence(p),
            }
            for p in meeting.participant_rows
        ],
        "organizations": [
            {
                "name": m.organization.name,
                "slug": m.organization.slug,
                "abbreviation": m.organization.abbreviation,
                "name_as_written": m.name_as_written,
                "evidence": _evidence(m),
            }
            for m in meeting.mention_rows
        ],
        "directives": [
            {
                "kind": c.directive.kind,
                "number": c.directive.number,
                "slug": c.directive.slug,
                "issued_on": c.directive.issued_on,
                "text_as_written": c.text_as_written,
                "evidence": _evidence(c),
            }
            for c in meeting.citation_rows
        ],
        "metrics": [
            {
                "label": m.label,
                "value": m.value,
                "unit": m.unit,
                "qualifier": m.qualifier,
                "target": m.target,
                "organization": m.organization.name if m.organization else None,
                "organization_slug": m.organization.slug if m.organization else None,
                "evidence": _evidence(m),
            }
            for m in meeting.metric_rows
        ],
        "sources": [
            {
                "title": a.title,
                "url": a.url,
                "published_on": a.published_on,
            }
            for a in meeting.source_rows
        ],
    }


@require_safe
def meeting_json(request, slug):
    meeting = _meeting_with_parts(slug)
    return JsonResponse(
        _meeting_document(meeting, request.build_absolute_uri),
        encoder=DjangoJSONEncoder,  # dates as ISO, decimals as exact strings
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


MEETING_COLUMNS = [
    "part",
    "name",
    "detail",
    "roles",
    "value",
    "unit",
    "target",
    "organization",
    "evidence",
    "source",
]


@require_safe
def meeting_csv(request, slug):
    """One row per part: the meeting's fields, then participants, organisations, directives,
    metrics and sources, each with the words it came from."""
    meeting = _meeting_with_parts(slug)
    doc = _meeting_document(meeting, request.build_absolute_uri)

    def ev(item):
        evidence = item.get("evidence") or {}
        return evidence.get("text", ""), evidence.get("article_url", "")

    rows = []
    for key, value in doc["meeting"].items():
        rows.append(["meeting", key, "", "", value, "", "", "", "", ""])
    for p in doc["participants"]:
        rows.append(
            ["participant", p["name"], p["title"], "; ".join(p["roles"]), "", "", "", "", *ev(p)]
        )
    for o in doc["organizations"]:
        rows.append(["organization", o["name"], o["name_as_written"], "", "", "", "", "", *ev(o)])
    for d in doc["directives"]:
        name = f"{d['kind']} {d['number']}".strip()
        rows.append(["directive", name, d["text_as_written"], "", "", "", "", "", *ev(d)])
    for m in doc["metrics"]:
        rows.append(
            [
                "metric",
                m["label"],
                m["qualifier"],
                "",
                m["value"],
                m["unit"],
                m["target"],
                m["organization"],
                *ev(m),
            ]
        )
    for s in doc["sources"]:
        rows.append(["source", s["title"], "", "", s["published_on"], "", "", "", "", s["url"]])

    response = HttpResponse(
        "".join(_csv_stream(MEETING_COLUMNS, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.csv"'
    return response
