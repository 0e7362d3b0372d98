"""Organisations, expanded to full names that carry the article's place."""

from __future__ import annotations

from meetings.extraction.organizations import (
    Context,
    find_organizations,
    unique,
)

HANOI = Context("Hà Nội", None, "thành phố")


def _orgs(text: str, context: Context = HANOI) -> list[tuple[str, str, str | None]]:
    found = unique(find_organizations(text, [(0, len(text))], context))
    for o in found:
        assert text[o.evidence.start : o.evidence.end] == o.name
    return [(o.name, o.canonical, o.abbreviation) for o in found]


def test_abbreviated_and_full_names_resolve_to_one_canonical():
    text = (
        "Phó Chủ tịch LĐLĐ thành phố Hà Nội Lê Đình Hùng phát biểu. Liên đoàn Lao động Thành "
        "phố đã vượt 320% chỉ tiêu."
    )
    found = find_organizations(text, [(0, len(text))], HANOI)
    assert [(o.name, o.canonical, o.abbreviation) for o in found] == [
        ("LĐLĐ thành phố Hà Nội", "Liên đoàn Lao động thành phố Hà Nội", "LĐLĐ"),
        ("Liên đoàn Lao động Thành phố", "Liên đoàn Lao động thành phố Hà Nội", "LĐLĐ"),
    ]


def test_party_committees_and_mttq_take_the_city():
    assert _orgs("Ban Dân vận Thành uỷ và Ủy ban MTTQ Việt Nam Thành phố", HANOI) == [
        ("Ban Dân vận Thành uỷ", "Ban Dân vận Thành ủy Hà Nội", "BDV"),
        (
            "Ủy ban MTTQ Việt Nam Thành phố",
            "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
            "UBMTTQ",
        ),
    ]
    province = Context("Khánh Hòa", None, "tỉnh")
    assert _orgs("Ban Dân vận Tỉnh ủy phối hợp", province) == [
        ("Ban Dân vận Tỉnh ủy", "Ban Dân vận Tỉnh ủy Khánh Hòa", "BDV")
    ]


def test_locality_fills_district_bodies():
    ctx = Context("Hồ Chí Minh", "Quận 5", "thành phố")
    assert _orgs("Ủy ban MTTQ Việt Nam Quận 5 và UBND Quận", ctx) == [
        # a numbered district's name is "Quận 5", however the article writes its level
        ("Ủy ban MTTQ Việt Nam Quận 5", "Ủy ban Mặt trận Tổ quốc Việt Nam Quận 5", "UBMTTQ"),
        ("UBND Quận", "Ủy ban nhân dân Quận 5", "UBND"),
    ]


def test_lowercase_generic_words_are_no_organisation():
    assert _orgs("tổ chức thành công Đại hội nông dân các cấp") == []


def test_unnamed_level_before_a_person():
    assert _orgs("Chủ tịch UBND huyện Nguyễn Văn Trường báo cáo", Context()) == [
        ("UBND huyện", "Ủy ban nhân dân huyện", "UBND")
    ]


# -- a generic body takes its level and place ---------------------------------------------------


def test_a_bare_body_is_the_one_named_with_its_place_elsewhere_in_the_article():
    text = (
        "Quý I/2023, Ban Dân vận Thành ủy Dĩ An đã tham mưu kế hoạch phối hợp giữa Ban Dân vận "
        "với HĐND-UBND-UBMTTQVN."
    )
    context = Context("Bình Dương", "thành phố Dĩ An", "tỉnh")
    names = [canonical for _, canonical, _ in _orgs(text, context)]
    assert names[0] == "Ban Dân vận Thành ủy Dĩ An"
    assert "Ban Dân vận" not in names
    assert "Hội đồng nhân dân thành phố Dĩ An" in names


def test_a_bare_body_takes_the_meetings_unit():
    district = Context("Hà Nội", "huyện Mê Linh", "thành phố")
    text = "Đồng chí Hoàng Văn Tân - Ủy viên Ban Thường vụ, Chủ tịch Hội Nông dân phát biểu."
    assert [c for _, c, _ in _orgs(text, district)] == [
        "Ban Thường vụ Huyện ủy Mê Linh",
        "Hội Nông dân huyện Mê Linh",
    ]
    province = Context("Thái Nguyên", None, "tỉnh")
    text = "Đồng chí Phùng Đình Thiệu, Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Tỉnh ủy."
    assert [c for _, c, _ in _orgs(text, province)] == [
        "Ban Thường vụ Tỉnh ủy Thái Nguyên",
        "Ban Dân vận Tỉnh ủy Thái Nguyên",
    ]


def test_classes_of_bodies_are_not_organisations():
    text = (
        "Dự hội nghị có Trưởng Ban Dân vận các huyện, thị, thành ủy; Chủ tịch Ủy ban MTTQ Việt "
        "Nam các xã, thị trấn và đại biểu HĐND các cấp."
    )
    assert _orgs(text, Context("Yên Bái", None, "tỉnh")) == []


def test_party_congress_committee_and_numbered_districts():
    text = "Đề án số 04-ĐA/TU của Ban Chấp hành Đảng bộ tỉnh về công tác dân vận."
    assert [c for _, c, _ in _orgs(text, Context("Khánh Hòa", None, "tỉnh"))] == [
        "Ban Chấp hành Đảng bộ tỉnh Khánh Hòa"
    ]
    quan5 = Context("Hồ Chí Minh", "Quận 5", "thành phố")
    text = "Ông Phạm Quốc Huy – Phó Bí thư Quận ủy, Chủ tịch Ủy ban MTTQ Việt Nam Quận 5."
    assert [c for _, c, _ in _orgs(text, quan5)] == [
        "Quận ủy Quận 5",
        "Ủy ban Mặt trận Tổ quốc Việt Nam Quận 5",
    ]


def test_a_lower_units_one_word_name_is_part_of_the_body():
    text = "Ban Dân vận Thành ủy Pleiku vừa tổ chức Hội nghị tổng kết công tác dân vận."
    found = _orgs(text, Context("Gia Lai", "thành phố Pleiku", "tỉnh"))
    assert found[0][:2] == ("Ban Dân vận Thành ủy Pleiku", "Ban Dân vận Thành ủy Pleiku")
