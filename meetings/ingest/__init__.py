"""Ingest: extracted articles into the database, idempotent, corrections never lost.

- `run`: files and folders → one transaction per article, a report of new/updated/unchanged/
  failed (what `manage.py ingest_articles` calls).
- `write`: one extracted article → Article, Meeting and extracted rows; ownership and locks.
- `identity`: the rule that makes two articles about one meeting one Meeting.
- `resolve`: one City, Person, Organization, Directive per real thing.
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
from meetings.ingest.write import Prepared, Written, write_article

__all__ = [
    "FileResult",
    "Prepared",
    "Report",
    "Written",
    "collect_paths",
    "extractor_version",
    "ingest_file",
    "ingest_paths",
    "prepare",
    "write_article",
]
