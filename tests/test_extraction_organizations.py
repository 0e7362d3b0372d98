"""Organisations, expanded to full names that carry the article's place."""

from __future__ import annotations

from meetings.extraction.organizations import (
    Context,
    expand_abbreviations,
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
        ("Ủy ban MTTQ Việt Nam Quận 5", "Ủy ban Mặt trận Tổ quốc Việt Nam quận 5", "UBMTTQ"),
        ("UBND Quận", "Ủy ban nhân dân quận 5", "UBND"),
    ]


def test_lowercase_generic_words_are_no_organisation():
    assert _orgs("tổ chức thành công Đại hội nông dân các cấp") == []


def test_unnamed_level_before_a_person():
    assert _orgs("Chủ tịch UBND huyện Nguyễn Văn Trường báo cáo", Context()) == [
        ("UBND huyện", "Ủy ban nhân dân huyện", "UBND")
    ]


def test_expand_abbreviations():
    assert expand_abbreviations("LĐLĐ thành phố") == "Liên đoàn Lao động thành phố"
