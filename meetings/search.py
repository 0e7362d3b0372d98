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

from django.db import connection

from meetings import prepared
from meetings.extraction.text import fold, squash_spaces
from meetings.models import (
    Article,
    City,
    Directive,
    DirectiveCitation,
    Meeting,
    Organization,
    OrganizationMention,
    Participation,
    Person,
)
from meetings.vietnamese import exact

WRITE_BATCH = 100  # documents per UPDATE statement (a few hundred kilobytes of text)

# The exact half of a vector: the words of `v.exact` as the `simple` parser finds them, each
# lexeme renamed "=" + lexeme (quotes and backslashes doubled for the tsvector's text form),
# positions kept. The parser never puts "=" in a word, so these never meet the folded half's
# lexemes ("=nam" is the word "nam", never "năm"): a query asks for them by name, which the
# GIN index answers alone. A weight (`'nam':A`, as before migration 0018) made PostgreSQL
# re-read every candidate's vector from TOAST to check it.
EXACT_VECTOR = (
    "(SELECT coalesce(string_agg('''=' || replace(replace(u.lexeme, '\\', '\\\\'),"
    " '''', '''''') || ''':' || array_to_string(u.positions, ','), ' '), '')::tsvector"
    " FROM unnest(to_tsvector('simple'::regconfig, v.exact)) u)"
)


def _documents_sql() -> str:
    """The query of `_documents`, written out and prepared (meetings/prepared.py): the ORM
    took longer to compile its five array subqueries, and PostgreSQL to plan them, than
    PostgreSQL took to run them, once for every article ingested."""
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Meeting, City, Participation, Person, Article)
        + (OrganizationMention, Organization, DirectiveCitation, Directive)
    }

    def words(*columns: str) -> str:  # the non-empty columns of a row as one text
        return "concat_ws(' \n', " + ", ".join(f"NULLIF({c}, '')" for c in columns) + ")"

    aliases = "(SELECT string_agg(value, ' \n') FROM jsonb_array_elements_text(o.aliases))"
    return (
        f"SELECT m.id, {words('m.title', 'm.meeting_type', 'm.body', 'm.locality', 'c.name')},"
        f" ARRAY(SELECT {words('p.name')} FROM {table[Participation]} pa"
        f" JOIN {table[Person]} p ON p.id = pa.person_id"
        " WHERE pa.meeting_id = m.id ORDER BY pa.id),"
        f" ARRAY(SELECT {words('pa.title')} FROM {table[Participation]} pa"
        " WHERE pa.meeting_id = m.id ORDER BY pa.id),"
        f" ARRAY(SELECT concat_ws(' \n', NULLIF(o.name, ''), NULLIF(o.abbreviation, ''),"
        f" NULLIF(om.name_as_written, ''), {aliases}) FROM {table[OrganizationMention]} om"
        f" JOIN {table[Organization]} o ON o.id = om.organization_id"
        " WHERE om.meeting_id = m.id ORDER BY om.id),"
        f" ARRAY(SELECT {words('d.number', 'd.kind')} FROM {table[DirectiveCitation]} dc"
        f" JOIN {table[Directive]} d ON d.id = dc.directive_id"
        " WHERE dc.meeting_id = m.id ORDER BY dc.id),"
        f" ARRAY(SELECT {words('a.text')} FROM {table[Article]} a"
        " WHERE a.meeting_id = m.id AND a.is_current ORDER BY a.id)"
        f" FROM {table[Meeting]} m LEFT JOIN {table[City]} c ON c.id = m.city_id"
        " WHERE m.id = ANY(%s)"
    )


def _documents(meeting_ids: list[int]) -> list[tuple[int, str]]:
    """(meeting id, the words it is found by, as written) of these meetings, in one query:
    folded title, places, people and their titles, organisations (with every name they go
    by), directives and the current source texts."""
    with connection.cursor() as cursor:
        prepared.execute(cursor, _documents_sql(), [meeting_ids])
        rows = cursor.fetchall()
    return [
        (pk, squash_spaces(" \n".join(p for p in [own, *chain(*lists)] if p)))
        for pk, own, *lists in rows
    ]


def update_search_documents(meeting_ids: Iterable[int]) -> int:
    """Recompute search_document and search_vector for these meetings; returns how many.

    The vector holds every word twice: folded ("ha", "nam"; weight D) for queries typed
    without diacritics, and in its exact form marked by "=" ("=hà", "=nam"; weight A, see
    meetings.vietnamese.exact and EXACT_VECTOR) for queries typed with them. The two
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
                f" || setweight({EXACT_VECTOR}, 'A'),"
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
