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
    r"[Tt]rong (?:hai |2 )?ngày)"
    r"\s*\(?\s*$"
)
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


def _prefix(text: str, floor: int, pos: int) -> tuple[str | None, int]:
    m = _PREFIX_BEFORE.search(text, max(floor, pos - 24), pos)
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
        prefix, s = _prefix(text, start, m.start())
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
        prefix, s = _prefix(text, start, m.start())
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


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def page_date(lines: list[Line], url: str | None) -> tuple[dt.date | None, str | None]:
    """The publication date printed on the page (header/stamp lines) or in its address."""
    for line in lines:
        if line.kind in ("boilerplate", "masthead"):
            m = _PAGE_DATE.search(line.text)
            if m:
                date = _make(int(m["y"]), int(m["m"]), int(m["d"]))
                if date:
                    return date, "page"
    if url:
        m = _URL_DATE.search(url)
        if m:
            date = _make(int(m["y"]), int(m["m"]), int(m["d"]))
            if date:
                return date, "url"
    return None, None


# --- the date held -----------------------------------------------------------------------------

_STRONG_PREFIX = re.compile(_TIME_OF_DAY + r"|[Vv]ào ngày|[Tt]ừ ngày|[Tt]rong")
# case-insensitive patterns of words, and where their matches can begin (text.Words)
_MEETING_WORDS, _MEETING_WORDS_AT = any_word(
    "hội nghị", "giao ban", "tổ chức", "diễn ra", "khai mạc", "họp", "chủ trì", "sơ kết", "tổng kết"
)
# a date right after these is a deadline or a document date, not the meeting
_NOT_HELD_BEFORE = re.compile(
    r"(?:trước|hạn|đến|tới|kể từ|ban hành|ký|của|từ)\s+(?:ngày\s*)?$|"
    r"(?:/[A-ZĐa-zđ]{1,6}|[-–][A-ZĐ]{1,6}[A-Z]*)[,\s]*(?:ngày\s*)?$"
)


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


def pick_held(text: str, body: list[Line], excluded: list[tuple[int, int]]) -> DateMention | None:
    """The date mention that most likely says when the meeting was held."""
    best, best_score = None, None
    for rank, line in enumerate(body):
        for mention in find_dates(text, line.start, line.end):
            if any(a <= mention.start < b for a, b in excluded):
                continue
            before = text[max(line.start, mention.start - 25) : mention.start]
            if _NOT_HELD_BEFORE.search(before) and not (
                mention.prefix and _STRONG_PREFIX.match(mention.prefix)
            ):
                continue
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
    published: dt.date | None,
    published_source: str | None,
    period: Period,
) -> Held:
    """Give the mention a year: its own, the publication's, or the reviewed period's."""
    held = Held(evidence=mention.span)
    month, day = mention.month, mention.day
    if mention.year:
        held.on, held.source = _make(mention.year, month, day), "text"
    elif published:
        # a report appears on or after the meeting, seldom more than a few months later
        held.on = _closest_year(
            month, day, published - dt.timedelta(days=30), [published.year, published.year - 1]
        )
        if held.on and held.on > published + dt.timedelta(days=7):
            held.on = _make(published.year - 1, month, day)
        held.source = published_source
    elif period.year and period.kind:
        end = period_end(period)
        held.on = _closest_year(month, day, end, [period.year, period.year + 1])
        held.source = "period"
    else:
        held.warning = (
            f"held_on: the date {day}/{month} has no year, and neither a publication date nor "
            "a reporting period gives one"
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


# --- the reporting period ----------------------------------------------------------------------

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_YEAR_AFTER = r"(?:\s*(?:/|-|–)\s*|\s+(?:năm\s+)?)(?P<y>(?:19|20)\d{2})(?!\d)"
_PERIOD = re.compile(
    r"(?P<quarter>\b[Qq]uý\s+(?P<q>IV|I{1,3}|[1-4])(?![\w]))(?:"
    + _YEAR_AFTER.replace("y>", "qy>")
    + r")?"
    r"|(?P<half>\b(?:6|06|sáu)\s+tháng\s+(?P<hw>đầu|cuối)(?:\s+năm)?)"
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
    for m in scan(_PERIOD, _PERIOD_START, text, start, end):
        if m["quarter"]:
            kind, number, year = "quarter", _ROMAN.get(m["q"].upper()) or int(m["q"]), m["qy"]
        elif m["half"]:
            kind, number, year = "half", 1 if m["hw"] == "đầu" else 2, m["hy"]
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
    best = None
    for y in (held.year, held.year - 1):
        end = period_end(Period(period.kind, y, period.number))
        # a review meeting is held shortly before or after the end of what it reviews
        distance = abs((held - end).days) + (0 if end <= held + dt.timedelta(days=45) else 400)
        if best is None or distance < best[0]:
            best = (distance, y)
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
