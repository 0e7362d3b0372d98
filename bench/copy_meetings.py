"""Grow a benchmark database by copying its meetings, in SQL, in minutes instead of hours.

    .venv/bin/python bench/copy_meetings.py postgres://postgres@127.0.0.1:5432/portal_rep 47

Every meeting, with its "As ingested" history record, articles, participations, organisation
mentions, directive citations and metrics, is copied COPIES - 1 more times: new ids, slugs
suffixed with the copy's number, held a week later for each copy, articles with their own
address and hash. People, organisations, directives and places are shared, so the copies have
the shape of rows of a large database (same joins, same index sizes) but fewer distinct people
and bodies than ingesting as many demo articles would give. `bench/run.py` builds by real
ingest; use this when that cannot finish in the time you have, and say so next to the numbers
(docs/benchmarks.md does).
"""

from __future__ import annotations

import sys
import time

import psycopg2

# Columns given a new value in each copy; {k} is the copy's number, {m} and {a} the id offsets of
# meetings and articles. Every other column is copied as it is.
MEETING = {
    "id": "id + {k} * {m}",
    "slug": "left(slug, 110) || '-x' || {k}",
    "identity_key": "identity_key || '#copy' || {k}",
    "held_on": "held_on + 7 * {k}",
    "held_until": "held_until + 7 * {k}",
    "possible_duplicate_of_id": "possible_duplicate_of_id + {k} * {m}",
}
ARTICLE = {
    "id": "id + {k} * {a}",
    "meeting_id": "meeting_id + {k} * {m}",
    "url": "CASE WHEN url = '' THEN '' ELSE url || '#copy' || {k} END",
    "sha256": "encode(sha256(convert_to(sha256 || {k}, 'UTF8')), 'hex')",
    "published_on": "published_on + 7 * {k}",
}
LINK = {  # participations, mentions, citations, metrics: new ids from their sequence
    "id": None,
    "meeting_id": "meeting_id + {k} * {m}",
    "article_id": "article_id + {k} * {a}",
}
HISTORY = {**MEETING, "history_id": None}  # the "As ingested" record every meeting has
TABLES = [
    ("meetings_meeting", MEETING),
    ("meetings_historicalmeeting", HISTORY),
    ("meetings_article", ARTICLE),
    ("meetings_participation", LINK),
    ("meetings_organizationmention", LINK),
    ("meetings_directivecitation", LINK),
    ("meetings_metric", LINK),
]


def columns(cur, table: str) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cur.fetchall()]


def copy_statement(cur, table: str, changes: dict, k: int, m: int, a: int) -> str:
    names, values = [], []
    for name in columns(cur, table):
        if name in changes and changes[name] is None:
            continue  # a new id from the table's identity
        names.append(name)
        values.append(changes.get(name, name).format(k=k, m=m, a=a))
    source = "id" if table in ("meetings_meeting", "meetings_historicalmeeting") else "meeting_id"
    return (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"SELECT {', '.join(values)} FROM {table} WHERE {source} <= {m}"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit() or int(argv[1]) < 2:
        print("usage: bench/copy_meetings.py DATABASE_URL COPIES", file=sys.stderr)
        print("  COPIES: how many of each meeting in the end, 2 or more", file=sys.stderr)
        return 2
    url, copies = argv[0], int(argv[1])
    started = time.monotonic()
    try:
        connection = psycopg2.connect(url)
    except psycopg2.Error as error:
        print(f"{url}: cannot connect: {str(error).strip()}", file=sys.stderr)
        return 2
    with connection, connection.cursor() as cur:
        cur.execute("SELECT to_regclass('meetings_meeting') IS NOT NULL")
        if not cur.fetchone()[0]:
            print(f"{url}: no meetings_meeting table (run manage.py migrate)", file=sys.stderr)
            return 2
        cur.execute("SELECT coalesce(max(id), 0), count(*) FROM meetings_meeting")
        m, count = cur.fetchone()
        cur.execute("SELECT coalesce(max(id), 0) FROM meetings_article")
        (a,) = cur.fetchone()
        if count == 0:
            print(f"{url}: no meetings to copy", file=sys.stderr)
            return 2
        if count != m:
            print(f"note: meeting ids have gaps ({count:,} meetings, highest id {m:,})")
        for k in range(1, copies):
            for table, changes in TABLES:
                cur.execute(copy_statement(cur, table, changes, k, m, a))
            print(f"copy {k + 1} of {copies}: {time.monotonic() - started:.0f} s", flush=True)
        for table, _ in TABLES:
            key = "history_id" if table == "meetings_historicalmeeting" else "id"
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), max({key}))"
                f" FROM {table}"
            )
        cur.execute("SELECT count(*) FROM meetings_meeting")
        print(f"{cur.fetchone()[0]:,} meetings")
    connection.close()
    connection = psycopg2.connect(url)
    connection.autocommit = True  # VACUUM runs outside a transaction
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    connection.close()
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
