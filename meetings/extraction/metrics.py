"""Reported figures: money, percentages, counts of things and ratios to a target.

Vietnamese writes 1.200 for twelve hundred and 1,5 for one and a half; number words scale
digits ("gần 14 ngàn", "15 ngàn 100", "1 tỷ 200 triệu đồng"). Dates, years, ordinals
("lần thứ"), terms ("nhiệm kỳ 2023 – 2028"), durations and anniversaries ("89 năm") are
not figures, nor are numbers inside quoted names ("Chương trình “1 triệu sáng kiến”").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .reader import Line
from .result import Metric, Span

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?:\.\d{1,2}(?!\d))?|\d+"
_WORD_DIGITS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
}  # fmt: skip
_SCALES = {"trăm": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_SCALE_RX = r"(?:trăm|nghìn|ngàn|triệu|tỷ|tỉ)"
_START = re.compile(
    rf"(?<![\w.,/-])(?P<num>{_NUM})(?![\w])"
    rf"|(?=[mhbnstcMHBNSTC])(?<![\w])(?P<word>một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"
    rf"\s+(?={_SCALE_RX}\b)",
    re.I,
)
_QUALIFIERS = {
    "trên": "over", "hơn": "over", "gần": "nearly", "khoảng": "about", "xấp xỉ": "about",
    "ước": "about", "ước tính": "about", "vượt": "exceeds", "dưới": "under", "đạt": "reached",
    "tối thiểu": "at least", "ít nhất": "at least", "lên tới": "up to", "lên đến": "up to",
    "tăng": "increase", "giảm": "decrease", "chỉ": "only",
}  # fmt: skip
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|[\s(])(?P<q>" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+$", re.I
)
_MONEY = re.compile(r"\s*(?P<u>đồng|VNĐ|VND|vnđ|đ(?![\w])|USD|usd|đô la|Đô la)", re.I)
_PERCENT = re.compile(r"\s*(?:%|phần trăm)")
_RATIO = re.compile(rf"\s*/\s*(?P<den>{_NUM})(?![\w/])")
_NOUN = re.compile(r"\s+(?P<phrase>[^\W\d_]+(?:\s+[^\W\d_]+){0,7})")
_NOT_UNIT = re.compile(
    r"^(?:năm|tháng|quý|ngày|tuần|giờ|phút|giây|tuổi|thế kỷ|lần|kỳ|khóa|khoá|nhiệm kỳ|giai đoạn|"
    r"độ|h|g|và|của|trong|đến|tới|với|là|các|những|từ|tại|trên|dưới|hoặc|hay|thì|mà|để|cho|"
    r"theo|về|đã|sẽ|được|bị|này|đó|nay|sau|trước|ra|vào|khi|nên|cũng|đều|giữa|bằng|như|"
    r"tiếp|mới|lại|ngay|rồi|thôi|trở|gồm)$",
    re.I,
)
_BEFORE_EXCLUDES = re.compile(
    r"(?:^|[\s(])(?:quận|phường|xã|huyện|số|thứ|khóa|khoá|kỳ|tổ|khu phố|khu|ấp|thôn|điều|khoản|"
    r"mục|chương|lần|năm|tháng|quý|ngày|lúc|top|đợt|phiên|mã|nhóm|loại|hạng|tập|trang|tuyến|"
    r"quốc lộ|tỉnh lộ|đường|lô|căn|phòng|tầng|sáng|chiều|tối|trưa|kỷ niệm|covid|cấp độ|"
    r"nghị định|chỉ thị|nghị quyết|kết luận|quyết định|kế hoạch|đề án|thông tri|thông báo|"
    r"công văn|thông tư|luật|chương trình|pháp lệnh|hướng dẫn|quy định|bài|vòng|giải|số lượng)"
    r"\s*$",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_QUOTES = re.compile(r"“[^”\n]{0,200}”|\"[^\"\n]{0,200}\"|‘[^’\n]{0,120}’")


def parse_number(raw: str) -> float:
    """Vietnamese digits: "1.200" → 1200, "1,5" → 1.5, "2.5" → 2.5."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        return float(raw.replace(".", "").replace(",", "."))
    return float(raw.replace(",", "."))


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


def _scaled(text: str, pos: int, first: float) -> tuple[float, int, bool]:
    """Apply scale words after a number: (value, end, scaled) — "15 ngàn 100", "1 tỷ 200 triệu"."""
    total, current, end, scaled = 0.0, first, pos, False
    token = re.compile(rf"\s+(?:(?P<scale>{_SCALE_RX})(?![\w])|(?P<num>{_NUM})(?![\w/]))", re.I)
    last_scale = None
    while True:
        m = token.match(text, end)
        if not m:
            break
        if m["scale"]:
            factor = _SCALES[m["scale"].lower()]
            if factor == 100:
                current *= 100
            else:
                if last_scale is not None and factor >= last_scale:
                    break  # "200 nghìn tỷ" style stacks are not parsed
                total += current * factor
                current = 0.0
                last_scale = factor
            scaled = True
            end = m.end()
        elif scaled and current == 0.0:
            # "15 ngàn 100": a trailing number after a scale word adds to it
            nxt = parse_number(m["num"])
            after = token.match(text, m.end())
            if last_scale and nxt < last_scale:
                current = nxt
                end = m.end()
                if not (after and after["scale"]):
                    break
            else:
                break
        else:
            break
    return total + current, end, scaled


def _noun_words(phrase: str) -> list[str]:
    words = []
    for word in phrase.split():
        if words and _NOT_UNIT.match(word):
            break
        words.append(word)
    return words


def find_metrics(
    text: str,
    body: list[Line],
    excluded: list[tuple[int, int]],
    organization_at: Callable[[int, int], str | None] | None = None,
) -> list[Metric]:
    """Figures in body lines, skipping the excluded spans (dates, directives, periods)."""
    out: list[Metric] = []
    seen: set[tuple] = set()
    for line in body:
        quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text, line.start, line.end)]
        for m in _START.finditer(text, line.start, line.end):
            s = m.start()
            if any(a <= s < b for a, b in excluded) or any(a < s < b for a, b in quotes):
                continue
            before = text[max(line.start, s - 20) : s]
            if _BEFORE_EXCLUDES.search(before):
                continue
            if m["word"]:
                first, num_end = float(_WORD_DIGITS[m["word"].lower()]), m.end() - 1
            else:
                first, num_end = parse_number(m["num"]), m.end()
            value, end, scaled = _scaled(text, num_end, first)
            unit = target = label = None
            money = _MONEY.match(text, end)
            pct = _PERCENT.match(text, end)
            ratio = None if scaled else _RATIO.match(text, end)
            if money:
                unit = "USD" if money["u"].lower() in ("usd", "đô la") else "VND"
                end = money.end()
            elif pct:
                unit = "%"
                end = pct.end()
            elif ratio:
                target = parse_number(ratio["den"])
                if target < value or _YEAR.fullmatch(ratio["den"]) or target == 0:
                    continue
                end = ratio.end()
            raw = m["num"] or ""
            if not (money or pct) and _YEAR.fullmatch(raw) and not scaled:
                continue  # a year
            noun = _NOUN.match(text, end)
            phrase = noun["phrase"] if noun else ""
            first_word = phrase.split()[0] if phrase else ""
            if unit is None:
                if not first_word or _NOT_UNIT.match(first_word):
                    if scaled and value >= 10**6:
                        unit = "VND"  # "hơn 55 tỷ" with the currency left implicit
                    else:
                        continue
                else:
                    unit = " ".join(_noun_words(phrase)[:4])
            if phrase and not _NOT_UNIT.match(first_word):
                label = " ".join(_noun_words(phrase)[:8])
            q = _QUALIFIER_BEFORE.search(before)
            qualifier = _QUALIFIERS.get(q["q"].lower()) if q else None
            key = (_tidy(value), target, unit)
            if key in seen:
                continue
            seen.add(key)
            org = None
            if organization_at:
                sentence_start = max(text.rfind(". ", line.start, s) + 2, line.start)
                org = organization_at(sentence_start, s)
            out.append(
                Metric(
                    value=_tidy(value),
                    unit=unit,
                    qualifier=qualifier,
                    target=_tidy(target) if target is not None else None,
                    label=label,
                    organization=org,
                    evidence=Span(s, end),
                )
            )
    return out
