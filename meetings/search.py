"""The folded search document of each meeting (see "Search without PostgreSQL extensions").

The admin calls `update_search_documents` after an edit. Ingest marks each meeting it writes
`search_stale` inside the article's transaction and calls `refresh_stale_search_documents`
after a run, in batches: cheaper than one rebuild per article, and a run killed half-way
leaves stale flags that the next run clears, so search always catches up.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector

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
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(
        search_vector=SearchVector("search_document", config="simple"), search_stale=False
    )
    return len(meetings)


def mark_stale(meeting_id: int) -> None:
    """Flag a meeting whose parts changed; refresh_stale_search_documents rebuilds it."""
    Meeting.objects.filter(pk=meeting_id, search_stale=False).update(search_stale=True)


def refresh_stale_search_documents(batch_size: int = 500) -> int:
    """Rebuild every stale meeting's document, a batch per transaction; returns the count."""
    done = 0
    while True:
        ids = list(
            Meeting.objects.filter(search_stale=True)
            .order_by("id")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        done += update_search_documents(ids)
