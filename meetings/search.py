"""The folded search document of each meeting (see "Search without PostgreSQL extensions").

Every write rebuilds the documents of the meetings it changed, in its own transaction: the
admin after an edit, a merge, a revert, and ingest with each article (meetings/ingest/write.py),
so a meeting is searchable from the commit that makes it public, whatever happens to the run
after. `search_stale` marks a meeting with no document yet (a new row's default);
`refresh_stale_search_documents` builds those, in batches.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Prefetch

from meetings.extraction.text import fold, squash_spaces
from meetings.models import Article, Meeting
from meetings.vietnamese import exact

WRITE_BATCH = 100  # documents per UPDATE statement (a few hundred kilobytes of text)


def build_search_document(meeting: Meeting) -> str:
    """Folded title, places, period, people, organisations, directives and source texts.

    Expects the meeting's parts prefetched (see update_search_documents).
    """
    return fold(_document_text(meeting))


def _document_text(meeting: Meeting) -> str:
    """The words a meeting is found by, as written (NFC)."""
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
    return squash_spaces(" \n".join(p for p in parts if p))


def update_search_documents(meeting_ids: Iterable[int]) -> int:
    """Recompute search_document and search_vector for these meetings; returns how many.

    The vector holds every word twice: folded ("ha", "nam"; weight D) for queries typed
    without diacritics, and in its exact form ("hà", "nam"; weight A, see
    meetings.vietnamese.exact) for queries typed with them, which ask for `'hà':A`. The two
    halves are concatenated, so positions (and phrases) are consistent within each.

    Reads only what a document holds (not the old document, not the articles' extraction
    JSON), and writes each meeting once: one UPDATE … FROM (VALUES …) per batch sets the
    document, its vector and the stale flag together, where two UPDATEs would leave two new
    versions of every row behind.
    """
    meetings = list(
        Meeting.objects.filter(pk__in=list(meeting_ids))
        .only("id", "title", "meeting_type", "body", "locality", "city")
        .select_related("city")
        .prefetch_related(
            "participations__person",
            "mentions__organization",
            "citations__directive",
            Prefetch(
                "articles",
                Article.objects.filter(is_current=True).only("id", "meeting", "is_current", "text"),
            ),
        )
    )
    documents = []
    for meeting in meetings:
        text = _document_text(meeting)
        documents.append((meeting.pk, fold(text), exact(text)))
    table = connection.ops.quote_name(Meeting._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(documents), WRITE_BATCH):
            batch = documents[start : start + WRITE_BATCH]
            values = ", ".join(["(%s::bigint, %s::text, %s::text)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS m SET search_document = v.doc,"
                " search_vector = to_tsvector('simple'::regconfig, v.doc)"
                " || setweight(to_tsvector('simple'::regconfig, v.exact), 'A'),"
                " search_stale = false"
                f" FROM (VALUES {values}) AS v(id, doc, exact) WHERE m.id = v.id",
                [item for row in batch for item in row],
            )
    return len(meetings)


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
