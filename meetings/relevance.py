"""How good search's order is: mean average precision over judged queries.

A judgement file (JSON lines, as `../shared/corpus/dev/relevance.jsonl`) gives queries and
the articles whose meetings must come first: {"q": "Hà Nam", "relevant": ["06_….txt"]}.
Each query is run as /search/ runs it (meetings.views.search.meeting_results); its average
precision is the mean, over its relevant meetings, of the precision at the rank where each
is found (0 for one not found in the first DEPTH). Used by tests/test_relevance.py and
`make bench` (bench/bench_relevance.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEPTH = 50  # results looked at per query


@dataclass
class Judged:
    query: str
    relevant: set[int]  # meeting ids
    ranked: list[int]  # meeting ids, best first
    missing: list[str]  # judged articles that are not in the database

    @property
    def average_precision(self) -> float:
        if not self.relevant:
            return 0.0
        found, total = 0, 0.0
        for rank, meeting_id in enumerate(self.ranked, start=1):
            if meeting_id in self.relevant:
                found += 1
                total += found / rank
        return total / len(self.relevant)

    @property
    def first_ranks(self) -> list[int | None]:
        """Where each relevant meeting came (1-based), None when not found."""
        return [
            self.ranked.index(m) + 1 if m in self.ranked else None for m in sorted(self.relevant)
        ]


def load(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def judge(judgements: list[dict], *, aliases: dict[str, str] | None = None) -> list[Judged]:
    """Run every judged query; `aliases` maps judged file names to stored source names."""
    from meetings.models import Article
    from meetings.search_query import parse
    from meetings.views.search import meeting_results

    aliases = aliases or {}
    results = []
    for item in judgements:
        names = [aliases.get(n, n) for n in item["relevant"]]
        found = dict(
            Article.objects.filter(source_name__in=names, meeting__isnull=False).values_list(
                "source_name", "meeting_id"
            )
        )
        meetings, _count, _too_many, _used = meeting_results(parse(item["q"]))
        ranked = list(meetings.values_list("pk", flat=True)[:DEPTH])
        results.append(
            Judged(
                query=item["q"],
                relevant=set(found.values()),
                ranked=ranked,
                missing=[n for n in names if n not in found],
            )
        )
    return results


def mean_average_precision(results: list[Judged]) -> float:
    return sum(r.average_precision for r in results) / len(results) if results else 0.0


def report(results: list[Judged]) -> str:
    """A plain-text table: query, average precision, ranks of the relevant meetings."""
    lines = [f"{'query':<24} {'AP':>6}  ranks of the relevant meetings"]
    for r in results:
        ranks = ", ".join("-" if n is None else str(n) for n in r.first_ranks)
        lines.append(f"{r.query:<24} {r.average_precision:6.3f}  {ranks}")
    lines.append(f"{'mean average precision':<24} {mean_average_precision(results):6.3f}")
    return "\n".join(lines)
