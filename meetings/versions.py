"""Values shared by many requests, cached under the data version.

The data version (meetings/data_version.py) changes at the commit of any write to a table
public pages read, PostgreSQL keeping it, so a value cached under it (the facets, bounded
counts, the list's filter column) is never older than the data it was computed from. Each
is also kept at most CACHE_SECONDS, so that what a version no longer needs leaves the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from typing import Any

from django.core.cache import cache

CACHE_SECONDS = 60  # how stale a cached value may be (as the unfiltered facets: facets.py)


def data_version(request=None) -> str:
    """The committed data version, as a cache key's part: the one the page cache read for
    this request (meetings/page_cache.py), else asked (one primary-key lookup)."""
    known = getattr(request, "data_version", None)
    if known is not None:
        return str(known)
    from meetings import data_version as version

    return str(version.current().number)


def versioned_key(version: str, *parts) -> str:
    """A cache key for a value of this data version, named by `parts` (hashed: any text)."""
    digest = sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"meetings:{version}:{digest}"


def cached(version: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, cached for CACHE_SECONDS under this data version and `parts`."""
    return cached_each(version, {"value": parts}, lambda _name: compute())["value"]


def cached_each(version: str, parts: dict[str, tuple], compute: Callable[[str], Any]) -> dict:
    """`compute(name)` for each name of `parts`, cached for CACHE_SECONDS under this data
    version and that name's parts: read from the cache in one call and stored in at most
    one (a round trip each, not one per value)."""
    keys = {name: versioned_key(version, *name_parts) for name, name_parts in parts.items()}
    stored = cache.get_many(list(keys.values())) if keys else {}
    values, missing = {}, {}
    for name, key in keys.items():
        if key in stored:
            values[name] = stored[key]
        else:
            values[name] = missing[key] = compute(name)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return values


def cached_count(version: str, parts: tuple, count: Callable[[], int]) -> int:
    """A count, cached as `cached` does."""
    return cached(version, ("count", *parts), count)
