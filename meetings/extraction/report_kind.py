"""Is the article a report of a meeting that took place? And if not, what is it?

Portals publish meeting reports among ceremonies, training courses, visits, awards, plans,
notices, campaigns and opinion pieces, often from the same bodies and with the same officials.
What the article reports is decided by the first event its headline names, else the first one
its lead names ("Ngày 14/8, Ủy ban MTTQ huyện tổ chức lớp tập huấn …" is a training course);
a meeting that is announced, planned or postponed is not one that took place. An article
whose headline and lead name no event is a meeting report only when its body says a meeting
was held ("Tại hội nghị, …", "Phát biểu kết luận tại hội nghị"). Words inside quotation marks
(campaign names, quoted speech) never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reader import Line
from .result import Span
from .text import Words, alternatives

MEETING = "meeting"
# What an article that is not a meeting report is, for its reason (the labels' "kind").
KIND_NAMES = {
    "ceremony": "a ceremony",
    "training": "a training course",
    "visit": "a visit or an inspection",
    "award": "an award presentation",
    "plan": "a plan of events to come",
    "notice": "a notice",
    "personnel": "a personnel decision",
    "campaign": "a campaign",
    "sports": "a sports or cultural event",
}

_MEETING_NOUN = (
    r"hội nghị|giao ban|cuộc họp|buổi họp|phiên họp|kỳ họp|họp báo|hội thảo|tọa đàm|toạ đàm|"
    r"buổi làm việc|làm việc với|sơ kết|tổng kết|đối thoại|tiếp xúc cử tri|họp"
)
_EVENTS = (
    (MEETING, _MEETING_NOUN),
    (
        "ceremony",
        r"(?:buổi )?lễ (?:bàn giao|kỷ niệm|khánh thành|khởi công|ra mắt|phát động|trao|tuyên "
        r"dương|đón nhận|công bố|mít tinh|khai giảng|bế giảng|tốt nghiệp|động thổ|gắn biển|dâng "
        r"hương|viếng|truy điệu|ký kết|hưởng ứng|chào cờ|thượng cờ|xuất quân|giao nhận|tổng kết)|"
        r"buổi lễ|mít tinh|(?:tổ chức|diễn ra) (?:trọng thể )?(?:lễ|Lễ)\b",
    ),
    ("training", r"tập huấn|lớp bồi dưỡng|bồi dưỡng (?:kiến thức|nghiệp vụ|kỹ năng)|lớp học"),
    (
        "visit",
        r"(?:đến |đi )?thăm(?! dò)|trao quà|tặng quà|chúc [Tt]ết|kiểm tra (?:tiến độ|hiện "
        r"trường|thực tế|công tác)|khảo sát thực tế|thị sát",
    ),
    (
        "award",
        r"trao (?:tặng )?(?:huy hiệu|bằng khen|giấy khen|huân chương|danh hiệu|giải|kỷ niệm "
        r"chương|cờ thi đua)|khen thưởng|vinh danh",
    ),
    ("personnel", r"bổ nhiệm|điều động|luân chuyển|chuẩn y|miễn nhiệm|(?:công bố|trao) quyết định"),
    ("campaign", r"chiến dịch|ra quân"),
    (
        "sports",
        r"thể thao|vận động viên|thi đấu|giải bóng|hội thi|hội diễn|liên hoan|văn nghệ|hội thao|"
        r"TDTT",
    ),
)
_EVENT_KINDS = frozenset(kind for kind, _ in _EVENTS if kind != MEETING)
# Where an event can begin (text.Words): every alternative of _EVENTS opens with one of these.
_EVENT_AT = Words(
    *alternatives(
        "hội nghị|giao ban|cuộc họp|buổi họp|phiên họp|kỳ họp|họp|hội thảo|tọa đàm|toạ đàm|"
        "buổi làm việc|làm việc|sơ kết|tổng kết|đối thoại|tiếp xúc|buổi lễ|lễ|mít tinh|tổ chức|"
        "diễn ra|tập huấn|lớp|bồi dưỡng|đến|đi|thăm|trao|tặng|chúc|kiểm tra|khảo sát|thị sát|"
        "khen thưởng|vinh danh|bổ nhiệm|điều động|luân chuyển|chuẩn y|miễn nhiệm|công bố|"
        "chiến dịch|ra quân|thể thao|vận động viên|thi đấu|giải|hội thi|hội diễn|liên hoan|"
        "văn nghệ|hội thao|TDTT"
    )
)
_EVENT = re.compile("|".join(f"(?P<{kind}>(?<![\\w]){rx}(?![\\w]))" for kind, rx in _EVENTS), re.I)
# A meeting announced, planned or put off has not taken place.
_NOT_YET = re.compile(
    r"(?:(?P<plan>kế hoạch|dự kiến|sẽ|chuẩn bị)|(?P<notice>thay đổi (?:thời gian|địa điểm)|"
    r"hoãn|lùi|mời|giấy mời|thông báo|triệu tập))(?:\s+\S+){0,3}\s*$",
    re.I,
)
# A headline or first line that is itself a plan or a notice.
_DOCUMENT_OPENING = re.compile(
    r"^\W*(?P<plan>kế hoạch|chương trình (?:hành động|công tác)|dự thảo)\b|"
    r"^\W*(?P<notice>thông báo|giấy mời|thay đổi thời gian|hoãn|phân luồng|lịch (?:công tác|"
    r"làm việc|tiếp công dân))\b",
    re.I,
)
# The body says that a meeting took place.
_HELD = re.compile(
    r"(?<![\w])(?:tại|dự|chủ trì|tổ chức|khai mạc|bế mạc|kết luận|phát biểu tại|trong)\s+"
    r"(?:buổi |cuộc )?(?:hội nghị|cuộc họp|buổi họp|buổi làm việc|kỳ họp|phiên họp|buổi giao "
    r"ban|hội thảo|tọa đàm|toạ đàm)(?![\w])|(?<![\w])hội nghị (?:đã|được tổ chức|diễn ra)",
    re.I,
)
_QUOTED = re.compile(r"“[^”\n]{0,1500}”|\"[^\"\n]{0,1500}\"|‘[^’\n]{0,300}’|«[^»\n]{0,1500}»")
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")
LEAD_SENTENCES = 2


@dataclass(frozen=True)
class ReportKind:
    """What the article reports: a meeting (with None as reason) or something else."""

    is_meeting_report: bool
    kind: str  # "meeting", a key of KIND_NAMES, or "other"
    reason: str | None = None
    evidence: Span | None = None


def _unquoted(text: str) -> str:
    """The text with quoted passages blanked (same length, so offsets still hold)."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def _lead_sentences(text: str, line: Line, count: int) -> tuple[int, int]:
    """The span of the first `count` sentences of a line."""
    end, pos = line.start, line.start
    for _ in range(count):
        m = _SENTENCE_END.search(text, pos, line.end)
        if m is None:
            return line.start, line.end
        end = pos = m.end()
    return line.start, end


def _first_event(text: str, start: int, end: int) -> tuple[str, re.Match] | None:
    for m in _EVENT_AT.finditer(_EVENT, text, start, end, sliced=False):
        kind = m.lastgroup or ""
        if kind == MEETING and (
            later := _NOT_YET.search(text, max(start, m.start() - 40), m.start())
        ):
            return later.lastgroup or "notice", m
        return kind, m
    return None


def classify(text: str, body: list[Line], headline: Line | None) -> ReportKind:
    """What the article reports (see the module docstring)."""
    plain = _unquoted(text)
    rest = [line for line in body if line is not headline]
    opening = [headline] if headline else rest[:1]
    for line in opening:
        if document := _DOCUMENT_OPENING.match(plain, line.start, line.end):
            kind = document.lastgroup or "notice"
            return _not_meeting(kind, Span(document.start(kind), document.end(kind)), text)
    lede = [_lead_sentences(plain, line, LEAD_SENTENCES) for line in rest[:2]]
    first_sentence = _lead_sentences(plain, rest[0], 1) if rest else None
    titled = _first_event(plain, headline.start, headline.end) if headline else None
    if titled and titled[0] in _EVENT_KINDS:
        # "Khen thưởng 20 tập thể …" over a lede that reports the meeting they were honoured at
        led = _first_event(plain, *first_sentence) if first_sentence else None
        if led and led[0] == MEETING:
            titled = led
    for found in [titled] + [_first_event(plain, start, end) for start, end in lede]:
        if found is None:
            continue
        kind, m = found
        if kind == MEETING:
            return ReportKind(True, MEETING, None, Span(m.start(), m.end()))
        return _not_meeting(kind, Span(m.start(), m.end()), text)
    for line in body:
        if held := _HELD.search(plain, line.start, line.end):
            return ReportKind(True, MEETING, None, Span(held.start(), held.end()))
    return ReportKind(
        False,
        "other",
        "not a meeting report: no meeting (hội nghị, giao ban, cuộc họp …) is reported as held",
    )


def _not_meeting(kind: str, span: Span, text: str) -> ReportKind:
    words = f" (“{text[span.start : span.end]}”)"
    return ReportKind(False, kind, f"not a meeting report: {KIND_NAMES[kind]}{words}", span)
