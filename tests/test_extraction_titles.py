"""Headlines, meeting types and bodies."""

from __future__ import annotations

from meetings.extraction import extract
from meetings.extraction.reader import layout
from meetings.extraction.titles import build_title, find_title, meeting_type


def _title(text: str):
    return find_title(text, layout(text))[::2]


def test_first_line_headline_after_a_masthead():
    text = (
        "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nQUẬN 5 - THÀNH PHỐ HỒ CHÍ MINH\n\n"
        "Hội nghị sơ kết công tác Mặt trận trong 6 tháng đầu năm\n\n?Ngày 29/5/2020, hội nghị."
    )
    assert _title(text) == ("Hội nghị sơ kết công tác Mặt trận trong 6 tháng đầu năm", "headline")


def test_lead_paragraph_is_no_headline_but_a_qr_code_line_is():
    text = (
        "Print Thứ Năm, 29/12/2022 16:05 Gốc\n\nChiều 29/12, tại Hội trường, đồng chí chủ trì.\n"
        "Tiện ích thông tin\nQR Code\nQR CODE: Hội nghị giao ban Khối Mặt trận Tổ quốc Việt Nam "
        "tổng kết công tác năm 2022"
    )
    assert _title(text) == (
        "Hội nghị giao ban Khối Mặt trận Tổ quốc Việt Nam tổng kết công tác năm 2022",
        "qr_code",
    )
    assert _title("Sáng ngày 08/7/2019, Ban Dân vận Tỉnh ủy tổ chức hội nghị.") == (None, None)


def test_built_title_and_meeting_type():
    text = (
        "Sáng ngày 08/7/2019, Ban Dân vận Tỉnh ủy Khánh Hòa tổ chức hội nghị sơ kết công tác "
        "thi đua 6 tháng đầu năm 2019."
    )
    article = extract(text)
    assert article.meeting_type == "Hội nghị sơ kết"
    assert article.title.startswith("Hội nghị sơ kết Ban Dân vận Tỉnh ủy Khánh Hòa 6 tháng đầu")
    assert meeting_type("tổ chức giao ban công tác quý III", [(0, 33)]) == "Hội nghị giao ban"
    assert build_title(None, None, None, None) is None


def test_a_portals_section_label_is_never_the_headline():
    for label in ("Chính trị - Xã hội", "Thời sự - Chính trị", "Thông tin chỉ đạo, điều hành"):
        text = f"{label}\nĐẩy mạnh phong trào thi đua “Dân vận khéo”\nNgày 7-4, tại Hội nghị."
        assert _title(text) == ("Đẩy mạnh phong trào thi đua “Dân vận khéo”", "headline")
    assert [line.kind for line in layout("Chính trị - Kinh tế\nQuận uỷ làm việc")] == [
        "section",
        "body",
    ]


def test_the_body_that_held_it_unless_the_meeting_is_with_the_bloc():
    organised = extract(
        "Ban Dân vận Thành ủy Pleiku vừa tổ chức Hội nghị tổng kết công tác dân vận năm 2020.\n"
        "Năm 2020, MTTQ và các đoàn thể chính trị-xã hội đẩy mạnh phong trào thi đua."
    )
    assert organised.body == "Ban Dân vận Thành ủy Pleiku"
    assert organised.meeting_type == "Hội nghị tổng kết"
    with_bloc = extract(
        "Chiều 3-7, đồng chí Đỗ Mạnh Hiến chủ trì hội nghị giao ban của Thường trực Thành uỷ với "
        "MTTQ và các tổ chức chính trị thành phố."
    )
    assert with_bloc.body == "Khối MTTQ Việt Nam và các tổ chức chính trị - xã hội"
    working = extract("Quận uỷ làm việc với các đoàn thể\nNgày 9/3/2010, Quận ủy làm việc.")
    assert working.meeting_type == "Buổi làm việc"


def test_a_headline_in_capitals_is_no_agency_banner():
    text = (
        "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\n"
        "HỘI NGHỊ GIAO BAN CÔNG TÁC DÂN VẬN 6 THÁNG NĂM 2024\n"
        "Sáng nay (12/7), Ban Dân vận Tỉnh ủy tổ chức hội nghị giao ban công tác dân vận."
    )
    assert [line.kind for line in layout(text)] == ["masthead", "body", "body"]
    assert _title(text) == ("HỘI NGHỊ GIAO BAN CÔNG TÁC DÂN VẬN 6 THÁNG NĂM 2024", "headline")
