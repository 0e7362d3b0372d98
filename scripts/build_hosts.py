"""Regenerate meetings/extraction/data/hosts.json: which province a web address speaks for.

    .venv/bin/python scripts/build_hosts.py

Three tables, read by meetings/extraction/places.py:

- ``labels``: derived from the gazetteer (meetings/extraction/data/places.json, made by
  scripts/build_gazetteer.py). Every province's name and alias, folded and without spaces or
  hyphens ("haiphong", "bariavungtau", "tphcm"), five letters or more, plus the short forms in
  HAND_LABELS. A label of a host that contains one names that province ("baohaiphong.vn",
  "thanhphohaiphong.gov.vn", "bdvtu.binhthuan.dcs.vn"). Districts are matched separately, by
  whole label ("myhao.hungyen.gov.vn"), from the gazetteer itself.
- ``outlets``: HAND-curated registered domains whose name spells no province ("anhp.vn" is An
  ninh Hải Phòng). Each entry was checked against the outlet's own masthead; add a site here,
  with a comment naming it, and rerun the script.
- ``path_sites``: national portals that file each province's news under a path segment named
  after it ("vietnam.vn/ninhthuan/…").
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "meetings" / "extraction" / "data"
GAZETTEER = DATA / "places.json"
OUT = DATA / "hosts.json"
SHORTEST = 5  # shorter derived labels ("hue", "hcm") hide inside unrelated words

# HAND: short forms seen in hosts, too short to be derived safely.
HAND_LABELS = {
    "hcm": "Hồ Chí Minh",
    "tphcm": "Hồ Chí Minh",
    "hcmc": "Hồ Chí Minh",
    "saigon": "Hồ Chí Minh",
    "hue": "Huế",
    "hn": "Hà Nội",
    "brvt": "Bà Rịa - Vũng Tàu",
}
# HAND: outlets whose domain names no place (registered domain -> province).
HAND_OUTLETS = {
    "anhp.vn": "Hải Phòng",  # An ninh Hải Phòng
    "thhp.vn": "Hải Phòng",  # Đài Phát thanh và Truyền hình Hải Phòng
    "cadn.com.vn": "Đà Nẵng",  # Công an Đà Nẵng
    "sggp.org.vn": "Hồ Chí Minh",  # Sài Gòn Giải Phóng
    "hcmcpv.org.vn": "Hồ Chí Minh",  # Đảng bộ Thành phố Hồ Chí Minh
    "congan.com.vn": "Hồ Chí Minh",  # Công an Thành phố Hồ Chí Minh
    "plo.vn": "Hồ Chí Minh",  # Pháp luật Thành phố Hồ Chí Minh
    "htv.com.vn": "Hồ Chí Minh",  # Đài Truyền hình Thành phố Hồ Chí Minh
    "kinhtedothi.vn": "Hà Nội",  # Kinh tế & Đô thị, of the Hà Nội People's Committee
    "anninhthudo.vn": "Hà Nội",  # An ninh Thủ đô, Công an Hà Nội
    "tuoitrethudo.com.vn": "Hà Nội",  # Tuổi trẻ Thủ đô, Thành đoàn Hà Nội
    "qtv.vn": "Quảng Ninh",  # Trung tâm Truyền thông tỉnh Quảng Ninh
    "baodongkhoi.vn": "Bến Tre",  # Đồng Khởi, of the Bến Tre Party committee
    "baoapbac.vn": "Tiền Giang",  # Ấp Bắc, of the Tiền Giang Party committee
    "thvl.vn": "Vĩnh Long",  # Truyền hình Vĩnh Long
    "dnrtv.org.vn": "Đồng Nai",  # Đài Phát thanh – Truyền hình Đồng Nai
}
# HAND: national portals with one path segment per province.
HAND_PATH_SITES = ["vietnam.vn"]


def fold(text: str) -> str:
    """As meetings.extraction.text.fold: no diacritics, đ → d, casefolded."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("đ", "d").replace("Đ", "D").casefold()


def label_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


def build() -> dict:
    gazetteer = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    names = {unit["name"] for unit in gazetteer["provinces"]}
    labels: dict[str, str] = {}
    for unit in gazetteer["provinces"]:
        for name in (unit["name"], *unit["aliases"]):
            label = label_of(name)
            if len(label) >= SHORTEST:
                labels.setdefault(label, unit["name"])
    for label, province in HAND_LABELS.items():
        labels[label] = province
    for table in (labels, HAND_OUTLETS):
        unknown = sorted(set(table.values()) - names)
        if unknown:
            sys.exit(f"{Path(__file__).name}: not in the gazetteer: {', '.join(unknown)}")
    return {
        "about": {
            "generated_by": "scripts/build_hosts.py",
            "labels": "folded province names found inside a host's labels (derived)",
            "outlets": "registered domains that name no province (hand-curated)",
            "path_sites": "portals whose first path segment names the province (hand-curated)",
        },
        "labels": dict(sorted(labels.items())),
        "outlets": dict(sorted(HAND_OUTLETS.items())),
        "path_sites": sorted(HAND_PATH_SITES),
    }


def main() -> None:
    table = build()
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(ROOT)}: {len(table['labels'])} labels, "
        f"{len(table['outlets'])} outlets, {len(table['path_sites'])} path sites"
    )


if __name__ == "__main__":
    main()
