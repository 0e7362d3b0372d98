"""A local web server that plays provincial portals, for the fetch tests and bench/bench_fetch.py.

`TestSite` serves routes keyed by (host, path) on 127.0.0.1 (an `http.server` in a thread);
the fetcher's HttpClient sends every host name there through `connect_to`, so pages keep
their real addresses (the extractor reads the province from some of them). Every request is
logged with its arrival time, host, path, headers and the status answered. Pages answer
conditional requests: If-None-Match against their ETag, If-Modified-Since against their
Last-Modified.

`portal_page()` wraps an article's text in one of three portal layouts (a government portal
of the ASP.NET kind with tables, a modern news site with <article>, an old district portal
of nested <div>s), each with a header, menus, breadcrumbs, a related-news list, a sidebar
of most-read items and a footer, as the real pages the corpus files were copied from have.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

_DATE_LINE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: float | None = None  # a Unix time
    headers: dict[str, str] = field(default_factory=dict)
    # Called instead of answering with the above: handler(request_handler, route) -> None
    handler: Callable | None = None


@dataclass
class Logged:
    time: float  # time.monotonic() when the request arrived
    host: str
    path: str
    headers: dict[str, str]
    status: int = 0


class TestSite:
    """A threaded HTTP server on 127.0.0.1 answering for many host names."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self):
        self.routes: dict[tuple[str, str], Route] = {}
        self.log: list[Logged] = []
        self.release = threading.Event()  # set at stop: pages that never answer give up
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # --- routes ---

    def add(self, host: str, path: str, body: str | bytes = b"", **route) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[(host, path)] = Route(body=body, **route)
        return self.routes[(host, path)]

    def url(self, host: str, path: str) -> str:
        return f"http://{host}{path}"

    @property
    def hosts(self) -> set[str]:
        return {host for host, _ in self.routes}

    def connect_to(self) -> dict[str, tuple[str, int]]:
        port = self.server.server_address[1]
        return dict.fromkeys(self.hosts, ("127.0.0.1", port))

    def requests(self, host: str | None = None, path: str | None = None) -> list[Logged]:
        with self._lock:
            return [
                r
                for r in self.log
                if (host is None or r.host == host) and (path is None or r.path == path)
            ]

    # --- running ---

    def start(self) -> TestSite:
        handler = type("Handler", (_Handler,), {"site": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        serve = partial(self.server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> TestSite:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- special answers ---------------------------------------------------------------------------


def fails_then_recovers(times: int, status: int = 500):
    """A handler answering `status` the first `times` requests, then the route's page."""
    count = {"n": 0}

    def handler(request, route, entry):
        count["n"] += 1
        if count["n"] <= times:
            entry.status = status
            return request.answer(status, b"<html><body>Service Unavailable</body></html>")
        return request.serve(route, entry)

    return handler


def never_answers(site: TestSite, longest: float = 10.0):
    """A handler that accepts the request and says nothing until the site stops."""

    def handler(request, route, entry):
        site.release.wait(longest)
        entry.status = 0

    return handler


def redirect_to(location: str, status: int = 301):
    def handler(request, route, entry):
        entry.status = status
        return request.answer(status, b"", {"Location": location})

    return handler


# --- pages -------------------------------------------------------------------------------------

RELATED = [
    ("Hội nghị giao ban Khối thi đua các cơ quan Đảng quý II/2022", "12/07/2022"),
    ("Tổng kết công tác Mặt trận năm 2021, triển khai nhiệm vụ năm 2022", "28/12/2021"),
    ("Ban Thường vụ Tỉnh ủy làm việc với Đảng ủy Khối Doanh nghiệp", "05/05/2023"),
    ("Sơ kết 3 năm thực hiện Chỉ thị số 18-CT/TU của Ban Thường vụ", "20/03/2020"),
    ("Hội nghị trực tuyến toàn quốc về công tác dân vận năm 2019", "15/01/2019"),
]
MOST_READ = [
    "Khai mạc Hội chợ thương mại quốc tế 2024",
    "Công bố quyết định bổ nhiệm Phó Giám đốc Sở Nội vụ",
    "Thời tiết ngày mai: mưa rào và dông rải rác",
]
MENU = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Văn bản", "Thủ tục hành chính", "Liên hệ"]


def split_headline(text: str) -> tuple[str | None, list[str]]:
    """An article file's text → (headline if its first line is one, the other lines)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None, []
    first = lines[0]
    if (
        15 <= len(first) <= 250
        and not first.endswith((".", ":", ";"))
        and not _DATE_LINE.search(first)
        and not first.isupper()
    ):
        return first, lines[1:]
    return None, lines


def _links(items, host: str, prefix: str = "/tin-tuc/") -> str:
    return "".join(
        f'<li><a href="{prefix}bai-{n}.html">{html.escape(title)}</a>'
        + (f' <span class="date">({html.escape(day)})</span>' if day else "")
        + "</li>"
        for n, (title, day) in enumerate(items, 1)
    )


def portal_page(
    text: str,
    *,
    url: str,
    layout: int = 0,
    site_name: str = "Cổng thông tin điện tử",
    published: str | None = None,
) -> str:
    """An article's text wrapped in a portal page (`layout` 0, 1 or 2)."""
    headline, lines = split_headline(text)
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    e_url, e_site = html.escape(url, quote=True), html.escape(site_name)
    title_tag = html.escape(f"{headline} - {site_name}" if headline else site_name)
    host = url.split("/")[2]
    menu = "".join(f'<li><a href="/muc-{n}">{html.escape(m)}</a></li>' for n, m in enumerate(MENU))
    related = _links(RELATED, host)
    most_read = _links([(t, "") for t in MOST_READ], host, "/doc-nhieu/")
    meta_date = (
        f'<meta property="article:published_time" content="{published}T08:00:00+07:00">'
        if published
        else ""
    )
    head = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title_tag}</title>'
        f'<link rel="canonical" href="{e_url}">{meta_date}'
        + (f'<meta property="og:title" content="{html.escape(headline)}">' if headline else "")
        + '<link rel="stylesheet" href="/css/site.css"><script src="/js/site.js"></script>'
        "</head>"
    )
    h1 = f"<h1>{html.escape(headline)}</h1>" if headline else ""
    footer = (
        f"<p>{e_site}</p><p>Cơ quan chủ quản: Văn phòng Ủy ban nhân dân. Địa chỉ: Số 18 đường "
        "Hoàng Văn Thụ. Điện thoại: 0225.3842.xxx. Email: banbientap@portal.gov.vn</p>"
        "<p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>"
    )
    if layout == 0:  # ASP.NET-style government portal, tables for layout
        body = f"""<body><form id="aspnetForm">
<div id="header"><div class="banner"><img src="/img/banner.png" alt="{e_site}"></div>
<ul class="menu">{menu}</ul><div class="search"><input name="q" placeholder="Tìm kiếm"></div></div>
<table class="layout"><tr><td class="left" valign="top">
<div class="box"><div class="box-title">Chuyên mục</div><ul>{menu}</ul></div></td>
<td class="main" valign="top"><div class="breadcrumb"><a href="/">Trang chủ</a> &raquo;
<a href="/tin-tuc">Tin tức - Sự kiện</a></div>
<div class="news-detail">{h1}<div class="news-content">{paragraphs}</div>
<div class="tools"><a href="#">In bài</a> | <a href="#">Gửi email</a> |
<a href="#">Chia sẻ</a></div></div>
<div class="other-news"><div class="title">Các tin khác</div><ul>{related}</ul></div></td>
<td class="right" valign="top"><div class="box"><div class="box-title">Đọc nhiều nhất</div>
<ul>{most_read}</ul></div><div class="box"><div class="box-title">Liên kết website</div>
<select><option>Chính phủ</option><option>Bộ Nội vụ</option></select></div></td></tr></table>
<div id="footer">{footer}</div></form></body></html>"""
    elif layout == 1:  # a modern news site
        body = f"""<body><header class="site-header"><a class="logo" href="/">{e_site}</a>
<nav class="main-nav"><ul>{menu}</ul></nav></header>
<main><nav class="breadcrumbs"><a href="/">Trang chủ</a> / <a href="/chinh-tri">Chính trị</a></nav>
<article class="detail">{h1}<div class="share"><a href="#">Facebook</a><a href="#">Zalo</a></div>
<div class="detail-content">{paragraphs}</div>
<div class="tags">Từ khóa: <a href="/tag/giao-ban">giao ban</a>,
<a href="/tag/mat-tran">mặt trận</a></div>
</article>
<section class="related"><h2>Tin liên quan</h2><ul>{related}</ul></section></main>
<aside class="sidebar"><h3>Đọc nhiều</h3><ol>{most_read}</ol></aside>
<footer class="site-footer">{footer}</footer></body></html>"""
    else:  # an old district portal of nested divs
        body = f"""<body><div id="wrapper"><div id="top"><div class="logo">{e_site}</div>
<div class="topmenu">{menu}</div></div><div id="content"><div id="col-left">
<div class="portlet"><div class="portlet-title">Tin mới</div><ul>{most_read}</ul></div></div>
<div id="col-main"><div class="portlet"><div class="portlet-body">
<div class="title-news">{h1}</div><div class="content-news">{paragraphs}</div></div></div>
<div class="portlet"><div class="portlet-title">Tin đã đưa</div><ul>{related}</ul></div>
</div></div><div id="bottom">{footer}<div class="counter">Lượt truy cập: 1.234.567</div></div>
</div></body></html>"""
    return head + body


def sitemap(entries: list[tuple[str, str | None]]) -> str:
    """A sitemap of (address, lastmod or None)."""
    items = "".join(
        f"<url><loc>{html.escape(url)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>"
        for url, lastmod in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
    )


def rss(title: str, items: list[tuple[str, str, str | None]]) -> str:
    """An RSS 2.0 feed of (address, title, RFC 822 date or None)."""
    body = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(url)}</link>"
        + (f"<pubDate>{day}</pubDate>" if day else "")
        + "</item>"
        for url, t, day in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://example.org/</link>{body}"
        "</channel></rss>"
    )


class _Handler(BaseHTTPRequestHandler):
    """Answers the routes of the TestSite it is made for (start()), logging each request."""

    site: TestSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        entry = Logged(time.monotonic(), host, self.path, dict(self.headers))
        with self.site._lock:
            self.site.log.append(entry)
        route = self.site.routes.get((host, self.path))
        if route is None:
            entry.status = 404
            return self.answer(404, b"<html><body><h1>404</h1></body></html>")
        if route.handler is not None:
            return route.handler(self, route, entry)
        return self.serve(route, entry)

    def serve(self, route: Route, entry: Logged):
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified is not None:
            headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
        if route.status == 200 and self.not_modified(route):
            entry.status = 304
            return self.answer(304, b"", headers)
        entry.status = route.status
        headers.setdefault("Content-Type", route.content_type)
        return self.answer(route.status, route.body, headers)

    def not_modified(self, route: Route) -> bool:
        tag = self.headers.get("If-None-Match")
        if tag is not None:
            return route.etag is not None and tag == route.etag
        since = self.headers.get("If-Modified-Since")
        if since and route.last_modified is not None:
            return since == formatdate(route.last_modified, usegmt=True)
        return False

    def answer(self, status: int, body: bytes, headers: dict | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        self.close_connection = True
