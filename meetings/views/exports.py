"""CSV and JSON exports of meeting lists and of one meeting, and the full export.

A list export takes the meeting list's query string (same filters, same order) and streams
the matching rows from a server-side cursor, at most EXPORT_MAX_ROWS of them: 10,000 rows
held a worker for a second, and an anonymous request must not hold one for seconds. Every
meeting is in the full export instead: files written by `manage.py export_meetings` into
EXPORT_DIR and sent from disk without the database (/meetings/export/all.csv, .json).
A filter value that is not valid answers 400 rather than silently exporting everything.
Rows go out LINES_PER_WRITE at a time: a write per row would cost the server a system call
per row.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings.filters import MeetingFilter
from meetings.models import (
    Meeting,
)
from meetings.query_strings import capped

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
    # Rows are read while the response streams, too late for a 503 page: an unreachable
    # database must show before the first byte (portal.middleware).
    connection.ensure_connection()
    filterset = MeetingFilter(capped(request.GET), request=request)
    if not filterset.is_valid():
        return None, invalid_filters(filterset)
    return filterset.qs.for_export(), None


def _meeting_urls(absolute):
    """slug → address of that meeting's page, made absolute by `absolute` (path → address);
    the route is reversed once, not for each of thousands of rows."""
    placeholder = "slug-placeholder"
    address = absolute(reverse("meetings:meeting_detail", kwargs={"slug": placeholder}))
    head, _sep, tail = address.rpartition(placeholder)
    return lambda slug: f"{head}{slug}{tail}"


def _capped(meetings):
    """The first EXPORT_MAX_ROWS meetings, the limit, and whether more match (one query that
    skips that many rows, without sorting them)."""
    limit = settings.EXPORT_MAX_ROWS
    more = meetings.order_by().values("pk")[limit : limit + 1].exists()
    return meetings[:limit], limit, more


def _announce_cap(response, limit: int, truncated: bool, full: str) -> None:
    """Headers saying how many rows a list export gives at most, and where all of them are."""
    response["X-Export-Limit"] = str(limit)
    response["X-Export-Truncated"] = "true" if truncated else "false"
    response["Link"] = f'<{full}>; rel="alternate"'


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


def _csv_rows(meetings, meeting_url) -> Iterator[list]:
    for meeting in meetings.iterator(chunk_size=CHUNK):
        row = _list_row(meeting, meeting_url)
        row["presiding"] = "; ".join(row["presiding"])
        yield [row[c] for c in LIST_COLUMNS]


def _json_chunks(meetings, meeting_url, tail: dict) -> Iterator[str]:
    """{"meetings": [...], **tail}, streamed."""
    yield '{"meetings": ['
    first = True
    for meeting in meetings.iterator(chunk_size=CHUNK):
        row = json.dumps(_list_row(meeting, meeting_url), ensure_ascii=False)
        yield row if first else "," + row
        first = False
    yield "]" + "".join(f", {json.dumps(k)}: {json.dumps(v)}" for k, v in tail.items()) + "}\n"


@require_safe
def meeting_list_csv(request):
    meetings, error = _filtered(request)
    if error:
        return error
    meetings, limit, truncated = _capped(meetings)
    rows = _csv_rows(meetings, _meeting_urls(request.build_absolute_uri))
    response = StreamingHttpResponse(
        _batched(_csv_stream(LIST_COLUMNS, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meetings.csv"'
    _announce_cap(response, limit, truncated, request.build_absolute_uri(full_export_url("csv")))
    return response


@require_safe
def meeting_list_json(request):
    meetings, error = _filtered(request)
    if error:
        return error
    meetings, limit, truncated = _capped(meetings)
    full = request.build_absolute_uri(full_export_url("json"))
    tail = {"limit": limit, "truncated": truncated, "full_export": full}
    response = StreamingHttpResponse(
        _batched(_json_chunks(meetings, _meeting_urls(request.build_absolute_uri), tail)),
        content_type="application/json; charset=utf-8",
    )
    _announce_cap(response, limit, truncated, full)
    return response


# The full export: every meeting, written to files by `manage.py export_meetings`.

FULL_EXPORT_FILES = {"csv": "meetings.csv", "json": "meetings.json"}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def full_export_url(kind: str) -> str:
    return reverse(f"meetings:full_export_{kind}")


def full_export_written() -> datetime.datetime | None:
    """When the full export was last written (its CSV file), or None if never."""
    try:
        mtime = (Path(settings.EXPORT_DIR) / FULL_EXPORT_FILES["csv"]).stat().st_mtime
    except OSError:
        return None
    return datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)


def write_full_export(base_url: str = "", directory: str | os.PathLike | None = None) -> int:
    """Write every meeting, in the list's order, as meetings.csv and meetings.json; return
    how many. Each file is written beside its old self and renamed over it, so a download
    in progress keeps the old file and none ever sees half of one. Meeting addresses start
    with `base_url` (https://portal.example.org), or are site-relative without it."""
    from meetings.filters import MeetingFilter

    directory = Path(directory or settings.EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    meeting_url = _meeting_urls(lambda path: base_url.rstrip("/") + path)
    meetings = MeetingFilter({}).qs.for_export()
    count = meetings.count()
    written = datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds")
    parts = {
        "csv": _csv_stream(LIST_COLUMNS, _csv_rows(meetings, meeting_url)),
        "json": _json_chunks(meetings, meeting_url, {"count": count, "written_at": written}),
    }
    for kind, chunks in parts.items():
        _write_atomically(directory / FULL_EXPORT_FILES[kind], _batched(chunks))
    return count


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as file:
        try:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
            os.chmod(file.name, 0o644)  # the web server may run as another user
        except BaseException:
            os.unlink(file.name)
            raise
    os.replace(file.name, path)


@require_safe
def full_export(request, kind: str):
    """The full export's file, sent from disk (sendfile where the server has it); no query."""
    path = Path(settings.EXPORT_DIR) / FULL_EXPORT_FILES[kind]
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise Http404(_("The full export has not been written yet.")) from None
    response = FileResponse(
        file, as_attachment=True, filename=f"meetings-all.{kind}", content_type=CONTENT_TYPES[kind]
    )
    response["Last-Modified"] = http_date(os.fstat(file.fileno()).st_mtime)
    response["Cache-Control"] = "public, max-age=3600"
    return response


# One meeting with all its parts.


def _meeting_with_parts(slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("city").with_parts(), slug=slug)


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
            for p in meeting.participants
        ],
        "organizations": [
            {
                "name": m.organization.name,
                "slug": m.organization.slug,
                "abbreviation": m.organization.abbreviation,
                "name_as_written": m.name_as_written,
                "evidence": _evidence(m),
            }
            for m in meeting.organization_mentions
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
            for c in meeting.directive_citations
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
            for a in meeting.sources
            if a.is_current
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
