"""Which province-level unit (and, for district-level meetings, which district) an article is about.

Data: data/places.json, built by scripts/build_gazetteer.py. One trie-shaped regex finds every
province and district name; its letters are classes of all their diacritic and case variants
(what folding would equate), so it runs on the text itself, spans need no mapping, and `re`
skips any position that does not start with a capital. The few words before each name, which
weigh it, are read from the article folded once (text.fold_same_length, shared with the other
modules).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .names import looks_like_person
from .text import fold, fold_chars, fold_keep_length, fold_same_length

DATA = Path(__file__).with_name("data") / "places.json"
HOSTS = Path(__file__).with_name("data") / "hosts.json"  # scripts/build_hosts.py
# Between the words of a name: "BR-VT", "TP.HCM", "Bà Rịa - Vũng Tàu".
JOIN = r"(?:\s*[-–—.]\s*|\s+)"
KINDS = {  # kind word before a district name (folded) -> kind in the gazetteer
    "quan": "quận", "q": "quận", "huyen": "huyện", "thi xa": "thị xã", "tx": "thị xã",
    "thanh pho": "thành phố", "tp": "thành phố", "quan uy": "quận", "huyen uy": "huyện",
    "thi uy": "thị xã", "thanh uy": "thành phố",
}  # fmt: skip
KIND_FORMS = sorted([*KINDS, "tp.", "tx.", "q."], key=len, reverse=True)
# Words just before a name: a body owns it, a prefix names its kind, "thăm"/"đến" send it away.
BODIES = (
    *(" uy", " ubnd", " hdnd", " mttq", " ubmttq", " bao", " nhan dan", " viet nam", " to quoc"),
    *(" dang bo", " cong an", " tin tuc", " dien tu", " lao dong", " phu nu", " nong dan"),
    *(" chien binh", " thanh doan", " tinh doan", " xa hoi", " dan van"),
)
PREFIXES = (" tinh", " thanh pho", " tp", " tp.", " thu do")
AWAYS = (" tham", " den", " toi", " giap", " sang", " ra", " cac tinh", " cac thanh pho")
_ORGS = (
    r"(?:ubnd|hdnd|uy ban nhan dan|hoi dong nhan dan|ubmttq|mttq(?: viet nam)?"
    r"|mat tran to quoc(?: viet nam)?|xa hoi|dang bo)"
)
CUES = re.compile(  # organiser level words in the lead: P province, D district, C "thành phố"
    rf"\b(?:(?P<P>tinh uy)|(?P<D>(?:quan|huyen|thi) uy)|(?P<C>thanh uy)"
    rf"|{_ORGS} (?:(?P<P_>tinh)|(?P<D_>quan|huyen|thi xa)|(?P<C_>thanh pho|tp)))\b"
)
POST_MARKS = re.compile(
    r"sau (?:khi )?(?:sap nhap|hop nhat)|\((?:moi|cu)\)|chinh quyen (?:dia phuong )?(?:2|hai) cap"
)
WEAK = {"thu do": 0.5, "hn": 0.5}
TITLE, LEAD = 3.0, 2.0
LEAD_CHARS = 700
HOST_WEIGHT = 5.0
SKIP_LABELS = {"www", "vn", "com", "gov", "org", "net", "edu", "info", "int", "ac"}


@dataclass
class PlaceResult:
    """City at the time of the meeting, its evidence span in the text, and the district if any."""

    city: str | None
    locality: str | None
    start: int | None
    end: int | None
    source: str | None
    warnings: list[str] = field(default_factory=list)


_SEPARATORS = re.compile(r"[\s\-–—.]+")


@cache
def _key(name: str) -> str:
    """Folded name with any run of separators as one space."""
    return _SEPARATORS.sub(" ", fold(name)).strip()


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


@cache
def _spelling(name: str) -> tuple:
    """A name as written, up to case, separators and where the tone mark sits ("Hoà" = "Hòa");
    "Thạnh Hóa" and "Thanh Hóa", "Quang Bình" and "Quảng Bình" stay apart."""
    words = []
    for word in _SEPARATORS.sub(" ", name).strip().split():
        nfd = unicodedata.normalize("NFD", word.lower())
        words.append(
            ("".join(c for c in nfd if c not in _TONES), "".join(c for c in nfd if c in _TONES))
        )
    return tuple(words)


def _has_marks(name: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", name))


@cache
def _letters() -> dict[str, list[str]]:
    """Folded letter -> the letters (Latin, with any diacritic) that fold to it."""
    letters: dict[str, list[str]] = {}
    for code in range(0x20, 0x2000):
        letters.setdefault(fold_keep_length(chr(code)), []).append(chr(code))
    return letters


@cache
def _variants(char: str, upper: bool = False) -> str:
    """Class of the letters that fold to `char` (capitals only if `upper`), e.g. [aàáâãạ…]."""
    found = [c for c in _letters().get(char, [char]) if not upper or c.isupper() or c.isdigit()]
    return "[" + "".join(re.escape(c) for c in found) + "]" if len(found) != 1 else found[0]


def _trie(words, classes: bool = True) -> str:
    """A regex matching any of `words`, shaped as a character trie so matching stays linear.

    With `classes`, it runs on unfolded text and names start with a capital or a digit: the
    pattern then opens with one character class, which lets `re` skip other positions in C.
    """
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict, top: bool = False) -> str:
        alts = []
        for c in sorted(k for k in node if k):
            if top and classes:  # first letter consumed by the leading class: check it behind
                alts.append(f"(?<={_variants(c, upper=True)})" + emit(node[c]))
            else:
                char = JOIN if c == " " else _variants(c) if classes else re.escape(c)
                alts.append(char + emit(node[c]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    if not classes:
        return emit(root)
    first = "".join(_variants(c, upper=True).strip("[]") for c in sorted(root))
    # The first letter is told by look-behinds, first for groups of a few letters, then for
    # each letter of its group: fewer tries than one look-behind per letter (their classes
    # do not overlap, so the order does not matter).
    letters = sorted(root)
    groups = []
    for i in range(0, len(letters), 6):
        group = {c: root[c] for c in letters[i : i + 6]}
        either = "".join(_variants(c, upper=True).strip("[]") for c in group)
        groups.append(f"(?<=[{either}])" + emit(group, top=True))
    return rf"[{first}](?<!\w.)(?:{'|'.join(groups)})(?!\w)"


@cache
def _gazetteer() -> dict:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    units = data["provinces"]
    names: dict[str, list[dict]] = {}  # folded alias -> units (Huế names two: before/after 2025)
    districts: dict[str, list[tuple[dict, dict]]] = {}  # folded name -> (unit, district)
    for unit in units:
        for alias in [unit["name"], *unit["aliases"]]:
            names.setdefault(_key(alias), []).append(unit)
        for district in unit["districts"]:
            for name in [district["name"], *district.get("former", [])]:
                districts.setdefault(_key(name), []).append((unit, district))
    hosts = json.loads(HOSTS.read_text(encoding="utf-8"))
    labels = {label: names[_key(name)] for label, name in hosts["labels"].items()}
    inside = sorted((label for label in labels if len(label) >= 5), key=len)
    flat = {k.replace(" ", ""): v for k, v in districts.items()}
    return {
        "units": units,
        "names": names,
        "districts": districts,
        "regex": re.compile(_trie(names.keys() | districts.keys())),
        "host_labels": labels,
        "host_regex": re.compile(_trie(inside, classes=False)),
        "outlets": {domain: names[_key(name)] for domain, name in hosts["outlets"].items()},
        "path_sites": frozenset(hosts["path_sites"]),
        "flat": flat,
    }


def _era_name(units: list[dict], post: bool) -> str:
    """Name of the unit at the time: merged units become their successor after 2025-07-01."""
    era = "post2025" if post else "pre2025"
    unit = next((u for u in units if era in u["eras"]), units[0])
    return unit["merged_into"] if post and "post2025" not in unit["eras"] else unit["name"]


def units() -> list[dict]:
    """Every province-level unit of the gazetteer (data/places.json), before and after
    2025-07-01, each with its name, full name, kind, code, eras, successor (merged_into),
    aliases and districts: the one reader of that file for the whole project."""
    return _gazetteer()["units"]


def province_names() -> list[str]:
    """Canonical names of every province-level unit, both before and after 2025-07-01."""
    return [unit["name"] for unit in _gazetteer()["units"]]


@cache
def _province_keys() -> dict[str, str]:
    """Folded key of each province-level unit's name -> the first unit's name with that key."""
    keys: dict[str, str] = {}
    for name in province_names():
        keys.setdefault(_key(name), name)
    return keys


_LEVEL_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp)\s+(?=\w)")


def canonical_city(name: str) -> str | None:
    """Any spelling, abbreviation or full name of a province-level unit -> its canonical name."""
    key = _key(name or "")
    if key in _province_keys():
        return _province_keys()[key]
    key = _LEVEL_PREFIX.sub("", key)
    units = _gazetteer()["names"].get(key)
    return units[0]["name"] if units else None


@cache
def is_central_city(name: str | None) -> bool:
    """A thành phố trực thuộc trung ương, by the unit of that exact name (Huế from 2025-07-01;
    before, the province was Thừa Thiên Huế, a tỉnh)."""
    unit = next((u for u in _gazetteer()["units"] if u["name"] == name), None)
    return unit is not None and unit["kind"] != "tỉnh"


def district_words(words: list[str]) -> int:
    """How many of the first `words` name a district as spelled (the most that do), else 0:
    "Trần Văn Thời" is a district of Cà Mau; "Vũ Thu Hà" is no "Vũ Thư"."""
    for n in range(min(4, len(words)), 0, -1):
        if _is_district(" ".join(words[:n])):
            return n
    return 0


@cache
def _is_district(written: str) -> bool:
    key = _key(written)
    found = _gazetteer()["districts"].get(key, ())
    if not _has_marks(written):
        return bool(found)
    spelling = _spelling(written)
    return any(_key(d["name"]) != key or _spelling(d["name"]) == spelling for _, d in found)


def fold_host(url: str | None) -> list[str]:
    """Folded host labels of a URL, without www and generic suffixes: ['myhao', 'hungyen']."""
    if not url:
        return []
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return [label for label in fold(host).split(".") if label and label not in SKIP_LABELS]


def _outlet(url: str | None, g: dict) -> list[dict] | None:
    """The province of an outlet whose domain names none ("anhp.vn"), or of a national portal's
    section ("vietnam.vn/ninhthuan/…"): data/hosts.json."""
    if not url:
        return None
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    for i in range(len(labels) - 1):
        domain = ".".join(labels[i:])
        if domain in g["outlets"]:
            return g["outlets"][domain]
        if domain in g["path_sites"]:
            segment = next((p for p in parts.path.split("/") if p), "")
            return g["host_labels"].get(re.sub(r"[^a-z0-9]", "", fold(segment)))
    return None


def _from_host(url: str | None, g: dict):
    """(units, district or None) named by the address, else (None, None)."""
    labels = fold_host(url)
    units, province_label = _outlet(url, g), None
    for label in labels:
        found = g["host_labels"].get(label)
        if found is None and (m := g["host_regex"].search(label)):
            found = g["host_labels"][m.group()]
        if found and units is None:
            units, province_label = found, label
    for label in labels:
        if label == province_label:  # "hungyen" is the province, not thành phố Hưng Yên
            continue
        kinded = re.search(r"(?:quan|huyen|thixa|thanhpho|tp)(\w+)$", label)
        found = g["flat"].get(kinded.group(1)) if kinded else None
        if not found and len(label.removesuffix("city")) >= 5:  # bare "myhao", "halongcity"
            found = g["flat"].get(label) or g["flat"].get(label.removesuffix("city"))
        inside = [pair for pair in found or () if units and pair[0] in units]
        if inside or (found and units is None and len(found) == 1):
            pair = (inside or found)[0]
            return units or [pair[0]], pair[1]
    return units, None


@cache
def _districts_meant(key: str, kind: str, written: str) -> list[tuple[dict, dict]]:
    """The districts "<kind> <written>" can name: of that kind and spelled that way, when some
    are ("huyện Tân Phú" is Đồng Nai's, "quận Tân Phú" Hồ Chí Minh's; "huyện Thạnh Hóa" is
    Long An's). A match through a former name keeps: the unit's kind or spelling may have
    changed since."""
    found = _gazetteer()["districts"][key]
    current = [_key(d["name"]) == key for _, d in found]
    kinded = [p for p, cur in zip(found, current, strict=True) if not cur or p[1]["kind"] == kind]
    found = kinded or found
    if not _has_marks(written):
        return found
    spelled = [
        p
        for p in found
        if _key(p[1]["name"]) != key or _spelling(p[1]["name"]) == _spelling(written)
    ]
    return spelled or found


def _matches(regex: re.Pattern, text: str):
    """The regex's matches, but one spelled as no district is ("Báo Yên" is no "Bảo Yên")
    gives way to a name starting at its next word ("Báo Yên Bái": Yên Bái)."""
    pos = 0
    while m := regex.search(text, pos):
        if _spelled_as_none(_key(m.group()), m.group()):
            space = m.group().find(" ")
            pos = m.start() + space + 1 if space > 0 else m.end()
            continue
        yield m
        pos = m.end()


@cache
def _spelled_as_none(key: str, written: str) -> bool:
    """A district's name written with tone marks it does not have. Province names are let be:
    their spellings vary ("Đắk Lắk", "Đăk Lăk")."""
    g = _gazetteer()
    if key in g["names"] or not _has_marks(written):
        return False
    spelling = _spelling(written)
    return not any(
        _key(d["name"]) != key or _spelling(d["name"]) == spelling
        for _, d in g["districts"].get(key, ())
    )


@cache
def _another_place(key: str, written: str) -> bool:
    """A province's name written with other tone marks, exactly as a district elsewhere is:
    "Quang Bình" (Hà Giang) is not Quảng Bình, "Phù Yên" (Sơn La) not Phú Yên."""
    g = _gazetteer()
    if key not in g["districts"] or not _has_marks(written):
        return False
    spelling = _spelling(written)
    aliases = [a for u in g["names"][key] for a in (u["name"], *u["aliases"])]
    if any(_spelling(a) == spelling for a in aliases):
        return False
    return any(_spelling(d["name"]) == spelling for _, d in g["districts"][key])


@cache
def _person_shaped(written: str) -> bool:
    """ "Hồ Chí Minh" alone is the person; the city needs "thành phố", "TP" or a body."""
    return looks_like_person([w[:1] + w[1:].lower() for w in written.split()])


def _locality(district: dict, written: str | None) -> str:
    """Locality label: as in the gazetteer ("thị xã Mỹ Hào", "Quận 5"), or as written if former."""
    if district["name"].isdigit():
        return f"Quận {district['name']}"
    return written or f"{district['kind']} {district['name']}"


def _fold(text: str) -> str:
    """fold_keep_length, memoised per character: folding char by char is the slow part."""
    return fold_chars(text)


def _kind_before(before: str) -> tuple[str | None, int]:
    """Kind word ending `before` ("huyện ", "TP.") and where it starts, else (None, 0)."""
    tail = before.rstrip()
    for kind in KIND_FORMS:
        if tail.endswith(kind) and not tail[-len(kind) - 1 : -len(kind)].isalnum():
            return kind.rstrip("."), len(tail) - len(kind)
    return None, 0


def _context(before: str) -> tuple[bool, bool, bool]:
    """(away, body, prefix) from the last words before a name; endswith() keeps it cheap."""
    tail = (" " + before).replace("\n", " ").rstrip()
    prefix = tail.endswith(PREFIXES)
    if prefix:
        tail = tail[: len(tail) - len(next(p for p in PREFIXES if tail.endswith(p)))].rstrip()
    return tail.endswith(AWAYS), tail.endswith(BODIES), prefix


def _capitalised(text: str, start: int, end: int, key: str) -> bool:
    """Place names are capitalised: "hòa bình" (peace) is not Hòa Bình; "HN" only in capitals."""
    span = text[start:end]
    if " " not in key and len(key) <= 4:
        return span.isupper()
    words = span.replace("-", " ").replace(".", " ").split()
    return all(w[0].isupper() or w[0].isdigit() for w in (words[:1] if key in WEAK else words))


_WORD_BEFORE = re.compile(r"(^|[^\s])?\s*(\w+)[ ]+$")
_WORD_AFTER = re.compile(r"[ ]+(\w+)")


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """A bare name inside a person's or a longer name: "Lê Hà Nam", "Thái Bình Dương"."""
    if text[start:end].isupper():
        return False
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    if (
        before
        and before.group(2)[0].isupper()
        and not before.group(2).isupper()
        and before.group(1) not in (None, "", ".", "!", "?", ":", ";", "\n", "-", "–")
    ):
        return True
    after = _WORD_AFTER.match(text[end : end + 30])
    return bool(after and after.group(1)[0].isupper())


def _level(cues: list[tuple[int, str]], tw: bool) -> str | None:
    """Organiser level from the first level word of the lead; "thành phố" depends on the city."""
    if not cues:
        return None
    level = min(cues)[1]
    return ("P" if tw else "C") if level == "C" else level


def locate(
    text: str, *, url: str | None = None, year: int | None = None, title: str | None = None
) -> PlaceResult:
    """Province-level unit (and district, for district-level meetings) that `text` reports on."""
    g = _gazetteer()
    post = year is not None and (
        year >= 2026 or (year == 2025 and bool(POST_MARKS.search(fold(text))))
    )
    # the article folded once (other modules share it): a slice of it is the slice folded
    folded = fold_same_length(text)
    tally = _Tally(g, post, CUES.search(folded, 0, LEAD_CHARS))  # the earliest cue counts
    if title and fold(title).strip()[:60] not in folded[: len(title) + 200]:
        # a title that is not part of the text: weighed, no span
        tally.read(title, _fold(title), is_title=True)
    tally.read(text, folded, is_title=False)
    host_units, host_district = _from_host(url, g)
    if host_units:
        tally.add(_era_name(host_units, post), HOST_WEIGHT, None, None, address=True)
    picked = tally.place_districts(text)
    return tally.result(picked, host_units, host_district)


class _Tally:
    """The weight of each province named by an article (its text, a title given apart, its
    address), the districts it names, and the level words of its lead."""

    def __init__(self, g: dict, post: bool, first_cue: re.Match | None):
        self.g, self.post, self.first_cue = g, post, first_cue
        self.scores: dict[str, float] = {}
        self.evidence: dict[str, tuple[float, int, int]] = {}  # city -> strongest mention
        self.titled: set[str] = set()  # cities weighed from a title that is not in the text
        self.districts: list[tuple[list, str, float, int | None, int | None, str | None]] = []
        self.cues = [(first_cue.start(), (first_cue.lastgroup or "")[:1])] if first_cue else []
        self.venues: list[tuple[int, str]] = []
        self.warnings: list[str] = []

    def add(self, city: str, weight: float, start, end, address: bool = False) -> None:
        self.scores[city] = self.scores.get(city, 0.0) + weight
        if start is not None and weight > self.evidence.get(city, (0.0,))[0]:
            self.evidence[city] = (weight, start, end)
        elif start is None and not address:
            self.titled.add(city)

    def read(self, otext: str, ofolded: str, is_title: bool) -> None:
        """Weigh every province and district name of a text."""
        g = self.g
        first_line = otext.find("\n") if "\n" in otext else len(otext)
        for m in _matches(g["regex"], otext):
            s, e = m.span()
            key = _key(m.group())
            where = TITLE if is_title or s < first_line else LEAD if s < LEAD_CHARS else 1.0
            before = ofolded[max(0, s - 32) : s]
            kind, at = _kind_before(before) if key in g["districts"] else (None, 0)
            if key.isdigit() and not (kind and KINDS[kind] == "quận"):
                continue
            if kind:  # a district: only ever with its kind word ("huyện Định Hóa", "Quận 5")
                s, before = s - len(before) + at, before[:at]
                self._district(otext, m, s, before, kind, key, where, is_title)
            else:
                self._province(otext, m, s, before, key, where, is_title)

    def _district(self, otext, m, s, before, kind, key, where, is_title) -> None:
        g = self.g
        e = m.end()
        away, body, _prefix = _context(before)
        where *= 0.3 if away else 1.0
        span = (None, None) if is_title else (s, e)
        name = otext[m.start() : e]
        found = _districts_meant(key, KINDS[kind], name)
        # "thành phố Thái Bình": the province's own city names the province too, but
        # "huyện Hòa Bình" is Bạc Liêu's district, not the province of Hòa Bình
        own_city = any(u is v for u, _ in found for v in g["names"].get(key, ()))
        if own_city:
            own = (None, None) if is_title else (m.start(), e)
            self.add(_era_name(g["names"][key], self.post), 3.0 * where, *own)
        body = body or kind.endswith("uy")
        known = any(d["name"] == name or _key(d["name"]) == key for _, d in found)
        written = None if known else f"{KINDS[kind]} {name}"
        self.districts.append((found, KINDS[kind], (2.5 if body else 2.0) * where, *span, written))
        if is_title or s >= LEAD_CHARS:
            return
        cue = (s, "C" if own_city else "D")
        first_cue = self.first_cue
        if first_cue and first_cue.start() <= s < first_cue.end():
            self.cues[0] = (first_cue.start(), cue[1])  # "xã hội thành phố Thủ Đức"
        elif (" " + before).rstrip().endswith(" tai"):
            # "tại huyện Định Hóa, Ban Dân vận Tỉnh ủy …": where it was held says who held it
            # only when no organiser's level word does
            self.venues.append(cue)
        else:
            self.cues.append(cue)

    def _province(self, otext, m, s, before, key, where, is_title) -> None:
        g = self.g
        e = m.end()
        if key not in g["names"] or not _capitalised(otext, s, e, key):
            return
        if _another_place(key, m.group()):
            return
        away, body, prefix = _context(before)
        where *= 0.3 if away else 1.0
        strength = 4.0 if body else 3.0 if prefix else 0.0
        if not strength and (_in_longer_name(otext, s, e) or _person_shaped(m.group())):
            return  # "Lê Hà Nam"; "Đoàn TNCS Hồ Chí Minh" is the person, not the city
        weight = (strength or WEAK.get(key, 1.5)) * where
        span = (None, None) if is_title else (s, e)
        self.add(_era_name(g["names"][key], self.post), weight, *span)
        if strength and not is_title and s < LEAD_CHARS:
            self.cues.append((s, "P"))

    def place_districts(self, text: str) -> list[tuple]:
        """Districts count for a province when they name one, or when other evidence picks
        one: (city, district, weight, start, end, name as written if not the gazetteer's)."""
        picked = []
        for found, kind, weight, s, e, written in sorted(self.districts, key=lambda d: len(d[0])):
            cities = {_era_name([u], self.post) for u, _ in found}
            if len(cities) > 1:
                cities &= {c for c, v in self.scores.items() if v > 0}
            if len(cities) != 1:
                label = text[s:e] if s is not None else written
                self.warnings.append(
                    f"city: district '{label}' is in several provinces; none else named"
                )
                continue
            city = cities.pop()
            inside = [d for u, d in found if _era_name([u], self.post) == city]
            district = next((d for d in inside if d["kind"] == kind), inside[0])
            self.scores[city] = self.scores.get(city, 0.0) + weight
            picked.append((city, district, weight, s, e, written))
        return picked

    def result(self, picked: list, host_units, host_district) -> PlaceResult:
        """The heaviest province, its evidence, and the district when the meeting is one's."""
        warnings = self.warnings
        ranked = sorted(self.scores.items(), key=lambda item: -item[1])
        if not ranked:
            warnings.append("city: no province, district or source address names one")
            return PlaceResult(None, None, None, None, None, warnings)
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            warnings.append(f"city: {ranked[0][0]} and {ranked[1][0]} weigh the same")
            return PlaceResult(None, None, None, None, None, warnings)
        city = ranked[0][0]
        if len(ranked) > 1 and ranked[1][1] >= 0.75 * ranked[0][1]:
            warnings.append(f"city: {city} chosen over {ranked[1][0]} by a small margin")

        mine = [p for p in picked if p[0] == city]
        if city in self.evidence:
            source, (_, start, end) = "text", self.evidence[city]
        elif mine:
            best = max(mine, key=lambda p: (p[2], -(p[3] or 0)))
            source, start, end = "locality", best[3], best[4]
        else:
            source, start, end = ("text" if city in self.titled else "url"), None, None

        host = (
            (host_district, HOST_WEIGHT)
            if host_district and _era_name(host_units, self.post) == city
            else None
        )
        cues = self.cues if self.first_cue else self.cues + self.venues
        level = _level(cues, is_central_city(city))
        locality = _choose_locality(mine, host, level, source == "locality")
        return PlaceResult(city, locality, start, end, source, warnings)


def _choose_locality(mine: list, host: tuple | None, level: str | None, only: bool) -> str | None:
    """The district, only when the organiser named first in the lead is the district's own body.

    `mine`: districts picked for the city; `host`: (district, weight) from the source address;
    `level`: P/D/C from _level; `only`: the city was named through districts alone.
    """
    weights: dict[str, float] = {}
    for _, district, weight, _, _, written in mine:
        label = _locality(district, written)
        weights[label] = weights.get(label, 0.0) + weight
    kinds = {_locality(d, w): d["kind"] for _, d, _, _, _, w in mine}
    if host:
        label = _locality(host[0], None)
        weights[label] = weights.get(label, 0.0) + host[1]
        kinds[label] = host[0]["kind"]
    if level == "C":
        weights = {k: v for k, v in weights.items() if kinds[k] == "thành phố"}
    elif level is None and not (only or host):
        weights = {}
    return max(weights, key=lambda label: weights[label]) if weights and level != "P" else None
