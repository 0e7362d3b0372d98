"""Sitemaps, sitemap indexes, RSS and Atom feeds (meetings/fetch/listings.py)."""

import datetime as dt
import gzip

import pytest

from meetings.fetch.listings import ListingError, gunzip, parse_datetime, parse_listing

BASE = "https://portal.test/sitemap.xml"


def test_sitemap_with_lastmod_relative_and_bad_addresses():
    data = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://portal.test/a.html</loc><lastmod>2024-07-03</lastmod></url>
    <url><loc> /b.html </loc><lastmod>2024-07-03T16:55:00+07:00</lastmod></url>
    <url><loc>ftp://portal.test/c</loc></url></urlset>"""
    listing = parse_listing(data, BASE)
    assert listing.kind == "sitemap"
    assert [e.url for e in listing.entries] == [
        "https://portal.test/a.html",
        "https://portal.test/b.html",
    ]
    # a date alone stands for the end of that day
    assert listing.entries[0].changed == dt.datetime(2024, 7, 3, 23, 59, 59, tzinfo=dt.UTC)
    assert listing.entries[1].changed.utcoffset() == dt.timedelta(hours=7)
    assert "only http:// and https://" in listing.skipped[0]


def test_sitemap_index_and_gzip():
    data = gzip.compress(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        b"<loc>https://portal.test/s1.xml</loc></sitemap></sitemapindex>"
    )
    listing = parse_listing(data, BASE)
    assert listing.kind == "sitemap_index"
    assert listing.entries[0].url == "https://portal.test/s1.xml"


def test_rss_with_dates_and_guid_links():
    data = """<rss version="2.0"><channel><title>Tin</title>
    <item><title>Giao ban</title><link>https://portal.test/giao-ban.html</link>
    <pubDate>Wed, 03 Jul 2024 16:55:00 +0700</pubDate></item>
    <item><title>Không link</title><guid>https://portal.test/guid.html</guid></item>
    </channel></rss>""".encode()
    listing = parse_listing(data, "https://portal.test/rss")
    assert listing.kind == "feed"
    assert [e.url for e in listing.entries] == [
        "https://portal.test/giao-ban.html",
        "https://portal.test/guid.html",
    ]
    assert listing.entries[0].published == "2024-07-03"


def test_atom_alternate_link():
    data = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>
    <link rel="enclosure" href="https://portal.test/a.mp3"/>
    <link href="https://portal.test/a.html"/><updated>2024-07-03T10:00:00Z</updated></entry></feed>"""
    listing = parse_listing(data, "https://portal.test/atom")
    assert [e.url for e in listing.entries] == ["https://portal.test/a.html"]
    assert listing.entries[0].changed == dt.datetime(2024, 7, 3, 10, tzinfo=dt.UTC)


def test_pages_and_junk_are_not_listings_and_entities_are_not_expanded():
    assert parse_listing(b"<!DOCTYPE html><html><body>x</body></html>", BASE) is None
    assert parse_listing(b"not xml at all", BASE) is None
    bomb = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
    <urlset><url><loc>https://portal.test/&b;</loc></url></urlset>"""
    listing = parse_listing(bomb, BASE)
    assert all("aaaaaaaaaa" not in e.url for e in listing.entries)


def test_gzip_bomb_is_refused():
    with pytest.raises(ListingError, match="once decompressed"):
        gunzip(gzip.compress(b"0" * 2000), limit=1000)


def test_parse_datetime_forms():
    assert parse_datetime("2024-07-03T16:55:00Z").tzinfo is not None
    assert parse_datetime("Wed, 03 Jul 2024 16:55:00 GMT").day == 3
    assert parse_datetime("hôm qua") is None
    assert parse_datetime(None) is None
