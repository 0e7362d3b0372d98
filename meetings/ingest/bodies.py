"""Generic bodies qualified by the meeting's place: "Ban Dân vận Thành ủy" of a Pleiku meeting
is "Ban Dân vận Thành ủy Pleiku", not one row shared by every province.

The extractor qualifies a body from its sentence where the sentence says whose it is; what
reaches ingest still unqualified — a bare body ("Ban Dân vận", "Hội đồng nhân dân"), or one
ending in a level word ("… Thành ủy", "Ủy ban nhân dân tỉnh") — takes the level and the place
of the meeting: its district or town when it has one and the level fits, else its province.
A body whose level has no place in the meeting (a "Huyện ủy" named at a province's meeting)
is left as it is, scoped by the province as before.
"""

from __future__ import annotations

import re

from meetings.extraction.places import is_central_city
from meetings.extraction.text import fold, fold_name, squash_spaces
from meetings.ingest.resolve import NATIONAL_BODY

# Bodies that every province and district has, named bare.
PARTY_BODIES = (
    "ban dan van",
    "ban thuong vu",
    "ban chap hanh",
    "ban tuyen giao",
    "ban to chuc",
    "ban noi chinh",
    "ban kiem tra",
    "thuong truc",
    "van phong",
)
STATE_BODIES: tuple[str, ...] = (
    "hoi dong nhan dan",
    "uy ban nhan dan",
    "thuong truc hoi dong nhan dan",
)
# Mass organisations, which have a committee at every level ("Hội Nông dân thành phố Hạ Long").
STATE_BODIES += (
    "hoi lien hiep phu nu",
    "hoi nong dan",
    "hoi cuu chien binh",
    "lien doan lao dong",
    "doan thanh nien cong san ho chi minh",
)
# A level word ending a name: the body of that level, whose place is not said.
PARTY_LEVELS = {"thanh uy": "thành phố", "tinh uy": "tỉnh", "huyen uy": "huyện"}
PARTY_LEVELS |= {"quan uy": "quận", "thi uy": "thị xã"}
STATE_LEVELS = {"thanh pho": "thành phố", "tinh": "tỉnh", "huyen": "huyện", "quan": "quận"}
STATE_LEVELS |= {"thi xa": "thị xã", "tp": "thành phố"}
PARTY_WORD = {"thành phố": "Thành ủy", "tỉnh": "Tỉnh ủy", "huyện": "Huyện ủy"}
PARTY_WORD |= {"quận": "Quận ủy", "thị xã": "Thị ủy"}
_LEVEL_END = re.compile(
    r"(?:^|\s)(" + "|".join(sorted([*PARTY_LEVELS, *STATE_LEVELS], key=len, reverse=True)) + r")$"
)


def is_generic(name: str) -> bool:
    """A body every province (or district) has, without saying whose it is."""
    key = fold_name(name)
    if not key or NATIONAL_BODY.search(key):
        return False
    if key in PARTY_BODIES or key in STATE_BODIES:
        return True
    end = _LEVEL_END.search(key)
    return bool(end) and not key.endswith("co quan")  # "Khối các cơ quan" is no quận


def qualify(name: str, city_name: str | None, place) -> str:
    """The body's name with the meeting's place, or the name itself when it names a place
    already or the meeting has none that fits. `place`: the meeting's Locality or None."""
    name = squash_spaces(name or "")
    if not city_name or not is_generic(name):
        return name
    key = fold(name)
    units = _units(city_name, place)
    end = _LEVEL_END.search(key) if key not in PARTY_BODIES + STATE_BODIES else None
    if end:
        level = end.group(1)
        kind = PARTY_LEVELS.get(level) or STATE_LEVELS[level]
        unit = units.get(kind)
        if unit is None:
            return name
        party = level in PARTY_LEVELS
        return f"{name} {unit['party'] if party and unit['digit'] else unit['name']}"
    own = units["own"]
    if key in PARTY_BODIES:
        if key == "ban chap hanh":
            return f"{name} Đảng bộ {own['kind']} {own['name']}"
        return f"{name} {PARTY_WORD[own['kind']]} {own['party'] if own['digit'] else own['name']}"
    return f"{name} {own['kind']} {own['name']}"


def _units(city_name: str, place) -> dict:
    """kind → {name, kind, party (a numbered quận's name after "Quận ủy"), digit}; "own" is
    the meeting's own level: its district or town, else its province."""
    province_kind = "thành phố" if is_central_city(city_name) else "tỉnh"
    province = {"name": city_name, "kind": province_kind, "party": city_name, "digit": False}
    units = {province_kind: province, "own": province}
    if place is not None and place.kind in PARTY_WORD:
        digit = place.name.isdigit()
        unit = {
            "name": place.name,
            "kind": place.kind,
            "party": f"{place.kind.capitalize()} {place.name}" if digit else place.name,
            "digit": digit,
        }
        units[place.kind] = unit
        units["own"] = unit
    return units
