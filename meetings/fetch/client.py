"""HTTP GET for a polite crawler, on the standard library's http.client.

- Requests to one host start at least its delay apart (`HostPacer`), whatever the page.
- Each request gives up after `timeout` seconds in all (connecting, waiting, reading).
- Temporary failures (connection errors, timeouts, 408/425/429/5xx) are retried after
  `backoff`, 2×`backoff`, 4×`backoff` … seconds, or after the server's Retry-After.
- Redirects are followed (5 at most), each hop checked against robots.txt first.
- Bodies larger than `max_bytes` (after gzip decoding) are refused, not truncated.
- `connect_to` sends the requests for a host name to another address (the tests' local
  server plays provincial portals under their real names).
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from meetings.fetch.urls import AddressError, clean_url, host_of

TEMPORARY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0  # seconds: a server asking for longer is given up on for this run
CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that failed; `temporary` ones are worth retrying (later, or in the next run)."""

    def __init__(self, reason: str, *, temporary: bool = False, status: int | None = None):
        super().__init__(reason)
        self.reason, self.temporary, self.status = reason, temporary, status


class Disallowed(FetchError):
    """robots.txt does not let this crawler fetch the address."""


@dataclass
class Response:
    url: str  # the address that answered, after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class HostPacer:
    """Keeps the starts of requests to one host at least that host's delay apart."""

    def __init__(
        self, default: float = 0.0, clock: Callable[[], float] = time.monotonic, sleep=time.sleep
    ):
        self.default, self.clock, self.sleep = default, clock, sleep
        self.last: dict[str, float] = {}
        self.delays: dict[str, float] = {}
        self.waited = 0.0  # seconds slept in all

    def set_delay(self, host: str, delay: float) -> None:
        """Set the delay of a host; of two delays asked for one host, the longer wins."""
        self.delays[host] = max(self.delays.get(host, 0.0), delay)

    def ready_at(self, host: str) -> float:
        last = self.last.get(host)
        return self.clock() if last is None else last + self.delays.get(host, self.default)

    def wait(self, host: str) -> None:
        pause = self.ready_at(host) - self.clock()
        if pause > 0:
            self.sleep(pause)
            self.waited += pause
        self.last[host] = self.clock()


@dataclass
class HttpClient:
    user_agent: str
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_bytes: int = 5_000_000
    pacer: HostPacer = field(default_factory=HostPacer)
    connect_to: dict[str, tuple[str, int]] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    network_seconds: float = 0.0  # time spent in requests (not in delays or backoff)
    backoff_seconds: float = 0.0

    def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        allowed: Callable[[str], bool] | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET with redirects, retries and the host's delay. A 304 is returned as such;
        any other status but 200 raises FetchError."""
        for _hop in range(MAX_REDIRECTS + 1):
            if allowed is not None and not allowed(url):
                raise Disallowed(f"robots.txt disallows {url}")
            response = self._with_retries(url, headers or {}, max_bytes or self.max_bytes)
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("location", "")
                try:
                    url = clean_url(location, base=url)
                except AddressError as exc:
                    raise FetchError(f"HTTP {response.status} to a bad address: {exc}") from None
                continue
            if response.status in (200, 304):
                return response
            raise FetchError(
                f"HTTP {response.status} {http.client.responses.get(response.status, '')}".strip(),
                status=response.status,
            )
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _with_retries(self, url: str, headers: dict, max_bytes: int) -> Response:
        attempt = 0
        while True:
            try:
                response = self._once(url, headers, max_bytes)
                if response.status not in TEMPORARY_STATUSES:
                    return response
                error = FetchError(
                    f"HTTP {response.status} "
                    f"{http.client.responses.get(response.status, '')}".strip(),
                    temporary=True,
                    status=response.status,
                )
                retry_after = _retry_after(response.headers.get("retry-after"))
            except FetchError as exc:
                if not exc.temporary:
                    raise
                error, retry_after = exc, None
            if attempt >= self.retries:
                tries = f" (after {attempt + 1} tries)" if attempt else ""
                raise FetchError(error.reason + tries, temporary=True, status=error.status)
            pause = self.backoff * 2**attempt
            if retry_after is not None:
                if retry_after > MAX_RETRY_AFTER:
                    raise FetchError(
                        f"{error.reason}; the server asks to retry after {retry_after:.0f} s",
                        temporary=True,
                        status=error.status,
                    )
                pause = max(pause, retry_after)
            self.sleep(pause)
            self.backoff_seconds += pause
            attempt += 1

    def _once(self, url: str, headers: dict, max_bytes: int) -> Response:
        parts = urlsplit(url)
        host = host_of(url)
        self.pacer.wait(host)
        started = time.monotonic()
        self.requests += 1
        try:
            return self._exchange(parts, host, headers, max_bytes, started + self.timeout)
        finally:
            self.network_seconds += time.monotonic() - started

    def _exchange(self, parts, host, headers, max_bytes, deadline) -> Response:
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address, port = self.connect_to.get(host, (host, port))
        if https:
            conn = http.client.HTTPSConnection(
                address, port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(address, port, timeout=self.timeout)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        sent = {
            "Host": parts.netloc,
            "User-Agent": self.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "vi,en;q=0.5",
            "Accept-Encoding": "gzip",
            "Connection": "close",
            **headers,
        }
        url = parts.geturl()
        try:
            conn.request("GET", path, headers=sent)
            _limit(conn, deadline)
            raw = conn.getresponse()
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            body = b""
            if raw.status == 200:
                body = _read_body(conn, raw, response_headers, max_bytes, deadline, url)
            return Response(url, raw.status, response_headers, body)
        except TimeoutError:
            raise FetchError(
                f"no answer within {self.timeout:g} s (timeout)", temporary=True
            ) from None
        except (ConnectionError, socket.gaierror, http.client.HTTPException, OSError) as exc:
            if isinstance(exc, ssl.SSLCertVerificationError):
                raise FetchError(f"TLS certificate not valid: {exc.verify_message}") from None
            if isinstance(exc, socket.gaierror):
                raise FetchError(f"host name not found: {host}", temporary=True) from None
            reason = str(exc).strip() or type(exc).__name__
            raise FetchError(f"connection failed: {reason}", temporary=True) from None
        finally:
            conn.close()


def _limit(conn, deadline: float) -> None:
    """Make the next socket operation give up at the request's deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if conn.sock is not None:
        conn.sock.settimeout(left)


def _read_body(conn, raw, headers: dict, max_bytes: int, deadline: float, url: str) -> bytes:
    length = headers.get("content-length", "")
    gzipped = headers.get("content-encoding", "").strip().lower() in ("gzip", "x-gzip")
    if length.isdigit() and not gzipped and int(length) > max_bytes:
        raise FetchError(f"too large: {int(length) / 1e6:.1f} MB (at most {max_bytes / 1e6:g} MB)")
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    parts: list[bytes] = []
    size = 0
    while True:
        _limit(conn, deadline)
        chunk = raw.read1(CHUNK) if hasattr(raw, "read1") else raw.read(CHUNK)
        if not chunk:
            break
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as exc:
                raise FetchError(f"bad gzip body: {exc}") from None
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large: more than {max_bytes / 1e6:g} MB")
        parts.append(chunk)
    return b"".join(parts)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
