"""A web page's HTML → the article in it, with trafilatura (Apache-2.0).

One reader for every page, whether fetched (meetings/fetch/) or saved to a file
(reader.read_text): trafilatura keeps the main text and drops menus, related-news lists,
sidebars and footers, and reads the headline, the publication date (htmldate), the byline and
the canonical address. What the extractor then reads is the headline, the main text, the
byline and the page's footer, one per line, as an article saved as text would have them.

Choices, and why:
- the date is taken only from the page's markup (meta tags, structured data, time elements,
  the address), not from htmldate's "extensive search" of the text, which on a page without
  a date returns a guess (1 January of some year seen on the page) that then wrongly sets
  the year of the meeting; the extractor reads dates written in the text itself;
- a headline is used only when the page shows it (a heading, or og:title): trafilatura falls
  back to <title>, which is often just the site's name;
- the address the page gives as its own (og:url, else rel=canonical) is returned as written:
  the crawler keeps it only on the same site, a saved file's reader refuses one that is not
  http(s) (meetings/extraction/reader.py);
- before trafilatura reads the page, tables used for layout (old ASP.NET portals put the
  whole page in one) become plain blocks, since trafilatura would join a cell's paragraphs
  into one line with " | ", and lists that are only links (menus, "Tin liên quan", "Tin đã
  đưa", most-read boxes) are dropped: inside the article's own container trafilatura keeps
  them, and their headlines carry other meetings' dates and directive numbers;
- the page's footer is kept as the last line when it names a province: a portal may name
  its province only there ("Cổng tin tức Thành phố Hải Phòng").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

from .places import locate
from .text import fold

MIN_TEXT = 80  # characters: less is a listing, a video page or an error page, not an article
FOOTER_CHARS = 300  # a portal's footer line; a longer "footer" is a whole site map
_SPACES = re.compile(r"\s+")
_FOOTER_CLASS = re.compile(r"footer", re.I)


class NoArticle(ValueError):
    """The page has no article text (the reason says what it has instead)."""


@dataclass
class PageArticle:
    text: str  # headline, main text, byline and footer: what the extractor reads
    # (address, "og:url" or "canonical") the page gives as its own, unchecked, if any
    declared_url: tuple[str, str] | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    byline: str | None = None


def page_article(markup: str, url: str | None = None, min_text: int = MIN_TEXT) -> PageArticle:
    """The article of a page (its markup as text); `url` is where it was found, if known.
    NoArticle when the page holds no text, or less than `min_text` characters of it."""
    try:
        tree = lxml_html.document_fromstring(markup)
    except Exception as exc:  # lxml raises ParserError, ValueError … on junk
        raise NoArticle(f"not an HTML page ({type(exc).__name__})") from None
    shown = _shown_headings(tree)
    declared = _declared_url(tree)
    footer = _footer(tree)
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
    if doc is None or isinstance(doc, dict):  # a dict only when asked for one
        raise NoArticle("no article text on the page")
    text = (doc.text or "").strip()
    if len(text) < max(min_text, 1):
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
    if footer and fold(footer) not in fold(text) and locate(footer).city:
        lines.append(footer)  # only for the province it names
    return PageArticle(
        text="\n\n".join(lines),
        declared_url=declared,
        title=title,
        published=doc.date or None,
        byline=byline,
    )


def _declared_url(tree) -> tuple[str, str] | None:
    """(the address the page gives as its own, as written, and where: "og:url" or
    "canonical"), unchecked: the caller decides what it accepts."""
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or "").lower()
        if key == "og:url" and (node.get("content") or "").strip():
            return node.get("content").strip(), "og:url"
    for node in tree.iter("link"):
        if "canonical" in (node.get("rel") or "").lower() and (node.get("href") or "").strip():
            return node.get("href").strip(), "canonical"
    return None


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
        content = _squash(node.get("content")) if key in ("og:title", "twitter:title") else None
        if content:
            shown.add(content)
    return shown


def _footer(tree) -> str | None:
    """The text of the page's footer (<footer>, else the last element whose id or class says
    footer), when it is short enough to be the portal's name and address."""
    found = list(tree.iter("footer"))
    if not found:
        found = [
            node
            for node in tree.iter("div", "section", "p", "table")
            if _FOOTER_CLASS.search(f"{node.get('id', '')} {node.get('class', '')}")
        ]
    text = _squash(found[-1].text_content()) if found else None
    return text if text and len(text) <= FOOTER_CHARS else None


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
