"""Addresses: one spelling for each, so a page is stored and compared under one key."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit, urlunsplit

MAX_URL_LENGTH = 2000  # FetchedPage.url and Article.url
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


class AddressError(ValueError):
    """An address that cannot be fetched; the message says why and quotes it."""


def clean_url(raw: str, base: str | None = None) -> str:
    """An http(s) address, absolute, fragment dropped, host lowercased, non-ASCII encoded.

    `base` resolves a relative address (as found in a page or a feed).
    Raises AddressError naming the address.
    """
    text = (raw or "").strip()
    if not text:
        raise AddressError("empty address")
    if base:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise AddressError(f"{raw!r}: not an address ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise AddressError(f"{raw!r}: only http:// and https:// addresses can be fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise AddressError(f"{raw!r}: no host name")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressError(f"{raw!r}: the host name {host!r} is not valid") from None
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_QUERY)
    url = urlunsplit((scheme, host, path, query, ""))
    if len(url) > MAX_URL_LENGTH:
        raise AddressError(f"{raw[:80]!r}…: longer than {MAX_URL_LENGTH} characters")
    return url


def host_of(url: str) -> str:
    """The host name a per-host delay applies to (without port: one server, one pace)."""
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    """scheme://host[:port], the scope of one robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def path_of(url: str) -> str:
    """The path and query robots.txt rules are matched against."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def same_site(a: str, b: str) -> bool:
    """Whether two addresses are on one host, `www.` aside (a page may name only its own
    site's addresses as canonical)."""
    return host_of(a).removeprefix("www.") == host_of(b).removeprefix("www.")
