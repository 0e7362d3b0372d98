"""Dates: when the meeting was held (held_on/held_until) and the period it reviews.

Vietnamese reports often leave the year off the date ("Chiều 29/12"); it is then taken from
the publication date (given, or printed on the page, or in the address), else from the
reporting period, else left null with a warning. Never guessed from the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .reader import Line
from .result import Period, Span
from .text import alternatives, any_word, scan

# --- date mentions -----------------------------------------------------------------------------

_TIME_OF_DAY = (
    r"(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Hh]ôm nay|[Hh]ôm qua|[Cc]hiều qua|"
    r"[Ss]áng qua|[Tt]ối qua|[Ss]áng nay|[Cc]hiều nay)"
)
_PREFIX_BEFORE = re.compile(
    rf"(?P<prefix>{_TIME_OF_DAY}(?:\s+ngày)?|[Nn]gày|[Vv]ào ngày|[Tt]ừ ngày|"
    r"[Tt]rong (?:hai |2 |ba |3 )?ngày)"
    r"\s*\(?\s*$"
)
# "từ 9 đến 11/3 năm 2010": a range may open with a bare "từ"
_RANGE_PREFIX_BEFORE = re.compile(r"(?P<prefix>[Tt]ừ)\s*$")
_Y = r"(?:\s*[/.-]\s*(?P<{n}>\d{{4}})|\s+năm\s+(?P<{n}n>\d{{4}}))?"
# the patterns start at a digit (fast); the prefix before it ("Sáng", "Ngày") is looked up after.
# _DAY: one or two digits not after a digit, "/", "." or ",". Its first digit comes before the
# look-behind (which checks the character before that digit), so `re` skips to digits in C
# instead of trying the whole pattern at every position.
_DAY = r"(?P<d>\d(?<![\d/.,]\d)\d?)"
# "23-24/10/2023", "23 và 24/10", "từ ngày 23 đến ngày 25/10"
_RANGE_SAME_MONTH = re.compile(
    _DAY + r"\s*(?:-|–|và|,|đến(?: ngày)?)\s*"
    r"(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?![\d])" + _Y.format(n="y")
)
# "ngày 23/10 đến ngày 2/11"
_RANGE_TWO_MONTHS = re.compile(
    _DAY + r"\s*/\s*(?P<m>\d{1,2})"
    r"(?:\s*/\s*(?P<y>\d{4}))?\s*(?:-|–|đến(?: ngày)?)\s*(?P<d2>\d{1,2})\s*/\s*"
    r"(?P<m2>\d{1,2})(?:\s*/\s*(?P<y2>\d{4}))?(?![\d])"
)
_SINGLE = re.compile(
    _DAY + r"\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})"
    r"(?![\d])(?:\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)|\s+năm\s+(?P<yn>\d{4}))?"
)
_WORDY = re.compile(_DAY + r"\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<y>\d{4}))?")


_ANY_DIGIT = re.compile(r"\d")


def _prefix(text: str, floor: int, pos: int, is_range: bool = False) -> tuple[str | None, int]:
    m = _PREFIX_BEFORE.search(text, max(floor, pos - 24), pos)
    if m is None and is_range:
        m = _RANGE_PREFIX_BEFORE.search(text, max(floor, pos - 6), pos)
    return (m["prefix"], m.start()) if m else (None, pos)


@dataclass(frozen=True)
class DateMention:
    """A calendar date (or range) written in the text; year may be missing."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    prefix: str | None
    day2: int | None = None
    month2: int | None = None
    year2: int | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def _valid(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _int(v: str | None) -> int | None:
    return int(v) if v else None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date or date range in text[start:end], ranges first, no overlaps."""
    return list(_find_dates(text, start, len(text) if end is None else end))


@lru_cache(maxsize=1024)
def _find_dates(text: str, start: int, end: int) -> tuple[DateMention, ...]:
    # several modules ask about the same lines of the same article: remember the answer
    if not _ANY_DIGIT.search(text, start, end):
        return ()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _RANGE_TWO_MONTHS.finditer(text, start, end):
        d, mo, d2, mo2 = int(m["d"]), int(m["m"]), int(m["d2"]), int(m["m2"])
        prefix, s = _prefix(text, start, m.start(), is_range=True)
        if _valid(d, mo) and _valid(d2, mo2) and (prefix or m["y"] or m["y2"]):
            found.append(
                DateMention(
                    s,
                    m.end(),
                    d,
                    mo,
                    _int(m["y"]) or _int(m["y2"]),
                    prefix,
                    d2,
                    mo2,
                    _int(m["y2"]) or _int(m["y"]),
                )
            )
            taken.append((m.start(), m.end()))
    for m in _RANGE_SAME_MONTH.finditer(text, start, end):
        d, d2, mo = int(m["d"]), int(m["d2"]), int(m["m"])
        year = _int(m["y"]) or _int(m["yn"])
        if not (_valid(d, mo) and _valid(d2, mo) and d < d2 and free(m.start(), m.end())):
            continue
        prefix, s = _prefix(text, start, m.start(), is_range=True)
        if not (prefix or year):
            continue
        found.append(DateMention(s, m.end(), d, mo, year, prefix, d2, mo, year))
        taken.append((m.start(), m.end()))
    for rx in (_SINGLE, _WORDY):
        for m in rx.finditer(text, start, end):
            d, mo = int(m["d"]), int(m["m"])
            year = _int(m["y"]) or _int(m.groupdict().get("yn"))
            if not _valid(d, mo) or not free(m.start(), m.end()):
                continue
            prefix, s = _prefix(text, start, m.start())
            # "5-4" or "5.4" with no year and no "ngày/Sáng" before it is too often not a date
            if not prefix and not year and m.groupdict().get("sep", "/") != "/":
                continue
            found.append(DateMention(s, m.end(), d, mo, year, prefix))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda x: x.start)
    return tuple(found)


# --- publication date --------------------------------------------------------------------------

_PAGE_DATE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d{2})(?!\d)"
)
_URL_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?!\d)")
# "/201604/", "/2016/04/": a folder of the month the page was published in
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/?(?P<m>0[1-9]|1[0-2])/")
_TIME = r"\d{1,2}\s*[:h]\s*\d{2}(?:\s*(?:AM|PM|SA|CH))?"
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
# A page's date stamp opening a line that goes on with the article: "22:03 03/07/2024 Chiều
# 3-7, …", "Thứ Hai, 08/07/2024 | 10:15 …". A time or a weekday tells it from a lead that
# opens on the meeting's own date.
_STAMP = re.compile(
    rf"^\W*(?:(?P<wd>{_WEEKDAY})\s*,?\s*(?:ngày\s*)?)?(?:(?P<t1>{_TIME})\s*[,|–-]?\s*)?"
    r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d{2})(?!\d)"
    rf"(?:\s*[,|–-]?\s*(?P<t2>{_TIME}))?",
    re.I,
)


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


@dataclass(frozen=True)
class PageDate:
    """When the page was published, from the page itself or its address."""

    date: dt.date  # the day; the month's last day when only the month is known
    source: str  # "page" (a stamp printed on the page) or "url"
    exact: bool = True  # False: only the year and month are known ("/201604/")
    span: Span | None = None  # the stamp in the text


def page_stamp(line: Line) -> PageDate | None:
    """The date stamp a line is, or opens with (see _STAMP)."""
    if line.kind in ("boilerplate", "masthead"):
        m = _PAGE_DATE.search(line.text)
        stamp = True
    else:
        m = _STAMP.match(line.text)
        stamp = m is not None and bool(m["wd"] or m["t1"] or m["t2"])
    if m is None or not stamp:
        return None
    date = _make(int(m["y"]), int(m["m"]), int(m["d"]))
    if date is None:
        return None
    return PageDate(date, "page", span=Span(line.start + m.start(), line.start + m.end()))


def page_date(lines: list[Line], url: str | None) -> PageDate | None:
    """The publication date printed on the page (a stamp line, or the stamp opening a line of
    the lead) or in its address ("/2021-10-15/", else the month of "/201604/")."""
    for line in lines[:12]:
        if (found := page_stamp(line)) is not None:
            return found
    if url:
        m = _URL_DATE.search(url)
        if m and (date := _make(int(m["y"]), int(m["m"]), int(m["d"]))):
            return PageDate(date, "url")
        m = _URL_MONTH.search(url)
        if m:
            y, mo = int(m["y"]), int(m["m"])
            last = dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
            return PageDate(last, "url", exact=False)
    return None


# --- the date held -----------------------------------------------------------------------------

_STRONG_PREFIX = re.compile(_TIME_OF_DAY + r"|[Vv]ào ngày|[Tt]ừ ngày|[Tt]rong")
# case-insensitive patterns of words, and where their matches can begin (text.Words)
_MEETING_WORDS, _MEETING_WORDS_AT = any_word(
    "hội nghị", "giao ban", "tổ chức", "diễn ra", "khai mạc", "họp", "chủ trì", "sơ kết", "tổng kết"
)
# a date right after these is a deadline, a document's date or a plan, not the meeting
_NOT_HELD_BEFORE = re.compile(
    r"(?:trước|hạn|đến|tới|kể từ|ban hành|ký|của|từ|chậm nhất|muộn nhất|tính đến|tính từ|"
    r"đến hết|hết)\s+(?:ngày\s*)?$|"
    r"(?:/[A-ZĐa-zđ]{1,6}|[-–][A-ZĐ]{1,6}[A-Z]*)[,\s]*(?:ngày\s*)?$",
    re.I,
)
# …and after these, a date still to come, even "vào ngày …" or "sáng …"
_PLANNED_BEFORE = re.compile(
    r"(?:dự kiến|sẽ|chuẩn bị|kế hoạch)(?:\s+(?:được|tổ chức|diễn ra|họp|khai mạc|vào|trong))*"
    r"\s*$",
    re.I,
)
# A date of what is commemorated: "kỷ niệm 89 năm Ngày truyền thống công tác dân vận
# (15/10/1930 – 15/10/2019)", "ngày thành lập Đảng (3/2/1930)".
_COMMEMORATED, _COMMEMORATED_AT = any_word(
    "kỷ niệm",
    "thành lập",
    "truyền thống",
    "ngày sinh",
    "sinh nhật",
    "giải phóng",
    "chiến thắng",
    "ngày lễ",
    "quốc khánh",
    "ngày truyền thống",
    "tuổi Đảng",
    "ra đời",
    "hy sinh",
)
LONGEST_MEETING = dt.timedelta(days=31)


@dataclass
class Held:
    """The resolved date held, its range end, evidence and how the year was found."""

    on: dt.date | None = None
    until: dt.date | None = None
    evidence: Span | None = None
    source: str | None = None
    warning: str | None = None


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    b_candidates = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i != -1]
    return a, min(b_candidates) if b_candidates else len(text)


def _not_held(text: str, mention: DateMention, line: Line) -> bool:
    """A date that is not when a meeting was held: a deadline, a plan, a document's date, a
    commemorated day, or a span of years."""
    strong = mention.prefix is not None and _STRONG_PREFIX.match(mention.prefix) is not None
    before = text[max(line.start, mention.start - 40) : mention.start]
    if _PLANNED_BEFORE.search(before) or (_NOT_HELD_BEFORE.search(before) and not strong):
        return True
    if mention.year and mention.year2 and mention.year2 != mention.year:
        return True  # "(18/11/1930 – 18/11/2020)"
    start = _make(mention.year or 2000, mention.month, mention.day)
    until = mention.day2 and _make(
        mention.year2 or mention.year or 2000, mention.month2 or mention.month, mention.day2
    )
    if start and until and until - start > LONGEST_MEETING:
        return True
    if strong:
        return False
    clause = max(text.rfind(c, line.start, mention.start) for c in ".;:\n") + 1
    clause = max(clause, line.start, mention.start - 80)
    in_parens = text.rfind("(", clause, mention.start) > text.rfind(")", clause, mention.start)
    commemorated = _COMMEMORATED_AT.search(_COMMEMORATED, text, clause, mention.start)
    return commemorated is not None or (in_parens and bool(mention.year or mention.year2))


def held_candidates(
    text: str, body: list[Line], excluded: list[tuple[int, int]]
) -> list[tuple[int, DateMention]]:
    """(rank of the line, mention) of every date in the body that may be when it was held."""
    out = []
    for rank, line in enumerate(body):
        for mention in find_dates(text, line.start, line.end):
            if any(a <= mention.start < b for a, b in excluded):
                continue
            if not _not_held(text, mention, line):
                out.append((rank, mention))
    return out


def pick_held(text: str, body: list[Line], excluded: list[tuple[int, int]]) -> DateMention | None:
    """The date mention that most likely says when the meeting was held."""
    best, best_score = None, None
    for rank, mention in held_candidates(text, body, excluded):
        score = -min(rank, 10)
        if mention.prefix and _STRONG_PREFIX.match(mention.prefix):
            score += 6
        elif mention.prefix:
            s, _ = _sentence_of(text, mention.start)
            head = text[s : mention.start].strip(" ?♦️•-–—*(")
            score += 4 if len(head) <= 25 else 1
        if not mention.prefix and not mention.year:
            score -= 4
        s, e = _sentence_of(text, mention.start)
        if _MEETING_WORDS_AT.search(_MEETING_WORDS, text, s, e):
            score += 3
        if best_score is None or score > best_score:
            best, best_score = mention, score
    return best


def _closest_year(month: int, day: int, anchor: dt.date, years: list[int]) -> dt.date | None:
    options = [d for y in years if (d := _make(y, month, day))]
    if not options:
        return None
    return min(options, key=lambda d: abs((d - anchor).days))


def resolve_year(
    mention: DateMention,
    published: PageDate | None,
    period: Period,
    other_date: dt.date | None = None,
) -> Held:
    """Give the mention a year: its own; else the publication's (given, printed on the page
    or in its address); else the reviewed period's; else that of another full date of the
    text (`other_date`). `held.source` says which."""
    held = Held(evidence=mention.span)
    month, day = mention.month, mention.day
    if mention.year:
        held.on, held.source = _make(mention.year, month, day), "text"
    elif published:
        anchor = published.date
        # a report appears on or after the meeting, seldom more than a few months later
        held.on = _closest_year(
            month, day, anchor - dt.timedelta(days=30), [anchor.year, anchor.year - 1]
        )
        if held.on and held.on > anchor + dt.timedelta(days=7):
            held.on = _make(anchor.year - 1, month, day)
        held.source = published.source
    elif period.year and period.kind:
        end = period_end(period)
        held.on = _closest_year(month, day, end, [period.year, period.year + 1])
        held.source = "period"
    elif other_date:
        years = [other_date.year - 1, other_date.year, other_date.year + 1]
        held.on, held.source = _closest_year(month, day, other_date, years), "text_date"
    else:
        held.warning = (
            f"held_on: the date {day}/{month} has no year, and neither a publication date, a "
            "reporting period nor another full date gives one"
        )
        return held
    if held.on is None:
        held.warning = f"held_on: {day}/{month} is not a calendar date"
        return held
    if mention.day2:
        year = mention.year2 or held.on.year
        until = _make(year, mention.month2 or month, mention.day2)
        if until and until < held.on:
            until = _make(year + 1, mention.month2 or month, mention.day2)
        held.until = until
    return held


def other_full_date(
    text: str, body: list[Line], excluded: list[tuple[int, int]], skip: DateMention
) -> dt.date | None:
    """The first other date of the text that has its year (and is not a deadline, a
    document's date or a commemorated day): a yearless date held takes its year."""
    for _, mention in held_candidates(text, body, excluded):
        date = mention.year and _make(mention.year, mention.month, mention.day)
        if mention is not skip and date:
            return date
    return None


# --- the reporting period ----------------------------------------------------------------------

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_YEAR_AFTER = r"(?:\s*(?:/|-|–)\s*|\s+(?:năm\s+)?)(?P<y>(?:19|20)\d{2})(?!\d)"
_PERIOD = re.compile(
    r"(?P<quarter>\b[Qq]uý\s+(?P<q>IV|I{1,3}|[1-4])(?![\w]))(?:"
    + _YEAR_AFTER.replace("y>", "qy>")
    + r")?"
    # "6 tháng đầu năm", "6 tháng cuối năm", and "6 tháng năm 2024" for the first half
    r"|(?P<half>\b(?:6|06|sáu)\s+tháng(?:\s+(?P<hw>đầu|cuối)(?:\s+năm)?|\s+năm))"
    r"(?:\s+(?P<hy>(?:19|20)\d{2})(?!\d))?"
    r"|(?P<nine>\b(?:9|09|chín)\s+tháng(?:\s+đầu)?(?:\s+năm)?)(?:\s+(?P<ny>(?:19|20)\d{2})(?!\d))?"
    r"|(?P<month>(?<![\d]\s)\b[Tt]háng\s+(?P<mn>1[0-2]|0?[1-9])(?!\d))"
    r"(?:\s*(?:/|-)\s*|\s+năm\s+)(?P<my>(?:19|20)\d{2})(?!\d)"
    r"|(?P<year>\b[Nn]ăm\s+(?P<yy>(?:19|20)\d{2})(?!\d))",
)
# Where a period mention can begin (see text.scan): each alternative opens with a literal.
_PERIOD_START = re.compile(r"Quý|quý|Tháng|tháng|Năm|năm|6\s|06\s|sáu|9\s|09\s|chín")
_PERIOD_WORD = re.compile(r"Quý|quý|Tháng|tháng|Năm|năm")
_FORWARD, _FORWARD_AT = any_word(
    *alternatives(
        "triển khai|phương hướng|kế hoạch|chương trình|sắp tới|thời gian tới|mục tiêu|dự kiến|"
        "nêu|đề ra|bàn|chuẩn bị"
    )
)
_REVIEW, _REVIEW_AT = any_word(
    *alternatives(
        "giao ban|tổng kết|sơ kết|kết quả|đánh giá|trong|công tác|hoạt động|báo cáo|thực hiện|"
        "hội nghị|nhìn lại"
    )
)
_YEAR_CONTEXT, _YEAR_CONTEXT_AT = any_word(
    "tổng kết", "kết quả", "giao ban", "công tác", "hoạt động", "nhìn lại", "đánh giá"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|,\s+(?=triển khai|phương hướng|nêu|đề ra)")
_ENDS_WITH_DIGIT = re.compile(r"\d\s*$")


@dataclass
class PeriodMention:
    """A period written in the text, marked as reviewed or forward-looking."""

    period: Period
    forward: bool
    start: int
    end: int


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Where the clause that runs up to `pos` starts (at most 90 characters back)."""
    start = max(floor, pos - 90)
    breaks = list(_CLAUSE_BREAK.finditer(text[start:pos]))
    return start + breaks[-1].end() if breaks else start


def _is_forward(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] looks forward (plans) more recently than it reviews."""
    forward = _FORWARD_AT.finditer(_FORWARD, text, start, end)
    review = _REVIEW_AT.finditer(_REVIEW, text, start, end)
    last_forward = max((m.end() for m in forward), default=-1)
    last_review = max((m.end() for m in review), default=-1)
    return last_forward > last_review


def find_periods(text: str, start: int, end: int) -> list[PeriodMention]:
    """Every period mention in text[start:end]; yearless ones borrow a later year of the clause.

    The mentions are shared between callers (cached): copy a period before changing it.
    """
    return list(_find_periods(text, start, end))


@lru_cache(maxsize=1024)
def _find_periods(text: str, start: int, end: int) -> tuple[PeriodMention, ...]:
    if not _PERIOD_WORD.search(text, start, end):
        return ()
    out: list[PeriodMention] = []
    # "từ 9 đến 11/3 năm 2010": the year of a date is no period
    in_dates = [(d.start, d.end) for d in find_dates(text, start, end)]
    for m in scan(_PERIOD, _PERIOD_START, text, start, end):
        if any(a <= m.start() < b for a, b in in_dates):
            continue
        if m["quarter"]:
            kind, number, year = "quarter", _ROMAN.get(m["q"].upper()) or int(m["q"]), m["qy"]
        elif m["half"]:
            kind, number, year = "half", 2 if m["hw"] == "cuối" else 1, m["hy"]
        elif m["nine"]:
            kind, number, year = "nine_months", None, m["ny"]
        elif m["month"]:
            kind, number, year = "month", int(m["mn"]), m["my"]
        else:
            clause = _clause_start(text, m.start(), start)
            context = _YEAR_CONTEXT_AT.search(_YEAR_CONTEXT, text, clause, m.start())
            if not context or _ENDS_WITH_DIGIT.search(text[clause : m.start()]):
                continue
            kind, number, year = "year", None, m["yy"]
        clause = _clause_start(text, m.start(), start)
        period = Period(
            kind,
            int(year) if year else None,
            number,
            text[m.start() : m.end()],
            Span(m.start(), m.end()),
        )
        out.append(PeriodMention(period, _is_forward(text, clause, m.start()), m.start(), m.end()))
    # "quý I và triển khai nhiệm vụ quý II năm 2019": the year written once serves both
    for i, pm in enumerate(out):
        if pm.period.year is None:
            sentence_end = _sentence_of(text, pm.start)[1]
            for later in out[i + 1 :]:
                if later.start > sentence_end:
                    break
                if later.period.year:
                    year = later.period.year
                    both_quarters = pm.period.kind == later.period.kind == "quarter"
                    if both_quarters and (later.period.number or 0) < (pm.period.number or 0):
                        year -= 1  # "quý IV và nhiệm vụ quý I/2024": the review is of 2023
                    pm.period.year = year
                    break
    return tuple(out)


def year_elsewhere(text: str, period: Period, regions: list[tuple[int, int]]) -> int | None:
    """The year of a yearless period, written with the same period elsewhere in the text
    ("6 tháng đầu năm" in the headline, "6 tháng đầu năm 2022" in the body)."""
    for start, end in regions:
        for pm in find_periods(text, start, end):
            p = pm.period
            if p.year and (p.kind, p.number) == (period.kind, period.number) and not pm.forward:
                return p.year
    return None


def pick_period(text: str, regions: list[tuple[int, int]]) -> Period | None:
    """The first reviewed (not forward-looking) period of the first region that has one."""
    for start, end in regions:
        mentions = [pm for pm in find_periods(text, start, end) if not pm.forward]
        specific = [pm for pm in mentions if pm.period.kind != "year"]
        # "quý III/2023" says more than a bare "năm 2023" in the same lead
        for pm in specific or mentions:
            return replace(pm.period)
    return None


def period_end(period: Period) -> dt.date:
    """Last day of a period (its year must be known)."""
    y = period.year or 1
    if period.kind == "quarter" and period.number:
        month = period.number * 3
    elif period.kind == "half" and period.number:
        month = 6 * period.number
    elif period.kind == "nine_months":
        month = 9
    elif period.kind == "month" and period.number:
        month = period.number
    else:
        month = 12
    nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def year_from_held(period: Period, held: dt.date) -> int:
    """The year of a yearless period reviewed at a meeting held on `held`."""
    best: tuple[int, int] | None = None
    for y in (held.year, held.year - 1):
        end = period_end(Period(period.kind, y, period.number))
        # a review meeting is held shortly before or after the end of what it reviews
        distance = abs((held - end).days) + (0 if end <= held + dt.timedelta(days=45) else 400)
        if best is None or distance < best[0]:
            best = (distance, y)
    assert best is not None  # two years were weighed
    return best[1]


def period_label(period: Period) -> str | None:
    """A readable label: "quý III/2023", "6 tháng đầu năm 2024", "năm 2022"."""
    if not period.kind:
        return None
    y = f"{period.year}" if period.year else ""
    if period.kind == "quarter":
        roman = {v: k for k, v in _ROMAN.items()}.get(period.number or 0, "?")
        return f"quý {roman}/{y}" if y else f"quý {roman}"
    if period.kind == "half":
        part = "đầu" if period.number == 1 else "cuối"
        return f"6 tháng {part} năm {y}".strip()
    if period.kind == "nine_months":
        return f"9 tháng năm {y}".strip()
    if period.kind == "month":
        return f"tháng {period.number}/{y}" if y else f"tháng {period.number}"
    return f"năm {y}".strip()
