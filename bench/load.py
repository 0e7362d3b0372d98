"""Load test: gunicorn on 127.0.0.1 under 100 concurrent connections for 60 seconds, by wrk.

    .venv/bin/python bench/load.py                    # 100 connections, 60 s, result → stdout
    .venv/bin/python bench/load.py --clients 20 --duration 10   # a quick look

Production-like: DEBUG=0, a random SECRET_KEY, collected static files served by whitenoise,
gunicorn with CPUs + 2 sync workers (README: deploying at scale, on one machine), the page
cache in Redis (REDIS_URL, database 8 of 127.0.0.1:6379, emptied first) when a Redis answers
there, else each worker's memory. The database is LOAD_DATABASE_URL when set, else the bench
database (portal_bench, `make bench`) when it holds meetings and is migrated (it is only
read), else a scratch database `portal_load` filled with the seeds, the dev corpus and 2,000
demo articles (--demo).

The load generator is wrk (/usr/bin/wrk, `apt-get install wrk`), a C program, so that it
does not share Python (or much CPU) with the server. Its Lua script (written to var/load/)
sends, four requests in five, a URL drawn from a fixed mix of public pages (the meeting list
with 0, 1 and 3 filters, search, meeting, organisation, city and person pages, exports), and
the fifth a filtered list or a search never requested before in the run (city × period ×
sort, city × year × quarter × sort, two words), which no cache holds. Every answer other than
200 counts as an error, and so does a refused, reset or timed-out connection. Before the
timed run, every address of the fixed mix is requested once (so that four requests in five
are cached pages, as "warm cache" means), then the fixed mix is sent for 10 seconds.

Only 127.0.0.1 is ever contacted, and the run stops by itself after --duration seconds;
gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
HOST = "127.0.0.1"  # the only address this script talks to
SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_URL = f"{SERVER}/portal_bench"
SCRATCH_URL = f"{SERVER}/portal_load"
PYTHON = sys.executable
WRK = "/usr/bin/wrk"
# CPUs + 2, the README's advice for an app server on the machine that also runs PostgreSQL,
# as here: on 2 cores, 5 workers (2 × CPUs + 1) gave 240–248 requests/s, 4 gave 269 and 3
# gave 266–274 (docs/load-test.md, fourth pass).
DEFAULT_WORKERS = (os.cpu_count() or 1) + 2


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
        """n of the queryset's ids drawn by the seeded generator: the same mix every run on
        the same data (ORDER BY random() made each run's ~650 addresses differ)."""
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        return rng.sample(ids, min(n, len(ids)))

    meetings = list(
        Meeting.objects.filter(pk__in=sample(Meeting.objects.all(), 300))
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
        Person.objects.filter(pk__in=sample(Person.objects.all(), 100)).values_list(
            "slug", flat=True
        )
    )
    names = list(Person.objects.order_by("pk").values_list("name", flat=True)[:50])
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


# --- URLs no cache holds --------------------------------------------------------------------


def unique_urls(env: dict, seed: int, count: int) -> list[tuple[str, str]]:
    """`count` distinct (kind, URL) filter and search combinations, in random order."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from meetings.filters import SORT_NEWEST, SORT_OLDEST
    from meetings.models import City, Meeting

    rng = random.Random(seed + 1)
    cities = list(
        City.objects.filter(meetings__isnull=False).distinct().values_list("slug", flat=True)
    )
    periods = sorted(
        {
            f"{kind}-{year}" + (f"-{number}" if number else "")
            for kind, year, number in Meeting.objects.exclude(period_kind="")
            .exclude(period_year=None)
            .values_list("period_kind", "period_year", "period_number")
            .distinct()
        }
    )
    years = sorted({d.year for d in Meeting.objects.dates("held_on", "year")})
    words = sorted(
        {
            w.lower()
            for title in Meeting.objects.values_list("title", flat=True)[:3000]
            for w in title.split()
            if len(w) > 2 and w.isalpha()
        }
    )
    connections.close_all()

    def q(**params):
        return "?" + urlencode({k: v for k, v in params.items() if v}, quote_via=quote)

    sorts = [SORT_NEWEST, SORT_OLDEST]
    found: set[tuple[str, str]] = set()
    tries = 0
    while len(found) < count and tries < count * 20:
        tries += 1
        roll = rng.random()
        city = rng.choice(cities) if cities else ""
        if roll < 0.35 and periods:
            url = f"/meetings/{q(city=city, period=rng.choice(periods), sort=rng.choice(sorts))}"
            found.add(("new list combination", url))
        elif roll < 0.6 and years:
            held = q(city=city, year=rng.choice(years), quarter=rng.randint(1, 4))
            found.add(("new list combination", f"/meetings/{held}&sort={rng.choice(sorts)}"))
        elif len(words) > 1:
            pair = " ".join(rng.sample(words, 2))
            found.add(("new search", f"/search/{q(q=pair)}"))
    urls = sorted(found)
    rng.shuffle(urls)
    return urls


# --- warming the cache ---------------------------------------------------------------------


def warm_every(port: int, urls: list[str], threads: int) -> None:
    """Request each address once, `threads` at a time; any answer but a 200 stops the run.

    Drawn at random for 10 seconds, as the warm-up was until issue 14's fifth pass, the mix's
    ~650 addresses were not all asked: on a slow host a third of the meeting pages were
    first rendered during the timed run, so the "cached" four fifths were not all cached.
    """
    from concurrent.futures import ThreadPoolExecutor

    def get(url: str) -> tuple[str, int]:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            return url, response.status
        finally:
            conn.close()

    with ThreadPoolExecutor(threads) as pool:
        failed = [(url, status) for url, status in pool.map(get, urls) if status != 200]
    if failed:
        raise SystemExit(f"warm-up: {len(failed)} addresses did not answer 200: {failed[:3]}")


# --- wrk ----------------------------------------------------------------------------------

LUA = r"""
-- Written by bench/load.py. Every `every`-th request (5: one in five) is the next of this
-- thread's share of `unique`, never asked before in the run; the others from `cached`.
local cached = {%(cached)s}
local unique = {%(unique)s}
local thread_count = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  step = tonumber(args[1])
  only_cached = args[2] == "warm"
  math.randomseed(id * 7919 + tonumber(args[3]))
  every = tonumber(args[4])
  counter = 0
  next_unique = id + 1
  sent_unique = 0
  exhausted = 0
  bad = 0
  first_bad = ""
  last = ""
end

function request()
  counter = counter + 1
  local path = nil
  if not only_cached and every > 0 and counter %% every == 0 then
    path = unique[next_unique]
    next_unique = next_unique + step
    if path then sent_unique = sent_unique + 1 else exhausted = exhausted + 1 end
  end
  path = path or cached[math.random(#cached)]
  last = path
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. last end
  end
end

function done(summary, latency, requests)
  local unique_sent, unique_short, not_200, example = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    unique_sent = unique_sent + t:get("sent_unique")
    unique_short = unique_short + t:get("exhausted")
    not_200 = not_200 + t:get("bad")
    if example == "" then example = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"timeout": %%d, "status": %%d, "not_200": %%d, "unique": %%d, "unique_short": %%d, ' ..
    '"p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d, "first_bad": "%%s"}\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout,
    e.status, not_200, unique_sent, unique_short, latency:percentile(50),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    example:gsub('"', "'")))
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_script(cached: list[str], unique: list[str]) -> Path:
    path = ROOT / "var" / "load" / "mix.lua"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        LUA
        % {
            "cached": ",".join(lua_string(u) for u in cached),
            "unique": ",".join(lua_string(u) for u in unique),
        }
    )
    return path


def run_wrk(script: Path, port: int, clients: int, seconds: float, threads: int, *args) -> dict:
    command = [
        WRK,
        f"--threads={threads}",
        f"--connections={clients}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",
        f"--script={script}",
        f"http://{HOST}:{port}",
        "--",
        str(threads),
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
    return json.loads(lines[-1][len("RESULT ") :])


def redis_for_load() -> str | None:
    """REDIS_URL for the run (database 8, emptied), or None when no Redis answers."""
    url = "redis://127.0.0.1:6379/8"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except Exception:  # no redis package, no server: each worker's own memory
        return None
    return url


def report(result: dict, args, database: str, workers: int, cache: str, mix: str) -> str:
    errors = {k: result[k] for k in ("connect", "read", "write", "timeout", "not_200") if result[k]}
    n_errors = sum(errors.values())
    ms = {k: result[k] / 1000 for k in ("p50", "p90", "p95", "p99", "max")}
    lines = [
        f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}",
        f"Command: .venv/bin/python bench/load.py --clients {args.clients} "
        f"--duration {args.duration:g}"
        + (f" --new-every {args.new_every}" if args.new_every != 5 else "")
        + (f" --workers {workers}" if workers != DEFAULT_WORKERS else ""),
        f"Server: gunicorn, {workers} sync workers on {HOST}, DEBUG=0, page cache: {cache}; "
        f"machine: {os.cpu_count()} CPUs, load {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        f"; database: {database.rsplit('/', 1)[-1]} ({meeting_count(database):,} meetings)",
        f"Load: wrk, {args.clients} connections on {args.threads} threads, no think time, "
        f"{result['seconds']:.1f} s after a warm-up (each address of the fixed mix once, then "
        f"the mix for 10 s); {mix}",
        "",
        f"Requests: {result['requests']:,}  ({result['requests'] / result['seconds']:.1f} "
        f"requests/s), of which {result['unique']:,} never requested before"
        + (f" ({result['unique_short']:,} more were wanted)" if result["unique_short"] else ""),
        f"Errors: {n_errors}"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in errors.items()) + ")" if n_errors else ""),
        f"Latency (ms): p50 {ms['p50']:.0f}, p90 {ms['p90']:.0f}, p95 {ms['p95']:.0f}, "
        f"p99 {ms['p99']:.0f}, max {ms['max']:.0f}",
    ]
    if result["first_bad"]:
        lines.append(f"first error: {result['first_bad']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="wrk connections (100)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--new-every",
        type=int,
        default=5,
        metavar="N",
        help="one request in N is a combination never asked before (5; 0: none)",
    )
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
    if not shutil.which(WRK):
        raise SystemExit(f"{WRK} is missing: apt-get install wrk")

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
    redis_url = redis_for_load()
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    cache = f"Redis ({redis_url})" if redis_url else "each worker's memory (no Redis)"
    sys.path.insert(0, str(ROOT))
    database = choose_database(env, args.demo)
    log(f"database {database} ({meeting_count(database):,} meetings); cache: {cache}")
    manage(env, "collectstatic", "--noinput", "-v0")
    cached = [url for _, url in weighted(url_mix(env, args.seed), WEIGHTS)]
    # A fifth of what the server could answer at 500 requests/s, with room to spare.
    every = max(0, args.new_every)
    wanted = int(args.duration * 500 / every) + 1000 if every else 0
    unique = [url for _, url in unique_urls(env, args.seed, wanted)] if every else []
    kinds = (
        f"one request in {every} a new filter or search combination, the rest the fixed mix"
        if every
        else "the fixed mix only (--new-every 0)"
    )
    script = write_script(cached, unique)

    port = free_port()
    log(f"starting gunicorn on {HOST}:{port} with {args.workers} workers")
    server = start_gunicorn(env, port, args.workers)
    try:
        distinct = sorted(set(cached))
        started = time.monotonic()
        warm_every(port, distinct, args.workers)
        log(f"warm-up: {len(distinct):,} addresses once each ({time.monotonic() - started:.0f} s)")
        log("warm-up: the fixed mix for 10 s")
        run_wrk(script, port, args.clients, 10, args.threads, "warm", str(args.seed), "0")
        log(f"wrk: {args.clients} connections for {args.duration:.0f} s")
        result = run_wrk(
            script,
            port,
            args.clients,
            args.duration,
            args.threads,
            "run",
            str(args.seed),
            str(every),
        )
    finally:
        stop(server)
    text = report(result, args, database, args.workers, cache, kinds)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    errors = sum(result[k] for k in ("connect", "read", "write", "timeout", "not_200"))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
