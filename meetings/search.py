"""The folded search document of each meeting (see "Search without PostgreSQL extensions").

Every write rebuilds the documents of the meetings it changed, in its own transaction: the
admin after an edit, a merge, a revert, and ingest with each article (meetings/ingest/write.py),
so a meeting is searchable from the commit that makes it public, whatever happens to the run
after. `search_stale` marks a meeting with no document yet (a new row's default);
`refresh_stale_search_documents` builds those, in batches.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Func, OuterRef, TextField, Value
from django.db.models.functions import NullIf

from meetings.extraction.text import fold, squash_spaces
from meetings.models import (
    Article,
    DirectiveCitation,
    Meeting,
    OrganizationMention,
    Participation,
)
from meetings.vietnamese import exact

WRITE_BATCH = 100  # documents per UPDATE statement (a few hundred kilobytes of text)


def _words(*columns) -> Func:
    """The non-empty columns of a row as one text, NULLs and blanks left out."""
    blanks_out = (NullIf(c, Value("")) if isinstance(c, str) else c for c in columns)
    return Func(Value(" \n"), *blanks_out, function="concat_ws", output_field=TextField())


class _JoinedList(Func):
    """The strings of a JSON list, one text (an organisation's aliases)."""

    template = "(SELECT string_agg(value, ' \n') FROM jsonb_array_elements_text(%(expressions)s))"
    output_field = TextField()


def _documents(meeting_ids: list[int]) -> list[tuple[int, str]]:
    """(meeting id, the words it is found by, as written) of these meetings, in one query:
    folded title, places, people and their titles, organisations (with every name they go
    by), directives and the current source texts."""
    mine = {"meeting": OuterRef("pk")}

    def parts(model, *columns, **where):
        rows = model.objects.filter(**mine, **where).order_by("id")
        return ArraySubquery(rows.annotate(words=_words(*columns)).values("words"))

    rows = (
        Meeting.objects.filter(pk__in=meeting_ids)
        .annotate(
            own=_words("title", "meeting_type", "body", "locality", "city__name"),
            people=parts(Participation, "person__name"),
            titles=parts(Participation, "title"),
            bodies=parts(
                OrganizationMention,
                "organization__name",
                "organization__abbreviation",
                "name_as_written",
                _JoinedList("organization__aliases"),
            ),
            documents=parts(DirectiveCitation, "directive__number", "directive__kind"),
            texts=parts(Article, "text", is_current=True),
        )
        .values_list("pk", "own", "people", "titles", "bodies", "documents", "texts")
    )
    return [
        (pk, squash_spaces(" \n".join(p for p in [own, *chain(*lists)] if p)))
        for pk, own, *lists in rows
    ]


def update_search_documents(meeting_ids: Iterable[int]) -> int:
    """Recompute search_document and search_vector for these meetings; returns how many.

    The vector holds every word twice: folded ("ha", "nam"; weight D) for queries typed
    without diacritics, and in its exact form ("hà", "nam"; weight A, see
    meetings.vietnamese.exact) for queries typed with them, which ask for `'hà':A`. The two
    halves are concatenated, so positions (and phrases) are consistent within each.

    Reads only what a document holds, in one query (not the old document, not the
    articles' extraction JSON), and writes each meeting once: one UPDATE … FROM (VALUES …)
    per batch sets the document, its vector and the stale flag together, where two UPDATEs
    would leave two new versions of every row behind.
    """
    documents = [(pk, fold(text), exact(text)) for pk, text in _documents(list(meeting_ids))]
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
    return len(documents)


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
