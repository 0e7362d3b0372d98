"""Organisations named in an article, with their full expanded (canonical) names.

Forms come from data/organizations.json and are matched without diacritics or case, so
"Thành uỷ" and "Thành ủy" are one. A body named without its place ("Liên đoàn Lao động
Thành phố", "Ban Dân vận Thành ủy") takes the article's city or locality in `canonical`, so
that "LĐLĐ thành phố Hà Nội" and "Liên đoàn Lao động Thành phố" resolve to one organisation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .people import looks_like_person
from .places import canonical_city
from .result import Organization, Span
from .text import LOWER, UPPER, fold_same_length, trie
from .text import fold as _fold_uncached

fold = lru_cache(maxsize=8192)(_fold_uncached)

_DATA = json.loads((Path(__file__).parent / "data" / "organizations.json").read_text("utf-8"))
ABBREVIATIONS: dict[str, str] = _DATA["abbreviations"]


@dataclass(frozen=True)
class _Body:
    canonical: str
    abbreviation: str | None


_FORMS: dict[str, _Body] = {}
for _entry in _DATA["bodies"]:
    for _form in _entry["forms"]:
        _FORMS[fold(_form)] = _Body(_entry["canonical"], _entry["abbreviation"])


def _symbol(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


# Any body's form, as a trie (see text.trie), longest first, not inside a longer word: the
# look-behind after the first letter checks the character before it.
_HEAD = re.compile(
    trie(sorted(_FORMS, key=len, reverse=True), _symbol, after_first=r"(?<![\w].)") + r"(?![\w])"
)
_SPACE_RUN = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

_CAP = rf"[{UPPER}][{LOWER}]*(?![\w])"
_TAIL = re.compile(
    r"(?P<vn>\s+Việt Nam)?"
    r"(?P<tw>\s+(?:Trung ương|TW|TƯ)(?:\s+Đảng)?)?"
    r"(?P<party>\s+(?:Thành|Tỉnh|Huyện|Quận|Thị|Đảng)\s+(?:ủy|uỷ|Ủy|Uỷ))?"
    r"(?:\s+(?P<level>thành phố|Thành phố|THÀNH PHỐ|tỉnh|Tỉnh|huyện|Huyện|quận|Quận|thị xã|"
    r"Thị xã|phường|Phường|xã|Xã|TP\.|Tp\.|TP|Tp)"
    rf"(?P<place>(?:\s+{_CAP}){{1,4}}|\s+\d{{1,2}}(?!\d))?)?"
    rf"(?P<city>(?:\s+{_CAP}){{1,3}})?"
)
_LEVEL_WORDS = {"tp.": "thành phố", "tp": "thành phố"}
_CITY_LEVEL = ("thành phố", "tỉnh")
_PARTY_LEVEL = {
    "thành ủy": "thành phố",
    "tỉnh ủy": "tỉnh",
    "huyện ủy": "huyện",
    "quận ủy": "quận",
    "thị ủy": "thị xã",
}


@lru_cache(maxsize=4096)
def _city(words: str) -> str | None:
    return canonical_city(words)


def _city_prefix(words: list[str]) -> tuple[str, int] | None:
    for n in (3, 2, 1):
        if len(words) >= n and (c := _city(" ".join(words[:n]))):
            return c, n
    return None


def _norm_uy(s: str) -> str:
    return s.replace("uỷ", "ủy").replace("Uỷ", "Ủy")


@dataclass(frozen=True)
class Context:
    """Where the article is: fills "Thành phố" / "Thành ủy" left without a name."""

    city: str | None = None
    locality: str | None = None
    # "Hà Nội" is a thành phố, "Hưng Yên" a tỉnh; unknown → None
    city_level: str | None = None

    def place_for(self, level: str) -> str | None:
        if self.locality:
            loc_level, _, loc_name = self.locality.partition(" ")
            if self.locality.lower().startswith("thị xã"):
                loc_level, loc_name = "thị xã", self.locality[7:]
            elif self.locality.lower().startswith("thành phố"):
                loc_level, loc_name = "thành phố", self.locality[10:]
            if loc_level.lower() == level and loc_name:
                return f"{level} {loc_name}"
        if self.city and level in _CITY_LEVEL and (self.city_level in (None, level)):
            return f"{level} {self.city}"
        return None


def unique(mentions: list[Organization]) -> list[Organization]:
    """One organisation per canonical name, at its first mention."""
    out: dict[str, Organization] = {}
    for org in mentions:
        out.setdefault(fold(org.canonical), org)
    return list(out.values())


def find_organizations(
    text: str, regions: list[tuple[int, int]], context: Context
) -> list[Organization]:
    """Every organisation mention in the regions, in text order."""
    folded = fold_same_length(text)
    out: list[Organization] = []
    for start, end in regions:
        pos = start
        while True:
            m = _HEAD.search(folded, pos, end)
            if not m:
                break
            if not text[m.start()].isupper():
                # "đại hội nông dân" is a congress of farmers; bodies are written capitalised
                pos = m.end()
                continue
            body = _FORMS[_SPACE_RUN.sub(" ", m.group(0))]
            org_end, canonical = _describe(text, m.start(), m.end(), end, body, context)
            pos = max(org_end, m.end())
            out.append(
                Organization(
                    name=text[m.start() : org_end],
                    canonical=canonical,
                    abbreviation=body.abbreviation,
                    evidence=Span(m.start(), org_end),
                )
            )
    return sorted(out, key=lambda o: o.evidence.start)


def _describe(
    text: str, start: int, head_end: int, limit: int, body: _Body, context: Context
) -> tuple[int, str]:
    """Read the tail after an organisation's head: (end of the name, canonical name)."""
    parts = [body.canonical]
    t = _TAIL.match(text, head_end, limit)  # as if the text ended at limit
    end = head_end
    party_level = None
    if body.canonical.lower() in _PARTY_LEVEL:
        party_level = _PARTY_LEVEL[body.canonical.lower()]
    if t:
        if t["vn"] and "Việt Nam" not in body.canonical:
            parts.append("Việt Nam")
            end = t.end("vn")
        if t["tw"]:
            parts.append("Trung ương")
            end = t.end("tw")
        if t["party"]:
            party = _norm_uy(" ".join(t["party"].split()))
            party = party[0].upper() + party[1:]
            parts.append(party)
            party_level = _PARTY_LEVEL.get(party.lower())
            end = t.end("party")
        level = None
        if t["level"]:
            level = _LEVEL_WORDS.get(t["level"].lower(), t["level"].lower())
            end = t.end("level")
            place_words = (t["place"] or "").split()
            place = None
            if place_words:
                if level in _CITY_LEVEL and (found := _city_prefix(place_words)):
                    place, n = found
                elif looks_like_person(place_words[:3]):
                    # "UBND huyện Nguyễn Văn Trường": the level is unnamed, a person follows
                    place_words, n = [], 0
                elif place_words[0].isdigit():
                    place, n = place_words[0], 1
                else:
                    n = min(2, len(place_words))
                    place = " ".join(place_words[:n])
                if n:
                    end = _end_after_words(text, t.start("place"), n)
            if place:
                parts.append(f"{level} {place}")
            else:
                filled = context.place_for(level)
                parts.append(filled or level)
            party_level = None
        elif t["city"]:
            words = t["city"].split()
            found = _city_prefix(words)
            if found:
                city, n = found
                parts.append(city)
                end = _end_after_words(text, t.start("city"), n)
                party_level = None
            elif (
                party_level not in (None, "tỉnh")
                and len(words) >= 2
                and not looks_like_person(words)
            ):
                # "Huyện ủy Gia Lâm", "Thành ủy Hạ Long": a lower unit's two-word name
                parts.append(" ".join(words[:2]))
                end = _end_after_words(text, t.start("city"), 2)
                party_level = None
    if party_level:
        filled = context.place_for(party_level)
        if filled:
            # "Thành ủy" of Hà Nội is "Thành ủy Hà Nội", not "Thành ủy thành phố Hà Nội"
            parts.append(filled.split(" ", len(party_level.split()))[-1])
    return end, " ".join(parts)


def _end_after_words(text: str, pos: int, n: int) -> int:
    for m in _WORD.finditer(text, pos):
        n -= 1
        if n == 0:
            return m.end()
    return pos


def organization_near(orgs: list[Organization], sentence_start: int, pos: int) -> str | None:
    """The canonical name of the first organisation (the subject) of a sentence before `pos`."""
    for org in orgs:
        if sentence_start <= org.evidence.start < pos:
            return org.canonical
    return None


def expand_abbreviations(text: str) -> str:
    """ "LĐLĐ thành phố" → "Liên đoàn Lao động thành phố" (for search and resolution)."""

    def repl(m: re.Match) -> str:
        return ABBREVIATIONS.get(m.group(0), m.group(0))

    return re.sub(r"(?<![\w])[A-ZĐƯ]{2,}(?![\w])", repl, text)
