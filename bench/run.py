"""`make bench`: the portal at scale. Builds (or reuses) a database of demo meetings, then times
extraction, ingest, the public pages and the admin, and writes a markdown table.

    .venv/bin/python bench/run.py                      # 100,000 meetings → docs/benchmarks.md
    .venv/bin/python bench/run.py --quick --meetings 300   # smoke run → var/bench/quick.md

The database is separate from the development one: BENCH_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/portal_bench when a server answers there, else an embedded
PostgreSQL under var/bench-postgres/. It is reused when it already holds the requested number
of demo meetings; otherwise the demo corpus (bench/demo_corpus.py) is written in chunks of
1,000 files under var/bench/ and fed to `manage.py ingest_articles` in parallel processes,
resuming where a previous run stopped.

Ingest throughput is measured on a separate sample of 1,000 articles (another seed) through the
real ingest as `manage.py ingest_articles FOLDER` runs it (one transaction per article, the
meeting's search document written in it), with one process and with --workers processes; the
sample's rows are deleted afterwards so the database stays at its size. The database is then
vacuumed and analysed (as autovacuum would be, minutes after a bulk load). Pages are requested
in-process with django.test.Client (DEBUG off, as in production), after warm-up requests, each
at least 20 times; queries are counted with CaptureQueriesContext.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
CHUNK = 1000
BUDGET_S = 60  # a measure that takes longer than this stops repeating (after MIN_REPS)
MIN_REPS = 3
SAMPLE_SEED_OFFSET = 1000  # the ingest sample is another corpus: seed + this

# Targets of issue 7, as (comparison, value, unit).
LIST_TARGET = ("<", 30.0, "ms")
SEARCH_TARGET = ("<", 50.0, "ms")
MEETING_TARGET = ("<", 20.0, "ms")
WARM_TARGET = ("<", 5.0, "ms")
INGEST_TARGET = (">=", 100.0, "articles/s")
EXTRACT_TARGET = (">=", 500.0, "articles/s")


def log(message: str) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%H:%M:%SZ")  # Django changes TZ on setup
    print(f"[bench {now}] {message}", flush=True)


# --- the database ------------------------------------------------------------------------------


def server_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def choose_database() -> str | None:
    """The bench database URL, or None for the embedded PostgreSQL under var/bench-postgres."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    if server_answers("127.0.0.1", 5432):
        return DEFAULT_SERVER_URL
    return None


def ensure_database(url: str) -> None:
    """Create the bench database on its server when it does not exist."""
    import psycopg2
    from psycopg2 import sql

    from portal.env import parse_database_url

    cfg = parse_database_url(url)
    params = {
        "dbname": "postgres",
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
    }
    params.update(cfg.get("OPTIONS", {}))
    conn = psycopg2.connect(**{k: v for k, v in params.items() if v})
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
            if cur.fetchone() is None:
                log(f"creating database {cfg['NAME']}")
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    finally:
        conn.close()


def database_env(url: str | None) -> dict[str, str]:
    """Environment for this process and the ingest workers."""
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40),
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    if url:
        env["DATABASE_URL"] = url
    else:
        env["EMBEDDED_POSTGRES_DIR"] = str(ROOT / "var" / "bench-postgres")
    return env


def setup_django(url: str | None) -> None:
    os.environ.update(database_env(url))
    if not url:
        os.environ.pop("DATABASE_URL", None)
    import warnings

    import django

    # whitenoise warns that var/staticfiles is missing: no collectstatic needed to time pages.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.test.utils import override_settings

    # Production settings, but static files without the collectstatic manifest, and pages
    # rendered every time (the page cache has its own rows: warm_cache_rows()).
    override_settings(
        PAGE_CACHE_SECONDS=0,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    # Not setup_test_environment(): it instruments every template render to hand the test
    # Client a copy of each context, which production does not pay (about 2 ms a page at
    # 100,000 meetings); the bench reads only status codes, bodies and query counts.


# --- filling the database ----------------------------------------------------------------------


def demo_meeting_count() -> int:
    from meetings.models import Meeting

    return Meeting.objects.filter(is_demo=True).count()


def corpus_size(meetings: int) -> int:
    """Articles needed for this many meetings, with the second reports the corpus contains."""
    from bench.demo_corpus import DUPLICATE_SHARE

    return math.ceil(meetings / (1 - DUPLICATE_SHARE)) + 100


def done_chunks(seed: int) -> dict[int, int]:
    """chunk number → articles of it already in the database."""
    from meetings.demo import DEMO_URL_PREFIX
    from meetings.models import Article

    counts: dict[int, int] = {}
    names = Article.objects.filter(url__startswith=f"{DEMO_URL_PREFIX}s{seed}/").values_list(
        "source_name", flat=True
    )
    for name in names.iterator(chunk_size=5000):
        try:
            index = int(name.removeprefix("demo_").removesuffix(".txt"))
        except ValueError:
            continue
        counts[index // CHUNK] = counts.get(index // CHUNK, 0) + 1
    return counts


def write_chunk(corpus_dir: Path, seed: int, chunk: int, total: int) -> Path:
    from bench.demo_corpus import write_corpus

    folder = corpus_dir / f"seed{seed}" / f"chunk_{chunk:05d}"
    start = chunk * CHUNK
    n = min(CHUNK, total - start)
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, n, seed=seed, start=start, total=total)
    return folder


def fill(target: int, seed: int, workers: int, corpus_dir: Path, env: dict) -> None:
    """Generate and ingest chunks until the database holds `target` demo meetings."""
    from meetings.demo import mark_demo_data

    total = corpus_size(target)
    chunks = math.ceil(total / CHUNK)
    have = demo_meeting_count()
    log(f"database holds {have:,} demo meetings; filling to {target:,} ({total:,} articles)")
    done = done_chunks(seed)
    pending = [c for c in range(chunks) if done.get(c, 0) < min(CHUNK, total - c * CHUNK)]
    started, ingested = time.perf_counter(), 0
    retried = False
    while have < target:
        if not pending:
            if retried:
                break
            # Files that failed in parallel (two processes racing for one row) are retried
            # once, one process at a time; their finished neighbours report "unchanged".
            done = done_chunks(seed)
            pending = [c for c in range(chunks) if done.get(c, 0) < min(CHUNK, total - c * CHUNK)]
            workers, retried = 1, True
            if not pending:
                break
            log(f"retrying {len(pending)} chunk(s) with failed files, one process")
        batch, pending = pending[:workers], pending[workers:]
        folders = [write_chunk(corpus_dir, seed, c, total) for c in batch]
        procs = [
            subprocess.Popen(
                [sys.executable, "manage.py", "ingest_articles", str(folder), "-v0"],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in folders
        ]
        for folder, proc in zip(folders, procs, strict=True):
            _, err = proc.communicate()
            failed = [line for line in err.splitlines() if line.startswith("failed")]
            if proc.returncode not in (0, 1) or failed:
                log(f"{folder.name}: exit {proc.returncode}, {len(failed)} failed files")
                for line in (failed or err.splitlines())[:5]:
                    log(f"    {line[:200]}")
            ingested += len(list(folder.glob("*.txt")))
        mark_demo_data()
        have = demo_meeting_count()
        elapsed = time.perf_counter() - started
        rate = ingested / elapsed if elapsed else 0
        left = max(0, target - have)
        eta = left / rate / 60 if rate else float("nan")
        log(
            f"{have:,}/{target:,} demo meetings, chunks {batch[0]}–{batch[-1]} of {chunks}, "
            f"{rate:.0f} articles/s with {workers} processes, ~{eta:.0f} min left"
        )
    if have < target:
        log(f"WARNING: the corpus gave only {have:,} meetings (identity merges?)")


def vacuum() -> None:
    """VACUUM (ANALYZE) the database before pages are timed, as autovacuum would in time.

    A table just filled (or just emptied of the ingest sample) has no visibility map yet, so
    every "index-only" scan would still read each row from the table; autovacuum sets the map
    on a live server, minutes later. Cheap on a database vacuumed already.
    """
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The portal's statement timeout (settings) is for requests; after the ingest sample
        # has been deleted, the vacuum takes longer than a page may.
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("RESET statement_timeout")
    log(f"VACUUM (ANALYZE) in {time.perf_counter() - started:.0f} s")


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Row:
    section: str
    name: str
    where: str = ""
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    target: tuple | None = None
    rate: float | None = None  # articles/s, for throughput rows
    rate_unit: str = "articles/s"
    note: str = ""
    status: int | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def query_text(self) -> str:
        if not self.queries:
            return "–"
        lo, hi = min(self.queries), max(self.queries)
        if lo == hi:
            return str(lo)
        return f"{statistics.median(self.queries):g} (median; {lo}–{hi})"

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        op, value, unit = self.target
        got = self.rate if unit == "articles/s" else self.median
        if got is None or (self.status not in (None, 200)):
            return "not measured"
        ok = got < value if op == "<" else got >= value
        return "yes" if ok else "**no**"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        op, value, unit = self.target
        return f"{'<' if op == '<' else '≥'} {value:g} {'ms median' if unit == 'ms' else unit}"


def timed_get(client, url: str, *, reps: int, warmup: int, row: Row) -> Row:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        t0 = time.perf_counter()
        response = client.get(url)
        _consume(response)
        if time.perf_counter() - t0 > BUDGET_S / MIN_REPS:
            break  # slow enough that a single warm-up says all there is to warm
    started = time.perf_counter()
    for i in range(reps):
        reset_queries()  # a full query log (9,000) would make the count 0
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            _consume(response)
            row.times_ms.append((time.perf_counter() - t0) * 1000)
        row.queries.append(len(ctx.captured_queries))
        row.status = response.status_code
        if i >= MIN_REPS - 1 and time.perf_counter() - started > BUDGET_S and i < reps - 1:
            row.note = f"only {i + 1} repetitions (over {BUDGET_S} s)"
            break
    if row.status != 200:
        row.note = (row.note + f" HTTP {row.status}").strip()
    row.where = url
    return row


def _consume(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_stream(client, url: str, *, reps: int, row: Row) -> Row:
    """A streamed export: time, rows and the peak memory of one streamed iteration."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    _consume(client.get(url))  # warm-up
    lines = 0
    for _ in range(reps):
        reset_queries()  # a full query log (9,000) would make the count 0
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
            else:
                lines = response.content.count(b"\n")
            row.times_ms.append((time.perf_counter() - t0) * 1000)
        row.queries.append(len(ctx.captured_queries))
        row.status = response.status_code
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    response = client.get(url)
    streamed = getattr(response, "streaming", False)
    size = _consume(response)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    row.where = url
    row.note = (
        f"{max(lines - 1, 0):,} rows, {size / 1e6:.1f} MB, "
        f"{'streamed' if streamed else 'NOT streamed'}; peak Python memory "
        f"{peak / 1e6:.1f} MB (tracemalloc), process max RSS "
        f"+{(rss_after - rss_before) / 1e3:.0f} MB"
    )
    if row.status != 200:
        row.note = f"HTTP {row.status}; " + row.note
    return row


def sample_files(corpus_dir: Path, seed: int, n: int) -> list[Path]:
    from bench.demo_corpus import write_corpus

    folder = corpus_dir / f"sample-seed{seed}-{n}"
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, n, seed=seed, total=n)
    return sorted(folder.glob("*.txt"))


def measure_extraction(files: list[Path]) -> list[Row]:
    """Extraction alone (read + extract, no database), on the demo sample and, through
    bench/bench_extraction.py when present, on the real dev corpus and seeds."""
    from meetings.extraction import extract, read_article

    # No target: issue 3's 500 articles/s is on the real dev corpus (the next row).
    row = Row("Pipeline", "Extraction, demo articles (read + extract)")
    for path in files[:20]:  # warm-up (imports, compiled patterns)
        text, url, published = read_article(path)
        extract(text, url=url, published=published)
    t0 = time.perf_counter()
    for path in files:
        t1 = time.perf_counter()
        text, url, published = read_article(path)
        extract(text, url=url, published=published)
        row.times_ms.append((time.perf_counter() - t1) * 1000)
    row.rate = len(files) / (time.perf_counter() - t0)
    size = sum(p.stat().st_size for p in files) / len(files)
    row.where = f"{len(files):,} demo articles (~{size / 1000:.1f} kB each), 1 process"
    rows = [row]
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        import bench_extraction
    except ImportError:
        return rows
    if hasattr(bench_extraction, "load") and hasattr(bench_extraction, "one_run"):
        articles = bench_extraction.load()
        if articles:
            bench_extraction.one_run(articles, 0.2)  # warm-up
            rates = [bench_extraction.one_run(articles, 1.0) for _ in range(5)]
            rows.append(
                Row(
                    "Pipeline",
                    "Extraction, real dev corpus and seeds",
                    target=EXTRACT_TARGET,
                    rate=statistics.median(rates),
                    where=f"bench/bench_extraction.py: {len(articles)} articles, median of 5 "
                    "one-second runs",
                )
            )
    return rows


def measure_ingest(files: list[Path], sample_seed: int, jobs: int) -> Row:
    """The real ingest as `manage.py ingest_articles FOLDER --jobs N` runs it (one transaction
    per article, the meeting's search document written in it), then the sample removed.

    Throughput is the whole run, search documents and the run's end (settle) included. With
    one process, the per-article times are the gaps between finished articles and the
    statement count is per article; workers finish in bursts and have their own connections,
    so with several only throughput is given.
    """
    from django.db import connection
    from django.utils import timezone

    from meetings.ingest import ingest_paths

    processes = "1 process" if jobs == 1 else f"{jobs} processes (--jobs {jobs})"
    row = Row("Pipeline", f"Full ingest (read, extract, write, search document), {processes}")
    row.target = INGEST_TARGET
    cleanup_sample(sample_seed)
    since = timezone.now()
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    gaps, last = [], [0.0]

    def progress(done, total, result):
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    with connection.execute_wrapper(count):
        t0 = last[0] = time.perf_counter()
        report = ingest_paths([files[0].parent], jobs=jobs, progress=progress)
        elapsed = time.perf_counter() - t0
    row.rate = len(report.results) / elapsed
    if jobs == 1:  # workers finish articles in bursts: their gaps say nothing per article
        row.times_ms = gaps
        row.queries = [round(statements[0] / max(1, len(report.results)))]
    merged = sum(bool(r.merged) for r in report.results)
    row.where = (
        f"{len(report.results):,} new demo articles into the full database, "
        f"ingest_paths(jobs={jobs})"
    )
    row.note = (
        f"{len(report.failures)} failed, {merged} merged into a meeting of another report; "
        f"{elapsed:.1f} s in all"
    )
    removed = cleanup_sample(sample_seed, since=since)
    log(f"ingest sample, {processes}: {row.rate:.1f} articles/s; removed {removed} meetings")
    return row


def measure_fetch(pages: int) -> list[Row]:
    """fetch_articles over the local test site (bench/bench_fetch.py): one host with a 1 s
    delay, then no delay; each a dry run, so the database keeps its size."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_fetch

    bench_fetch.measure(20, 0.0)  # warm-up
    rows = []
    for delay in (1.0, 0.0):
        result = bench_fetch.measure(pages, delay)
        rows.append(
            Row(
                "Pipeline",
                f"Fetch {result['pages']} pages from one host, delay {delay:g} s "
                "(fetch_articles --dry-run)",
                rate=result["pages_per_second"],
                rate_unit="pages/s",
                where="bench/bench_fetch.py, local test site",
                note=bench_fetch.describe(result).split(": ", 1)[1],
            )
        )
        log(f"fetch, delay {delay:g} s: {bench_fetch.describe(result)}")
    return rows


def cleanup_sample(sample_seed: int, since=None) -> int:
    """Delete the ingest sample's articles and meetings, and entities only it created."""
    from django.db import transaction

    from meetings.demo import DEMO_URL_PREFIX
    from meetings.models import Article, Directive, Meeting, Organization, Person

    prefix = f"{DEMO_URL_PREFIX}s{sample_seed}/"
    with transaction.atomic():
        meeting_ids = set(
            Article.objects.filter(url__startswith=prefix).values_list("meeting_id", flat=True)
        )
        meeting_ids.discard(None)
        # Only meetings every source of which is in the sample.
        shared = set(
            Article.objects.filter(meeting_id__in=meeting_ids)
            .exclude(url__startswith=prefix)
            .values_list("meeting_id", flat=True)
        )
        Article.objects.filter(url__startswith=prefix).delete()
        count, _ = Meeting.objects.filter(pk__in=meeting_ids - shared).delete()
        if since is not None:
            Person.objects.filter(created_at__gte=since, participations__isnull=True).delete()
            Organization.objects.filter(
                created_at__gte=since, mentions__isnull=True, metrics__isnull=True
            ).delete()
            Directive.objects.filter(created_at__gte=since, citations__isnull=True).delete()
    return len(meeting_ids - shared) if count else 0


# --- what to request ---------------------------------------------------------------------------


@dataclass
class Picks:
    city_slug: str
    city_id: int
    period: str
    period_kind: str
    period_year: int
    org_slug: str
    busy_org_slug: str
    busy_org_meetings: int
    person_slug: str
    person_name: str
    meeting_slug: str
    export_query: dict
    export_rows: int
    pages: int


def pick_parameters(seed: int) -> Picks:
    """Real values from the database: the busiest city, organisation, presiding official …"""
    from django.db.models import Count

    from meetings.filters import period_param
    from meetings.models import Meeting, Organization, Participation

    demo = Meeting.objects.filter(is_demo=True)
    city = (
        demo.values("city_id", "city__slug").annotate(n=Count("id")).order_by("-n", "city_id")
    ).first()
    period = (
        demo.filter(city_id=city["city_id"])
        .exclude(period_kind="")
        .values("period_kind", "period_year", "period_number")
        .annotate(n=Count("id"))
        .order_by("-n", "-period_year")
    ).first()
    org = (
        Organization.objects.filter(city_id=city["city_id"], mentions__meeting__is_demo=True)
        .annotate(n=Count("mentions"))
        .order_by("-n", "id")
        .values("slug")
    ).first()
    busy = (
        Organization.objects.annotate(n=Count("mentions")).order_by("-n", "id").values("slug", "n")
    ).first()
    person = (
        Participation.objects.filter(roles__contains=["presiding"], meeting__is_demo=True)
        .values("person_id", "person__slug", "person__name")
        .annotate(n=Count("id"))
        .order_by("-n", "person_id")
    ).first()
    total = demo.count()
    meeting = demo.order_by("id").values("slug")[total // 2]
    # An export of about 10,000 rows: the year held closest to it (all, on a small database).
    years = (
        Meeting.objects.exclude(held_on=None)
        .values_list("held_on__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    export_query, export_rows = {}, Meeting.objects.count()
    best = min(years, key=lambda yn: abs(yn[1] - 10_000), default=None)
    if best and export_rows > 12_000:
        export_query, export_rows = {"year": best[0]}, best[1]
    return Picks(
        city_slug=city["city__slug"],
        city_id=city["city_id"],
        period=period_param(period["period_kind"], period["period_year"], period["period_number"]),
        period_kind=period["period_kind"],
        period_year=period["period_year"],
        org_slug=org["slug"] if org else "",
        busy_org_slug=busy["slug"],
        busy_org_meetings=busy["n"],
        person_slug=person["person__slug"],
        person_name=person["person__name"],
        meeting_slug=meeting["slug"],
        export_query=export_query,
        export_rows=export_rows,
        pages=math.ceil(Meeting.objects.count() / 20),
    )


def url(name: str, query: dict | None = None, **kwargs) -> str:
    from django.urls import reverse

    path = reverse(name, kwargs=kwargs or None)
    return f"{path}?{urlencode(query)}" if query else path


def page_rows(p: Picks, reps: int, warmup: int, *, searches: bool) -> list[Row]:
    """The public pages: the searches (slow ones last) or all the others."""
    from django.test import Client

    from meetings.extraction.text import fold

    client = Client(raise_request_exception=False)  # a failing page is reported, not fatal
    deep = min(2000, p.pages)
    three = {"city": p.city_slug, "period": p.period, "organization": p.org_slug}
    plan = [
        ("Meeting list", "no filter", url("meetings:meeting_list"), LIST_TARGET),
        (
            "Meeting list",
            "one filter (city)",
            url("meetings:meeting_list", {"city": p.city_slug}),
            LIST_TARGET,
        ),
        (
            "Meeting list",
            "three filters (city, period, organisation)",
            url("meetings:meeting_list", three),
            LIST_TARGET,
        ),
        (
            "Meeting list",
            "one filter (presiding official)",
            url("meetings:meeting_list", {"presiding": p.person_slug}),
            LIST_TARGET,
        ),
        (
            "Meeting list",
            f"deep page ({deep:,})",
            url("meetings:meeting_list", {"page": deep}),
            LIST_TARGET,
        ),
        ("Search", "a word (“máu”)", url("meetings:search", {"q": "máu"}), SEARCH_TARGET),
        (
            "Search",
            "a phrase (“công đoàn cơ sở”)",
            url("meetings:search", {"q": '"công đoàn cơ sở"'}),
            SEARCH_TARGET,
        ),
        (
            "Search",
            f"a folded name (“{fold(p.person_name)}”)",
            url("meetings:search", {"q": fold(p.person_name)}),
            SEARCH_TARGET,
        ),
        (
            "Search",
            "an abbreviation (“LĐLĐ”)",
            url("meetings:search", {"q": "LĐLĐ"}),
            SEARCH_TARGET,
        ),
        (
            "Search",
            "words on the meeting list (“hội nông dân”)",
            url("meetings:meeting_list", {"q": "hội nông dân"}),
            SEARCH_TARGET,
        ),
        (
            "Detail pages",
            "a meeting",
            url("meetings:meeting_detail", slug=p.meeting_slug),
            MEETING_TARGET,
        ),
        (
            "Detail pages",
            f"an organisation with {p.busy_org_meetings:,} meetings",
            url("meetings:organization_detail", slug=p.busy_org_slug),
            None,
        ),
        (
            "Detail pages",
            "the busiest presiding official",
            url("meetings:person_detail", slug=p.person_slug),
            None,
        ),
        ("Detail pages", "the busiest city", url("meetings:city_detail", slug=p.city_slug), None),
    ]
    rows = []
    for section, name, where, target in plan:
        if (section == "Search") != searches:
            continue
        if section == "Detail pages" and rows[-1].section == "Meeting list":
            rows.append(facet_row(reps, warmup))
        rows.append(
            timed_get(
                client, where, reps=reps, warmup=warmup, row=Row(section, name, target=target)
            )
        )
        log(f"{section}: {name}: {rows[-1].median:.1f} ms median")
    if searches:
        return rows
    export = url("meetings:meeting_list_csv", p.export_query)
    rows.append(
        measure_stream(
            client,
            export,
            reps=max(3, reps // 4),
            row=Row("Export", f"CSV of {p.export_rows:,} meetings"),
        )
    )
    log(f"Export: {rows[-1].median:.1f} ms median; {rows[-1].note}")
    return rows


def warm_cache_rows(p: Picks, reps: int) -> list[Row]:
    """Pages served from the page cache (meetings/page_cache.py), asked once before timing."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    three = {"city": p.city_slug, "period": p.period, "organization": p.org_slug}
    plan = [
        ("meeting list", url("meetings:meeting_list")),
        ("filtered list (city, period, organisation)", url("meetings:meeting_list", three)),
        ("search (“công đoàn cơ sở”)", url("meetings:search", {"q": '"công đoàn cơ sở"'})),
        ("a meeting", url("meetings:meeting_detail", slug=p.meeting_slug)),
    ]
    rows = []
    with override_settings(PAGE_CACHE_SECONDS=3600):
        for name, where in plan:
            row = timed_get(client, where, reps=reps, warmup=1, row=Row("Warm cache", name))
            row.target = WARM_TARGET
            rows.append(row)
            log(f"Warm cache: {name}: {row.median:.2f} ms median")
    return rows


def facet_row(reps: int, warmup: int) -> Row:
    """The three facets of the unfiltered list on their own (the list page includes them)."""
    from django.db import connection, reset_queries
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from meetings.facets import facets
    from meetings.filters import MeetingFilter

    row = Row(
        "Meeting list",
        "facet counts alone (city, period, presiding; no filter)",
        target=None,
        where="meetings.facets.facets()",
    )
    for i in range(warmup + reps):
        reset_queries()  # a full query log (9,000) would make the count 0
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = facets(MeetingFilter(QueryDict("")))
            for facet in result:
                list(facet.values)
            elapsed = (time.perf_counter() - t0) * 1000
        if i >= warmup:
            row.times_ms.append(elapsed)
            row.queries.append(len(ctx.captured_queries))
    return row


def admin_rows(p: Picks, reps: int, warmup: int, *, searches: bool) -> list[Row]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    base = url("admin:meetings_meeting_changelist")
    deep = min(2000, p.pages * 20 // 100)  # the admin shows 100 rows a page
    plan = [
        ("no filter", {}),
        ("one filter (city)", {"city__id__exact": p.city_id}),
        (
            "three filters (city, period kind, period year)",
            {
                "city__id__exact": p.city_id,
                "period_kind__exact": p.period_kind,
                "period_year__exact": p.period_year,
            },
        ),
        (f"deep page ({deep:,}, 100 a page)", {"p": deep}),
        ("search (“máu”)", {"q": "máu"}),
    ]
    rows = []
    for name, query in plan:
        if ("q" in query) != searches:
            continue
        where = f"{base}?{urlencode(query)}" if query else base
        rows.append(
            timed_get(
                client,
                where,
                reps=reps,
                warmup=warmup,
                row=Row("Admin changelist (comparison)", name),
            )
        )
        log(f"Admin: {name}: {rows[-1].median:.1f} ms median")
    return rows


# --- the report --------------------------------------------------------------------------------


CALIBRATIONS: list[tuple[str, float]] = []  # (when, ms), see calibrate()


def calibrate(when: str) -> float:
    """Time a fixed pure-Python loop (5 million additions) and remember it under `when`.

    Shared hosts change speed: the same loop took 180 ms and 850 ms on this host within the
    same hour. Taken before and after the timings, it says how fast the host ran Python
    while they were taken, so two reports (or two rows) can be compared. A recent desktop
    takes about 250 ms.
    """
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    ms = (time.perf_counter() - started) * 1000
    CALIBRATIONS.append((when, ms))
    log(f"CPU calibration ({when}): {ms:.0f} ms")
    return ms


def machine_info(db_url: str | None) -> list[tuple[str, str]]:
    import django
    from django.db import connection

    from meetings.models import Article, Meeting, Organization, Participation, Person

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
        version, size = cursor.fetchone()
    demo = Meeting.objects.filter(is_demo=True).count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    where = urlparse(db_url).path.lstrip("/") if db_url else "embedded (var/bench-postgres)"
    return [
        ("Date", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("Machine", f"{cpu}; {os.cpu_count()} logical CPUs; {mem} RAM; load {load} at the end"),
        (
            "CPU calibration",
            "5 million additions in Python took "
            + ", ".join(f"{ms:.0f} ms ({when})" for when, ms in CALIBRATIONS)
            + " (lower is faster)",
        ),
        (
            "Software",
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"{version.split(' on ')[0]}",
        ),
        ("Database", f"{where}, {size}"),
        (
            "Rows",
            f"{Meeting.objects.count():,} meetings ({demo:,} demo), "
            f"{Article.objects.count():,} articles, {Participation.objects.count():,} "
            f"participations, {Person.objects.count():,} people, "
            f"{Organization.objects.count():,} organisations",
        ),
    ]


SECTIONS = ("Pipeline", "Meeting list", "Search", "Detail pages", "Export", "Warm cache")


def ordered(rows: list[Row]) -> list[Row]:
    """Rows in the table's order of sections (stable within one), the admin last."""
    return sorted(rows, key=lambda r: SECTIONS.index(r.section) if r.section in SECTIONS else 99)


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def render(rows: list[Row], info: list[tuple[str, str]], command: str, reps: int) -> str:
    out = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (bench/run.py; `make bench` runs it with the defaults). "
        f"Every page was requested in-process with django.test.Client, DEBUG off, after warm-up "
        f"requests, {reps} times; times are wall-clock milliseconds per request including "
        "template rendering, queries are counted with CaptureQueriesContext.",
        "",
        *[f"- **{k}**: {v}" for k, v in info],
        "",
        "| Measure | Median ms | p95 ms | SQL queries | Throughput | Target | Met "
        "| Request / notes |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            out.append(f"| **{section}** | | | | | | | |")
        rate = f"{row.rate:,.1f} {row.rate_unit}" if row.rate is not None else ""
        where = f"`{row.where}`" if row.where.startswith("/") else row.where
        notes = "; ".join(x for x in (where, row.note) if x)
        out.append(
            f"| {row.name} | {fmt(row.median)} | {fmt(row.p95)} | {row.query_text} | {rate} | "
            f"{row.target_text} | {row.verdict} | {notes} |"
        )
    return "\n".join(out) + "\n"


def print_table(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows) + 2
    print()
    print(f"{'measure':<{width}} {'median':>9} {'p95':>9} {'queries':>8} {'rate':>10}  target")
    section = None
    for r in rows:
        if r.section != section:
            section = r.section
            print(f"-- {section}")
        rate = f"{r.rate:.1f}/s" if r.rate is not None else ""
        q = r.query_text if len(r.query_text) <= 8 else r.query_text.split(" ")[0] + "*"
        print(
            f"{r.name:<{width}} {fmt(r.median):>9} {fmt(r.p95):>9} {q:>8} {rate:>10}  "
            f"{r.target_text} {r.verdict.replace('*', '')}"
        )
    print()


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, help="demo meetings in the database (100000)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 2,000 meetings unless --meetings, 200-article samples, "
        "5 repetitions, report to var/bench/quick.md unless --out",
    )
    parser.add_argument("--out", help="markdown report (default docs/benchmarks.md)")
    parser.add_argument("--seed", type=int, default=0, help="demo corpus seed (0)")
    parser.add_argument("--reps", type=int, help="repetitions per page (20; quick: 5)")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(1, os.cpu_count() or 1),
        help="parallel ingest processes for the bulk fill (CPU count)",
    )
    parser.add_argument(
        "--sample", type=int, help="articles timed for extraction and ingest (1000; quick: 200)"
    )
    parser.add_argument(
        "--corpus-dir",
        default=str(ROOT / "var" / "bench"),
        help="where the demo corpus files are written (var/bench)",
    )
    parser.add_argument(
        "--skip-ingest", action="store_true", help="do not time extraction and ingest (pages only)"
    )
    parser.add_argument(
        "--skip-fetch",
        action="store_true",
        help="do not time fetch_articles over the local test site (about 4 minutes)",
    )
    args = parser.parse_args(argv)

    quick = args.quick
    target = args.meetings or (2_000 if quick else 100_000)
    reps = args.reps or (5 if quick else 20)
    warmup = 1 if quick else 3
    sample = args.sample or (200 if quick else 1000)
    out = (
        Path(args.out)
        if args.out
        else (ROOT / "var" / "bench" / "quick.md" if quick else ROOT / "docs" / "benchmarks.md")
    )
    corpus_dir = Path(args.corpus_dir)
    command = "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])

    db_url = choose_database()
    if db_url:
        ensure_database(db_url)
    env = database_env(db_url)
    log(f"database: {db_url or 'embedded PostgreSQL under var/bench-postgres'}")
    setup_django(db_url)

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if demo_meeting_count() >= target:
        log(f"reusing the database: {demo_meeting_count():,} demo meetings ≥ {target:,}")
    else:
        fill(target, args.seed, args.workers, corpus_dir, env)

    rows: list[Row] = []
    calibrate("at the start")
    if not args.skip_ingest:
        sample_seed = args.seed + SAMPLE_SEED_OFFSET
        files = sample_files(corpus_dir, sample_seed, sample)
        log(f"timing extraction on {len(files):,} articles")
        rows += measure_extraction(files)
        log("extraction: " + ", ".join(f"{r.rate:.1f} articles/s" for r in rows))
        for jobs in sorted({1, args.workers}):
            log(f"timing the full ingest of {len(files):,} new articles, {jobs} process(es)")
            rows.append(measure_ingest(files, sample_seed, jobs))
    if not args.skip_fetch:
        log("timing fetch_articles over the local test site (200 pages, one host)")
        rows += measure_fetch(200)

    vacuum()
    picks = pick_parameters(args.seed)
    calibrate("before the pages")
    log("timing pages")
    rows += page_rows(picks, reps, warmup, searches=False)
    rows += admin_rows(picks, reps, warmup, searches=False)
    # Searches last: on a large database they are the slow ones; the report is written
    # before them too, so an interrupted run still leaves the other figures.
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        render(ordered(rows), machine_info(db_url), command + " (searches still running)", reps),
        encoding="utf-8",
    )
    rows += page_rows(picks, reps, warmup, searches=True)
    rows += warm_cache_rows(picks, reps)
    rows += admin_rows(picks, reps, warmup, searches=True)
    rows = ordered(rows)
    calibrate("at the end")

    print_table(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(rows, machine_info(db_url), command, reps), encoding="utf-8")
    log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
