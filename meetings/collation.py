"""Names sorted in Vietnamese order, on every PostgreSQL.

Where the server has ICU (Debian's PostgreSQL: `SELECT collname FROM pg_collation WHERE
collname LIKE 'vi%'` lists "vi-x-icu"), names sort with `COLLATE "vi-x-icu"`. The embedded
server (pgserver) is built without ICU and has no Vietnamese locale, so there names sort by
the same key as `meetings.vietnamese.sort_key`, written in SQL with translate() and compared
byte by byte (`COLLATE "C"`). Both orders are the same (tests/test_collation.py compares
them name by name on the server).

Whether the server has the collation is asked once per process and database, when the first
connection opens (so a page's pinned query count does not depend on it); the app's ready()
imports this module so that its signal is connected before any connection opens. A
connection opened before that (a script's) is asked at the first sort instead: taking its
silence for "no ICU" once sorted every name of a worker's life with the slower key.
"""

from __future__ import annotations

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import BigIntegerField, F, Func, IntegerField, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Collate, Concat, ExtractYear

from meetings import vietnamese

ICU_COLLATION = "vi-x-icu"
_has_icu: dict[str, bool] = {}
# Tests set this to False to exercise the fallback on a server that has ICU.
force_fallback = False


def remember_collations(sender, connection, **kwargs) -> None:
    """connection_created: note once whether this database has the ICU collation."""
    if connection.vendor != "postgresql" or connection.alias in _has_icu:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [ICU_COLLATION])
        _has_icu[connection.alias] = cursor.fetchone() is not None


connection_created.connect(remember_collations, dispatch_uid="meetings.collation")


def has_icu(alias: str = "default") -> bool:
    if force_fallback:
        return False
    if alias not in _has_icu:
        connection = connections[alias]
        connection.ensure_connection()
        if alias not in _has_icu:  # opened before this module was imported: ask now
            remember_collations(None, connection)
    return _has_icu.get(alias, False)  # not PostgreSQL: no ICU collation to ask for


def _translate(expression, source: str, target: str) -> Func:
    return Func(
        expression,
        Value(source),
        Value(target),
        function="translate",
        output_field=TextField(),
    )


def sql_sort_key(expression) -> Expression:
    """meetings.vietnamese.sort_key in SQL, to compare with COLLATE "C"."""
    text = Func(expression, function="normalize", template="normalize(%(expressions)s, NFC)")
    sep = Value(vietnamese.LEVEL_SEPARATOR)
    parts = [
        _translate(text, vietnamese.CHARS, vietnamese.PRIMARY),
        sep,
        _translate(text, vietnamese.CHARS, vietnamese.SECONDARY),
        sep,
        _translate(text, vietnamese.CHARS, vietnamese.TERTIARY),
        sep,
        text,
    ]
    return Collate(Concat(*parts, output_field=TextField()), "C")


def vi(field: str, alias: str = "default") -> Expression:
    """order_by(vi("name"), "id"): names in Vietnamese order (`.desc()` for the reverse).

    Chosen when the queryset is built: the first call in a process may open the connection.
    """
    if has_icu(alias):
        return Collate(F(field), ICU_COLLATION)
    return sql_sort_key(F(field))


def raw_order(column_sql: str, alias: str = "default") -> tuple[str, list[str]]:
    """(ORDER BY term, its parameters) for a column in hand-written SQL (meetings/facets.py)."""
    if has_icu(alias):
        return f'{column_sql} COLLATE "{ICU_COLLATION}"', []
    normal = f"normalize({column_sql}, NFC)"
    levels = [f"translate({normal}, %s, %s)"] * 3
    sql = " || %s || ".join([*levels, normal])
    params = []
    for target in (vietnamese.PRIMARY, vietnamese.SECONDARY, vietnamese.TERTIARY):
        params += [vietnamese.CHARS, target, vietnamese.LEVEL_SEPARATOR]
    return f'({sql}) COLLATE "C"', params


def directive_order(prefix: str = "") -> list:
    """ORDER BY terms for directive numbers: by number, then year, then as written.

    "04", "04/2015", "05", "18", "130", "145" (not "04, 04/2015, 05, 130, 145, 18" as
    text). The year is the four digits after a slash ("105/2020/NĐ-CP"), else the year
    issued; numbers without a year come first.
    """
    number = F(f"{prefix}number")
    leading = Func(
        number,
        template=r"(regexp_match(%(expressions)s, '^\s*(\d{1,9})'))[1]::bigint",
        output_field=BigIntegerField(),
    )
    year = Coalesce(
        Func(
            number,
            template=r"(regexp_match(%(expressions)s, '/((?:19|20)\d\d)(?!\d)'))[1]::integer",
            output_field=IntegerField(),
        ),
        ExtractYear(f"{prefix}issued_on"),
    )
    return [leading.asc(nulls_last=True), year.asc(nulls_first=True), vi(f"{prefix}number")]
