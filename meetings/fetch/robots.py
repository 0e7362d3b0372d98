"""robots.txt as RFC 9309 reads it: groups by user agent, longest match wins, `*` and `$`.

The standard library's `urllib.robotparser` takes the first matching rule and knows no
wildcards, so `Disallow: /*?print=` or an `Allow:` more specific than a `Disallow:` would be
read wrongly; this module is small enough to do it right. `Crawl-delay` (not in the RFC, but
common on Vietnamese portals) raises the delay between requests to the host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from meetings.fetch.client import FetchError
from meetings.fetch.urls import origin_of, path_of

_SAFE = "/%:@!$&'()*+,;=-._~?"


def _encode(pattern: str) -> str:
    """A path or pattern with its non-ASCII characters percent-encoded (%-escapes kept)."""
    return quote(unquote(pattern), safe=_SAFE)


@dataclass
class Rules:
    """The rules of the group that applies to one crawler."""

    rules: list[tuple[bool, str]] = field(default_factory=list)  # (allow, pattern)
    crawl_delay: float | None = None
    disallow_all: bool = False  # robots.txt could not be read: RFC 9309 says assume this

    def allows(self, path: str) -> bool:
        """Whether the path (with its query) may be fetched."""
        if self.disallow_all:
            return False
        if path.split("?", 1)[0] == "/robots.txt":
            return True
        path = _encode(path)
        best_length, allowed = -1, True
        for allow, pattern in self.rules:
            if _matches(pattern, path):
                length = len(pattern)
                if length > best_length or (length == best_length and allow):
                    best_length, allowed = length, allow
        return allowed


def _matches(pattern: str, path: str) -> bool:
    return _compile(pattern).match(path) is not None


_COMPILED: dict[str, re.Pattern] = {}


def _compile(pattern: str) -> re.Pattern:
    compiled = _COMPILED.get(pattern)
    if compiled is None:
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        regex = ".*".join(re.escape(part) for part in body.split("*"))
        compiled = re.compile(regex + ("$" if anchored else ""), re.S)
        if len(_COMPILED) < 10_000:
            _COMPILED[pattern] = compiled
    return compiled


_LINE = re.compile(r"^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$")


def parse_robots(text: str, agent: str) -> Rules:
    """The rules for the crawler whose product token is `agent` ("MeetingReportsPortal").

    Groups naming the agent (case-insensitively) are merged; if there are none, the groups
    for `*`; if there are none either, everything is allowed.
    """
    token = agent.split("/", 1)[0].strip().lower()
    groups: list[tuple[list[str], list[tuple[bool, str]], list[float]]] = []
    agents: list[str] = []
    rules: list[tuple[bool, str]] = []
    delays: list[float] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0]
        m = _LINE.match(line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2)
        if key in ("user-agent", "useragent"):
            if in_rules:
                groups.append((agents, rules, delays))
                agents, rules, delays, in_rules = [], [], [], False
            agents.append(value.split("/", 1)[0].strip().lower())
        elif key in ("allow", "disallow"):
            if not agents:
                continue  # a rule before any user-agent line belongs to no group
            in_rules = True
            if value:  # an empty Disallow disallows nothing
                rules.append((key == "allow", _encode(value)))
        elif key == "crawl-delay" and agents:
            in_rules = True
            try:
                delay = float(value)
            except ValueError:
                continue
            if 0 <= delay < 86400:
                delays.append(delay)
    if agents:
        groups.append((agents, rules, delays))

    chosen = [g for g in groups if token and token in g[0]] or [g for g in groups if "*" in g[0]]
    merged = Rules()
    for _, group_rules, group_delays in chosen:
        merged.rules.extend(group_rules)
        if group_delays:
            merged.crawl_delay = max(merged.crawl_delay or 0.0, *group_delays)
    return merged


class RobotsCache:
    """The robots.txt of each origin, read once per run through `get(url) -> bytes`.

    A robots.txt that answers 4xx allows everything; one that cannot be read (5xx, no answer,
    after the client's retries) disallows everything on its origin for this run (RFC 9309
    2.3.1.3–4), and `failure(url)` says why.
    """

    def __init__(self, get, agent: str):
        self.get, self.agent = get, agent
        self.by_origin: dict[str, Rules] = {}
        self.failures: dict[str, str] = {}

    def rules(self, url: str) -> Rules:
        origin = origin_of(url)
        if origin not in self.by_origin:
            try:
                text = self.get(origin + "/robots.txt").decode("utf-8", "replace")
                self.by_origin[origin] = parse_robots(text, self.agent)
            except FetchError as exc:
                if exc.status is not None and 400 <= exc.status < 500:
                    self.by_origin[origin] = Rules()
                else:
                    self.by_origin[origin] = Rules(disallow_all=True)
                    self.failures[origin] = exc.reason
        return self.by_origin[origin]

    def allows(self, url: str) -> bool:
        return self.rules(url).allows(path_of(url))

    def failure(self, url: str) -> str | None:
        reason = self.failures.get(origin_of(url))
        if not reason:
            return None
        return f"robots.txt could not be read ({reason}): nothing is fetched there"
