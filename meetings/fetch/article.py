"""A fetched page's HTML → the article in it, with trafilatura (Apache-2.0).

trafilatura keeps the main text and drops menus, related-news lists, sidebars and footers;
it also reads the headline, the publication date (htmldate), the byline and the canonical
address. What the extractor then reads is the headline, the main text and the byline, one
per line, as an article saved to a file would have them.

Choices, and why:
- the date is taken only from the page's markup (meta tags, structured data, time elements,
  the address), not from htmldate's "extensive search" of the text, which on a page without
  a date returns a guess (1 January of some year seen on the page) that then wrongly sets
  the year of the meeting; the extractor reads dates written in the text itself;
- a headline is used only when the page shows it (a heading, or og:title): trafilatura falls
  back to <title>, which is often just the site's name;
- the canonical address is used only when it is on the same site as the page (a page must
  not be able to replace another site's article);
- before trafilatura reads the page, tables used for layout (old ASP.NET portals put the
  whole page in one) become plain blocks, since trafilatura would join a cell's paragraphs
  into one line with " | ", and lists that are only links (menus, "Tin liên quan", "Tin đã
  đưa", most-read boxes) are dropped: inside the article's own container trafilatura keeps
  them, and their headlines carry other meetings' dates and directive numbers.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.message import Message

import trafilatura
from lxml import html as lxml_html

from meetings.extraction.text import fold
from meetings.fetch.urls import AddressError, clean_url, same_site

MIN_TEXT = 80  # characters: less is a listing, a video page or an error page, not an article
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_SPACES = re.compile(r"\s+")


class NoArticle(ValueError):
    """The page has no article text (the reason says what it has instead)."""


@dataclass
class PageArticle:
    text: str  # headline, main text and byline: what the extractor reads
    url: str  # the canonical address when it is on the page's site, else the one fetched
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    byline: str | None = None
    canonical_url: str | None = None


def decode_html(body: bytes, content_type: str = "") -> str:
    """The page's text: the charset of the Content-Type, else of a <meta>, else UTF-8
    (Windows-1258, the other Vietnamese encoding, when the bytes are not UTF-8)."""
    for name in (_header_charset(content_type), _meta_charset(body)):
        if name:
            try:
                codecs.lookup(name)
            except LookupError:
                continue
            return body.decode(name, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1258", errors="replace")


def _header_charset(content_type: str) -> str | None:
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    return message.get_param("charset")


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def html_to_article(body: bytes, *, url: str, content_type: str = "") -> PageArticle:
    """Extract the article of a page fetched from `url`; NoArticle when there is none."""
    markup = decode_html(body, content_type)
    try:
        tree = lxml_html.document_fromstring(markup)
    except Exception as exc:  # lxml raises ParserError, ValueError … on junk
        raise NoArticle(f"not an HTML page ({type(exc).__name__})") from None
    shown = _shown_headings(tree)
    _unwrap_layout_tables(tree)
    _drop_link_lists(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT:
        raise NoArticle("no article text on the page")

    title = _squash(doc.title)
    if title and _squash(title) not in shown:
        title = None
    byline = _squash(doc.author)
    lines = []
    if title and not text.startswith(title):
        lines.append(title)
    lines.append(text)
    if byline and fold(byline) not in fold(text):
        lines.append(byline)

    canonical = None
    if doc.url:
        try:
            candidate = clean_url(doc.url, base=url)
        except AddressError:
            candidate = None
        if candidate and same_site(candidate, url):
            canonical = candidate
    return PageArticle(
        text="\n\n".join(lines),
        url=canonical or url,
        title=title,
        published=doc.date or None,
        byline=byline,
        canonical_url=canonical,
    )


def _squash(value: str | None) -> str | None:
    value = _SPACES.sub(" ", value or "").strip()
    return value or None


def _shown_headings(tree) -> set[str]:
    """Texts a reader sees as the page's headline: its headings and og:/twitter: titles."""
    shown = set()
    for node in tree.iter("h1", "h2", "h3"):
        text = _squash(node.text_content())
        if text:
            shown.add(text)
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or "").lower()
        if key in ("og:title", "twitter:title") and node.get("content"):
            shown.add(_squash(node.get("content")))
    return shown


_BLOCKS = ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "article", "section")
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")


def _unwrap_layout_tables(tree) -> None:
    """Tables whose cells hold blocks (paragraphs, divs, lists, tables) are layout: make them
    divs. Tables of short cells (figures, lists of names) stay tables."""
    for table in list(tree.iter("table")):
        cells = [c for c in table.iter("td", "th") if _owner(c) is table]
        if not any(next(cell.iter(*_BLOCKS), None) is not None for cell in cells):
            continue
        parts = [n for n in table.iter(*_TABLE_PARTS) if n is table or _owner(n) is table]
        for node in parts:
            node.tag = "div"


def _owner(node):
    """The nearest enclosing table of a table part."""
    parent = node.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _drop_link_lists(tree) -> None:
    """Remove lists of at least two items nearly all of which are a link and little else, with
    the short title just before them."""
    for node in list(tree.iter("ul", "ol")):
        items = [li for li in node if li.tag == "li"]
        if len(items) < 2:
            continue
        linked = 0
        for li in items:
            total = len(_SPACES.sub("", li.text_content()))
            links = sum(len(_SPACES.sub("", a.text_content())) for a in li.iter("a"))
            if total and links >= 0.6 * total:
                linked += 1
        if linked >= 0.8 * len(items) and node.getparent() is not None:
            heading = node.getprevious()
            if (
                heading is not None
                and heading.tag != "h1"
                and len(_squash(heading.text_content()) or "") <= 60
                and next(heading.iter("p", "ul", "ol", "table"), None) is None
            ):
                heading.drop_tree()  # "Tin liên quan", "Đọc nhiều nhất" …
            node.drop_tree()
