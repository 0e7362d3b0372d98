"""Regenerate meetings/extraction/data/places.json, the province/district gazetteer.

Source: the PyPI package ``vietnamadminunits`` 1.0.4 (MIT licence, Tran Ngoc Minh Hieu), which
ships both the 63-province (pre-2025) and the 34-province (from 2025-07-01) divisions, the
old -> new province mapping and, per pre-2025 district, the folded names it was formed from.
Only its data files are read (``data/dataset.db``, ``data/converter_2025.json``), so install it
without its heavy dependencies:

    .venv/bin/pip install --no-deps -r scripts/requirements-gazetteer.txt
    .venv/bin/python scripts/build_gazetteer.py

``vietnam-provinces`` 2026.9.0 was considered too: it needs Python >= 3.12 and is GPL-3.0, and
its data has nothing this file needs beyond what vietnamadminunits has.

What no package provides (abbreviations such as TP.HCM, BR-VT, "Thủ đô"; alternative spellings
such as Đắc Lắc; Thừa Thiên Huế before its
2025-01-01 renaming to Huế, with its former provincial city Huế) is the small hand-written table
below, marked HAND.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import sys
import unicodedata
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "meetings" / "extraction" / "data" / "places.json"
PACKAGE, VERSION, LICENCE = "vietnamadminunits", "1.0.4", "MIT"
TW = "thành phố trực thuộc trung ương"

# HAND: abbreviations and spellings seen in articles that no package lists.
HAND_ALIASES = {
    "Hà Nội": ["HN", "Thủ đô", "Thủ đô Hà Nội"],
    "Hồ Chí Minh": [
        "TP.HCM",
        "TP. HCM",
        "TP HCM",
        "TPHCM",
        "HCM",
        "HCMC",
        "TP.Hồ Chí Minh",
        "Sài Gòn",
    ],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa Vũng Tàu", "BR-VT", "BRVT", "Vũng Tàu", "Bà Rịa"],
    "Thừa Thiên Huế": ["Thừa Thiên - Huế", "TT-Huế", "TT Huế", "Huế"],
    "Huế": ["Thừa Thiên Huế"],
    "Đắk Lắk": ["Đắc Lắc", "Đắk Lắc", "Daklak"],
    "Đắk Nông": ["Đắc Nông", "Daknong"],
    "Bắc Kạn": ["Bắc Cạn"],
    "Kon Tum": ["Kontum"],
}
# HAND: Thừa Thiên Huế was a tỉnh until 2024-12-31; the source lists it as Thành phố Huế.
TTH = {"name": "Thừa Thiên Huế", "full_name": "Tỉnh Thừa Thiên Huế", "renamed_on": "2025-01-01"}
TTH_EXTRA_DISTRICTS = [{"name": "Huế", "kind": "thành phố"}]

KIND_PREFIX = {"huyen": "huyện", "thixa": "thị xã", "quan": "quận", "thanhpho": "thành phố"}


def fold(text: str) -> str:
    """Same folding as meetings.extraction.text.fold (kept standalone: no project import)."""
    base = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return base.replace("đ", "d").replace("Đ", "D").casefold()


def data_dir() -> Path:
    """The package's data folder, found without importing it (its imports need shapely)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"install {PACKAGE}=={VERSION}: see scripts/requirements-gazetteer.txt")
    installed = importlib.metadata.version(PACKAGE)
    if installed != VERSION:
        print(f"warning: {PACKAGE} {installed} installed, {VERSION} expected", file=sys.stderr)
    return Path(spec.submodule_search_locations[0]) / "data"


def clean(name: str) -> str:
    """'Hồng Ngự (Thành phố)' -> 'Hồng Ngự', 'Quận 5' -> '5'; collapse spaces."""
    name = re.sub(r"^Quận (?=\d)", "", name)  # numbered districts: the name is the number
    return re.sub(r"\s+", " ", re.sub(r"\s*\(.*?\)", "", name)).strip()


def make_segmenter(vocabulary: set[str]):
    """Split a folded spaceless name ('hoanhbo') into known syllables ('hoanh bo')."""

    @cache
    def split(rest: str) -> tuple[str, ...] | None:
        if not rest:
            return ()
        if rest[0].isdigit():
            digits = re.match(r"\d+", rest).group()
            tail = split(rest[len(digits) :])
            return None if tail is None else (str(int(digits)), *tail)
        best = None
        for end in range(min(len(rest), 7), 0, -1):
            if rest[:end] in vocabulary:
                tail = split(rest[end:])
                if tail is not None and (best is None or len(tail) + 1 < len(best)):
                    best = (rest[:end], *tail)
        return best

    return split


def build() -> dict:
    data = data_dir()
    db = sqlite3.connect(data / "dataset.db")
    db.row_factory = sqlite3.Row
    legacy = db.execute(
        "SELECT DISTINCT province, provinceShort, provinceCode, provinceKey,"
        " district, districtShort, districtType, districtCode, districtShortKey, districtAlias"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode"
    ).fetchall()
    new = db.execute(
        "SELECT DISTINCT province, provinceShort, provinceCode, provinceKey"
        " FROM admin_units ORDER BY provinceCode"
    ).fetchall()
    words = db.execute(
        "SELECT provinceShort, districtShort, wardShort FROM admin_units_legacy"
        " UNION SELECT provinceShort, '', wardShort FROM admin_units"
    ).fetchall()
    vocabulary = {syl for row in words for part in row for syl in fold(clean(part or "")).split()}
    segment = make_segmenter(vocabulary)
    converter = json.loads((data / "converter_2025.json").read_text())["DICT_PROVINCE"]
    new_of_old = {old: new_key for new_key, olds in converter.items() for old in olds}
    new_by_key = {r["provinceKey"]: r for r in new}

    provinces: dict[str, dict] = {}
    for row in legacy:
        key = row["provinceKey"]
        if key not in provinces:
            successor = new_by_key[new_of_old[key]]
            merged_into = None if successor["provinceKey"] == key else successor["provinceShort"]
            provinces[key] = {
                "name": row["provinceShort"],
                "full_name": row["province"],
                "kind": TW if row["province"].startswith("Thành phố") else "tỉnh",
                "code": row["provinceCode"],
                "code_2025": None,
                "eras": ["pre2025"],
                "merged_into": merged_into,
                "aliases": [],
                "districts": [],
            }
        former, keywords = [], json.loads(row["districtAlias"] or "[]")
        # A bare keyword that is the tail of a kind-prefixed one is a name, not kind + name.
        tails = {k[len(p) :] for k in keywords for p in KIND_PREFIX if k.startswith(p)}
        for keyword in keywords:
            match = re.fullmatch(r"(huyen|thixa|quan|thanhpho)(.+)", keyword)
            if not match or keyword in tails or match.group(2) == row["districtShortKey"]:
                continue
            parts = segment(match.group(2))
            if parts and " ".join(parts) != fold(clean(row["districtShort"])):
                former.append(" ".join(parts))
        district = {"name": clean(row["districtShort"]), "kind": row["districtType"].lower()}
        if former:
            district["former"] = sorted(set(former))
        provinces[key]["districts"].append(district)

    for row in new:
        key = row["provinceKey"]
        entry = provinces.get(key)
        if key == "thanhphohue":  # HAND: the pre-2025 unit keeps its older name
            entry.update(TTH, kind="tỉnh", merged_into="Huế")
            entry["districts"].extend(TTH_EXTRA_DISTRICTS)
            entry = None
        if entry is None:
            entry = provinces[key + ":2025"] = {
                "name": row["provinceShort"],
                "full_name": row["province"],
                "kind": TW if row["province"].startswith("Thành phố") else "tỉnh",
                "code": row["provinceCode"],
                "eras": [],
                "merged_into": None,
                "aliases": [],
                "districts": [],
            }
        entry["eras"].append("post2025")
        entry["code_2025"] = row["provinceCode"]

    by_name = {p["name"]: p for p in provinces.values()}
    for name, aliases in HAND_ALIASES.items():
        by_name[name]["aliases"].extend(aliases)
    return {
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "licence": LICENCE,
            "licence_notice": "meetings/extraction/data/PLACES_LICENCE.md",
            "files": [
                "vietnamadminunits/data/dataset.db",
                "vietnamadminunits/data/converter_2025.json",
            ],
            "generated_by": "scripts/build_gazetteer.py",
            "hand_written": "aliases marked HAND in scripts/build_gazetteer.py",
        },
        "eras": {"pre2025": "63 units before 2025-07-01", "post2025": "34 units from 2025-07-01"},
        "reorganised_on": "2025-07-01",
        "provinces": sorted(provinces.values(), key=lambda p: (p["code"], p["eras"])),
    }


def main() -> None:
    gazetteer = build()
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    head = json.dumps({**gazetteer, "provinces": []}, **compact)[: -len('"provinces":[]}')]
    # One province per line: compact, yet diffs stay readable.
    lines = [json.dumps(p, **compact) for p in gazetteer["provinces"]]
    text = head + '"provinces":[\n' + ",\n".join(lines) + "\n]}"
    OUT.write_text(text + "\n", encoding="utf-8")
    pre = sum("pre2025" in p["eras"] for p in gazetteer["provinces"])
    post = sum("post2025" in p["eras"] for p in gazetteer["provinces"])
    print(f"{OUT.relative_to(ROOT)}: {pre} pre-2025, {post} post-2025 units, {len(text)} bytes")


if __name__ == "__main__":
    main()
