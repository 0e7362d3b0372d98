"""Dates held, the year when the text leaves it off, and reporting periods."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.extraction import dates, extract
from meetings.extraction.reader import layout
from meetings.extraction.result import Period


def _held(text: str, published: str | None = None) -> tuple[str | None, str | None]:
    article = extract(text, published=published)
    return article.held_on, article.held_until


@pytest.mark.parametrize(
    ("text", "published", "held"),
    [
        ("Sáng ngày 08/7/2019, Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết.", None, "2019-07-08"),
        ("?Ngày 29/5/2020, Ban Thường trực Ủy ban MTTQ tổ chức hội nghị.", None, "2020-05-29"),
        (
            "Chiều 29/12, tại Hội trường Văn phòng Thành ủy, hội nghị giao ban.",
            "2023-01-03",
            "2022-12-29",
        ),
        (
            "ĐÀ NẴNG – Sáng 5-4, Ban Dân vận Thành ủy đã tổ chức Hội nghị.",
            "2019-04-06",
            "2019-04-05",
        ),
        ("Ngày 23 tháng 10 năm 2023, Thành ủy tổ chức hội nghị.", None, "2023-10-23"),
    ],
)
def test_held_on(text, published, held):
    assert _held(text, published)[0] == held


def test_year_from_print_header_and_from_address():
    text = "Print Thứ Năm, 29/12/2022 16:05 Gốc\n\nChiều 29/12, hội nghị giao ban."
    assert _held(text) == ("2022-12-29", None)
    article = extract(
        "Ngày 14/10, Thường trực Thị ủy đã tổ chức giao ban.",
        url="https://myhao.hungyen.gov.vn/portal/Pages/2021-10-15/Thuong-truc.aspx",
    )
    assert article.held_on == "2021-10-14"


def test_year_from_the_reviewed_period():
    text = "Ngày 23/10, Thành ủy Hà Nội đã tổ chức Hội nghị giao ban quý III/2023."
    assert _held(text) == ("2023-10-23", None)
    # a year-end review held in January belongs to the next year
    text = "Ngày 10/1, Thành ủy tổ chức hội nghị tổng kết công tác năm 2022."
    assert _held(text)[0] == "2023-01-10"


def test_no_year_anywhere_gives_null_and_a_warning():
    article = extract("Chiều 29/12, tại Hội trường Văn phòng Thành ủy, hội nghị diễn ra.")
    assert article.held_on is None
    assert any(w.startswith("held_on") for w in article.warnings)


def test_multi_day_meeting():
    text = "Ngày 20 và 21/12/2023, HĐND thành phố tổ chức Kỳ họp thứ 15."
    assert _held(text) == ("2023-12-20", "2023-12-21")
    text = "Từ ngày 30/11 đến ngày 2/12/2023, Hội nghị Trung ương diễn ra."
    assert _held(text) == ("2023-11-30", "2023-12-02")


def test_document_dates_are_not_the_meeting_date():
    text = (
        "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 7/8/2023 của Ban Thường vụ Thành ủy.\n"
        "Sáng 15/9/2023, hội nghị được tổ chức."
    )
    assert _held(text)[0] == "2023-09-15"


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            "Hội nghị giao ban với MTTQ Việt Nam, các tổ chức chính trị – xã hội Thành phố quý "
            "III/2023.",
            ("quarter", 2023, 3),
        ),
        (
            "tổ chức giao ban công tác quý III năm 2021với MTTQ, nêu phương hướng nhiệm vụ quý IV "
            "năm 2021.",
            ("quarter", 2021, 3),
        ),
        (
            "Hội nghị giao ban công tác Dân vận quý I và triển khai nhiệm vụ Quý II năm 2019.",
            ("quarter", 2019, 1),
        ),
        (
            "hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2019, phương hướng nhiệm vụ trọng "
            "tâm 6 tháng cuối năm 2019.",
            ("half", 2019, 1),
        ),
        (
            "Hội nghị giao ban Khối MTTQ thành phố tổng kết công tác năm 2022, triển khai nhiệm "
            "vụ trọng tâm năm 2023.",
            ("year", 2022, None),
        ),
        (
            "Hội nghị giao ban về kết quả công tác năm 2023; phương hướng, nhiệm vụ trọng tâm năm "
            "2024.",
            ("year", 2023, None),
        ),
        ("Hội nghị sơ kết công tác 9 tháng đầu năm 2024.", ("nine_months", 2024, None)),
        ("Hội nghị giao ban công tác tháng 10/2023.", ("month", 2023, 10)),
    ],
)
def test_reviewed_period(lead, expected):
    period = dates.pick_period(lead, [(0, len(lead))])
    assert (period.kind, period.year, period.number) == expected


def test_forward_only_period_is_not_reviewed():
    lead = "Hội nghị triển khai nhiệm vụ năm 2024."
    assert dates.pick_period(lead, [(0, len(lead))]) is None


def test_yearless_period_takes_the_year_held():
    text = (
        "Hội nghị sơ kết công tác Mặt trận trong 6 tháng đầu năm\n"
        "Ngày 29/5/2020, Ban Thường trực tổ chức hội nghị sơ kết."
    )
    article = extract(text)
    assert (article.period.kind, article.period.year, article.period.number) == ("half", 2020, 1)
    assert article.period.label == "6 tháng đầu năm 2020"


def test_page_date_and_period_helpers():
    lines = layout("Thứ bảy, 06/04/2019 06:50\nSáng 5-4, hội nghị.")
    found = dates.page_date(lines, None)
    assert (found.date, found.source, found.exact) == (dt.date(2019, 4, 6), "page", True)
    assert dates.period_end(Period("quarter", 2023, 3)) == dt.date(2023, 9, 30)
    assert dates.period_label(Period("quarter", 2023, 3)) == "quý III/2023"
    assert dates.year_from_held(Period("year", None, None), dt.date(2023, 1, 10)) == 2022


# -- the year of a day/month date, from wherever the page gives it ------------------------------


def test_year_from_a_date_stamp_that_opens_the_lead():
    article = extract(
        "22:03 03/07/2024 Chiều 3-7, đồng chí Đỗ Mạnh Hiến chủ trì hội nghị giao ban 6 tháng "
        "đầu năm."
    )
    assert (article.held_on, article.sources["held_on"]) == ("2024-07-03", "page")
    assert article.text[article.evidence["held_on_year"].start :].startswith("22:03 03/07/2024")
    assert article.published == "2024-07-03"
    article = extract("Thứ Hai, 08/07/2024 | 10:15 Sáng 8/7, Ban Dân vận Tỉnh ủy tổ chức hội nghị.")
    assert article.held_on == "2024-07-08"


def test_a_lead_opening_on_its_own_full_date_is_no_page_stamp():
    article = extract("03/7/2024, Thành ủy tổ chức hội nghị giao ban. Chiều 3/7, hội nghị bế mạc.")
    assert article.published is None


def test_year_from_the_month_folder_of_the_address():
    article = extract(
        "Ngày 7-4, tại Hội nghị giao ban công tác dân vận, Ban Dân vận Thành ủy xác định.",
        url="https://baodanang.vn/channel/5399/201604/day-manh-phong-trao-2479746/index.htm",
    )
    assert (article.held_on, article.sources["held_on"]) == ("2016-04-07", "url")
    assert article.published is None  # the day of publication is not known


def test_year_from_another_full_date_of_the_text():
    article = extract(
        "Chiều 9/12, Ủy ban MTTQ tỉnh tổ chức hội nghị.\n"
        "Hội nghị đánh giá các hoạt động từ đầu năm; ngày 2/10/2023 tỉnh đã phát động phong trào."
    )
    assert (article.held_on, article.sources["held_on"]) == ("2023-12-09", "text_date")


def test_yearless_period_takes_the_year_it_is_written_with_elsewhere():
    article = extract(
        "Thị ủy tổ chức hội nghị giao ban 6 tháng đầu năm\n"
        "Thông tin chỉ đạo, điều hành\n"
        "Thị ủy tổ chức hội nghị giao ban 6 tháng đầu năm 2022. Đồng chí Trịnh Thị Hằng chủ trì."
    )
    assert (article.period.kind, article.period.year, article.period.number) == ("half", 2022, 1)
    assert article.sources["period_year"] == "text"


@pytest.mark.parametrize(
    "text",
    [
        "Hội nghị tổ chức tuyên dương tập thể nhân kỷ niệm 89 năm Ngày truyền thống công tác "
        "dân vận (15/10/1930 – 15/10/2019).",
        "Các đơn vị gửi báo cáo chậm nhất ngày 20/12/2023.",
        "Hội nghị tổng kết dự kiến tổ chức vào ngày 25/12/2023.",
        "Chào mừng kỷ niệm ngày thành lập Đảng 3/2/1930.",
    ],
)
def test_dates_that_are_not_when_the_meeting_was_held(text):
    assert extract("Hội nghị giao ban của Ban Dân vận Tỉnh ủy.\n" + text).held_on is None


def test_a_range_opened_by_tu_gives_first_and_last_day():
    text = (
        "Thực hiện chương trình công tác năm, từ 9 đến 11/3 năm 2010 Thường trực Quận uỷ đã làm "
        "việc với MTTQ và các đoàn thể chính trị - xã hội."
    )
    assert _held(text) == ("2010-03-09", "2010-03-11")


def test_the_reviewed_year_not_the_year_of_the_date_nor_the_planned_year():
    article = extract(
        "Quận uỷ làm việc với các đoàn thể\n"
        "Thực hiện chương trình công tác năm, từ 9 đến 11/3 năm 2010 Thường trực Quận uỷ đã làm "
        "việc với MTTQ và các đoàn thể.\n"
        "Năm qua, các đoàn thể hoạt động tích cực.\n"
        "Tại các buổi làm việc lãnh đạo Quận uỷ nghe báo cáo đánh giá kết quả công tác nổi bật "
        "trong năm 2009 và chương trình nhiệm vụ trọng tâm năm 2010."
    )
    assert (article.period.kind, article.period.year) == ("year", 2009)
    headline = extract(
        "Tổng kết công tác dân vận năm 2020, triển khai nhiệm vụ năm 2021\n"
        "Ngày 5/1/2021, Ban Dân vận Thành ủy tổ chức hội nghị."
    )
    assert (headline.period.kind, headline.period.year) == ("year", 2020)


def test_six_months_of_a_year_is_its_first_half():
    article = extract("Sáng 12/7, Ban Dân vận Tỉnh ủy giao ban công tác dân vận 6 tháng năm 2024.")
    assert (article.period.kind, article.period.year, article.period.number) == ("half", 2024, 1)
    article = extract("Ngày 3/1, hội nghị giao ban quý IV-2023 nêu nhiệm vụ 6 tháng đầu năm 2024.")
    assert (article.period.kind, article.period.number) == ("quarter", 4)
