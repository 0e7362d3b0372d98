"""Is an article a report of a meeting that took place, and if not, what is it?"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meetings.extraction import extract, read_article

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NEGATIVES = SHARED / "corpus" / "negatives"
DEV = SHARED / "corpus" / "dev"


@pytest.mark.parametrize(
    "text",
    [
        # the lead says it, the headline does not
        "Tiếp tục triển khai thực hiện “Năm dân vận chính quyền 2019”\n"
        "ĐÀ NẴNG – Sáng 5-4, Ban Dân vận Thành ủy đã tổ chức Hội nghị giao ban công tác Dân vận.",
        # a working session
        "Quận uỷ làm việc với các đoàn thể\nNgày 9/3/2010 Thường trực Quận uỷ đã làm việc.",
        # only the ending of the report: the body says a meeting was held
        "Phó Bí thư Thường trực Tỉnh ủy ghi nhận những việc làm được của khối Mặt trận\n"
        "Ông cho rằng cần nắm bắt tình hình.\nPhát biểu kết luận tại hội nghị, ông đề nghị.",
        # an award named in the headline, the meeting in the lede
        "Khen thưởng 20 tập thể có thành tích trong công tác dân vận\n"
        "Sáng 5/1, Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm 2023.",
        "Hội nghị tổng kết công tác Mặt trận năm 2023 và trao bằng khen cho 20 tập thể\n"
        "Sáng 5/1, Ủy ban MTTQ tỉnh tổ chức hội nghị.",
        "UBND tỉnh họp phiên thường kỳ tháng 3\nChiều 3/4, UBND tỉnh họp phiên thường kỳ.",
    ],
)
def test_meeting_reports(text):
    article = extract(text)
    assert article.is_meeting_report, article.not_meeting_reason
    assert article.not_meeting_reason is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Ngày 14/8/2019, Ủy ban MTTQ huyện tổ chức lớp tập huấn công tác Mặt trận cho 92 vị "
            "đại biểu.",
            "a training course",
        ),
        ("Ngày 4/2, Ủy ban MTTQ huyện đã tổ chức Lễ bàn giao 9 căn nhà Đại đoàn kết.", "ceremony"),
        (
            "Phó Chủ tịch UBND tỉnh thăm và làm việc tại huyện Văn Bàn\n"
            "Ngày 14/7, đồng chí Phó Chủ tịch đã đến thăm và làm việc với UBND huyện.",
            "visit",
        ),
        (
            "Thay đổi thời gian tổ chức Kỳ họp thứ Hai, Hội đồng nhân dân huyện Ba Vì\n"
            "Thường trực HĐND huyện đã thống nhất hoãn tổ chức Kỳ họp thứ Hai.",
            "notice",
        ),
        (
            "Kế hoạch tổ chức Hội nghị sơ kết 6 tháng đầu năm 2024\n"
            "Căn cứ chương trình công tác, Ban Dân vận xây dựng kế hoạch như sau.",
            "plan",
        ),
        (
            "Ủy ban MTTQ tỉnh sẽ tổ chức hội nghị tổng kết vào ngày 20/12\n"
            "Hội nghị dự kiến có 200 đại biểu tham dự.",
            "plan",
        ),
        (
            "Bổ nhiệm ông Nguyễn Văn An giữ chức Phó Giám đốc Sở Nội vụ\n"
            "Chiều 3/4, UBND tỉnh tổ chức công bố quyết định bổ nhiệm cán bộ.",
            "personnel",
        ),
        ("Trao Huy hiệu 55 năm tuổi Đảng tại xã Lục Dạ\nChiều 4/7, đồng chí Lô Văn Thao.", "award"),
        (
            "Sáng 5/6, xã Đoàn tổ chức lễ ra quân Chiến dịch Thanh niên tình nguyện hè năm 2024.",
            "ceremony",
        ),
        (
            "Đại hội quy tụ 12 đoàn thể thao với hơn 200 vận động viên tham gia.",
            "sports",
        ),
        (
            "Làm Trưởng Ban công tác Mặt trận thôn, ông Vũ Đình Trà luôn bám sát dân. “Phải mất "
            "5, 6 cuộc họp bàn, lấy ý kiến người dân mới làm được”, ông kể.",
            "no meeting",
        ),
    ],
)
def test_not_meeting_reports_say_what_they_are(text, kind):
    article = extract(text)
    assert not article.is_meeting_report
    assert article.not_meeting_reason.startswith("not a meeting report")
    assert kind in article.not_meeting_reason
    assert article.to_dict()["is_meeting_report"] is False


def _labels(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not NEGATIVES.exists(), reason="../shared/corpus/negatives is not here")
def test_real_articles_that_are_not_meeting_reports_are_refused():
    labels = _labels(NEGATIVES / "labels.jsonl")
    refused = []
    for label in labels:
        text, url, published = read_article(NEGATIVES / label["path"])
        article = extract(text, url=label.get("url") or url, published=published)
        if not article.is_meeting_report:
            refused.append(label["path"])
    assert len(labels) >= 10
    assert len(refused) >= 0.9 * len(labels), sorted({lb["path"] for lb in labels} - set(refused))


@pytest.mark.skipif(not DEV.exists(), reason="../shared/corpus/dev is not here")
def test_every_dev_article_is_a_meeting_report():
    for gold in _labels(DEV / "gold.jsonl"):
        text, url, published = read_article(DEV / gold["path"])
        article = extract(text, url=gold.get("url") or url, published=published)
        assert article.is_meeting_report, (gold["path"], article.not_meeting_reason)
