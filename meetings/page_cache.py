"""Public pages served from the cache, and told to browsers, proxies and CDNs as cacheable.

An anonymous GET of a public page is cached in Django's cache (Redis when REDIS_URL is set,
shared by every app server) under its address, its language and the data version
(meetings/data_version.py), which PostgreSQL bumps at the commit of every write that can
change a public page. A correction is therefore seen on the next request, through any app
server: the next request asks for the new version and finds nothing under it.

Every such page gets an ETag and a Last-Modified from the version, answers 304 to a matching
If-None-Match or If-Modified-Since without being rendered, and says `Cache-Control: public,
max-age=PAGE_MAX_AGE` with `Vary: Cookie`, the only cookie an anonymous visitor has being the
language one (the portal ignores Accept-Language). A request with a session cookie (an editor)
or the recent-write cookie, the admin, /healthz, the language switch and the full export (a
file on disk, not the database) pass through untouched, and are marked `private, no-store`.
A streamed page (a CSV or JSON export of a list) is stored once it has been sent whole, when
it is at most STREAM_STORED_BYTES.

A cache that cannot be reached costs a page render, never an error (portal/cache.py).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import http_date

from meetings import data_version
from portal.db_router import RECENT_WRITE_COOKIE

logger = logging.getLogger(__name__)

STREAM_STORED_BYTES = 4_000_000  # a streamed page (an export) larger than this is not stored

# Headers a cached page is sent with again; the rest are set per response (Date, Vary,
# the caching headers) or by outer middleware (security headers).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "X-Export-Truncated",
    "X-Frame-Options",  # XFrameOptionsMiddleware is inside this one
)


def chosen_language(request) -> str:
    """The language ChosenLanguageMiddleware will activate: the switch's cookie, else vi."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _stored_when_sent(chunks, key: str, headers: list) -> Iterator[bytes]:
    """A streamed page (an export) as it is sent, stored once sent whole when it is at most
    STREAM_STORED_BYTES: the next request for it is a hit, not another read of thousands of
    rows. A larger one, or one the client stopped reading, is not stored."""
    kept: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if kept is not None:
            size += len(chunk)
            if size <= STREAM_STORED_BYTES:
                kept.append(chunk)
            else:
                kept = None
        yield chunk
    if kept is not None:
        cache.set(key, (200, headers, b"".join(kept)), settings.PAGE_CACHE_SECONDS)


def is_public_request(request) -> bool:
    """An anonymous GET of a page whose content comes from the database alone."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or RECENT_WRITE_COOKIE in request.COOKIES:
        return False
    return not request.path.startswith(settings.PAGE_CACHE_EXCLUDED)


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache, with validators (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timezone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or not is_public_request(request):
            return self.private(request, self.get_response(request))
        try:
            version = data_version.current_for_request()
        except DatabaseError:
            # The view will answer 503 (DatabaseUnavailableMiddleware) or manage without.
            return self.get_response(request)
        request.data_version = version.number  # the views key their own caches by it too
        # Pages that show "today" (the calendar's default month) change at midnight too.
        today = datetime.datetime.now(self.timezone).date()
        language = chosen_language(request)
        etag = f'"{version.number}-{today:%Y%m%d}-{language}"'
        midnight = datetime.datetime.combine(today, datetime.time(), self.timezone)
        last_modified = int(max(version.changed_at, midnight).timestamp())
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=HttpResponse()
        )
        if not_modified.status_code == 304:
            return self.public(not_modified, etag, last_modified)

        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        key = f"page:{version.number}:{today:%Y%m%d}:{language}:{digest}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return self.public(response, etag, last_modified)

        response = self.get_response(request)
        if not self.storable(response):
            return response
        headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
        if response.streaming:
            response.streaming_content = _stored_when_sent(response.streaming_content, key, headers)
        else:
            cache.set(
                key,
                (response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
        response["X-Page-Cache"] = "miss"
        return self.public(response, etag, last_modified)

    @staticmethod
    def storable(response) -> bool:
        """A 200 that sets no cookie and did not ask not to be cached."""
        if response.status_code != 200 or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def public(response, etag: str, last_modified: int):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        if "Cache-Control" not in response:  # robots.txt and the API schema set their own
            response["Cache-Control"] = f"public, max-age={settings.PAGE_MAX_AGE}"
        # The language cookie is the only one an anonymous page depends on; Accept-Language
        # (LocaleMiddleware's Vary) is ignored by the portal and would split every cache.
        response["Vary"] = "Cookie"
        return response

    @staticmethod
    def private(request, response):
        """Editors' pages and the admin are never stored by a browser, proxy or CDN."""
        editor = settings.SESSION_COOKIE_NAME in request.COOKIES
        private = editor or request.path.startswith(settings.PAGE_CACHE_PRIVATE)
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
