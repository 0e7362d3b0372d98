"""fetch_articles end to end against a local portal: pages, sitemap, feed, robots.txt, a
redirect, a 404, a 500 that recovers, a page that never answers, 304s on the second run,
pages that are not meeting reports, rate limits, --dry-run and ingest_articles --reextract."""

from __future__ import annotations

import time

import pytest
from django.core.management import CommandError, call_command

from meetings.fetch.client import HostPacer, HttpClient
from meetings.fetch.run import Options, fetch
from meetings.fetch.sources import parse_sources
from meetings.models import Article, FetchedPage, Meeting
from tests.conftest import SHARED
from tests.fetch_site import (
    TestSite,
    fails_then_recovers,
    never_answers,
    portal_page,
    redirect_to,
    rss,
    sitemap,
)

DEV = SHARED / "corpus" / "dev" / "articles"
NEGATIVES = SHARED / "corpus" / "negatives" / "articles"
needs_shared = pytest.mark.skipif(
    not DEV.is_dir() or not NEGATIVES.is_dir(),
    reason="needs ../shared/corpus (dev and negatives articles) beside the project",
)
HOST = "portal.test"
DELAY = 0.05


def read(path) -> str:
    from meetings.extraction import read_article

    return read_article(path)[0]


def build_portal(site: TestSite) -> dict[str, str]:
    """The main test portal on HOST; returns its addresses by role."""
    dev = sorted(DEV.glob("*.txt"))
    negatives = sorted(NEGATIVES.glob("*.txt"))
    url = {}

    def page(path, name, layout, **route):
        address = site.url(HOST, name)
        site.add(HOST, name, portal_page(read(path), url=address, layout=layout), **route)
        return address

    site.add(HOST, "/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    now = time.time()
    # Dev articles: some with an ETag, some with Last-Modified, some with only a sitemap date.
    listed = []
    for n, path in enumerate(dev[:6]):
        name = f"/tin-tuc/bai-{n}.html"
        if n % 3 == 0:
            url[name] = page(path, name, n % 3, etag=f'"v1-{n}"')
            listed.append((url[name], None))
        elif n % 3 == 1:
            url[name] = page(path, name, n % 3, last_modified=now - 86400)
            listed.append((url[name], None))
        else:
            url[name] = page(path, name, n % 3)
            listed.append((url[name], "2024-01-05"))
    for n, path in enumerate(negatives[:3]):
        name = f"/thong-bao/tin-{n}.html"
        url[name] = page(path, name, n % 3, etag=f'"neg-{n}"')
        listed.append((url[name], None))
    url["private"] = page(dev[6], "/private/noi-bo.html", 0, etag='"p"')
    url["redirect"] = site.url(HOST, "/old/bai-cu.html")
    site.add(HOST, "/old/bai-cu.html", handler=redirect_to(site.url(HOST, "/tin-tuc/bai-moi.html")))
    url["moved"] = page(dev[7], "/tin-tuc/bai-moi.html", 1, etag='"moved"')
    url["missing"] = site.url(HOST, "/tin-tuc/khong-co.html")
    url["flaky"] = page(dev[8], "/tin-tuc/chap-chon.html", 2, etag='"flaky"')
    site.routes[(HOST, "/tin-tuc/chap-chon.html")].handler = fails_then_recovers(1)
    url["hangs"] = site.url(HOST, "/tin-tuc/treo.html")
    site.add(HOST, "/tin-tuc/treo.html", handler=never_answers(site))
    listed += [(url[k], None) for k in ("private", "redirect", "missing", "flaky", "hangs")]
    url["sitemap"] = site.url(HOST, "/sitemap.xml")
    site.add(HOST, "/sitemap.xml", sitemap(listed), content_type="application/xml", etag='"sm1"')
    # The feed: three more articles, one negative, and one page the sitemap lists too.
    items = []
    for n, path in enumerate(dev[9:12]):
        name = f"/rss-tin/bai-{n}.html"
        url[name] = page(path, name, n % 3, etag=f'"rss-{n}"')
        items.append((url[name], f"Bài {n}", "Wed, 03 Jul 2024 16:55:00 +0700"))
    url["rss-negative"] = page(negatives[3], "/rss-tin/thong-bao.html", 1, etag='"rn"')
    items.append((url["rss-negative"], "Thông báo", None))
    items.append((url["/tin-tuc/bai-0.html"], "Bài 0 again", None))
    url["rss"] = site.url(HOST, "/rss.xml")
    site.add(HOST, "/rss.xml", rss("Tin tức", items), content_type="text/xml", last_modified=now)
    return url


@pytest.fixture
def portal():
    with TestSite() as site:
        addresses = build_portal(site)
        yield site, addresses


def run(site, *args, **options):
    """call_command with the test's short delays; returns (exit status, stdout)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    from meetings.fetch import run as fetch_run

    original = fetch_run.HttpClient

    def client(**kwargs):
        return original(**kwargs, connect_to=site.connect_to())

    fetch_run.HttpClient = client
    options = {"delay": DELAY, "timeout": 0.5, "retries": 1, "backoff": 0.05, **options}
    try:
        call_command("fetch_articles", *args, stdout=out, stderr=err, **options)
        status = 0
    except CommandError as exc:
        status = exc.returncode
        err.write(str(exc))
    finally:
        fetch_run.HttpClient = original
    return status, out.getvalue() + err.getvalue()


def answered(site, since: int = 0) -> dict[str, int]:
    return {r.path: r.status for r in site.log[since:]}


@needs_shared
@pytest.mark.django_db(transaction=True)
def test_first_run_reports_every_page_and_second_run_fetches_nothing_unchanged(portal):
    site, url = portal
    status, output = run(site, url["sitemap"], url["rss"], verbosity=2)

    assert status == 1, output  # the 404 and the page that never answers failed
    pages = {p.url: p for p in FetchedPage.objects.all()}
    for name in ("/tin-tuc/bai-0.html", "/tin-tuc/bai-1.html", "/rss-tin/bai-0.html"):
        assert pages[url[name]].outcome == "new", pages[url[name]].reason
        assert pages[url[name]].article is not None
        assert pages[url[name]].body is not None  # the HTML is kept, compressed
        assert b"<html" in pages[url[name]].html.lower()
    for name in ("/thong-bao/tin-0.html", "/thong-bao/tin-1.html", "rss-negative"):
        assert pages[url[name]].outcome == "not_meeting"
        assert pages[url[name]].reason.startswith("not a meeting report")
    assert pages[url["missing"]].outcome == "failed"
    assert pages[url["missing"]].reason == "HTTP 404 Not Found"
    assert pages[url["hangs"]].outcome == "failed"
    assert "no answer within 0.5 s" in pages[url["hangs"]].reason
    assert pages[url["flaky"]].outcome == "new"  # a 500, then the page
    assert [r.status for r in site.requests(HOST, "/tin-tuc/chap-chon.html")] == [500, 200]
    assert pages[url["redirect"]].outcome == "new"
    assert pages[url["redirect"]].final_url == url["moved"]
    assert url["private"] not in pages
    assert site.requests(HOST, "/private/noi-bo.html") == []  # never asked for
    assert pages[url["sitemap"]].kind == "sitemap" and pages[url["rss"]].kind == "feed"
    assert len(site.requests(HOST, "/tin-tuc/bai-0.html")) == 1  # in the feed and the sitemap
    assert "disallowed by robots.txt" in output
    assert f"failed    {url['missing']}: HTTP 404 Not Found" in output
    assert "new       " + url["/tin-tuc/bai-0.html"] in output
    assert "2 failed" in output
    meetings_before = Meeting.objects.count()
    assert Article.objects.count() >= 8

    # The sitemap's own date for page 2 moves forward; page 1 changes (new ETag, new text).
    first = len(site.log)
    changed = site.routes[(HOST, "/tin-tuc/bai-0.html")]
    changed.body = changed.body.replace(b"</p>", " Bổ sung thông tin.</p>".encode(), 1)
    changed.etag = '"v2-0"'
    status, output = run(site, url["sitemap"], url["rss"], verbosity=2)

    second = answered(site, first)
    assert second["/sitemap.xml"] == 304 and second["/rss.xml"] == 304
    assert second["/tin-tuc/bai-0.html"] == 200
    full = {p for p, s in second.items() if s == 200} - {"/robots.txt"}
    assert full == {"/tin-tuc/bai-0.html"}, second  # nothing else was downloaded again
    assert "/tin-tuc/bai-2.html" not in second  # its sitemap date is older than the fetch
    assert "/private/noi-bo.html" not in second
    assert FetchedPage.objects.get(url=url["/tin-tuc/bai-0.html"]).outcome == "updated"
    assert FetchedPage.objects.get(url=url["/thong-bao/tin-0.html"]).outcome == "not_meeting"
    assert Meeting.objects.count() == meetings_before
    assert "1 updated" in output and "0 new" in output


class RecordingPacer(HostPacer):
    """The client's pacer, noting when each request to each host started."""

    def __init__(self):
        super().__init__()
        self.starts: dict[str, list[float]] = {}

    def wait(self, host):
        super().wait(host)
        self.starts.setdefault(host, []).append(self.last[host])


def gaps(times):
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


@needs_shared
@pytest.mark.django_db(transaction=True)
def test_requests_to_one_host_keep_the_delay():
    with TestSite() as site:
        for n, path in enumerate(sorted(DEV.glob("*.txt"))[:4]):
            name = f"/bai-{n}.html"
            site.add("a.test", name, portal_page(read(path), url=site.url("a.test", name)))
            site.add("b.test", name, portal_page(read(path), url=site.url("b.test", name)))
        site.add("b.test", "/robots.txt", "User-agent: *\nCrawl-delay: 0.5\n")
        addresses = [site.url(h, f"/bai-{n}.html") for h in ("a.test", "b.test") for n in range(4)]
        pacer = RecordingPacer()
        client = HttpClient(
            user_agent="TestBot/1.0", connect_to=site.connect_to(), timeout=5, pacer=pacer
        )
        report = fetch(addresses, options=Options(delay=0.4, retries=0), client=client)

    assert report.ok, report.failures
    for host, delay in (("a.test", 0.4), ("b.test", 0.5)):  # b.test: robots.txt's Crawl-delay
        assert len(pacer.starts[host]) == 5  # robots.txt and four pages
        assert min(gaps(pacer.starts[host])) >= delay, (host, gaps(pacer.starts[host]))
        # The server saw the same requests; not their spacing, which also carries the time
        # to connect and to be accepted (it varied by more than 100 ms on a loaded host).
        assert len(site.requests(host)) == 5
    # While one host waits, the other is served: b.test's first request comes before a.test's
    # last (a.test's five take 1.6 s of delays alone; one after the other would be ≥ 3.6 s).
    hosts = [r.host for r in site.log]
    assert hosts.index("b.test") < len(hosts) - 1 - hosts[::-1].index("a.test"), hosts


@needs_shared
@pytest.mark.django_db(transaction=True)
def test_dry_run_fetches_and_reports_but_writes_nothing(portal):
    site, url = portal
    status, output = run(site, url["rss"], dry_run=True)
    assert status == 0, output
    assert "Dry run, nothing written: 5 pages: 4 new" in output
    assert FetchedPage.objects.count() == 0 and Article.objects.count() == 0


@needs_shared
@pytest.mark.django_db(transaction=True)
def test_reextract_reads_the_kept_html_without_fetching(portal):
    site, url = portal
    run(site, url["rss"])
    assert Article.objects.count() == 4  # three articles and the sitemap's bai-0
    site.stop()  # nothing can be fetched from here on
    Meeting.objects.all().delete()
    Article.objects.all().delete()

    import io

    out = io.StringIO()
    call_command("ingest_articles", reextract=True, stdout=out, verbosity=2)
    assert Article.objects.count() == 4
    assert FetchedPage.objects.filter(outcome="new").count() == 4
    assert FetchedPage.objects.get(url=url["rss-negative"]).outcome == "not_meeting"
    assert "5 pages: 4 new, 0 updated, 0 unchanged, 1 not meeting reports" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_sources_file_gives_the_province_include_exclude_and_delay(tmp_path):
    text = (
        "Sáng 5/4, Ban Dân vận Thị ủy tổ chức Hội nghị giao ban công tác dân vận quý I/2024. "
        "Đồng chí Nguyễn Văn Hùng, Phó Bí thư Thường trực Thị ủy chủ trì hội nghị.\n"
        "Tham dự hội nghị có lãnh đạo Ủy ban MTTQ và các đoàn thể chính trị - xã hội thị xã. "
        "Quý I/2024, công tác dân vận đạt nhiều kết quả."
    )
    with TestSite() as site:
        host = "thixa.test"
        keep = site.url(host, "/tin-tuc/giao-ban.html")
        skip = site.url(host, "/video/giao-ban.html")
        for address in (keep, skip):
            path = address.split(host, 1)[1]
            site.add(host, path, portal_page(text, url=address, layout=1))
        site.add(host, "/sitemap.xml", sitemap([(keep, None), (skip, None)]))
        sources = tmp_path / "sources.toml"
        sources.write_text(
            "delay = 0.05\n\n[[site]]\n"
            'name = "Thị xã"\nprovince = "hung yen"\n'
            f'sitemaps = ["{site.url(host, "/sitemap.xml")}"]\n'
            'include = ["/tin-tuc/", "/video/"]\nexclude = ["/video/"]\n',
            encoding="utf-8",
        )
        status, output = run(site, sources=[str(sources)], verbosity=2)
    assert status == 0, output
    page = FetchedPage.objects.get(url=keep)
    assert page.outcome == "new" and page.site == "Thị xã" and page.province == "Hưng Yên"
    assert page.article.meeting.city.name == "Hưng Yên"
    assert page.article.extraction["sources"]["city"] == "site"
    assert not FetchedPage.objects.filter(url=skip).exists()


def test_command_errors_name_what_is_wrong(tmp_path, db):
    with pytest.raises(CommandError, match="nothing to fetch"):
        call_command("fetch_articles")
    with pytest.raises(CommandError, match="bad address: 'ftp://x.vn/a': only http"):
        call_command("fetch_articles", "ftp://x.vn/a")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[site]]\nname = "A"\nfeeds = ["https://a.vn/rss"]\nprovnce = "X"\n')
    with pytest.raises(CommandError, match=r"bad.toml: site 1 \(A\): unknown field\(s\) provnce"):
        call_command("fetch_articles", sources=[str(bad)])
    with pytest.raises(CommandError, match="--since: expected YYYY-MM-DD"):
        call_command("fetch_articles", "https://a.vn/", since="2024-13-01")
    with pytest.raises(CommandError, match="--delay: expected 0 to 3600 seconds"):
        call_command("fetch_articles", "https://a.vn/", delay=-1)
    sources = parse_sources({"site": [{"name": "A", "feeds": ["https://a.vn/rss"]}]})
    assert sources[0].name == "A"
    with pytest.raises(CommandError, match="--site: no site named B"):
        good = tmp_path / "good.toml"
        good.write_text('[[site]]\nname = "A"\nfeeds = ["https://a.vn/rss"]\n')
        call_command("fetch_articles", sources=[str(good)], site=["B"])
