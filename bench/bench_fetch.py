"""fetch_articles throughput: a test site of 200 pages on one host, through the real fetch.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python bench/bench_fetch.py
    … bench/bench_fetch.py --pages 200 --delay 1

A local server (tests/fetch_site.py) serves a sitemap and N demo articles
(bench/demo_corpus.py, a seed of their own) wrapped in portal pages with menus, related news
and footers. `meetings.fetch.run.fetch` reads the sitemap and every page with the given
per-host delay, as `fetch_articles --dry-run` would: every page is fetched, read by
trafilatura, extracted and written, and the writes are rolled back at the end, so the database
is left as it was. After a warm-up of 20 pages, it is run twice: with the delay (1 s, half
fetch_articles' default), and with no delay at all (what the machine could do if no site had
to be spared). Prints pages per second and where the time went: waiting for the per-host
delay, the network (local here), HTML → article (trafilatura), extraction, database writes.
The delay is counted from the start of one request to the start of the next, so a page's
processing happens while the host's delay runs: as long as it takes less than the delay,
making it faster does not make the run faster.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "portal.test"
SEED = 2000  # not the bench database's corpus (seed 0) nor its ingest sample (1000)
PARTS = (
    ("waiting for the per-host delay", "waiting"),
    ("network (local server)", "network"),
    ("HTML → article (trafilatura)", "html_to_article"),
    ("extraction", "extraction"),
    ("database writes", "writes"),
)


def build_site(pages: int):
    """A started TestSite with robots.txt, a sitemap and `pages` article pages."""
    from bench.demo_corpus import generate
    from tests.fetch_site import TestSite, portal_page, sitemap

    site = TestSite()
    entries = []
    for n, article in enumerate(generate(pages, seed=SEED)):
        path = "/" + article.url.split("/", 3)[3]
        url = site.url(HOST, path)
        site.add(
            HOST,
            path,
            portal_page(article.text, url=url, layout=n % 3, published=str(article.published)),
            etag=f'"{n}"',
        )
        entries.append((url, None))
    site.add(HOST, "/robots.txt", "User-agent: *\nDisallow: /private/\n")
    site.add(HOST, "/sitemap.xml", sitemap(entries), content_type="application/xml")
    return site.start()


def measure(pages: int = 200, delay: float = 1.0) -> dict:
    """One dry run over the test site; returns pages/s and the seconds of each part."""
    from meetings.fetch.client import HttpClient
    from meetings.fetch.run import Options, fetch
    from meetings.ingest import run as ingest_run

    extraction = [0.0]
    prepare_text = ingest_run.prepare_text

    def timed_prepare_text(*args, **kwargs):  # extraction, apart from the writes after it
        started = time.monotonic()
        try:
            return prepare_text(*args, **kwargs)
        finally:
            extraction[0] += time.monotonic() - started

    site = build_site(pages)
    ingest_run.prepare_text = timed_prepare_text
    try:
        client = HttpClient(user_agent="BenchBot/1.0", connect_to=site.connect_to(), timeout=10)
        report = fetch(
            [site.url(HOST, "/sitemap.xml")],
            options=Options(delay=delay, dry_run=True, retries=0),
            client=client,
        )
    finally:
        ingest_run.prepare_text = prepare_text
        site.stop()
    seconds = dict(report.seconds)
    seconds["extraction"] = extraction[0]
    seconds["writes"] = seconds.get("extract_and_write", 0.0) - extraction[0]
    done = len(report.pages)
    return {
        "pages": done,
        "failed": len(report.failures),
        "counts": dict(report.counts),
        "delay": delay,
        "total": seconds["total"],
        "pages_per_second": done / seconds["total"],
        "seconds": seconds,
        "requests": report.requests,
    }


def describe(result: dict) -> str:
    total = result["total"]
    shares = ", ".join(
        f"{name} {result['seconds'].get(key, 0.0):.1f} s "
        f"({100 * result['seconds'].get(key, 0.0) / total:.0f}%)"
        for name, key in PARTS
    )
    return (
        f"{result['pages']} pages ({result['failed']} failed), delay {result['delay']:g} s: "
        f"{result['pages_per_second']:.2f} pages/s, {total:.1f} s in all; {shares}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=1.0, help="per-host delay (1 s)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    measure(20, 0.0)  # warm-up: imports, compiled patterns, the gazetteer
    for delay in (args.delay, 0.0):
        print(f"fetch: {describe(measure(args.pages, delay))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
