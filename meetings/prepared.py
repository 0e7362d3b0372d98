"""Server-side prepared statements, for the few hand-written queries every ingested article runs.

PostgreSQL plans each statement it receives. For a query of several subqueries and joins
that reads a handful of rows (a meeting's search document, the identity rule's candidates),
planning takes longer than running: the search document's query planned in about 0.55 ms and
ran in 0.04 ms at 105,792 meetings. A prepared statement is planned once per connection, then
its plan is reused (PostgreSQL's own choice between a generic and a custom plan,
`plan_cache_mode`).

`execute(cursor, sql, params)` prepares `sql` under a name derived from its text the first
time this connection runs it, then EXECUTEs it. Which names a connection holds is kept on
its Django DatabaseWrapper and forgotten whenever a new connection opens (the
connection_created signal, connected when this module is imported, before it prepares
anything). A statement prepared in a transaction that rolls back stays prepared (PREPARE is
not transactional). A pooler that hands one client several server connections
(PgBouncer in transaction mode) would break this, as it breaks any prepared statement; the
portal connects to PostgreSQL directly (README, "Deployment at scale").
"""

from __future__ import annotations

import hashlib
import re

from django.db.backends.signals import connection_created

_PLACEHOLDER = re.compile(r"%s")


def execute(cursor, sql: str, params: list) -> None:
    """Run `sql` (psycopg2's %s placeholders; no literal %) as a prepared statement of the
    cursor's connection; fetch from the cursor as after cursor.execute."""
    name = "p_" + hashlib.blake2b(sql.encode(), digest_size=12).hexdigest()
    prepared: set[str] = cursor.db.__dict__.setdefault("prepared_statements", set())
    if name not in prepared:
        numbers = iter(range(1, len(params) + 1))
        cursor.execute(f"PREPARE {name} AS " + _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql))
        prepared.add(name)
    arguments = "(" + ", ".join(["%s"] * len(params)) + ")" if params else ""
    cursor.execute(f"EXECUTE {name}{arguments}", params)


def forget_prepared(sender, connection, **kwargs) -> None:
    """connection_created: a new connection holds no prepared statement."""
    connection.prepared_statements = set()


connection_created.connect(forget_prepared, dispatch_uid="meetings.prepared")
