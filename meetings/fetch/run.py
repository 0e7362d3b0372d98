"""The crawl behind `manage.py fetch_articles`, and `ingest_articles --reextract`.

One process, one request at a time. Work is queued per host; the next request goes to the
host whose delay runs out first, so several sites are read in turns while each sees one
request per delay. Sitemaps and feeds add the pages they list. Each page is then:

- skipped without a request when its sitemap or feed date is not newer than its last fetch;
- asked for with the ETag and Last-Modified stored from last time (a 304 is "unchanged");
- read by trafilatura into an article, and written through the ingest (meetings/ingest/)
  like an article file, or recorded as "not a meeting report" (and not read again until
  it changes).

The page's row (FetchedPage: validators, gzip-compressed body, outcome) and its article are
written in one transaction after the request, so a failure or a kill leaves both as they
were. A failed page keeps its previous body and validators, and is asked for again next run.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetings.extraction import ExtractionInputError
from meetings.fetch.article import NoArticle, html_to_article
from meetings.fetch.client import Disallowed, FetchError, HttpClient, Response
from meetings.fetch.listings import MAX_LISTING_BYTES, ListingError, parse_listing
from meetings.fetch.robots import RobotsCache
from meetings.fetch.sources import Site
from meetings.fetch.urls import host_of
from meetings.ingest.resolve import Resolver
from meetings.ingest.run import ingest_text
from meetings.models import FetchedPage, FetchKind, FetchOutcome
from meetings.search import refresh_stale_search_documents

NEW, UPDATED, UNCHANGED, FAILED = "new", "updated", "unchanged", "failed"
NOT_MEETING, DISALLOWED, LISTED = "not_meeting", "disallowed", "listed"
LABELS = {NOT_MEETING: "not a meeting report", DISALLOWED: "disallowed by robots.txt"}
# Outcomes after which an unchanged page needs nothing more.
DONE = frozenset({NEW, UPDATED, UNCHANGED, NOT_MEETING, LISTED})
MAX_PAGE_BYTES = 5_000_000  # as for article files (meetings/extraction/reader.py)
MAX_ROBOTS_BYTES = 500_000
MAX_SITEMAP_DEPTH = 3  # an index of indexes of sitemaps, at most
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


@dataclass
class Options:
    delay: float = 2.0  # seconds between requests to one host (a site's own delay wins)
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_pages: int = 0  # page requests in one run (0: no limit)
    since: date | None = None  # skip pages a sitemap or feed dates before this
    refetch: bool = False  # ignore stored validators and listing dates: fetch every page
    dry_run: bool = False
    user_agent: str = ""


@dataclass
class PageResult:
    url: str
    status: str  # new, updated, unchanged, not_meeting, failed, disallowed; listed for listings
    reason: str = ""
    kind: str = FetchKind.PAGE
    requested: bool = True
    article_id: int | None = None
    meeting_id: int | None = None
    merged: bool = False

    @property
    def label(self) -> str:
        return LABELS.get(self.status, self.status)


@dataclass
class FetchReport:
    results: list[PageResult] = field(default_factory=list)
    dry_run: bool = False
    left: int = 0  # pages not asked for: --max-pages was reached
    requests: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def pages(self) -> list[PageResult]:
        return [r for r in self.results if r.kind == FetchKind.PAGE]

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.pages)

    @property
    def failures(self) -> list[PageResult]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        c = self.counts
        head = "Dry run, nothing written: " if self.dry_run else ""
        listings = [r for r in self.results if r.kind != FetchKind.PAGE]
        bad = sum(r.status == FAILED for r in listings)
        parts = [
            f"{head}{len(self.pages)} pages: {c[NEW]} new, {c[UPDATED]} updated, "
            f"{c[UNCHANGED]} unchanged, {c[NOT_MEETING]} not meeting reports, "
            f"{c[FAILED]} failed"
        ]
        if c[DISALLOWED]:
            parts.append(f"{c[DISALLOWED]} disallowed by robots.txt")
        if listings:
            parts.append(f"{len(listings)} sitemaps/feeds read ({bad} failed)")
        if self.left:
            parts.append(f"{self.left} pages left for the next run (--max-pages)")
        total = self.seconds.get("total")
        if total is not None:
            parts.append(f"{self.requests} requests in {total:.1f} s")
        return "; ".join(parts)


@dataclass
class Job:
    url: str
    kind: str  # "page", "listing" (a sitemap or feed) or "address" (told from the answer)
    site: Site | None = None
    changed: datetime | None = None  # the date a sitemap or feed gives it
    published: str | None = None
    depth: int = 0


def fetch(
    addresses: Iterable[str] = (),
    sites: Iterable[Site] = (),
    *,
    options: Options | None = None,
    progress: Callable[[int, int, PageResult], None] | None = None,
    client: HttpClient | None = None,
) -> FetchReport:
    """Fetch addresses (pages, sitemaps or feeds, told apart by what they return) and the
    feeds, sitemaps and pages of sites; see the module's docstring. `addresses` must be
    clean (meetings.fetch.urls.clean_url)."""
    options = options or Options()
    crawl = Crawl(options, client, progress)
    for url in addresses:
        crawl.add(Job(url, "address"))
    for site in sites:
        for url in site.sitemaps + site.feeds:
            crawl.add(Job(url, "listing", site))
        for url in site.pages:
            crawl.add(Job(url, "page", site))
    with transaction.atomic() if options.dry_run else nullcontext():
        crawl.run()
        refresh_stale_search_documents()
        if options.dry_run:
            transaction.set_rollback(True)
    return crawl.report


class Crawl:
    def __init__(self, options: Options, client: HttpClient | None, progress=None):
        self.options = options
        self.client = client or HttpClient(
            user_agent=options.user_agent or settings.FETCH_USER_AGENT,
            timeout=options.timeout,
            retries=options.retries,
            backoff=options.backoff,
            max_bytes=MAX_PAGE_BYTES,
        )
        self.client.pacer.default = max(self.client.pacer.default, options.delay)
        self.robots = RobotsCache(self._get_robots, self.client.user_agent)
        self.resolver = Resolver()
        self.progress = progress
        self.queues: dict[str, deque[Job]] = {}
        self.seen: set[str] = set()
        self.page_requests = 0
        self.report = FetchReport(dry_run=options.dry_run)
        self.seconds = Counter()

    # --- the queue -----------------------------------------------------------------------------

    def add(self, job: Job) -> None:
        if job.url in self.seen:
            return
        self.seen.add(job.url)
        host = host_of(job.url)
        delay = job.site.delay if job.site and job.site.delay is not None else None
        self.client.pacer.set_delay(host, self.options.delay if delay is None else delay)
        self.queues.setdefault(host, deque()).append(job)

    def run(self) -> None:
        started = time.monotonic()
        pacer = self.client.pacer
        while self.queues:
            host = min(self.queues, key=pacer.ready_at)
            job = self.queues[host].popleft()
            if not self.queues[host]:
                del self.queues[host]
            try:
                result = self.handle(job)
            except Exception as exc:  # one page must not stop the others
                result = PageResult(job.url, FAILED, f"{type(exc).__name__}: {exc}")
            if result is None:
                continue
            self.report.results.append(result)
            if self.progress:
                self.progress(len(self.report.results), len(self.seen), result)
        self.report.requests = self.client.requests
        self.seconds.update(
            total=time.monotonic() - started,
            waiting=pacer.waited,
            network=self.client.network_seconds,
            backoff=self.client.backoff_seconds,
        )
        self.report.seconds = dict(self.seconds)

    # --- one job -------------------------------------------------------------------------------

    def handle(self, job: Job) -> PageResult | None:
        stored = FetchedPage.objects.filter(url=job.url).defer("body").first()
        if stored is not None and job.kind == "address" and stored.outcome in DONE:
            # Read well before: what it is is known (a failure may have been anything).
            job.kind = "page" if stored.kind == FetchKind.PAGE else "listing"
        if self._unchanged_by_date(job, stored):
            if job.kind == "listing":
                return self._listing(job, stored, None)
            status = NOT_MEETING if stored.outcome == NOT_MEETING else UNCHANGED
            reason = "not asked for: its sitemap or feed date is not newer than the last fetch"
            return PageResult(job.url, status, reason, requested=False)
        if job.kind == "page" and self.options.max_pages:
            if self.page_requests >= self.options.max_pages:
                self.report.left += 1
                return None
            self.page_requests += 1
        try:
            response = self._get(job, stored)
        except Disallowed:
            reason = self.robots.failure(job.url)
            if reason:
                return self._failed(job, stored, reason, None)
            return PageResult(job.url, DISALLOWED, "robots.txt disallows it", kind=_kind(job))
        except FetchError as exc:
            return self._failed(job, stored, exc.reason, exc.status)
        if response.status == 304 and stored is not None:
            stored.http_status = 304
            stored.checked_at = timezone.now()
            if stored.outcome in DONE and job.kind == "page":
                stored.failures = 0
                stored.save(update_fields=["http_status", "checked_at", "failures"])
                status = NOT_MEETING if stored.outcome == NOT_MEETING else UNCHANGED
                return PageResult(job.url, status, "304 Not Modified", article_id=stored.article_id)
            # A listing (its body lists the pages) or a page that failed after its fetch:
            # read the body kept from last time.
            stored = FetchedPage.objects.get(pk=stored.pk)
            if stored.body is None:
                return self._failed(job, stored, "304 Not Modified, but no body was kept", 304)
            response = Response(
                stored.final_url or job.url,
                304,
                {"content-type": stored.content_type},
                stored.html,
            )
        if job.kind in ("listing", "address"):
            return self._listing(job, stored, response)
        return self._page(job, stored, response)

    def _unchanged_by_date(self, job: Job, stored: FetchedPage | None) -> bool:
        return bool(
            not self.options.refetch
            and job.changed is not None
            and stored is not None
            and stored.fetched_at is not None
            and stored.outcome in DONE
            and job.changed <= stored.fetched_at
        )

    def _get(self, job: Job, stored: FetchedPage | None) -> Response:
        headers = {}
        if stored is not None and not self.options.refetch and stored.outcome:
            if stored.etag:
                headers["If-None-Match"] = stored.etag
            if stored.last_modified:
                headers["If-Modified-Since"] = stored.last_modified
        max_bytes = MAX_PAGE_BYTES if job.kind == "page" else MAX_LISTING_BYTES
        response = self.client.get(
            job.url, headers=headers, allowed=self._allowed, max_bytes=max_bytes
        )
        if response.status == 304 and (stored is None or not headers):
            # Not asked conditionally, yet told "not modified": ask once more, plainly.
            response = self.client.get(job.url, allowed=self._allowed, max_bytes=max_bytes)
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} to a plain GET", status=response.status)
        return response

    def _allowed(self, url: str) -> bool:
        rules = self.robots.rules(url)
        if rules.crawl_delay:
            self.client.pacer.set_delay(host_of(url), rules.crawl_delay)
        return self.robots.allows(url)

    def _get_robots(self, url: str) -> bytes:
        response = self.client.get(url, max_bytes=MAX_ROBOTS_BYTES)
        return response.body

    # --- sitemaps and feeds --------------------------------------------------------------------

    def _listing(self, job: Job, stored: FetchedPage | None, response: Response | None):
        requested = response is not None
        if response is None:  # unchanged by its date in the sitemap index: reuse the body
            stored = FetchedPage.objects.get(pk=stored.pk)
            body, base = stored.html or b"", stored.final_url or job.url
        else:
            body, base = response.body, response.url
        try:
            listing = parse_listing(body, base)
        except ListingError as exc:
            return self._failed(job, stored, f"sitemap or feed: {exc}", None)
        if listing is None:
            if job.kind == "address" and response is not None:
                if len(response.body) > MAX_PAGE_BYTES:
                    reason = f"too large: more than {MAX_PAGE_BYTES / 1e6:g} MB"
                    return self._failed(job, stored, reason, 200)
                return self._page(job, stored, response)
            reason = "not a sitemap or feed (no <urlset>, <sitemapindex>, <rss> or <feed>)"
            return self._failed(job, stored, reason, None)

        kind = FetchKind.FEED if listing.kind == "feed" else FetchKind.SITEMAP
        if requested:
            page = stored or FetchedPage(url=job.url)
            page.kind = kind
            self._keep(page, job, response)
            page.outcome = FetchOutcome.LISTED
            page.reason = f"{len(listing.entries)} addresses"
            page.failures = 0
            page.save()
        since = self.options.since
        for entry in listing.entries:
            if listing.kind == "sitemap_index":
                if job.depth < MAX_SITEMAP_DEPTH:
                    self.add(
                        Job(entry.url, "listing", job.site, entry.changed, depth=job.depth + 1)
                    )
                continue
            if job.site is not None and not job.site.wants(entry.url):
                continue
            if since and entry.changed and entry.changed.date() < since:
                continue
            self.add(Job(entry.url, "page", job.site, entry.changed, entry.published))
        reason = f"{len(listing.entries)} addresses"
        if listing.skipped:
            reason += f" ({len(listing.skipped)} unusable, e.g. {listing.skipped[0]})"
        if not requested:
            reason += ", not asked for: unchanged since the last fetch by its sitemap index date"
        return PageResult(job.url, LISTED, reason, kind=kind, requested=requested)

    # --- pages ---------------------------------------------------------------------------------

    def _page(self, job: Job, stored: FetchedPage | None, response: Response) -> PageResult:
        page = stored or FetchedPage(url=job.url)
        page.kind = FetchKind.PAGE
        if response.status == 200:
            sha = hashlib.sha256(response.body).hexdigest()
            if (
                not self.options.refetch
                and stored is not None
                and stored.body_sha256 == sha
                and stored.outcome in DONE
            ):
                self._keep(page, job, response, body=False)
                page.failures = 0
                page.save()
                status = NOT_MEETING if stored.outcome == NOT_MEETING else UNCHANGED
                return PageResult(
                    job.url, status, "the same bytes as last time", article_id=stored.article_id
                )
            self._keep(page, job, response)
        else:
            page.checked_at = timezone.now()
        if job.site is not None:
            page.province = job.site.province or ""
        return self.read(page, response, published=job.published)

    def read(self, page: FetchedPage, response: Response, *, published=None) -> PageResult:
        """The page's body → its article → the ingest; the row and the article written."""
        content_type = response.content_type.split(";", 1)[0].strip().lower()
        if content_type not in HTML_TYPES:
            page.body = None  # a PDF, an image …: only its hash and validators are kept
            return self._record(page, NOT_MEETING, f"not an HTML page ({content_type})")
        started = time.monotonic()
        try:
            article = html_to_article(
                response.body, url=response.url, content_type=response.content_type
            )
        except NoArticle as exc:
            return self._record(page, NOT_MEETING, str(exc))
        finally:
            self.seconds["html_to_article"] += time.monotonic() - started
        page.canonical_url = article.canonical_url or ""
        return self._record(page, None, "", article=article, published=published)

    def _record(self, page, status, reason, *, article=None, published=None) -> PageResult:
        """Write the page's row, and its article through the ingest, in one transaction."""
        started = time.monotonic()
        written = None
        try:
            with transaction.atomic():
                if article is not None:
                    try:
                        written = ingest_text(
                            article.text,
                            url=article.url,
                            published=article.published or published,
                            source_name=page.url[-300:],
                            province=page.province or None,
                            resolver=self.resolver,
                        )
                        status, reason = written.status, written.reason
                    except ExtractionInputError as exc:
                        status, reason = NOT_MEETING, str(exc)
                page.outcome, page.reason = status, reason[:2000]
                if written is not None and written.article_id:
                    page.article_id = written.article_id
                page.failures = page.failures + 1 if status == FAILED else 0
                page.save()
        finally:
            self.seconds["extract_and_write"] += time.monotonic() - started
        return PageResult(
            page.url,
            status,
            reason,
            article_id=written.article_id if written else None,
            meeting_id=written.meeting_id if written else None,
            merged=bool(written and written.merged),
        )

    def _keep(self, page: FetchedPage, job: Job, response: Response, *, body: bool = True):
        """Copy what the answer says into the page's row (not saved)."""
        now = timezone.now()
        page.checked_at = now
        page.http_status = response.status
        if job.site is not None:
            page.site = job.site.name
        if response.status != 200:
            return
        page.final_url = response.url if response.url != page.url else ""
        page.etag = response.headers.get("etag", "")[:500]
        page.last_modified = response.headers.get("last-modified", "")[:100]
        page.content_type = response.content_type[:200]
        page.fetched_at = now
        if body:
            page.keep_body(response.body)
            page.body_sha256 = hashlib.sha256(response.body).hexdigest()

    def _failed(self, job, stored, reason: str, status) -> PageResult:
        page = stored or FetchedPage(url=job.url, kind=_kind(job))
        page.outcome, page.reason = FetchOutcome.FAILED, reason[:2000]
        page.http_status = status
        page.checked_at = timezone.now()
        page.failures += 1
        if page.pk is None:
            page.save()
        else:
            page.save(update_fields=["outcome", "reason", "http_status", "checked_at", "failures"])
        return PageResult(job.url, FAILED, reason, kind=_kind(job))


def _kind(job: Job) -> str:
    return FetchKind.SITEMAP if job.kind == "listing" else FetchKind.PAGE


# --- ingest_articles --reextract ---------------------------------------------------------------


def reextract(
    *, dry_run: bool = False, progress: Callable[[int, int, PageResult], None] | None = None
) -> FetchReport:
    """Read every kept page body again (no fetching): HTML → article → the ingest, as the
    fetch would now. A better extractor, or a better HTML reader, then applies to pages
    fetched before it; pages once "not a meeting report" are decided again."""
    report = FetchReport(dry_run=dry_run)
    started = time.monotonic()
    crawl = Crawl(Options(dry_run=dry_run), client=HttpClient(user_agent="-"))
    ids = list(
        FetchedPage.objects.filter(kind=FetchKind.PAGE, body__isnull=False)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    with transaction.atomic() if dry_run else nullcontext():
        for n, pk in enumerate(ids, 1):
            page = FetchedPage.objects.get(pk=pk)
            response = Response(
                page.final_url or page.url, 200, {"content-type": page.content_type}, page.html
            )
            try:
                result = crawl.read(page, response)
            except Exception as exc:  # one page must not stop the others
                result = PageResult(page.url, FAILED, f"{type(exc).__name__}: {exc}")
            report.results.append(result)
            if progress:
                progress(n, len(ids), result)
        refresh_stale_search_documents()
        if dry_run:
            transaction.set_rollback(True)
    report.seconds = {**crawl.seconds, "total": time.monotonic() - started}
    return report
