"""Slug families for rows ingest creates: "base", "base-2" … allocated in bulk, one query per
batch, under the slug locks of meetings.ingest.locks (so two ingests never pick the same one).

meetings.slugs makes the slug of one text; this module hands out unused ones to many rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import cast

from django.db import connection, models

from meetings.ingest.inserts import insert
from meetings.ingest.locks import lock_slugs
from meetings.slugs import make_slug


@lru_cache(maxsize=65536)
def slug_base(text: str, max_length: int = 80) -> str:
    return make_slug(text, max_length=max_length - 8)


def pick_slugs(bases: list[str], taken: set[str]) -> list[str]:
    """One unused slug per base ("base", "base-2" …), none twice."""
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def taken_slugs(model: type[models.Model], bases: Iterable[str]) -> set[str]:
    """The slugs of `model` in the families ("base", "base-2" …) of these bases."""
    return rows_and_slugs(model, "FALSE", [], bases, [])[1]


def allocate_slugs(model: type[models.Model], texts: list[str], max_length: int = 80) -> list[str]:
    """One unique slug per text, with one query for the whole batch (locks taken here)."""
    bases = [slug_base(t, max_length) for t in texts]
    lock_slugs(model, bases)
    return pick_slugs(bases, taken_slugs(model, bases))


def rows_and_slugs(
    model: type[models.Model], where: str, params: list, bases: Iterable[str], fields: list[str]
) -> tuple[list[dict], set[str]]:
    """The rows an SQL condition on the model's table (`where`, with `params`) selects, as
    dicts of `fields`, and every slug taken in the families of these slug bases: one query
    where a lookup followed by a slug allocation needs two. The caller holds the slug locks,
    so no other ingest adds to either until commit.

    Written out rather than built by the ORM: for the three or four lookups of every article,
    the ORM spent longer building them than PostgreSQL spent answering."""
    quote = connection.ops.quote_name
    # A name or an attname ("city_id") each.
    columns = [cast(models.Field, model._meta.get_field(name)) for name in fields]
    families = sorted(set(bases))
    like = "".join(" OR slug LIKE %s" for _ in families)
    sql = (
        f"SELECT {''.join(quote(cast(str, f.column)) + ', ' for f in columns)}slug"
        f" FROM {quote(model._meta.db_table)} WHERE ({where}){like}"
    )
    patterns = [connection.ops.prep_for_like_query(base) + "%" for base in families]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *patterns])
        found = cursor.fetchall()
    converters = [
        (i, f.from_db_value) for i, f in enumerate(columns) if hasattr(f, "from_db_value")
    ]
    rows, taken = [], set()
    for *values, slug in found:
        for i, convert in converters:  # JSON arrives as text (Django's psycopg2 set-up)
            values[i] = convert(values[i], None, connection)
        rows.append({**dict(zip(fields, values, strict=True)), "slug": slug})
        taken.add(slug)
    return rows, taken


def column_is(column: str, value) -> tuple[str, list]:
    """An SQL condition that a column equals a value, NULL included ("= %s" is never true for
    NULL), and its parameters."""
    return (f"{column} IS NULL", []) if value is None else (f"{column} = %s", [value])


def create_with_slugs(
    model: type[models.Model], rows: list, bases: list[str], taken: set[str]
) -> None:
    """Insert new rows (sorted by the caller, so that concurrent ingests lock unique-index
    entries in one order) with unused slugs; sets their ids.

    The caller holds the slug locks and looked for these names under them, so a conflict can
    only come from a writer outside ingest: the IntegrityError rolls the article back, and it
    is retried.
    """
    for row, slug in zip(rows, pick_slugs(bases, taken), strict=True):
        row.slug = slug
    insert(rows)
