"""Ingest: extracted articles into the database, idempotent, corrections never lost.

- `run`: files and folders → one transaction per article, a report of new/updated/unchanged/
  failed (what `manage.py ingest_articles` calls).
- `write`: one extracted article → Article, Meeting and extracted rows; ownership and locks.
- `identity`: the rule that makes two articles about one meeting one Meeting.
- `resolve`: one City, Person, Organization, Directive per real thing.
- `locks`, `slugs`: the advisory locks that serialise concurrent ingests, and the slug families
  ("base", "base-2" …) allocated under them.
- `values`: extracted values (dates …) to Python values.
"""

from meetings.ingest.run import (
    FileResult,
    Report,
    collect_paths,
    extractor_version,
    ingest_file,
    ingest_paths,
    prepare,
)
from meetings.ingest.values import parse_date
from meetings.ingest.write import FAILED, Prepared, Written, write_article

__all__ = [
    "FAILED",
    "FileResult",
    "Prepared",
    "Report",
    "Written",
    "collect_paths",
    "extractor_version",
    "ingest_file",
    "ingest_paths",
    "parse_date",
    "prepare",
    "write_article",
]
