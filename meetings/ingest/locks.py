"""Advisory locks that serialise concurrent ingests: one PostgreSQL transaction-level lock per
text key (a slug family, a directive's number and scope, a meeting's identity), held until the
article's transaction commits or rolls back."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models


def advisory_lock(keys: Iterable[str]) -> None:
    """Take these transaction-level advisory locks (held until commit or rollback), in sorted
    order so that two ingests taking overlapping sets in one statement cannot deadlock."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest(%s::text[]) AS k", [wanted]
        )


def slug_lock_key(model: type[models.Model], base: str) -> str:
    return f"slug:{model._meta.model_name}:{base}"


def lock_slugs(model: type[models.Model], bases: Iterable[str]) -> None:
    """Serialise slug allocation per base until commit, so concurrent ingests do not pick the
    same "-2" (locks are taken in sorted order: no deadlock between two ingests)."""
    advisory_lock(slug_lock_key(model, base) for base in bases)
