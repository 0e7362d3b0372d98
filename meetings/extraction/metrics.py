"""Reported figures: money, percentages, counts of things and ratios to a target.

Vietnamese writes 1.200 for twelve hundred and 1,5 for one and a half; number words scale
digits ("gần 14 ngàn", "15 ngàn 100", "1 tỷ 200 triệu đồng"). Dates, years, ordinals
("lần thứ"), terms ("nhiệm kỳ 2023 – 2028"), durations and anniversaries ("89 năm") are
not figures, nor are numbers inside quoted names ("Chương trình “1 triệu sáng kiến”").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .reader import Line
from .result import Metric, Span
from .text import Words, alternatives, case_key, fold_keep_length, scan, scan_at, word_offsets

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?:\.\d{1,2}(?!\d))?|\d+"
_WORD_DIGITS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
}  # fmt: skip
_SCALES = {"trăm": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_SCALE_RX = r"(?:trăm|nghìn|ngàn|triệu|tỷ|tỉ)"
# Where a figure starts: digits, or a number word before a scale word ("hai tỷ"). The two are
# found apart (see text.scan and text.scan_at); their matches never overlap.
_NUMBER = re.compile(rf"(?<![\w.,/-])(?P<num>{_NUM})(?![\w])", re.I)
_NUMBER_AT = re.compile(r"\d(?<![\w.,/-]\d)")
_NUMBER_WORDS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_NUMBER_WORD = re.compile(
    rf"(?=[mhbnstcMHBNSTC])(?<![\w])(?P<word>{'|'.join(_NUMBER_WORDS)})\s+(?={_SCALE_RX}\b)",
    re.I,
)
_NUMBER_WORDS_FOLDED = {fold_keep_length(w) for w in _NUMBER_WORDS}
_QUALIFIERS = {
    "trên": "over", "hơn": "over", "gần": "nearly", "khoảng": "about", "xấp xỉ": "about",
    "ước": "about", "ước tính": "about", "vượt": "exceeds", "dưới": "under", "đạt": "reached",
    "tối thiểu": "at least", "ít nhất": "at least", "lên tới": "up to", "lên đến": "up to",
    "tăng": "increase", "giảm": "decrease", "chỉ": "only",
}  # fmt: skip
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|[\s(])(?P<q>" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+$", re.I
)
_QUALIFIER_AT = Words(*_QUALIFIERS, after=r"\s+$")  # where a match's word can begin
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
_EXCLUDING_WORDS = alternatives(
    "quận|phường|xã|huyện|số|thứ|khóa|khoá|kỳ|tổ|khu phố|khu|ấp|thôn|điều|khoản|"
    "mục|chương|lần|năm|tháng|quý|ngày|lúc|top|đợt|phiên|mã|nhóm|loại|hạng|tập|trang|tuyến|"
    "quốc lộ|tỉnh lộ|đường|lô|căn|phòng|tầng|sáng|chiều|tối|trưa|kỷ niệm|covid|cấp độ|"
    "nghị định|chỉ thị|nghị quyết|kết luận|quyết định|kế hoạch|đề án|thông tri|thông báo|"
    "công văn|thông tư|luật|chương trình|pháp lệnh|hướng dẫn|quy định|bài|vòng|giải|số lượng"
)
_BEFORE_EXCLUDES = re.compile(r"(?:^|[\s(])(?:" + "|".join(_EXCLUDING_WORDS) + r")\s*$", re.I)
_EXCLUDING_AT = Words(*_EXCLUDING_WORDS, after=r"\s*$")  # where a match's word can begin
_YEAR = re.compile(r"(?:19|20)\d{2}")
_QUOTES = re.compile(r"“[^”\n]{0,200}”|\"[^\"\n]{0,200}\"|‘[^’\n]{0,120}’")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
# what may follow a number: a scale word, or a further number after one ("15 ngàn 100")
_SCALE_TOKEN = re.compile(rf"\s+(?:(?P<scale>{_SCALE_RX})(?![\w])|(?P<num>{_NUM})(?![\w/]))", re.I)


def parse_number(raw: str) -> float:
    """Vietnamese digits: "1.200" → 1200, "1,5" → 1.5, "2.5" → 2.5."""
    if _THOUSANDS.fullmatch(raw):
        return float(raw.replace(".", "").replace(",", "."))
    return float(raw.replace(",", "."))


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


def _scaled(text: str, pos: int, first: float) -> tuple[float, int, bool]:
    """Apply scale words after a number: (value, end, scaled) — "15 ngàn 100", "1 tỷ 200 triệu"."""
    total, current, end, scaled = 0.0, first, pos, False
    last_scale = None
    while True:
        m = _SCALE_TOKEN.match(text, end)
        if not m:
            break
        if m["scale"]:
            factor = _SCALES[case_key(m["scale"])]
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
            after = _SCALE_TOKEN.match(text, m.end())
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


@lru_cache(maxsize=4096)
def _not_unit(word: str) -> bool:
    """A word that is no unit (_NOT_UNIT): the same few words come back again and again."""
    return _NOT_UNIT.match(word) is not None


# Words that begin what is said of the things counted, not what they are: "25 đơn đạt tỷ lệ
# 76%" counts "đơn"; "100 hội viên tham gia" counts "hội viên".
_PREDICATE = frozenset(
    ["đạt", "chiếm", "tăng", "giảm", "vượt", "bằng", "hoàn", "đang", "đều", "tham", "nhận"]
    + ["ủng", "đóng", "góp", "triển"]
)


def _noun_words(phrase: str) -> list[str]:
    """The noun phrase a figure counts: the words after it up to a function word or a verb."""
    words: list[str] = []
    for word in phrase.split():
        if words and (_not_unit(word) or case_key(word) in _PREDICATE):
            break
        words.append(word)
    return words


def _ending_before(
    rx: re.Pattern, words: Words, text: str, start: int, end: int
) -> re.Match | None:
    """rx.search(text[start:end]) for rx = "(?:^|[\\s(])" + a case-insensitive alternation of
    `words` + what must end the slice: a search that is slow, so it is only tried from just
    before the first place where one of the words ends the slice, and not at all without one."""
    at = words.first(text, start, end)
    return None if at == -1 else rx.search(text[start:end], max(0, at - start - 1))


def find_metrics(
    text: str,
    body: list[Line],
    excluded: list[tuple[int, int]],
    organization_at: Callable[[int, int], str | None] | None = None,
) -> list[Metric]:
    """Figures in body lines, skipping the excluded spans (dates, directives, periods)."""
    out: list[Metric] = []
    seen: set[tuple] = set()
    # every excluded offset, once: the spans are short, the numbers many
    excluded_at = {i for a, b in excluded for i in range(a, b)}
    number_words = word_offsets(text, _NUMBER_WORDS_FOLDED)
    for line in body:
        quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text, line.start, line.end)]
        starts = [
            *scan(_NUMBER, _NUMBER_AT, text, line.start, line.end),
            *scan_at(_NUMBER_WORD, number_words, text, line.start, line.end),
        ]
        covered = line.start  # end of the last figure read: "15 ngàn 100" holds no "100"
        for m in sorted(starts, key=lambda m: m.start()):
            s = m.start()
            if s < covered or s in excluded_at or any(a < s < b for a, b in quotes):
                continue
            metric = _figure(text, m, line)
            if metric is None:
                continue
            covered = metric.evidence.end
            key = (metric.value, metric.target, metric.unit)
            if key in seen:
                continue
            seen.add(key)
            if organization_at:
                sentence_start = max(text.rfind(". ", line.start, s) + 2, line.start)
                metric.organization = organization_at(sentence_start, s)
            out.append(metric)
    return out


def _figure(text: str, m: re.Match, line: Line) -> Metric | None:
    """The figure a number starts (value, unit or target, label, qualifier), or None when
    it is none: a year, an ordinal, a house number, a ratio the wrong way round …"""
    s = m.start()
    before_start = max(line.start, s - 20)  # the words before the number
    if _ending_before(_BEFORE_EXCLUDES, _EXCLUDING_AT, text, before_start, s):
        return None
    word = m["word"] if m.re is _NUMBER_WORD else None
    if word:
        first, num_end = float(_WORD_DIGITS[case_key(word)]), m.end() - 1
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
            return None
        end = ratio.end()
    raw = (m["num"] if m.re is _NUMBER else None) or ""
    if not (money or pct) and _YEAR.fullmatch(raw) and not scaled:
        return None  # a year
    noun = _NOUN.match(text, end)
    phrase = noun["phrase"] if noun else ""
    first_word = phrase.split()[0] if phrase else ""
    if unit is None:
        if first_word and not _not_unit(first_word):
            unit = " ".join(_noun_words(phrase)[:4])
        elif scaled and value >= 10**6:
            unit = "VND"  # "hơn 55 tỷ" with the currency left implicit
        else:
            return None
    if phrase and not _not_unit(first_word):
        label = " ".join(_noun_words(phrase)[:8])
    q = _ending_before(_QUALIFIER_BEFORE, _QUALIFIER_AT, text, before_start, s)
    return Metric(
        value=_tidy(value),
        unit=unit,
        qualifier=_QUALIFIERS.get(q["q"].lower()) if q else None,
        target=_tidy(target) if target is not None else None,
        label=label,
        organization=None,
        evidence=Span(s, end),
    )
