"""Organisations named in an article, with their full expanded (canonical) names.

Forms come from data/organizations.json and are matched without diacritics or case, so
"Thành uỷ" and "Thành ủy" are one. A body named without its place ("Liên đoàn Lao động
Thành phố", "Ban Dân vận Thành ủy") takes the article's city or locality in `canonical`, so
that "LĐLĐ thành phố Hà Nội" and "Liên đoàn Lao động Thành phố" resolve to one organisation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .people import looks_like_person
from .places import canonical_city, district_words
from .result import Organization, Span
from .text import LOWER, UPPER, fold_same_length, trie
from .text import fold as _fold_uncached

fold = lru_cache(maxsize=8192)(_fold_uncached)

# The table of bodies and abbreviations; search builds its abbreviations from it too.
DATA = json.loads((Path(__file__).parent / "data" / "organizations.json").read_text("utf-8"))


@dataclass(frozen=True)
class _Body:
    canonical: str
    abbreviation: str | None
    scope: str  # national, local, party_organ or committee (see organizations.json)


_FORMS: dict[str, _Body] = {}
for _entry in DATA["bodies"]:
    for _form in _entry["forms"]:
        _FORMS[fold(_form)] = _Body(_entry["canonical"], _entry["abbreviation"], _entry["scope"])


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
    r"(?P<party>\s+(?:(?:Thành|Tỉnh|Huyện|Quận|Thị|Đảng)\s+(?:ủy|uỷ|Ủy|Uỷ)|Đảng bộ))?"
    r"(?:\s+(?P<level>thành phố|Thành phố|THÀNH PHỐ|tỉnh|Tỉnh|huyện|Huyện|quận|Quận|thị xã|"
    r"Thị xã|phường|Phường|xã|Xã|TP\.|Tp\.|TP|Tp)"
    rf"(?P<place>(?:\s+{_CAP}){{1,4}}|\s+\d{{1,2}}(?!\d))?)?"
    rf"(?P<city>(?:\s+{_CAP}){{1,3}})?"
)
_LEVEL_WORDS = {"tp.": "thành phố", "tp": "thành phố"}
_LOCAL_LEVELS = ("thị trấn", "thị xã", "thành phố", "quận", "huyện", "phường", "xã", "tỉnh")
_COMMITTEE_OF = {
    "tỉnh": "Tỉnh ủy",
    "thành phố": "Thành ủy",
    "quận": "Quận ủy",
    "huyện": "Huyện ủy",
    "thị xã": "Thị ủy",
    "thị trấn": "Đảng ủy thị trấn",
    "phường": "Đảng ủy phường",
    "xã": "Đảng ủy xã",
}
# After a body's name, a class of bodies rather than one: "Ban Dân vận các huyện", "HĐND các
# cấp", "Ủy ban MTTQ Việt Nam các xã, thị trấn", "Hội Nông dân cơ sở".
_GENERIC_AFTER = re.compile(
    r"\s+(?:(?:các|những)\s+(?:cấp|huyện|quận|xã|phường|thị trấn|thị xã|thành phố|tỉnh|"
    r"địa phương|đơn vị|cơ sở|ngành|khối|huyện, thị)|cấp (?:xã|huyện|tỉnh|cơ sở)|cơ sở)"
    r"(?![\w])",
    re.I,
)
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

    def unit(self) -> tuple[str, str] | None:
        """(level, name) of the unit the meeting belongs to: its locality ("huyện", "Mê
        Linh"; "quận", "Quận 5"), else its province ("tỉnh", "Yên Bái")."""
        if self.locality:
            for level in _LOCAL_LEVELS:
                if self.locality.lower().startswith(level + " "):
                    name = self.locality[len(level) + 1 :]
                    return level, (f"Quận {name}" if name.isdigit() else name)
        if self.city and self.city_level:
            return self.city_level, self.city
        return None

    def committee(self) -> str | None:
        """The Party committee of that unit: "Huyện ủy Mê Linh", "Thành ủy Hà Nội"."""
        unit = self.unit()
        if unit is None:
            return None
        level, name = unit
        return f"{_COMMITTEE_OF[level]} {name}"

    def name_at(self, level: str) -> str | None:
        """The name of the article's unit of that level: its locality's, else its city's
        ("quận" → "Quận 5", "thị xã" → "Mỹ Hào", "thành phố" → "Hà Nội")."""
        unit = self.unit() if self.locality else None
        if unit and unit[0] == level:
            return unit[1]
        if self.city and level in _CITY_LEVEL and (self.city_level in (None, level)):
            return self.city
        return None

    def place_for(self, level: str) -> str | None:
        """ "huyện Mê Linh", "thành phố Hà Nội", "Quận 5": the article's unit of that level."""
        name = self.name_at(level)
        if name is None:
            return None
        return name if name.startswith("Quận ") else f"{level} {name}"


def unique(mentions: list[Organization]) -> list[Organization]:
    """One organisation per canonical name, at its first mention; classes of bodies left out."""
    out: dict[str, Organization] = {}
    for org in mentions:
        if org.generic:
            continue
        out.setdefault(fold(org.canonical), org)
    return list(out.values())


def find_organizations(
    text: str, regions: list[tuple[int, int]], context: Context
) -> list[Organization]:
    """Every organisation mention in the regions, in text order."""
    folded = fold_same_length(text)
    out: list[Organization] = []
    heads: dict[int, _Body] = {}
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
            org = Organization(
                name=text[m.start() : org_end],
                canonical=canonical,
                abbreviation=body.abbreviation,
                evidence=Span(m.start(), org_end),
                generic=_GENERIC_AFTER.match(text, org_end, end) is not None,
            )
            out.append(org)
            heads[id(org)] = body
    out.sort(key=lambda o: o.evidence.start)
    return _qualify(out, heads, context)


def _qualify(found: list[Organization], heads: dict, context: Context) -> list[Organization]:
    """Give a body named without its place the place it has in the article: that of another
    mention of it with a place ("Ban Dân vận" after "Ban Dân vận Thành ủy Dĩ An"), else the
    meeting's unit ("Hội đồng nhân dân" of a Mê Linh meeting is "Hội đồng nhân dân huyện Mê
    Linh"; "Ban Thường vụ" of a Thái Nguyên one, "Ban Thường vụ Tỉnh ủy Thái Nguyên")."""
    placed: dict[str, list[Organization]] = {}
    for org in found:
        body = heads[id(org)]
        if not org.generic and org.canonical != body.canonical:
            placed.setdefault(body.canonical, []).append(org)
    out = []
    for org in found:
        body = heads[id(org)]
        if org.generic or org.canonical != body.canonical or body.scope == "national":
            out.append(org)
            continue
        others = placed.get(body.canonical, [])
        before = [o for o in others if o.evidence.start < org.evidence.start]
        nearest = before[-1] if before else others[0] if others else None
        if nearest is not None:
            canonical = nearest.canonical
        else:
            canonical = _in_unit(body, context) or org.canonical
        out.append(replace(org, canonical=canonical))
    return out


def _in_unit(body: _Body, context: Context) -> str | None:
    """A bare body's full name in the meeting's unit, if the article says where it is."""
    unit = context.unit()
    if unit is None:
        return None
    level, name = unit
    if body.scope == "party_organ":
        return f"{body.canonical} {context.committee()}"
    if body.scope == "committee":
        return None  # "Tỉnh ủy" is filled from the context already, when it can be
    return f"{body.canonical} {name if name.startswith('Quận ') else f'{level} {name}'}"


def _describe(
    text: str, start: int, head_end: int, limit: int, body: _Body, context: Context
) -> tuple[int, str]:
    """Read the tail after an organisation's head: (end of the name, canonical name)."""
    parts = [body.canonical]
    t = _TAIL.match(text, head_end, limit)  # as if the text ended at limit
    end = head_end
    # a Party committee written without its place ("Thành ủy") takes the article's
    party_level = _PARTY_LEVEL.get(body.canonical.lower())
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
        if t["level"]:
            end = _level_and_place(text, t, parts, context)
            party_level = None
        elif t["city"] and (named := _named_place(text, t, party_level)):
            place, end = named
            parts.append(place)
            party_level = None
    if parts[-1] == "Đảng bộ" and (unit := context.unit()):
        parts.append(context.place_for(unit[0]) or "")  # "Ban Chấp hành Đảng bộ" of the unit
    if party_level:
        # "Thành ủy" of Hà Nội is "Thành ủy Hà Nội", not "Thành ủy thành phố Hà Nội"
        filled = context.name_at(party_level)
        if filled:
            parts.append(filled)
    return end, " ".join(parts)


def _level_and_place(text: str, t: re.Match, parts: list[str], context: Context) -> int:
    """A level word and the place it names ("huyện Gia Lâm", "Quận 5", "tỉnh" of the
    article's province): appended to `parts`; returns where the name ends."""
    level = _LEVEL_WORDS.get(t["level"].lower(), t["level"].lower())
    end = t.end("level")
    place_words = (t["place"] or "").split()
    place = None
    if place_words:
        if level in _CITY_LEVEL and (found := _city_prefix(place_words)):
            place, n = found
        elif looks_like_person(place_words[:3]):
            # "UBND huyện Nguyễn Văn Trường": the level is unnamed, a person follows
            n = 0
        elif place_words[0].isdigit():
            place, n = place_words[0], 1
        else:
            n = min(2, len(place_words))
            place = " ".join(place_words[:n])
        if n:
            end = _end_after_words(text, t.start("place"), n)
    if place:
        # "Quận 5", "Phường 12": a numbered unit's level is part of its name
        parts.append(f"{level.capitalize() if place.isdigit() else level} {place}")
    else:
        parts.append(context.place_for(level) or level)
    return end


def _named_place(text: str, t: re.Match, party_level: str | None) -> tuple[str, int] | None:
    """(place, end of the name) of capitalised words naming a province ("… Hà Nội"), or the
    lower unit of a Party committee ("Thành ủy Pleiku", "Huyện ủy Gia Lâm": as the gazetteer
    spells it, else its first two words); None when they name none."""
    words = t["city"].split()
    found = _city_prefix(words)
    if found:
        city, n = found
        return city, _end_after_words(text, t.start("city"), n)
    if party_level not in (None, "tỉnh") and (
        (n := district_words(words))
        or (len(words) >= 2 and not looks_like_person(words) and (n := 2))
    ):
        return " ".join(words[:n]), _end_after_words(text, t.start("city"), n)
    return None


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
