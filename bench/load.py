"""Load test: gunicorn on 127.0.0.1 under 100 concurrent clients for 60 seconds.

    .venv/bin/python bench/load.py                    # 100 clients, 60 s, result → stdout
    .venv/bin/python bench/load.py --clients 20 --duration 10   # a quick look

Production-like: DEBUG=0, a random SECRET_KEY, collected static files served by whitenoise,
gunicorn with 2 × CPUs + 1 sync workers (README: deployment). The database is
LOAD_DATABASE_URL when set, else the bench database (portal_bench, `make bench`) when it
holds meetings and is migrated (it is only read), else a scratch database `portal_load`
filled with the seeds, the dev corpus and 2,000 demo articles (--demo). Each client is a
thread that sends one request after another (no think time) over a fixed mix of public
URLs: the meeting list with 0, 1 and 3 filters, search, meeting, organisation, city and
person pages, and exports. Every answer other than 200 counts as an error, and so does a
refused or timed-out connection.

Only 127.0.0.1 is ever contacted, and the run stops by itself: after --duration seconds or
--max-requests requests, whichever comes first; gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
HOST = "127.0.0.1"  # the only address this script talks to
SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_URL = f"{SERVER}/portal_bench"
SCRATCH_URL = f"{SERVER}/portal_load"
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the database -------------------------------------------------------------------------


def meeting_count(url: str) -> int:
    import psycopg2

    from portal.env import parse_database_url

    cfg = parse_database_url(url)
    try:
        conn = psycopg2.connect(
            dbname=cfg["NAME"],
            user=cfg.get("USER") or None,
            host=cfg.get("HOST") or None,
            port=cfg.get("PORT") or None,
            password=cfg.get("PASSWORD") or None,
            connect_timeout=3,
        )
    except psycopg2.OperationalError:
        return -1  # no such database
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM meetings_meeting")
            return cur.fetchone()[0]
    except psycopg2.Error:
        return 0
    finally:
        conn.close()


def create_database(url: str) -> None:
    import psycopg2

    from portal.env import parse_database_url

    cfg = parse_database_url(url)
    conn = psycopg2.connect(
        dbname="postgres", user=cfg.get("USER") or None, host=cfg["HOST"], port=cfg["PORT"]
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def migrated(env: dict) -> bool:
    check = [PYTHON, "manage.py", "migrate", "--check", "-v0"]
    return subprocess.run(check, cwd=ROOT, env=env, capture_output=True).returncode == 0


def choose_database(env: dict, demo: int) -> str:
    """The database to load, migrated; filled with the seeds and dev corpus if new.

    The bench database is only read: if the code has migrations it lacks (`make bench` may
    be building it right now), the scratch database is used instead.
    """
    url = os.environ.get("LOAD_DATABASE_URL")
    if not url and meeting_count(BENCH_URL) > 0:
        if migrated({**env, "DATABASE_URL": BENCH_URL}):
            url = BENCH_URL
        else:
            log(f"{BENCH_URL} lacks migrations of this code: using {SCRATCH_URL}")
    url = url or SCRATCH_URL
    env["DATABASE_URL"] = url
    if meeting_count(url) < 0:
        log(f"creating {url}")
        create_database(url)
    if url != BENCH_URL:
        manage(env, "migrate", "--noinput", "-v0")
    if meeting_count(url) == 0:
        log("empty database: ingesting the seeds and the dev corpus")
        sources = [str(ROOT / "seeds")]
        if (SHARED / "corpus" / "dev" / "articles").is_dir():
            sources.append(str(SHARED / "corpus" / "dev" / "articles"))
        manage(env, "ingest_articles", "-v0", *sources)
        if demo:
            log(f"and {demo:,} demo articles (generate_demo_corpus)")
            out = ROOT / "var" / "load" / "demo"
            manage(
                env,
                "generate_demo_corpus",
                "--articles",
                str(demo),
                "--out",
                str(out),
                "--ingest",
                "-v0",
            )
    return url


# --- the URL mix --------------------------------------------------------------------------


def url_mix(env: dict, seed: int) -> list[tuple[str, list[str]]]:
    """(name, URLs) per kind of request, in proportion to how often it is sent."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections
    from django.db.models import Count

    from meetings.models import City, Meeting, Organization, Person

    rng = random.Random(seed)

    def sample(queryset, n):
        ids = list(queryset.values_list("pk", flat=True)[:5000])
        return rng.sample(ids, min(n, len(ids)))

    meetings = list(
        Meeting.objects.filter(pk__in=sample(Meeting.objects.order_by("?"), 300))
        .select_related("city")
        .only("slug", "city__slug", "period_kind", "period_year", "period_number")
    )
    busy_orgs = (
        Organization.objects.annotate(n=Count("mentions")).filter(n__gt=0).order_by("-n")[:50]
    )
    orgs = list(busy_orgs.values_list("slug", flat=True))
    cities = list(
        City.objects.annotate(n=Count("meetings"))
        .filter(n__gt=0)
        .order_by("-n")
        .values_list("slug", flat=True)[:30]
    )
    people = list(
        Person.objects.filter(pk__in=sample(Person.objects.order_by("?"), 100)).values_list(
            "slug", flat=True
        )
    )
    names = list(Person.objects.values_list("name", flat=True)[:50])
    connections.close_all()

    def period(m):
        if m.period_kind and m.period_year:
            tail = f"-{m.period_number}" if m.period_number else ""
            return f"{m.period_kind}-{m.period_year}{tail}"
        return ""

    def q(**params):
        return "?" + urlencode({k: v for k, v in params.items() if v}, quote_via=quote)

    one_filter = [f"/meetings/{q(city=c)}" for c in cities]
    three_filters = [
        f"/meetings/{q(city=m.city.slug if m.city else '', period=period(m), sort='-held_on')}"
        for m in meetings[:100]
    ]
    words = ["giao ban", "lien doan lao dong", "LĐLĐ", "Mặt trận Tổ quốc", "hội nghị sơ kết"]
    words += names[:20]
    searches = [f"/search/{q(q=w)}" for w in words]
    return [
        ("home", ["/"] * 5),
        ("list", ["/meetings/", "/meetings/?page=2", "/meetings/?sort=-held_on"] * 5),
        ("list 1 filter", one_filter * 10),
        ("list 3 filters", three_filters * 10),
        ("search", searches * 15),
        ("meeting", [m.get_absolute_url() for m in meetings] * 20),
        ("organisation", [f"/organizations/{s}/" for s in orgs] * 10),
        ("city", [f"/cities/{s}/" for s in cities] * 5),
        ("person", [f"/people/{s}/" for s in people] * 5),
        (
            "export",
            [f"/meetings/export.csv{q(city=c)}" for c in cities[:10]]
            + [f"/meetings/{m.slug}/export.json" for m in meetings[:20]],
        ),
    ]


def weighted(mix, weights: dict[str, int]) -> list[tuple[str, str]]:
    """A flat list where each kind appears `weight` per cent of the time."""
    flat = []
    for name, urls in mix:
        if not urls:
            continue
        share = weights[name] * 20
        flat += [(name, urls[i % len(urls)]) for i in range(share)]
    return flat


WEIGHTS = {
    "home": 5,
    "list": 12,
    "list 1 filter": 10,
    "list 3 filters": 10,
    "search": 15,
    "meeting": 20,
    "organisation": 10,
    "city": 5,
    "person": 5,
    "export": 8,
}


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    args = [
        PYTHON,
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: gunicorn and its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- the clients --------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: Counter = Counter()
        self.error_examples: dict[str, str] = {}
        self.count = 0

    def add(self, kind: str, seconds: float, error: str | None, url: str) -> None:
        with self.lock:
            self.count += 1
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors[error] += 1
                self.error_examples.setdefault(error, url)


def client(port, requests, results, stop_at, budget, seed):
    rng = random.Random(seed)
    conn = None
    while time.monotonic() < stop_at and budget.acquire(blocking=False):
        kind, url = rng.choice(requests)
        error = None
        start = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                error = f"HTTP {response.status}"
            if response.getheader("Connection", "").lower() == "close" or response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            if conn is not None:
                conn.close()
            conn = None
        results.add(kind, time.perf_counter() - start, error, url)
    if conn is not None:
        conn.close()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def report(results: Results, elapsed: float, args, database: str, workers: int) -> str:
    everything = sorted(v for values in results.latencies.values() for v in values)
    n_errors = sum(results.errors.values())

    def ms(values, p):
        return f"{percentile(values, p) * 1000:.0f}"

    lines = [
        f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}",
        f"Command: .venv/bin/python bench/load.py --clients {args.clients} "
        f"--duration {args.duration}",
        f"Server: gunicorn, {workers} sync workers on {HOST}, DEBUG=0; "
        f"machine: {os.cpu_count()} CPUs; database: {database.rsplit('/', 1)[-1]} "
        f"({meeting_count(database):,} meetings)",
        f"Clients: {args.clients} concurrent, no think time, for {elapsed:.1f} s",
        "",
        f"Requests: {results.count:,}  ({results.count / elapsed:.1f} requests/s)",
        f"Errors: {n_errors}"
        + (
            " (" + ", ".join(f"{k}: {v}" for k, v in results.errors.most_common()) + ")"
            if n_errors
            else ""
        ),
        f"Latency (ms): p50 {ms(everything, 50)}, p95 {ms(everything, 95)}, "
        f"p99 {ms(everything, 99)}, max {everything[-1] * 1000:.0f}"
        if everything
        else "",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind in WEIGHTS:
        values = sorted(results.latencies.get(kind, []))
        if values:
            lines.append(
                f"| {kind} | {len(values):,} | {ms(values, 50)} | {ms(values, 95)} | "
                f"{ms(values, 99)} |"
            )
    for error, url in results.error_examples.items():
        lines.append(f"\nfirst {error}: {url}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--demo",
        type=int,
        default=2000,
        help="demo articles added to a new scratch database (default 2,000)",
    )
    parser.add_argument("--out", help="also write the result to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000 or not 0 < args.duration <= 600:
        parser.error("--clients 1..1000 and --duration up to 600 s")

    static_root = ROOT / "var" / "load" / "staticfiles"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"http://{HOST}",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; a proxy would do TLS
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }
    sys.path.insert(0, str(ROOT))
    database = choose_database(env, args.demo)
    log(f"database {database} ({meeting_count(database):,} meetings)")
    manage(env, "collectstatic", "--noinput", "-v0")
    requests = weighted(url_mix(env, args.seed), WEIGHTS)

    port = free_port()
    log(f"starting gunicorn on {HOST}:{port} with {args.workers} workers")
    server = start_gunicorn(env, port, args.workers)
    try:
        # Warm every worker (imports, connections) before the clock starts.
        for _ in range(args.workers * 3):
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", "/meetings/")
            conn.getresponse().read()
            conn.close()
        log(f"{args.clients} clients for {args.duration:.0f} s")
        results = Results()
        budget = threading.BoundedSemaphore(args.max_requests)
        start = time.monotonic()
        stop_at = start + args.duration
        threads = [
            threading.Thread(
                target=client,
                args=(port, requests, results, stop_at, budget, args.seed * 1000 + i),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.0, stop_at - time.monotonic()) + 45)
        elapsed = time.monotonic() - start
    finally:
        stop(server)
    text = report(results, elapsed, args, database, args.workers)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0 if not results.errors else 1


if __name__ == "__main__":
    sys.exit(main())
