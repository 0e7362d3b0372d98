"""The headline, the kind of meeting and the body it concerns.

A headline is the first body line that is not a lead paragraph; failing that, a line that
names the meeting ("QR CODE: Hội nghị giao ban …"); failing that, a title built from the
meeting's type, body, period and city.
"""

from __future__ import annotations

import re

from .reader import Line
from .result import Span
from .text import fold_same_length

_LEAD_START = re.compile(
    r"^\W*(?:ngày|sáng|chiều|tối|trưa|đêm|hôm nay|hôm qua|vào|trong|từ ngày|chiều qua|sáng qua|"
    r"sáng nay|chiều nay|tối qua|\d{1,2}\s*[/-]\s*\d{1,2})\b",
    re.I,
)
_DATELINE = re.compile(r"^[A-ZĐÀ-Ỹ .]{2,30}\s*[–—-]\s*\S")
_CREDIT_LINE = re.compile(r"^(?:tin|bài|ảnh|tin bài|bài viết)\b[^:]{0,12}:", re.I)
_QR_TITLE = re.compile(r"^QR\s*CODE\s*:\s*(?P<title>.{10,300})$", re.I)
_MEETING_NAME = re.compile(
    r"hội nghị|giao ban|sơ kết|tổng kết|kỳ họp|phiên họp|cuộc họp|hội thảo|tọa đàm|toạ đàm", re.I
)

_TYPE = re.compile(
    r"(?P<head>hoi nghi|cuoc hop|phien hop|ky hop)?\s*(?P<kind>giao ban|so ket|tong ket)?"
)
_KIND_NAMES = {"giao ban": "giao ban", "so ket": "sơ kết", "tong ket": "tổng kết"}
_HEAD_NAMES = {
    "hoi nghi": "Hội nghị",
    "cuoc hop": "Cuộc họp",
    "phien hop": "Phiên họp",
    "ky hop": "Kỳ họp",
}
_TYPE_SEARCH = re.compile(
    r"(?<![\w])(?:(?P<head>hoi nghi|cuoc hop|phien hop|ky hop)"
    r"(?:\s+(?P<kind>giao ban|so ket|tong ket))?"
    r"|(?P<kind2>giao ban|so ket|tong ket)|(?P<session>(?:buoi )?lam viec voi))(?![\w])"
)
# The meeting is with the bloc when the bloc follows its name: "Hội nghị giao ban (với) Khối
# MTTQ …", "giao ban công tác quý III năm 2021 với MTTQ và các đoàn thể chính trị xã hội".
_MEETING_NOUN = re.compile(
    r"(?<![\w])(?:hoi nghi|giao ban|so ket|tong ket|cuoc hop|lam viec)(?![\w])"
)
_KHOI_REACH = 110  # characters after the meeting's name in which the bloc may be named
_KHOI = re.compile(
    r"(?<![\w])(?:khoi\s+)?(?:(?:uy ban\s+)?mat tran(?: to quoc)?|mttq|ubmttq)(?:\s*\(mttq\))?"
    r"(?:\s+viet nam)?\s*(?:,|va|voi)\s+(?:cac\s+)?(?:to chuc|doan the)\s+chinh\s+tri"
    r"(?![\w])"
)
_ORGANISER = re.compile(r"\s+(?:(?:đã|vừa|đã vừa)\s+)?(?:phối hợp[^.;:]{0,120}?\s+)?tổ chức\b")


def find_title(text: str, lines: list[Line]) -> tuple[str | None, Span | None, str | None]:
    """(headline, its span, how it was found) — or Nones when the text has none."""
    for line in lines:
        if line.kind != "body":
            continue
        stripped = line.text.strip()
        if _CREDIT_LINE.match(stripped):
            continue
        if (
            len(stripped) <= 250
            and not _LEAD_START.match(stripped)
            and not _DATELINE.match(stripped)
            and ". " not in stripped
            and not stripped.endswith(".")
            and len(stripped.split()) >= 4
        ):
            off = line.start + line.text.index(stripped)
            return stripped, Span(off, off + len(stripped)), "headline"
        break
    for line in lines:
        m = _QR_TITLE.match(line.text.strip())
        if m and _MEETING_NAME.search(m["title"]):
            off = line.start + line.text.index(m["title"])
            return m["title"].strip(), Span(off, off + len(m["title"].strip())), "qr_code"
    return None, None, None


def meeting_type(text: str, regions: list[tuple[int, int]]) -> str | None:
    """ "Hội nghị giao ban", "Hội nghị sơ kết", "Hội nghị tổng kết", "Kỳ họp", "Buổi làm việc"
    … or None."""
    folded = fold_same_length(text)
    fallback = None
    for start, end in regions:
        for m in _TYPE_SEARCH.finditer(folded, start, end):
            if m["session"]:
                fallback = fallback or "Buổi làm việc"
                continue
            kind = m["kind"] or m["kind2"]
            head = _HEAD_NAMES.get(m["head"] or "", "Hội nghị")
            if kind:
                return f"{head} {_KIND_NAMES[kind]}"
            if fallback is None:
                fallback = head
    return fallback


def meeting_body(text: str, regions: list[tuple[int, int]], organiser_names) -> str | None:
    """The bloc the meeting concerns ("Khối MTTQ Việt Nam và các tổ chức chính trị - xã hội"),
    else the organisation that held it ("Ban Dân vận Tỉnh ủy … tổ chức hội nghị")."""
    folded = fold_same_length(text)
    for start, end in regions:
        for meeting in _MEETING_NOUN.finditer(folded, start, end):
            clause_end = min(end, meeting.end() + _KHOI_REACH)
            stop = re.search(r"[.;:]\s", folded[meeting.end() : clause_end])
            if stop:
                clause_end = meeting.end() + stop.start()
            if _KHOI.search(folded, meeting.end(), clause_end):
                return "Khối MTTQ Việt Nam và các tổ chức chính trị - xã hội"
    for start, end in regions:
        for org in organiser_names:
            if start <= org.evidence.start < end and _ORGANISER.match(text, org.evidence.end):
                return org.canonical
    return None


def build_title(
    kind: str | None, body: str | None, period_label: str | None, city: str | None
) -> str | None:
    """A title for an article without a headline, from what was extracted."""
    parts = [p for p in (kind, body, period_label) if p]
    if not parts:
        return None
    title = " ".join(parts)
    return f"{title} ({city})" if city else title
