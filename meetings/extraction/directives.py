"""Numbered documents cited by an article: Chỉ thị, Nghị quyết, Kết luận, Quyết định …

`number` is the document's symbol as written ("24-CT/TU", "145/2020/NĐ-CP"); a bare number
("Chỉ thị 05 của Bộ Chính trị") is kept bare. "Quyết định 217, 218-QĐ/TW" cites two documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .result import Directive, Span
from .text import case_key, fold_keep_length, scan, scan_at, word_offsets

KINDS = {
    "chỉ thị": "Chỉ thị",
    "nghị quyết": "Nghị quyết",
    "kết luận": "Kết luận",
    "quyết định": "Quyết định",
    "kế hoạch": "Kế hoạch",
    "đề án": "Đề án",
    "thông tri": "Thông tri",
    "nghị định": "Nghị định",
    "nđ": "Nghị định",
    "pháp lệnh": "Pháp lệnh",
    "thông báo": "Thông báo",
    "thông tư": "Thông tư",
    "quy định": "Quy định",
    "hướng dẫn": "Hướng dẫn",
    "công văn": "Công văn",
    "chương trình": "Chương trình",
    "quyết nghị": "Quyết nghị",
    "luật": "Luật",
}
# the letters of a symbol name its kind when the text does not ("24-CT/TU")
CODE_KINDS = {
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "QD": "Quyết định",
    "KH": "Kế hoạch",
    "ĐA": "Đề án",
    "TT": "Thông tư",
    "TTr": "Thông tri",
    "NĐ": "Nghị định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "QĐi": "Quy định",
    "CTr": "Chương trình",
    "CV": "Công văn",
    "PL": "Pháp lệnh",
}

_KIND_WORDS = "|".join(sorted((k for k in KINDS if k != "nđ"), key=len, reverse=True))
_U = "A-ZĐÂĂÊÔƠƯ"
# symbol: "24-CT/TU", "04-ĐA/TU", "145/2020/NĐ-CP", "35/2019/QĐ-UBND", "217-QĐ/TW", "05/CT-TTg"
_SYMBOL = (
    rf"\d{{1,4}}(?:[-–]\s?[{_U}][{_U}a-zđi]{{0,5}}(?:/[{_U}][{_U}a-zđ]{{0,7}})+"
    rf"|/(?:(?:19|20)\d{{2}}/)?[{_U}][{_U}a-zđi]{{0,5}}(?:[-–][{_U}][{_U}a-zđ]{{0,7}})+"
    rf"|/(?:19|20)\d{{2}}(?:/[{_U}][{_U}a-zđi]{{0,5}}(?:[-–][{_U}][{_U}a-zđ]{{0,7}})*)?)"
)
_NUM = rf"(?:{_SYMBOL}|\d{{1,4}}(?![\d/.,]\d))"
_CITATION = re.compile(
    # the lookahead on first letters lets the scan skip most positions quickly
    rf"(?=[cnkqđtphlCNKQĐTPHL])(?P<kind>\b(?i:{_KIND_WORDS})\b|\bNĐ\b)(?:\s+(?:số|Số))?\s*"
    rf"(?P<nums>{_NUM}(?:\s*(?:,|và)\s*{_NUM})*)"
)
# after a bare number ("Chỉ thị 05 của …") only these may follow; "Kế hoạch 5 năm" is no citation
_AFTER_BARE = re.compile(r"\s*(?:$|[,;.:)”\"]|của\b|về\b|ngày\b|và\b|năm\s+(?:19|20)\d\d|[A-ZĐ])")
_BARE_SYMBOL = re.compile(rf"(?<![\w/-])(?P<num>{_SYMBOL})(?![\w/])")
# where a citation or a bare symbol can begin (see text.scan): a kind word in any case ("NĐ"
# folds to "nd"); up to four digits, not after a letter, digit, "/" or "-", then "-" or "/"
_KIND_WORDS_FOLDED = {fold_keep_length(w) for w in [*KINDS, "NĐ"]}
_BARE_SYMBOL_AT = re.compile(r"\d(?<![\w/-]\d)\d{0,3}[-–/]")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_NUMBER_OVER_YEAR = re.compile(r"\d+/(?:19|20)\d{2}")
_CODE_IN_NUMBER = re.compile(rf"[-–/]([{_U}][{_U}a-zđi]{{0,5}})(?:/|[-–]|$)")
_SUFFIX = re.compile(r"\d{1,4}([-–][^/\s]+/.+)$")
_ONE_NUM = re.compile(_NUM)
_ISSUED = re.compile(
    r"\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*"
    r"(?P<y>\d{4})"
)
_SUBJECT = re.compile(
    r"[^;.\n]{0,80}?\bvề\s+(?P<subject>[^;\n]{3,220}?)"
    r"(?=;|\.\s|\.$|\n|$| và (?:Chỉ thị|Nghị quyết|Kết luận|Quyết định|Kế hoạch|Đề án)\b)"
)
_YEARLIKE = re.compile(r"(?:19|20)\d{2}$")
_KIND_CODE = re.compile(rf"^([{_U}][{_U}a-zđi]{{0,5}})[-–]")


@dataclass(frozen=True)
class Citation:
    """Where a citation sits in the text (kind word to issue date), for other modules to skip."""

    start: int
    end: int


def _issuer(number: str) -> str | None:
    if "/" not in number:
        return None
    tail = number.rsplit("/", 1)[1]
    if tail.isdigit():
        return None
    code = _KIND_CODE.match(tail)
    if code and code.group(1) in CODE_KINDS:
        # "145/2020/NĐ-CP": the issuer is what follows the kind code
        return tail[code.end() :] or None
    return tail


def _kind_from_code(number: str) -> str | None:
    m = _CODE_IN_NUMBER.search(number)
    return CODE_KINDS.get(m.group(1)) if m else None


def _shared_suffix(symbols: list[str]) -> str | None:
    """ "217, 218-QĐ/TW": the last symbol's letters, when the earlier numbers are bare."""
    m = _SUFFIX.match(symbols[-1]) if symbols else None
    return m.group(1) if m else None


def extract_directives(
    text: str, regions: list[tuple[int, int]]
) -> tuple[list[Directive], list[Citation]]:
    """Directives cited in the given regions of text, and the spans of their citations."""
    out: list[Directive] = []
    citations: list[Citation] = []
    seen: set[str] = set()
    taken: list[tuple[int, int]] = []

    def add(kind, number, n_start, n_end, cite_end):
        issued = None
        m = _ISSUED.match(text, cite_end)
        end = cite_end
        if m:
            issued = f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
            end = m.end()
        subject = None
        sm = _SUBJECT.match(text, end)
        if sm:
            subject = sm.group("subject").strip(' ,“”"')
        citations.append(Citation(n_start, end))
        key = number.upper().replace(" ", "")
        if key in seen:
            return
        seen.add(key)
        out.append(
            Directive(
                kind=kind or _kind_from_code(number),
                number=number,
                issued_on=issued,
                issuer=_issuer(number),
                subject=subject,
                evidence=Span(n_start, n_end),
            )
        )

    kind_words = word_offsets(text, _KIND_WORDS_FOLDED)
    for start, end in regions:
        for m in scan_at(_CITATION, kind_words, text, start, end):
            kind = KINDS[case_key(m.group("kind"))]
            nums_start = m.start("nums")
            items = [
                (x.group(0), nums_start + x.start(), nums_start + x.end())
                for x in _ONE_NUM.finditer(m.group("nums"))
            ]
            items = [it for it in items if it[0]]
            symbols = [it[0] for it in items]
            suffix = _shared_suffix(symbols)
            for num, a, b in items:
                bare = _BARE_NUMBER.fullmatch(num) is not None
                if bare and _YEARLIKE.match(num) and not suffix:
                    continue  # "Kế hoạch 2023": a year, not a number
                if bare and not suffix and not _AFTER_BARE.match(text, b):
                    continue
                number = num + suffix if bare and suffix else num
                add(kind, number.replace("–", "-"), a, b, m.end() if b == m.end() else b)
            taken.append((m.start(), m.end()))
        for m in scan(_BARE_SYMBOL, _BARE_SYMBOL_AT, text, start, end):
            if any(a <= m.start() < b for a, b in taken):
                continue
            num = m.group("num")
            if _NUMBER_OVER_YEAR.fullmatch(num):
                continue  # "15/2023" alone is a date or ratio, not a document
            add(None, num.replace("–", "-"), m.start(), m.end(), m.end())
    out.sort(key=lambda d: d.evidence.start)
    return out, citations
