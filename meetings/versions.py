"""The data version, and values shared by many requests cached under it.

Every cached value derived from the meetings (the unfiltered facets, bounded counts) is
keyed by `data_version()`, so a new or changed meeting shows at once; anything the version
does not see (a deletion, a renamed city) within the few seconds each value is kept.
`data_version()` is the one function to point at another notion of version.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from typing import Any

from django.core.cache import cache
from django.db.models import Max

CACHE_SECONDS = 60  # how stale a cached value may be (as the unfiltered facets: facets.py)


def data_version() -> str:
    """Changes whenever a meeting is added or saved (both maxima are read from indexes)."""
    from meetings.models import Meeting

    latest = Meeting.objects.order_by().aggregate(top=Max("id"), last=Max("updated_at"))
    last = latest["last"].isoformat() if latest["last"] else ""
    return f"{latest['top'] or 0}:{last}"


def versioned_key(version: str, *parts) -> str:
    """A cache key for a value of this data version, named by `parts` (hashed: any text)."""
    digest = sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"meetings:{version}:{digest}"


def cached(version: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, cached for CACHE_SECONDS under this data version and `parts`."""
    key = versioned_key(version, *parts)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def cached_count(version: str, parts: tuple, count: Callable[[], int]) -> int:
    """A count, cached as `cached` does."""
    return cached(version, ("count", *parts), count)
