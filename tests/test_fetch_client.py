"""The HTTP client (meetings/fetch/client.py) against a local server: redirects, retries,
timeouts, size limits, gzip, conditional requests and the per-host pace."""

import gzip

import pytest

from meetings.fetch.client import MAX_REDIRECTS, Disallowed, FetchError, HostPacer, HttpClient
from tests.fetch_site import TestSite, fails_then_recovers, never_answers, redirect_to

HOST = "portal.test"


@pytest.fixture
def site():
    with TestSite() as running:
        yield running


def client(site, **options):
    options = {"timeout": 2, "retries": 2, "backoff": 0.01, **options}
    return HttpClient(user_agent="TestBot/1.0", connect_to=site.connect_to(), **options)


def test_conditional_get_and_headers_sent(site):
    site.add(HOST, "/a.html", "<html>a</html>", etag='"1"')
    http = client(site)
    first = http.get(site.url(HOST, "/a.html"))
    assert first.status == 200 and first.body == b"<html>a</html>"
    assert first.headers["etag"] == '"1"'
    again = http.get(site.url(HOST, "/a.html"), headers={"If-None-Match": '"1"'})
    assert again.status == 304 and again.body == b""
    sent = site.requests(HOST, "/a.html")[0].headers
    assert sent["User-Agent"] == "TestBot/1.0" and sent["Host"] == HOST


def test_redirects_are_followed_and_checked_against_robots(site):
    site.add(HOST, "/old", handler=redirect_to("/new"))
    site.add(HOST, "/new", "<html>new</html>")
    site.add(HOST, "/to-private", handler=redirect_to("http://portal.test/private/x"))
    site.add(HOST, "/loop", handler=redirect_to("/loop", 302))
    http = client(site)
    response = http.get(site.url(HOST, "/old"))
    assert response.url == "http://portal.test/new" and response.body == b"<html>new</html>"
    with pytest.raises(Disallowed):
        http.get(site.url(HOST, "/to-private"), allowed=lambda url: "/private/" not in url)
    assert site.requests(HOST, "/private/x") == []
    with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
        http.get(site.url(HOST, "/loop"))


def test_temporary_failures_are_retried_with_backoff(site):
    site.add(HOST, "/flaky", "<html>ok</html>", handler=fails_then_recovers(2, 503))
    site.add(HOST, "/down", handler=fails_then_recovers(99, 500))
    waits = []
    http = client(site, sleep=waits.append)
    assert http.get(site.url(HOST, "/flaky")).body == b"<html>ok</html>"
    assert waits == [0.01, 0.02]  # backoff, doubled
    with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error \(after 3 tries\)"):
        http.get(site.url(HOST, "/down"))


def test_retry_after_is_honoured_up_to_a_limit(site):
    site.add(HOST, "/busy", status=429, headers={"Retry-After": "3"})
    site.add(HOST, "/gone-for-long", status=503, headers={"Retry-After": "7200"})
    waits = []
    http = client(site, retries=1, sleep=waits.append)
    with pytest.raises(FetchError, match="429"):
        http.get(site.url(HOST, "/busy"))
    assert waits == [3.0]
    with pytest.raises(FetchError, match="asks to retry after 7200 s"):
        http.get(site.url(HOST, "/gone-for-long"))


def test_a_page_that_never_answers_times_out(site):
    site.add(HOST, "/hangs", handler=never_answers(site))
    http = client(site, timeout=0.3, retries=0)
    with pytest.raises(FetchError, match=r"no answer within 0.3 s") as info:
        http.get(site.url(HOST, "/hangs"))
    assert info.value.temporary


def test_not_found_and_refused_connections(site):
    site.add(HOST, "/a.html", "<html>a</html>")
    http = client(site, retries=0)
    with pytest.raises(FetchError, match="HTTP 404 Not Found") as info:
        http.get(site.url(HOST, "/none"))
    assert not info.value.temporary and info.value.status == 404
    closed = HttpClient(user_agent="T", connect_to={"x.test": ("127.0.0.1", 9)}, retries=0)
    with pytest.raises(FetchError, match="connection failed"):
        closed.get("http://x.test/")


def test_large_bodies_are_refused_and_gzip_is_decoded(site):
    site.add(HOST, "/big", b"x" * 5000)
    site.add(
        HOST,
        "/zipped",
        gzip.compress(b"<html>" + b"y" * 3000 + b"</html>"),
        headers={"Content-Encoding": "gzip"},
    )
    site.add(HOST, "/bomb", gzip.compress(b"z" * 100_000), headers={"Content-Encoding": "gzip"})
    http = client(site, max_bytes=4000)
    with pytest.raises(FetchError, match="too large"):
        http.get(site.url(HOST, "/big"))
    assert http.get(site.url(HOST, "/zipped")).body.startswith(b"<html>yyy")
    with pytest.raises(FetchError, match="too large"):
        http.get(site.url(HOST, "/bomb"))


def test_pacer_keeps_the_delay_per_host():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    pacer = HostPacer(default=1.0, clock=lambda: now[0], sleep=sleep)
    pacer.set_delay("b.test", 0.5)
    pacer.set_delay("b.test", 0.2)  # the longer of two delays asked for one host wins
    for host in ("a.test", "a.test", "b.test", "b.test"):
        pacer.wait(host)
        now[0] += 0.1  # the request itself
    assert slept == [0.9, 0.4]  # a.test: 1 s from start to start; b.test: 0.5 s
    assert pacer.waited == pytest.approx(1.3)
