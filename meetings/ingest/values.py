"""Extracted values (JSON strings) to Python values for the database."""

from __future__ import annotations

import datetime


def parse_date(value: object) -> datetime.date | None:
    """'2023-10-23' (or a longer ISO timestamp) → date; anything else → None."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
