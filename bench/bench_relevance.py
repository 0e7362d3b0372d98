"""Search relevance on the dev corpus: mean average precision of the judged queries.

    .venv/bin/python bench/bench_relevance.py      # the first step of `make bench`

Ingests ../shared/corpus/dev/articles and ../shared/seeds into a database of its own, emptied
first: RELEVANCE_DATABASE_URL when set, else an embedded PostgreSQL under
var/relevance-postgres/ (which has no extensions and no ICU: search must work there). Then
runs every query of ../shared/corpus/dev/relevance.jsonl as /search/ does and prints each
query's average precision and the mean (meetings/relevance.py). Exits 1 when the mean is
below 0.95, 0 otherwise; skips (exit 0) when ../shared is absent.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"
TARGET = 0.95


def main() -> int:
    judgements = DEV / "relevance.jsonl"
    if not judgements.exists() or not (SHARED / "seeds").exists():
        print(f"relevance: skipped, {judgements} or {SHARED / 'seeds'} is missing")
        return 0
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    url = os.environ.get("RELEVANCE_DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["EMBEDDED_POSTGRES_DIR"] = str(ROOT / "var" / "relevance-postgres")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from meetings import relevance
    from meetings.ingest import ingest_file, ingest_paths

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    gold = [json.loads(line) for line in (DEV / "gold.jsonl").read_text().splitlines() if line]
    urls = {(DEV / g["path"]).resolve(): g.get("url") for g in gold}
    results = [
        ingest_file(path, url=urls.get(path.resolve()))
        for path in sorted((DEV / "articles").glob("*.txt"))
    ]
    results += ingest_paths([SHARED / "seeds"]).results
    failed = [(r.path, r.reason) for r in results if r.status == "failed"]
    if failed:
        print(f"relevance: ingest failed: {failed}")
        return 1
    judged = relevance.judge(relevance.load(judgements))
    score = relevance.mean_average_precision(judged)
    where = url or f"embedded PostgreSQL {connection.pg_version // 10000} (var/relevance-postgres)"
    print(f"Search relevance: {len(judged)} judged queries on the dev corpus ({where})")
    print(relevance.report(judged))
    verdict = "meets" if score >= TARGET else "MISSES"
    seconds = time.perf_counter() - started
    print(f"MAP {score:.3f} {verdict} the target of {TARGET} ({seconds:.0f} s)")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
