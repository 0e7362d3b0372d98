"""Metrics: money, percentages, counts, ratios and number words — and what is not one."""

from __future__ import annotations

import pytest

from meetings.extraction.metrics import find_metrics, parse_number
from meetings.extraction.reader import layout
from meetings.extraction.text import normalize


def _metrics(text: str):
    text = normalize(text)
    body = [line for line in layout(text) if line.is_body]
    return [(m.value, m.unit, m.qualifier, m.target) for m in find_metrics(text, body, [])]


def test_money_percent_ratio_and_counts():
    text = (
        "Ủy ban MTTQ Việt Nam Thành phố đã tiếp nhận trên 55 tỷ đồng ủng hộ Quỹ; đã vượt 320% "
        "chỉ tiêu được giao; thành lập được 328/400 Công đoàn cơ sở (đạt 82% kế hoạch năm); ra "
        "mắt 18 Chi hội nông dân nghề nghiệp và 22 Tổ hội nông dân nghề nghiệp; tổ chức 48 cuộc "
        "giám sát."
    )
    assert _metrics(text) == [
        (55_000_000_000, "VND", "over", None),
        (320, "%", "exceeds", None),
        (328, "Công đoàn cơ sở", None, 400),
        (82, "%", "reached", None),
        (18, "Chi hội nông dân", None, None),
        (22, "Tổ hội nông dân", None, None),
        (48, "cuộc giám sát", None, None),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hỗ trợ gần 14 ngàn hội viên", 14_000),
        ("kết nạp 15 ngàn 100 đoàn viên", 15_100),
        ("vận động 1 tỷ 200 triệu đồng", 1_200_000_000),
        ("kết nạp 1.250 hội viên mới", 1_250),
        ("đạt 55,8% kế hoạch", 55.8),
        ("quyên góp hai trăm triệu đồng", 200_000_000),
    ],
)
def test_number_words_and_separators(text, value):
    assert _metrics(text)[0][0] == value


def test_not_metrics():
    text = (
        "Đại hội Công đoàn Thành phố lần thứ XVII, nhiệm kỳ 2023 – 2028; kỷ niệm 60 năm ngày "
        "thành lập tỉnh và 89 năm Ngày truyền thống; chương trình “1 triệu sáng kiến”; dịch "
        "Covid-19; 6 tháng đầu năm 2024; Quận 5 tổ chức; Kỳ họp thứ 15; năm 2023."
    )
    assert _metrics(text) == []


def test_parse_number():
    assert parse_number("1.200") == 1200
    assert parse_number("1,5") == 1.5
    assert parse_number("2.5") == 2.5


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # re.IGNORECASE takes the dotless "ı" (and ſ, K) for i (s, k); lower() does not.
        ("vận động 1 tỷ 200 trıệu đồng", 1_200_000_000),
        ("quyên góp haı trăm triệu đồng", 200_000_000),
    ],
)
def test_letters_case_insensitive_patterns_take_for_others(text, value):
    assert _metrics(text)[0][0] == value


def test_a_number_inside_a_larger_figure_is_not_a_figure():
    found = _metrics(
        "Trung tâm giải quyết gần 14 ngàn hồ sơ/ 15 ngàn 100 hồ sơ đã tiếp nhận, tỷ lệ hồ sơ "
        "đúng hạn đạt 100%. Tổng cộng 15.100 hồ sơ."
    )
    values = [(value, unit) for value, unit, _, _ in found]
    assert values == [(14000, "hồ sơ"), (15100, "hồ sơ"), (100, "%")]


def test_the_label_is_the_noun_phrase_counted():
    text = normalize("Đến nay, đã giải quyết 25 đơn đạt tỷ lệ 76%; 100 hội viên tham gia.")
    body = [line for line in layout(text) if line.is_body]
    labels = {m.value: m.label for m in find_metrics(text, body, [])}
    assert labels[25] == "đơn"
    assert labels[100] == "hội viên"
