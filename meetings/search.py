"""The folded search document of each meeting (see "Search without PostgreSQL extensions").

Ingest and the admin call `update_search_documents` after writing a meeting's parts, so the
GIN index over to_tsvector('simple', search_document) always reflects what the pages show.
"""

from __future__ import annotations

from collections.abc import Iterable

from meetings.extraction.text import fold, squash_spaces
from meetings.models import Meeting


def build_search_document(meeting: Meeting) -> str:
    """Folded title, places, period, people, organisations, directives and source texts.

    Expects the meeting's parts prefetched (see update_search_documents).
    """
    parts = [meeting.title, meeting.meeting_type, meeting.body, meeting.locality]
    if meeting.city is not None:
        parts.append(meeting.city.name)
    parts += [p.person.name for p in meeting.participations.all()]
    parts += [p.title for p in meeting.participations.all()]
    for mention in meeting.mentions.all():
        org = mention.organization
        parts += [org.name, org.abbreviation, mention.name_as_written, *org.aliases]
    for citation in meeting.citations.all():
        parts += [citation.directive.number, citation.directive.kind]
    parts += [a.text for a in meeting.articles.all() if a.is_current]
    return fold(squash_spaces(" \n".join(p for p in parts if p)))


def update_search_documents(meeting_ids: Iterable[int]) -> int:
    """Recompute search_document for these meetings; returns how many were updated."""
    meetings = list(
        Meeting.objects.filter(pk__in=list(meeting_ids))
        .select_related("city")
        .prefetch_related(
            "participations__person",
            "mentions__organization",
            "citations__directive",
            "articles",
        )
    )
    for meeting in meetings:
        meeting.search_document = build_search_document(meeting)
    Meeting.objects.bulk_update(meetings, ["search_document"], batch_size=500)
    return len(meetings)
