"""Full-ingest throughput: ≥1,000 article files into a fresh PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_ingest.py

The articles are the dev corpus and the seeds, varied (province, people's names, years) so that
most are new meetings with new people and organisations, and some land on the same meeting.
A database named bench_ingest_<pid> is created on DATABASE_URL's server, migrated, filled, and
dropped at the end. Prints articles per second for the first run and for a re-run (unchanged).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hồng", "Minh", "Quang", "Thanh", "Đức", "Anh"]
GIVEN = ["Hùng", "Lan", "Tuấn", "Hà", "Sơn", "Hương", "Dũng", "Mai", "Nam", "Phúc", "Khánh", "Linh"]
YEAR = re.compile(r"\b(20[12]\d)\b")


def base_articles() -> list[tuple[str, str, list[str]]]:
    """(text, city, names) of the dev articles and the seeds."""
    gold = {}
    dev = SHARED / "corpus" / "dev"
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold[Path(g["path"]).name] = g
    seeds = {"hanoi": "000_4c3118dcf05229f7.txt", "haiphong": "002_e49174bc353bc758.txt"}
    out = []
    paths = sorted((dev / "articles").glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    for path in paths:
        key = path.name
        for prefix, seed_name in seeds.items():
            if path.parent.name == "seeds" and path.name.startswith(prefix):
                key = seed_name
        g = gold.get(key, {})
        names = sorted(set(g.get("officials", []) + g.get("authors", [])), key=len, reverse=True)
        out.append((path.read_text(encoding="utf-8"), (g.get("city") or [""])[0], names))
    return out


def provinces() -> list[str]:
    from meetings.extraction.places import province_names

    return sorted(set(province_names()))


def make_corpus(folder: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    bases = base_articles()
    cities = provinces()
    for i in range(n):
        text, city, names = bases[i % len(bases)]
        new_city = rng.choice(cities)
        if city:
            text = text.replace(city, new_city)
        for name in names:
            text = text.replace(
                name, f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            )
        shift = rng.randrange(-6, 3)
        text = YEAR.sub(lambda m, s=shift: str(int(m.group(1)) + s), text)
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def admin_sql(url: str, sql: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--jobs", type=int, default=0, help="extraction processes (0: auto)")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"bench_ingest_{os.getpid()}"
    admin_sql(server, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(server, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from meetings.ingest import ingest_paths
        from meetings.models import Meeting, Organization, Person

        call_command("migrate", verbosity=0)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_corpus(folder, args.articles)
            print(f"{args.articles} article files in {folder}; database {name}")

            start = time.perf_counter()
            report = ingest_paths([folder], jobs=args.jobs)
            elapsed = time.perf_counter() - start
            c = report.counts
            print(
                f"first run: {len(report.results)} articles in {elapsed:.1f} s = "
                f"{len(report.results) / elapsed:.0f} articles/s "
                f"({c['new']} new, {c['unchanged']} unchanged, {c['failed']} failed; "
                f"{Meeting.objects.count()} meetings, {Person.objects.count()} people, "
                f"{Organization.objects.count()} organisations)"
            )
            for failure in report.failures[:5]:
                print(f"  failed {failure.path}: {failure.reason}")

            start = time.perf_counter()
            again = ingest_paths([folder], jobs=args.jobs)
            elapsed = time.perf_counter() - start
            print(
                f"re-run:    {len(again.results)} articles in {elapsed:.1f} s = "
                f"{len(again.results) / elapsed:.0f} articles/s "
                f"({again.counts['unchanged']} unchanged)"
            )
        connection.close()
    finally:
        if not args.keep:
            admin_sql(server, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
