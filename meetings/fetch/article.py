"""A fetched page's bytes → the article in it.

The page's bytes are decoded here (the HTTP charset, else the page's <meta>, else UTF-8 or
Windows-1258), then read by meetings/extraction/html.py, the one reader of web pages (also
used for saved .html files): see its docstring for how trafilatura is used and why. The
canonical address a page gives is cleaned here like any address the crawler follows.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.message import Message

from meetings.extraction.html import NoArticle, page_article
from meetings.fetch.urls import AddressError, clean_url, same_site

__all__ = ["NoArticle", "PageArticle", "decode_html", "html_to_article"]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


@dataclass
class PageArticle:
    text: str  # headline, main text, byline and footer: what the extractor reads
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
    found = page_article(decode_html(body, content_type), url)
    canonical = None
    if found.declared_url:
        try:
            candidate = clean_url(found.declared_url[0], base=url)
        except AddressError:
            candidate = None
        if candidate and same_site(candidate, url):
            canonical = candidate
    return PageArticle(
        text=found.text,
        url=canonical or url,
        title=found.title,
        published=found.published,
        byline=found.byline,
        canonical_url=canonical,
    )
