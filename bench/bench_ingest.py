"""Full-ingest throughput: ≥1,000 article files into a fresh PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_ingest.py

The articles are the dev corpus and the seeds, varied (province, people's names, years) so that
most are new meetings with new people and organisations, and some land on the same meeting.
A database named bench_ingest_<pid> is created on DATABASE_URL's server, migrated, filled, and
dropped at the end. Prints articles per second for the first run and for a re-run (unchanged),
with the CPU time per article of this process and its workers (less sensitive than wall time
to other load on the machine) and the SQL statements per article (BEGIN/COMMIT not counted).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import sys
import tempfile
import threading
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


class Meter:
    """Wall time, CPU time of this process and its reaped workers, SQL statements run, and the
    CPU time of the PostgreSQL backends serving them (when the server is on this machine).

    The counters are shared memory, so forked ingest workers count into them too. A backend's
    CPU time is read from /proc every 0.1 s while it lives, so the last moments of one that
    ends with its worker may be missed.
    """

    def __init__(self):
        self.statements = mp.Value("q", 0)
        self.backends = mp.Array("i", 256)  # backend pids, in order of connection
        self.connections = mp.Value("i", 0)
        self.backend_cpu: dict[int, float] = {}

    def install(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(self._on_connect, weak=False)
        threading.Thread(target=self._poll_backends, daemon=True).start()

    def _on_connect(self, sender, connection, **kwargs) -> None:
        if self._count not in connection.execute_wrappers:
            connection.execute_wrappers.append(self._count)
        with self.connections.get_lock():
            if self.connections.value < len(self.backends):
                self.backends[self.connections.value] = connection.connection.get_backend_pid()
                self.connections.value += 1

    def _poll_backends(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while True:
            for pid in self.backends[: self.connections.value]:
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # ended, or the server is elsewhere
                self.backend_cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
            time.sleep(0.1)

    def _server_cpu(self) -> float:
        time.sleep(0.2)  # one more reading of the backends still alive
        return sum(self.backend_cpu.values())

    def _count(self, execute, sql, params, many, context):
        with self.statements.get_lock():
            self.statements.value += 1
        return execute(sql, params, many, context)

    def start(self) -> None:
        self.wall, self.cpu, self.count = time.perf_counter(), self._cpu(), self.statements.value
        self.server = self._server_cpu()

    def stop(self, n: int) -> str:
        wall = time.perf_counter() - self.wall
        cpu = self._cpu() - self.cpu
        server = self._server_cpu() - self.server
        queries = self.statements.value - self.count
        return (
            f"{n} articles in {wall:.1f} s = {n / wall:.0f} articles/s; "
            f"{queries / n:.1f} statements/article; CPU ms/article: "
            f"{cpu / n * 1000:.1f} ingest process(es) + {server / n * 1000:.1f} PostgreSQL"
        )

    @staticmethod
    def _cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system


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
        meter = Meter()
        meter.install()
        connection.close()  # reconnect with the counter installed
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_corpus(folder, args.articles)
            print(f"{args.articles} article files in {folder}; database {name}")

            meter.start()
            report = ingest_paths([folder], jobs=args.jobs)
            c = report.counts
            print(
                f"first run: {meter.stop(len(report.results))}\n"
                f"           ({c['new']} new, {c['unchanged']} unchanged, {c['failed']} failed; "
                f"{Meeting.objects.count()} meetings, {Person.objects.count()} people, "
                f"{Organization.objects.count()} organisations)"
            )
            for failure in report.failures[:5]:
                print(f"  failed {failure.path}: {failure.reason}")

            meter.start()
            again = ingest_paths([folder], jobs=args.jobs)
            unchanged = again.counts["unchanged"]
            print(f"re-run:    {meter.stop(len(again.results))} ({unchanged} unchanged)")
        connection.close()
    finally:
        if not args.keep:
            admin_sql(server, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
