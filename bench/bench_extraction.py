"""Extraction throughput: articles per second on one core, over the dev corpus and the seeds.

    python bench/bench_extraction.py [--runs 7] [--seconds 1.0]

Each run extracts the whole set repeatedly for about --seconds of this process's CPU time (so
other load on the machine does not count against it); the median of the runs is printed, so one
noisy run does not move the number.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meetings.extraction import extract, read_article  # noqa: E402

SHARED = ROOT.parent / "shared"


def load() -> list[tuple[str, str | None, str | None]]:
    paths = sorted((SHARED / "corpus" / "dev" / "articles").glob("*.txt"))
    paths += sorted((SHARED / "seeds").glob("*.txt"))
    return [read_article(p) for p in paths]


def one_run(articles, seconds: float) -> float:
    done, start = 0, time.process_time()
    while True:
        for text, url, published in articles:
            extract(text, url=url, published=published)
        done += len(articles)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args()
    articles = load()
    if not articles:
        print("bench_extraction: no articles found under ../shared", file=sys.stderr)
        return 1
    for text, url, published in articles:  # warm caches (regexes, gazetteer)
        extract(text, url=url, published=published)
    rates = [one_run(articles, args.seconds) for _ in range(args.runs)]
    size = sum(len(t) for t, _, _ in articles) / len(articles)
    print(
        f"extraction: {statistics.median(rates):.0f} articles/s "
        f"(median of {args.runs} runs, min {min(rates):.0f}, max {max(rates):.0f}; "
        f"{len(articles)} articles, {size:.0f} chars on average, one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
