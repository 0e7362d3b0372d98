"""Sitemaps, sitemap indexes, RSS and Atom feeds → the addresses they list, with dates.

What a document is comes from its root element, not from its address or content type
(portals serve feeds as text/html and sitemaps as text/plain). Parsing uses lxml without
entities, DTDs or network access, so a hostile document cannot expand or fetch anything.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import zlib
from dataclasses import dataclass

from lxml import etree

from meetings.fetch.urls import AddressError, clean_url

MAX_LISTING_BYTES = 50_000_000  # the sitemap protocol's limit, uncompressed


class ListingError(ValueError):
    """A sitemap or feed that cannot be read; the message says why."""


@dataclass(frozen=True)
class Entry:
    url: str
    changed: dt.datetime | None = None  # sitemap <lastmod>, feed <updated>/<pubDate>
    published: str | None = None  # YYYY-MM-DD, from a feed's publication date


@dataclass
class Listing:
    kind: str  # "sitemap", "sitemap_index" or "feed"
    entries: list[Entry]
    skipped: list[str]  # entries whose address is unusable, with the reason


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False
    )


def gunzip(data: bytes, limit: int = MAX_LISTING_BYTES) -> bytes:
    """A .xml.gz sitemap's bytes, decompressed (at most `limit` bytes)."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decoder.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ListingError(f"bad gzip data: {exc}") from None
    if len(out) > limit:
        raise ListingError(f"more than {limit / 1e6:g} MB once decompressed")
    return out


def listing_root(data: bytes):
    """The root element of an XML listing, or None when the bytes are not one (a page)."""
    data = gunzip(data)
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return None
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex", "rss", "feed", "rdf"):
        return None
    return root


def parse_listing(data: bytes, base: str) -> Listing | None:
    """The entries of a sitemap, sitemap index or feed; None when `data` is none of these."""
    root = listing_root(data)
    if root is None:
        return None
    kind = _local(root.tag)
    entries: list[Entry] = []
    skipped: list[str] = []

    def add(address: str | None, changed=None, published=None) -> None:
        if not address or not address.strip():
            return
        try:
            entries.append(Entry(clean_url(address, base=base), changed, published))
        except AddressError as exc:
            skipped.append(str(exc))

    if kind in ("urlset", "sitemapindex"):
        item = "url" if kind == "urlset" else "sitemap"
        for node in root:
            if _local(node.tag) != item:
                continue
            fields = {_local(c.tag): (c.text or "").strip() for c in node}
            add(fields.get("loc"), parse_datetime(fields.get("lastmod"), end_of_day=True))
        return Listing("sitemap" if kind == "urlset" else "sitemap_index", entries, skipped)

    # RSS 2.0 (<rss><channel><item>), RSS 1.0 (<rdf:RDF><item>), Atom (<feed><entry>)
    for node in root.iter():
        if _local(node.tag) in ("item", "entry"):
            link, fields = _feed_item(node)
            published = parse_datetime(
                fields.get("pubdate") or fields.get("published") or fields.get("date")
            )
            changed = parse_datetime(fields.get("updated")) or published
            add(link, changed, published.date().isoformat() if published else None)
    return Listing("feed", entries, skipped)


def _feed_item(node) -> tuple[str | None, dict[str, str]]:
    """(the page's address, the item's other fields by local name) of a feed's item or entry:
    an Atom entry's alternate link, an RSS item's link, else a guid that is an address."""
    fields: dict[str, str] = {}
    link = None
    for child in node:
        child_name = _local(child.tag)
        if child_name == "link":
            href = child.get("href")
            if href is not None:  # Atom: the alternate link is the page
                if child.get("rel", "alternate") == "alternate" and link is None:
                    link = href
            elif link is None:
                link = (child.text or "").strip()
        elif child.text and child_name not in fields:
            fields[child_name] = child.text.strip()
    if not link and fields.get("guid", "").startswith(("http://", "https://")):
        link = fields["guid"]
    return link, fields


def parse_datetime(value: str | None, *, end_of_day: bool = False) -> dt.datetime | None:
    """W3C datetime (sitemaps, Atom) or RFC 822 (RSS) → an aware datetime (UTC if no zone).

    `end_of_day`: a date alone stands for its last second (a page changed at 15:00 on the
    day it was last fetched, at 10:00, is then not taken as unchanged)."""
    if not value:
        return None
    value = value.strip()
    if end_of_day and len(value) == 10:
        value += "T23:59:59"
    when = None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when
