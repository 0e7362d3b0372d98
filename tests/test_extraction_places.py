"""Places: the gazetteer file and locate() on real-article phrasing (no database needed)."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import pytest

from meetings.extraction import places
from meetings.extraction.text import fold, normalize

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = ROOT / "meetings" / "extraction" / "data" / "places.json"


def where(text: str, **kwargs) -> places.PlaceResult:
    result = places.locate(text, **kwargs)
    if result.start is not None:  # the evidence span is the words the city came from
        assert fold(text[result.start : result.end]).strip()
    return result


# -- the gazetteer file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_63_units_before_and_34_after_the_2025_reorganisation(gazetteer):
    units = gazetteer["provinces"]
    assert sum("pre2025" in u["eras"] for u in units) == 63
    assert sum("post2025" in u["eras"] for u in units) == 34
    assert len({u["name"] for u in units}) == len(units)


def test_every_merged_unit_points_at_a_post_2025_unit(gazetteer):
    post = {u["name"] for u in gazetteer["provinces"] if "post2025" in u["eras"]}
    for unit in gazetteer["provinces"]:
        if "post2025" in unit["eras"]:
            assert unit["merged_into"] is None
        else:
            assert unit["merged_into"] in post, unit["name"]


def test_no_duplicate_folded_names(gazetteer):
    aliases: dict[str, set[str]] = {}
    for unit in gazetteer["provinces"]:
        for alias in [unit["name"], *unit["aliases"]]:
            aliases.setdefault(fold(alias), set()).add(unit["name"])
        seen = [(d["kind"], fold(d["name"])) for d in unit["districts"]]
        assert len(seen) == len(set(seen)), unit["name"]
    # One folded alias, one unit, except Huế/Thừa Thiên Huế: the same unit renamed in 2025.
    shared = {a: n for a, n in aliases.items() if len(n) > 1}
    assert set(shared) <= {"hue", "thua thien hue"}


def test_header_names_source_package_version_and_licence(gazetteer):
    assert gazetteer["source"]["package"] == "vietnamadminunits"
    assert gazetteer["source"]["version"] == "1.0.4"
    assert gazetteer["source"]["licence"] == "MIT"
    assert (DATA.parent / "PLACES_LICENCE.md").exists()
    assert DATA.stat().st_size < 300_000


def test_known_units_and_districts(gazetteer):
    by_name = {u["name"]: u for u in gazetteer["provinces"]}
    assert by_name["Hà Nam"]["merged_into"] == "Ninh Bình"
    assert by_name["Thái Bình"]["merged_into"] == "Hưng Yên"
    assert by_name["Hồ Chí Minh"]["kind"] == "thành phố trực thuộc trung ương"
    assert by_name["Hưng Yên"]["full_name"] == "Tỉnh Hưng Yên"
    assert {"name": "Mỹ Hào", "kind": "thị xã"} in by_name["Hưng Yên"]["districts"]
    assert {"name": "Định Hóa", "kind": "huyện"} in by_name["Thái Nguyên"]["districts"]
    assert {"name": "5", "kind": "quận"} in by_name["Hồ Chí Minh"]["districts"]


def test_build_script_is_documented():
    source = (ROOT / "scripts" / "build_gazetteer.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    assert "vietnamadminunits" in doc and "MIT" in doc and "HAND" in doc
    requirements = (ROOT / "scripts" / "requirements-gazetteer.txt").read_text()
    assert "vietnamadminunits==1.0.4" in requirements


# -- API helpers ------------------------------------------------------------------------------


def test_province_names_cover_both_eras():
    names = places.province_names()
    assert {"Hà Nội", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế", "Huế"} <= set(names)
    assert len(names) == 64  # 63 before + Huế, the renamed Thừa Thiên Huế


@pytest.mark.parametrize(
    ("name", "city"),
    [
        ("TP.HCM", "Hồ Chí Minh"),
        ("TP HCM", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("ha noi", "Hà Nội"),
        ("Tỉnh Hưng Yên", "Hưng Yên"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Đắc Lắc", "Đắk Lắk"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Huế", "Huế"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("Mỹ Hào", None),  # a district, not a province-level unit
        ("Thành phố", None),
    ],
)
def test_canonical_city(name, city):
    assert places.canonical_city(name) == city


def test_fold_host():
    assert places.fold_host("https://myhao.hungyen.gov.vn/portal/x.aspx") == ["myhao", "hungyen"]
    assert places.fold_host("www.cadn.com.vn") == ["cadn"]
    assert places.fold_host(None) == []


# -- locate(): real sentences -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "city", "evidence"),
    [
        (
            "Ngày 23/10, Thành ủy Hà Nội đã tổ chức Hội nghị giao ban quý III/2023.",
            "Hà Nội",
            "Hà Nội",
        ),
        ("Sáng 12/3, UBND tỉnh Khánh Hòa tổ chức hội nghị giao ban.", "Khánh Hòa", "Khánh Hòa"),
        ("Ngày 5/4, Thành ủy TP.HCM tổ chức hội nghị sơ kết quý I.", "Hồ Chí Minh", "TP.HCM"),
        (
            "Phát huy vai trò của các tổ chức chính trị – xã hội thành phố Hà Nội",
            "Hà Nội",
            "Hà Nội",
        ),
        ("ĐÀ NẴNG – Sáng 5-4, Ban Dân vận Thành ủy đã tổ chức Hội nghị.", "Đà Nẵng", "ĐÀ NẴNG"),
        ("Ông Phạm Quý - Trưởng Ban Dân vận Thành ủy Đà Nẵng chủ trì.", "Đà Nẵng", "Đà Nẵng"),
        (
            "Mã QR Code truy cập vào Fanpage Cổng tin tức Thành phố Hải Phòng",
            "Hải Phòng",
            "Hải Phòng",
        ),
        ("UBND tỉnh BR-VT tổ chức hội nghị tổng kết.", "Bà Rịa - Vũng Tàu", "BR-VT"),
        ("Tỉnh ủy Đắc Lắc tổ chức hội nghị giao ban.", "Đắk Lắk", "Đắc Lắc"),
        ("Ủy ban MTTQ Việt Nam tỉnh Thanh Hoá tổng kết năm.", "Thanh Hóa", "Thanh Hoá"),
        ("UBND THÀNH PHỐ HỒ CHÍ MINH\nHội nghị sơ kết", "Hồ Chí Minh", "HỒ CHÍ MINH"),
        ("Tỉnh Bình Định tổ chức hội nghị.", "Bình Định", "Bình Định"),
        ("Tỉnh ủy Quảng Nam tổ chức hội nghị giao ban.", "Quảng Nam", "Quảng Nam"),
        ("Tỉnh ủy Quảng Ninh tổ chức hội nghị giao ban.", "Quảng Ninh", "Quảng Ninh"),
        ("Ban Thường vụ Tỉnh ủy Hà Nam họp giao ban.", "Hà Nam", "Hà Nam"),
    ],
)
def test_city_from_a_named_body_or_prefix(text, city, evidence):
    result = where(text)
    assert (result.city, result.source) == (city, "text")
    assert text[result.start : result.end] == evidence
    assert result.locality is None


def test_the_meetings_own_body_beats_a_destination():
    text = (
        "Ngày 10/5, Tỉnh ủy Hà Nam tổ chức hội nghị giao ban. Sau đó đoàn công tác đến thăm "
        "tỉnh Nam Định và tỉnh Ninh Bình."
    )
    assert where(text, year=2023).city == "Hà Nam"


def test_ha_nam_is_not_ha_noi_nor_a_persons_name():
    assert where("Tỉnh ủy Hà Nam tổ chức hội nghị.").city == "Hà Nam"
    result = where("Đồng chí Lê Hà Nam phát biểu tại hội nghị.")
    assert result.city is None and result.warnings


def test_common_words_are_not_places():
    result = where("Vì hòa bình và phát triển, Thành phố đã tổ chức hội nghị giao ban.")
    assert result.city is None
    assert result.warnings == ["city: no province, district or source address names one"]


@pytest.mark.parametrize(
    ("text", "city", "locality", "evidence"),
    [
        (
            "Ban Thường trực Ủy ban MTTQ Việt Nam thị xã Mỹ Hào tổ chức hội nghị giao ban.",
            "Hưng Yên",
            "thị xã Mỹ Hào",
            "thị xã Mỹ Hào",
        ),
        (
            "Hội nghị giao ban Khối dân vận huyện Định Hóa quý III năm 2022.",
            "Thái Nguyên",
            "huyện Định Hóa",
            "huyện Định Hóa",
        ),
        (
            "Ngày 29/5/2020, Ban Thường trực Ủy ban MTTQ Việt Nam Quận 5 tổ chức hội nghị.",
            "Hồ Chí Minh",
            "Quận 5",
            "Quận 5",
        ),
        (
            "Thành ủy Hạ Long tổ chức hội nghị giao ban với Khối MTTQ thành phố Hạ Long.",
            "Quảng Ninh",
            "thành phố Hạ Long",
            "Thành ủy Hạ Long",
        ),
        ("Hội nghị tại huyện Hoành Bồ năm 2018.", "Quảng Ninh", "huyện Hoành Bồ", "huyện Hoành Bồ"),
    ],
)
def test_city_through_a_district(text, city, locality, evidence):
    result = where(text)
    assert (result.city, result.locality, result.source) == (city, locality, "locality")
    assert text[result.start : result.end] == evidence


def test_district_header_of_a_district_level_meeting():
    text = "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nQUẬN 5 - THÀNH PHỐ HỒ CHÍ MINH\nHội nghị sơ kết"
    result = where(text)
    assert (result.city, result.locality, result.source) == ("Hồ Chí Minh", "Quận 5", "text")
    assert text[result.start : result.end] == "HỒ CHÍ MINH"


def test_a_district_counts_only_with_its_kind_word():
    # "Định Hóa" inside "Bình Định" or alone names nothing; "Bình Định" is the province.
    assert where("Tỉnh Bình Định tổ chức hội nghị tại Định Hóa.").city == "Bình Định"
    assert where("Ông Định Hóa phát biểu.").city is None


def test_a_district_in_several_provinces_needs_support():
    result = where("Huyện ủy Châu Thành tổ chức hội nghị sơ kết.")
    assert result.city is None
    assert any("several provinces" in w for w in result.warnings)
    result = where("Huyện ủy Châu Thành tổ chức hội nghị. Dự có lãnh đạo Tỉnh ủy Bến Tre.")
    assert (result.city, result.locality) == ("Bến Tre", "huyện Châu Thành")


def test_city_of_the_same_name_as_its_province():
    result = where("Thành ủy Thái Bình tổ chức hội nghị giao ban.")
    assert (result.city, result.locality) == ("Thái Bình", "thành phố Thái Bình")
    result = where("Tỉnh ủy Thái Bình tổ chức hội nghị giao ban.")
    assert (result.city, result.locality) == ("Thái Bình", None)


def test_province_level_meeting_has_no_locality_even_with_districts_named():
    text = (
        "Sáng ngày 08/7/2019, Ban Dân vận Tỉnh ủy phối hợp với Ban Dân vận Huyện ủy Diên Khánh "
        "tổ chức hội nghị sơ kết. Dự có Chủ tịch HĐND huyện Diên Khánh.\n"
        "Công tác dân vận trên địa bàn tỉnh Khánh Hòa đạt kết quả tốt."
    )
    result = where(text)
    assert (result.city, result.locality) == ("Khánh Hòa", None)


@pytest.mark.parametrize(
    ("url", "city", "locality"),
    [
        (
            "https://myhao.hungyen.gov.vn/portal/Pages/2021-10-15/x.aspx",
            "Hưng Yên",
            "thị xã Mỹ Hào",
        ),
        ("https://thanhphohaiphong.gov.vn/hoi-nghi.html", "Hải Phòng", None),
        ("https://cadn.com.vn/tiep-tuc-post204442.html", "Đà Nẵng", None),
        ("https://baokhanhhoa.vn/chinh-tri/x", "Khánh Hòa", None),
        ("https://quan5.hochiminhcity.gov.vn/x", "Hồ Chí Minh", "Quận 5"),
        ("https://baoquangninh.vn/x", "Quảng Ninh", None),
        ("https://danang.gov.vn/x", "Đà Nẵng", None),
        ("https://hn.example.vn/x", "Hà Nội", None),
        ("https://hanoi.gov.vn/x", "Hà Nội", None),
        ("https://tphcm.gov.vn/x", "Hồ Chí Minh", None),
        ("https://example.vn/hn-tin", None, None),  # "hn" only as a whole host label
        # outlets whose domain spells no province (data/hosts.json, "outlets")
        ("http://anhp.vn/mat-tran-to-quoc-d61027.html", "Hải Phòng", None),
        ("http://beta.anhp.vn/thong-bao-d47746.html", "Hải Phòng", None),
        ("https://www.sggp.org.vn/x", "Hồ Chí Minh", None),
        ("https://kinhtedothi.vn/x", "Hà Nội", None),
        # a national portal's section of the province
        ("https://vietnam.vn/ninhthuan/tag/chu-tich-hdnd-tinh-chu-tri", "Ninh Thuận", None),
        ("https://vietnam.vn/tag/chu-tich-hdnd-tinh-chu-tri", None, None),
        ("https://example.vn/ninhthuan/x", None, None),  # paths only of the listed portals
    ],
)
def test_city_from_the_source_address(url, city, locality):
    result = where("Thường trực tổ chức hội nghị giao ban công tác quý III.", url=url)
    assert (result.city, result.locality) == (city, locality)
    assert result.source == ("url" if city else None)
    assert result.start is None


def test_district_subdomain_only_counts_inside_its_province():
    result = where("Hội nghị giao ban.", url="https://dinhhoa.hungyen.gov.vn/x")
    assert (result.city, result.locality) == ("Hưng Yên", None)


def test_names_as_at_the_time_of_the_meeting():
    text = "Chiều 20/7, Ban Thường vụ Tỉnh ủy Hà Nam họp giao ban."
    assert where(text, year=2023).city == "Hà Nam"
    assert where(text).city == "Hà Nam"
    assert where(text, year=2026).city == "Ninh Bình"
    assert where(text, year=2025).city == "Hà Nam"
    assert where(text + " Sau sáp nhập, tỉnh mới ...", year=2025).city == "Ninh Bình"
    assert where("UBND tỉnh Thừa Thiên Huế họp.", year=2023).city == "Thừa Thiên Huế"
    assert where("UBND thành phố Huế họp.", year=2026).city == "Huế"


def test_title_outside_the_text_is_weighed_without_a_span():
    result = where("Hội nghị đã thành công tốt đẹp.", title="Tỉnh ủy Bắc Ninh giao ban quý I")
    assert (result.city, result.start) == ("Bắc Ninh", None)


# -- real articles ----------------------------------------------------------------------------


def _gold() -> list[dict]:
    path = SHARED / "corpus" / "dev" / "gold.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.skipif(not _gold(), reason="shared corpus not present")
@pytest.mark.parametrize("gold", _gold(), ids=lambda g: Path(g["path"]).stem[:24])
def test_dev_articles_and_seeds_give_their_gold_city(gold):
    text = normalize((SHARED / "corpus" / "dev" / gold["path"]).read_text(encoding="utf-8"))
    result = where(text, url=gold["url"])
    assert result.city in gold["city"]


@pytest.mark.skipif(not _gold(), reason="shared corpus not present")
def test_interesting_articles_locality():
    dev = SHARED / "corpus" / "dev" / "articles"
    by_stem = {g["path"].split("/")[-1][:2]: g for g in _gold()}
    expected = {"07": "thị xã Mỹ Hào", "19": "Quận 5", "10": None, "03": None}
    for prefix, locality in expected.items():
        gold = by_stem[prefix]
        text = normalize((dev / Path(gold["path"]).name).read_text(encoding="utf-8"))
        assert where(text, url=gold["url"]).locality == locality, prefix


# -- a district named like a province, or spelled like one -----------------------------------


@pytest.mark.parametrize(
    ("text", "city", "locality"),
    [
        # the kind word decides: huyện Hòa Bình is Bạc Liêu's, thành phố Hòa Bình the province's
        ("Huyện ủy Hòa Bình tổ chức hội nghị giao ban.", "Bạc Liêu", "huyện Hòa Bình"),
        ("Hội nghị tại huyện Hòa Bình, tỉnh Bạc Liêu.", "Bạc Liêu", "huyện Hòa Bình"),
        ("BẠC LIÊU – Ban Dân vận Huyện ủy Hòa Bình (Bạc Liêu) họp.", "Bạc Liêu", "huyện Hòa Bình"),
        ("Thành ủy Hòa Bình tổ chức hội nghị giao ban.", "Hòa Bình", "thành phố Hòa Bình"),
        ("Tỉnh ủy Hòa Bình tổ chức hội nghị giao ban.", "Hòa Bình", None),
        ("Ban Dân vận Huyện ủy Quảng Ninh (Quảng Bình) họp.", "Quảng Bình", "huyện Quảng Ninh"),
        ("Tỉnh ủy Quảng Ninh tổ chức hội nghị.", "Quảng Ninh", None),
        ("Huyện ủy Phù Yên tổ chức hội nghị.", "Sơn La", "huyện Phù Yên"),
        ("UBND tỉnh Phú Yên tổ chức hội nghị.", "Phú Yên", None),
        ("Huyện ủy Quang Bình tổ chức hội nghị.", "Hà Giang", "huyện Quang Bình"),
        ("Huyện ủy Thạnh Hóa tổ chức hội nghị.", "Long An", "huyện Thạnh Hóa"),
        # districts of one name in two provinces, of different kinds
        ("Quận ủy Tân Phú tổ chức hội nghị.", "Hồ Chí Minh", "quận Tân Phú"),
        ("Huyện ủy Tân Phú tổ chức hội nghị.", "Đồng Nai", "huyện Tân Phú"),
        ("Huyện ủy Bình Tân tổ chức hội nghị.", "Vĩnh Long", "huyện Bình Tân"),
        ("Thị ủy Sơn Tây tổ chức hội nghị.", "Hà Nội", "thị xã Sơn Tây"),
        ("Huyện ủy Sơn Tây tổ chức hội nghị.", "Quảng Ngãi", "huyện Sơn Tây"),
    ],
)
def test_the_kind_word_and_the_spelling_pick_the_district(text, city, locality):
    result = where(text, year=2022)
    assert (result.city, result.locality) == (city, locality)


def test_a_province_spelled_as_a_district_elsewhere_is_not_that_province():
    result = where("Đồng chí Quang Bình phát biểu. Ông Phù Yên dự.", year=2022)
    assert result.city is None
    # spellings of a province's own name still count
    assert where("Tỉnh ủy Đăk Lăk họp.", year=2022).city == "Đắk Lắk"
    assert where("Ủy ban MTTQ tỉnh Thanh Hoá họp.", year=2022).city == "Thanh Hóa"


def test_a_word_spelled_as_no_district_does_not_hide_the_next_name():
    # "Báo Yên" folds like the district Bảo Yên; "Yên Bái" after it is the province
    result = where("Hội nghị giao ban quý III.\nBáo Yên Bái", year=2022)
    assert result.city == "Yên Bái"
    assert where("Huyện ủy Bảo Yên (Lào Cai) họp.", year=2022).locality == "huyện Bảo Yên"


def test_a_province_named_after_a_person_needs_its_prefix():
    text = "Đoàn TNCS Hồ Chí Minh tỉnh tổ chức hội nghị.\nBáo Yên Bái"
    assert where(text, year=2019).city == "Yên Bái"
    assert where("Học tập và làm theo tư tưởng Hồ Chí Minh.").city is None
    assert where("Thành đoàn TP Hồ Chí Minh tổ chức hội nghị.").city == "Hồ Chí Minh"
    assert where("Ủy ban MTTQ Việt Nam Thành phố Hồ Chí Minh họp.").city == "Hồ Chí Minh"


def test_city_within_a_central_city_and_hue_by_era():
    text = "Thành ủy Thủ Đức tổ chức hội nghị giao ban với Khối MTTQ thành phố Thủ Đức."
    assert (where(text, year=2022).city, where(text, year=2022).locality) == (
        "Hồ Chí Minh",
        "thành phố Thủ Đức",
    )
    text = "Hội nghị giao ban Khối MTTQ và các tổ chức chính trị – xã hội thành phố Thủy Nguyên"
    assert where(text, year=2025).locality == "thành phố Thủy Nguyên"
    text = "Ủy ban MTTQ Việt Nam thành phố Huế tổ chức hội nghị giao ban."
    assert (where(text, year=2023).city, where(text, year=2023).locality) == (
        "Thừa Thiên Huế",
        "thành phố Huế",
    )
    assert (where(text, year=2026).city, where(text, year=2026).locality) == ("Huế", None)


def test_central_cities_come_from_the_gazetteer(gazetteer):
    central = {u["name"] for u in gazetteer["provinces"] if places.is_central_city(u["name"])}
    assert central == {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
    assert not places.is_central_city("Thừa Thiên Huế")  # a tỉnh until 2025-07-01
    assert not places.is_central_city(None)


def test_district_words():
    assert places.district_words(["Trần", "Văn", "Thời", "Nguyễn", "Văn", "Tám"]) == 3
    assert places.district_words(["Vũ", "Thu", "Hà", "Hà"]) == 0  # not Vũ Thư
    assert places.district_words(["Nguyễn", "Văn", "Trường"]) == 0


def test_the_host_table_is_what_its_script_makes():
    """data/hosts.json is generated: editing it by hand would be lost at the next run."""
    spec = importlib.util.spec_from_file_location(
        "build_hosts", ROOT / "scripts" / "build_hosts.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = json.loads((ROOT / "meetings/extraction/data/hosts.json").read_text("utf-8"))
    assert script.build() == shipped
    assert shipped["labels"]["haiphong"] == "Hải Phòng"
    assert len(shipped["labels"]) > 63  # every province, under each of its names


def test_the_venue_of_a_provincial_meeting_is_not_its_unit():
    result = where(
        "Ngày 13-7, tại huyện Định Hóa, Ban Dân vận Tỉnh ủy Thái Nguyên đã tổ chức Hội nghị "
        "giao ban công tác dân vận."
    )
    assert (result.city, result.locality) == ("Thái Nguyên", None)
