"""Inserting new rows of one model in one statement, for ingest's hot path.

What `QuerySet.bulk_create` does for the rows ingest creates (every field's `pre_save` and
`get_db_prep_save`, so defaults, `auto_now_add` and JSON are as the ORM stores them; the ids
set on the instances), without the ORM's per-call machinery: for an article of about forty
rows in seven inserts, building those statements cost more CPU than PostgreSQL spent running
them. Like `bulk_create` (and `save_without_historical_record`), no signal is sent and no
history is recorded: ingest writes are not edits (see meetings/ingest/write.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import cast

from django.db import connection, models

# Fields whose Python value psycopg2 takes as it is: Django's preparation of them changes
# nothing for the values ingest gives (str, bool, int, date, None). Exact types: a
# DateTimeField is a DateField, and its auto_now needs pre_save.
AS_IS = frozenset(
    {
        models.CharField,
        models.SlugField,
        models.URLField,
        models.TextField,
        models.BooleanField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.DateField,
        models.ForeignKey,
    }
)


@cache
def _statement(model: type[models.Model]) -> tuple[list, str, str, str]:
    """Each field an insert writes (attname, or the field when its value needs Django's
    preparation), the statement's head and tail, and one row's placeholders."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(cast(str, f.column)) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    tail = f" RETURNING {quote(cast(str, model._meta.pk.column))}"
    values = [f.attname if type(f) in AS_IS else f for f in fields]
    return values, head, tail, "(" + ", ".join(["%s"] * len(fields)) + ")"


def insert(objs: Sequence[models.Model]) -> None:
    """Insert these new instances of one model in one statement, and set their ids."""
    if not objs:
        return
    fields, head, tail, row = _statement(type(objs[0]))
    with connection.cursor() as cursor:
        cursor.execute(head + ", ".join([row] * len(objs)) + tail, _values(objs, fields))
        ids = cursor.fetchall()
    for obj, (pk,) in zip(objs, ids, strict=True):  # PostgreSQL returns them in VALUES order
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_with_parent(parent: models.Model, child: models.Model, link: str) -> None:
    """Insert a new row and a new row that refers to it through the foreign key `link` in one
    statement (the parent's INSERT in a data-modifying WITH, whose id the child's row takes);
    set both ids, and the child's `link`."""
    quote = connection.ops.quote_name
    parent_fields, parent_head, parent_tail, parent_row = _statement(type(parent))
    fields, head, _, _ = _statement(type(child))
    link_field = cast(models.ForeignKey, type(child)._meta.get_field(link))
    column = link_field.column
    attname = link_field.attname
    values = ", ".join("(SELECT * FROM parent)" if f == attname else "%s" for f in fields)
    child_pk = quote(cast(str, type(child)._meta.pk.column))
    sql = (
        f"WITH parent AS ({parent_head}{parent_row}{parent_tail}) "
        f"{head}({values}) RETURNING {child_pk}, {quote(column)}"
    )
    params = _values([parent], parent_fields) + _values(
        [child], [f for f in fields if f != attname]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        child_id, parent_id = cursor.fetchone()
    for obj, pk in ((parent, parent_id), (child, child_id)):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    setattr(child, attname, parent_id)


def insert_rows(groups: Sequence[Sequence[models.Model]]) -> None:
    """Insert new instances of several models in one statement, a group per model (each but
    the last in a data-modifying WITH, which PostgreSQL runs whether or not it is read);
    their ids are not read back. For rows nothing refers to: an article's participations,
    mentions, citations and figures."""
    parts, params = [], []
    for objs in groups:
        if objs:
            fields, head, _, row = _statement(type(objs[0]))
            parts.append(head + ", ".join([row] * len(objs)))
            params += _values(objs, fields)
    if not parts:
        return
    *first, last = parts
    sql = "".join(f"{'WITH' if n == 0 else ','} i{n} AS ({part}) " for n, part in enumerate(first))
    with connection.cursor() as cursor:
        cursor.execute(sql + last, params)


def _values(objs: Sequence[models.Model], fields: list) -> list:
    """The statement's parameters: each instance's value of each field."""
    return [
        getattr(obj, f)
        if isinstance(f, str)
        else f.get_db_prep_save(f.pre_save(obj, True), connection)
        for obj in objs
        for f in fields
    ]
