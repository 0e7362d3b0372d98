"""manage.py fetch_articles: meeting reports from the web (see meetings/fetch/)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from meetings.fetch.run import FAILED, Options, fetch
from meetings.fetch.sources import SourcesError, load_sources
from meetings.fetch.urls import AddressError, clean_url
from meetings.management.reports import fail_if_any_failed, print_report, progress_bar


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"expected a number of seconds, got {value!r}") from None
    if not 0 <= number <= 3600:
        raise ValueError(f"expected 0 to 3600 seconds, got {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Fetch meeting reports from the web: page, sitemap or RSS/Atom feed addresses, and the "
        "sites of a sources file. Each page is fetched once, then asked for again only with "
        "its stored ETag/Last-Modified (a 304 costs nothing) or when its sitemap or feed date "
        "is newer; robots.txt is obeyed; requests to one host wait --delay seconds apart; "
        "temporary failures are retried with backoff. Meeting reports go through the same "
        "extraction and ingest as article files; other pages are recorded as seen and skipped. "
        "The HTML is kept (compressed) for `ingest_articles --reextract`. Prints one line per "
        "page with -v 2, progress on long runs and a summary; exits 1 if any page failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addresses",
            nargs="*",
            metavar="ADDRESS",
            help="page, sitemap (or sitemap index) or RSS/Atom feed addresses; what each is "
            "is told from what it returns",
        )
        parser.add_argument(
            "--sources",
            action="append",
            default=[],
            metavar="FILE",
            help="a TOML file of sites (feeds, sitemaps, pages, province, delay, include, "
            "exclude; see README); may be given more than once",
        )
        parser.add_argument(
            "--site",
            action="append",
            default=[],
            metavar="NAME",
            help="only the site of the sources file with this name (may be repeated)",
        )
        parser.add_argument(
            "--delay",
            type=float,
            default=2.0,
            metavar="SECONDS",
            help="seconds between the starts of two requests to one host (default 2); a "
            "site's own delay in the sources file replaces it, and a longer robots.txt "
            "Crawl-delay wins over both",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="give up on a request after this long, connecting and reading included "
            "(default 30)",
        )
        parser.add_argument(
            "--retries",
            type=int,
            default=3,
            metavar="N",
            help="retries of a temporary failure (no answer, connection error, HTTP 408, 425, "
            "429, 5xx) before the page is reported failed (default 3)",
        )
        parser.add_argument(
            "--backoff",
            type=float,
            default=2.0,
            metavar="SECONDS",
            help="wait before the first retry, doubled for each next one, or the server's "
            "Retry-After if longer (at most 60 s) (default 2)",
        )
        parser.add_argument(
            "--max-pages",
            type=int,
            default=0,
            metavar="N",
            help="ask for at most N pages in this run, the rest being left for the next run "
            "(default 0: no limit; sitemaps, feeds and robots.txt are not counted)",
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="skip the pages a sitemap or feed dates before this day (undated ones are "
            "fetched)",
        )
        parser.add_argument(
            "--refetch",
            action="store_true",
            help="ignore stored ETags, Last-Modified dates and sitemap/feed dates: download "
            "every page again (robots.txt and delays still apply)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="fetch and extract everything, report it, then roll back every write",
        )

    def handle(self, *args, addresses, sources, site, verbosity, **options):
        addresses = [self._address(a) for a in addresses]
        sites = self._sites(sources, site)
        if not addresses and not sites:
            raise CommandError("nothing to fetch: give addresses or --sources FILE")
        opts = self._options(options)
        bar = progress_bar(verbosity)
        try:
            report = fetch(addresses, sites, options=opts, progress=self._progress(bar, verbosity))
        finally:
            if bar:
                bar.clear()
        print_report(self, report, lambda failure: failure.url, verbosity)
        if verbosity >= 2 and report.seconds.get("total"):
            s = report.seconds
            self.stdout.write(
                "time: "
                + ", ".join(
                    f"{name} {s.get(key, 0):.1f} s"
                    for name, key in (
                        ("waiting for host delays", "waiting"),
                        ("network", "network"),
                        ("retry backoff", "backoff"),
                        ("HTML to article", "html_to_article"),
                        ("extraction and database", "extract_and_write"),
                    )
                )
            )
        fail_if_any_failed(report, "page(s)")

    def _sites(self, sources: list[str], names: list[str]) -> list:
        """The sites of the sources files, only those named by --site when it is given."""
        sites = []
        for path in sources:
            try:
                sites += load_sources(path)
            except SourcesError as exc:
                raise CommandError(str(exc)) from None
        if names:
            unknown = set(names) - {s.name for s in sites}
            if unknown:
                raise CommandError(
                    f"--site: no site named {', '.join(sorted(unknown))} in "
                    f"{', '.join(sources) or 'the sources files (none given: --sources FILE)'}"
                )
            sites = [s for s in sites if s.name in names]
        return sites

    def _progress(self, bar, verbosity: int):
        """What is shown as pages are done: a bar on a terminal, else a line every 50 pages
        (cron, logs); each page's outcome at verbosity 2."""
        every = 50
        started = time.monotonic()

        def progress(done, known, result):
            if bar:
                bar.show(done, known, result.url)
            elif verbosity >= 1 and done % every == 0:
                self.stdout.write(
                    f"… {done} done, {known - done} known to do, {time.monotonic() - started:.0f} s"
                )
            if verbosity >= 2 and result.status != FAILED:
                if bar:
                    bar.clear()
                reason = f" ({result.reason})" if result.reason else ""
                self.stdout.write(f"{result.label:9} {result.url}{reason}")

        return progress

    def _address(self, raw: str) -> str:
        try:
            return clean_url(raw)
        except AddressError as exc:
            raise CommandError(f"bad address: {exc}") from None

    def _options(self, options) -> Options:
        values = {}
        for name in ("delay", "timeout", "backoff"):
            try:
                values[name] = _seconds(str(options[name]))
            except ValueError as exc:
                raise CommandError(f"--{name}: {exc}") from None
        if values["timeout"] <= 0:
            raise CommandError("--timeout: must be more than 0 seconds")
        for name in ("retries", "max_pages"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')}: must be 0 or more")
        since = None
        if options["since"]:
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(
                    f"--since: expected YYYY-MM-DD, got {options['since']!r}"
                ) from None
        return Options(
            delay=values["delay"],
            timeout=values["timeout"],
            retries=options["retries"],
            backoff=values["backoff"],
            max_pages=options["max_pages"],
            since=since,
            refetch=options["refetch"],
            dry_run=options["dry_run"],
        )
