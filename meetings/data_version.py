"""The data version: a number that changes whenever a committed write changes public data.

PostgreSQL keeps it (migration 0016): statement-level triggers on every table a public page
reads note the writing transaction, and its COMMIT bumps the one row of meetings_dataversion.
Public pages are cached under it (meetings/page_cache.py), so a correction is seen on the
next request through every app server, and nothing in Python has to remember to say so.

Read it from the database the page itself reads (a replica replays the number with the
data): a page cached under a number then always holds at least that number's data.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import InterfaceError, OperationalError, connections, router

from meetings.models import DataVersion


class Version(NamedTuple):
    number: int
    changed_at: datetime.datetime


def current(using: str | None = None) -> Version:
    """The committed data version, in one primary-key lookup."""
    using = using or router.db_for_read(DataVersion)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT version, changed_at FROM meetings_dataversion WHERE id = 1")
        row = cursor.fetchone()
    if row is None:  # only after a TRUNCATE of every table, before the next write commits
        return Version(0, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    return Version(*row)


def current_for_request(using: str | None = None) -> Version:
    """`current()` as a request's first query, which also checks the connection.

    A persistent connection (CONN_MAX_AGE) may have been closed by the server since the last
    request (a restart, a failover, an idle timeout). Django's health check
    (CONN_HEALTH_CHECKS) finds out with a SELECT 1 of its own before the request's first
    query: on a cached page, one round trip of the three it makes. Here that first query is
    the check: when it fails because the connection left from an earlier request is gone,
    the read is made once more on a new one, which raises if the database is down (the page
    cache then renders the page, which answers 503). A statement that failed on a live
    connection (a statement timeout) is not tried again.
    """
    using = using or router.db_for_read(DataVersion)
    connection = connections[using]
    if connection.connection is None or connection.in_atomic_block:
        return current(using)  # a new connection, or a transaction's: nothing to check
    connection.health_check_done = True
    try:
        return current(using)
    except (InterfaceError, OperationalError):
        if connection.is_usable():
            raise  # the statement failed, not the connection (a statement timeout): no retry
        connection.close()
    return current(using)


def bump(using: str = "default") -> Version:
    """A new version now: for what changes pages without a write (a deploy's templates).

    The trigger does the bumping, at this transaction's commit.
    """
    with connections[using].cursor() as cursor:
        cursor.execute("INSERT INTO meetings_dataversion_pending (txid) VALUES (txid_current())")
    return current(using)
