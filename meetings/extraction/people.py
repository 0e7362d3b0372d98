"""People: officials named in the article (with titles and roles) and the byline's authors.

A person is recognised by a cue, never by capitals alone: "đồng chí"/"ông"/"bà" before the
name, a title before it ("Trưởng Ban Dân vận Thành ủy Hà Nội Đỗ Anh Tuấn"), a title after it
("Lê Trí Vũ, Ủy viên Ban Thường vụ"), a list of attendees, or a byline line at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .names import STRONG_SURNAMES as _STRONG_SURNAMES
from .names import SURNAMES as _SURNAMES
from .names import looks_like_person
from .places import canonical_city, district_words
from .reader import Line
from .result import Participant, Span
from .text import LOWER, UPPER, Words, alternatives, any_word, scan, trie
from .text import fold as _fold_uncached

fold = lru_cache(maxsize=8192)(_fold_uncached)

ROLES = ("presiding", "attending", "reporting", "speaking", "concluding", "author", "photographer")


def _words(s: str) -> list[str]:
    return s.split()


_UP = UPPER
_LOW = LOWER
_CAP_WORD = rf"[{_UP}][{_LOW}]*(?![\w])"
_CAPS_WORD = rf"[{_UP}]{{2,}}(?![\w])"
# a run of two or more capitalised words, not inside a word: the first capital comes before the
# look-behind (which checks the character before it), so `re` skips to capitals in C
_RUN = re.compile(rf"[{_UP}](?<![\w].)[{_LOW}]*(?![\w])(?: {_CAP_WORD})+")

# capitalised words that are never part of a person's name
_NOT_NAME = frozenset(
    _words(
        "Hội Ban Sở Ủy Uỷ Tỉnh Huyện Quận Phường Xã Đảng Mặt Chủ Phó Bí Trưởng Giám Tổng "
        "Thường Khối Cụm Cựu Ảnh Tin Bài Theo Nguồn Ông Bà Tại Trong Ngày Sáng Chiều Tối "
        "Dự Cùng Bộ Cục Viện Các Những Với Và Nhà Nước Phủ Ương Thủ"
    )
)
# …but some of them open no name either, only at the start of one
_NOT_FIRST = frozenset(
    _words("Trung Việt Nam Quốc Công Văn Đồng Tham Cao Hồng Thành Hải Đông Tây Bắc Sơn")
) - {"Cao"}

_CUE = re.compile(
    r"(?<![\w])(?P<cue>[Đđ]ồng chí|[Đđ]/[Cc]|[Ôô]ng|[Bb]à|(?:Thượng|Trung|Thiếu|Đại) (?:tướng|tá)|"
    r"(?:GS|PGS|TS|ThS|BS|NSND|NSƯT)\.?(?:\s*(?:TS|BS|ThS)\.?)?)\s+(?=[" + _UP + r"])"
)
# where a cue can begin (see text.scan): its first words, not inside a word
_CUE_WORDS = "Đồng chí|đồng chí|Đ/|đ/|Ông|ông|Bà|bà|Thượng |Trung |Thiếu |Đại |GS|PGS|TS|ThS|BS|NS"
_CUE_START = re.compile(trie(alternatives(_CUE_WORDS), after_first=r"(?<![\w].)"))
_STRONG_CUES = ("đồng chí", "đ/c")
_TITLE_NAMES = alternatives(
    "Ủy viên|Uỷ viên|UV|UVTT|UVBTV|UVTW|Bí thư|Chủ tịch|Phó|Trưởng|Giám đốc|Tổng Bí thư|"
    "Tổng Giám đốc|Tổng Biên tập|Tổng Thư ký|Thủ tướng|Bộ trưởng|Thứ trưởng|Chánh|Đại biểu|"
    "Thường trực|Chủ nhiệm|Viện trưởng|Hiệu trưởng|Tư lệnh|Chính ủy|Cục trưởng|Vụ trưởng|"
    "Thư ký|Nguyên|Đại tá|Thượng tá|Trung tá|Thiếu tá|Thiếu tướng|Trung tướng|Thượng tướng|"
    "Đại tướng|Chỉ huy trưởng|Kiểm sát viên|Thẩm phán|Trưởng phòng|Phó phòng"
)
_TITLE_WORDS = "|".join(_TITLE_NAMES) + r"|(?:Tỉnh|Thành|Huyện|Quận|Thị) (?:ủy|uỷ) viên"
_TITLE_START = re.compile(rf"(?<![\w])(?i:{_TITLE_WORDS})(?![\w])")
# where a title can begin (see text.Words)
_TITLE_AT = Words(
    *_TITLE_NAMES, *(f"{a} ủy viên" for a in ("Tỉnh", "Thành", "Huyện", "Quận", "Thị"))
)
_PLACE_LEVEL_WORDS = alternatives(
    "phường|xã|quận|huyện|thị xã|thị trấn|thành phố|tỉnh|đường|phố|thôn|ấp|làng|bản|xóm|"
    "khu|khu phố|tổ dân phố|trường"
)
_PLACE_LEVEL = re.compile(
    "(?:" + "|".join(_PLACE_LEVEL_WORDS) + r"|TP\.?|Tp\.?)\s+$",
    re.I,
)
# where a match of _PLACE_LEVEL can begin (see text.Words)
_PLACE_LEVEL_AT = Words(*_PLACE_LEVEL_WORDS, "TP", after=r"\.?\s+$")
# a district's committee or level word: what follows may be a district named after a person
_DISTRICT_BEFORE = (
    *(f"{a} {b}" for a in ("huyện", "quận", "thị", "thành") for b in ("ủy", "uỷ", "đoàn")),
    *("huyện", "quận", "thị xã", "thành phố"),
)


def _district_before(text: str, start: int, pos: int) -> bool:
    tail = text[start:pos].rstrip().lower()
    word = next((w for w in _DISTRICT_BEFORE if tail.endswith(w)), None)
    return word is not None and not tail[: -len(word)][-1:].isalnum()


_AFTER_NAME_TITLE = re.compile(
    rf"\s*(?:[–—-]|,)\s*(?=(?:{_TITLE_WORDS})(?![\w]))"
    # "đồng chí Trịnh Thị Hằng phó bí thư thường trực thị ủy": a title in lower case needs
    # no comma, since the name cannot go on into it
    r"|\s+(?=(?-i:(?:phó\s+)?(?:bí thư|chủ tịch|trưởng ban|giám đốc|ủy viên|uỷ viên))\s)",
    re.I,
)
# what a person named in a sentence goes on to do
_VERBS = (
    r"chủ trì|phát biểu|cho biết|báo cáo|trình bày|nhấn mạnh|"
    r"đề nghị|yêu cầu|khẳng định|ghi nhận|chỉ đạo|kết luận|tham dự|dự\b|tham gia|thông tin|"
    r"chia sẻ|trao|tặng|đánh giá|biểu dương|lưu ý|quán triệt|gợi mở|thảo luận|tặng|khai mạc|"
    r"điều hành|trả lời|giải trình|tiếp thu"
)
_TITLE_END = re.compile(
    r";|\.(?:\s|$)|\n|\)|:|,\s*(?:cùng|và|đồng chí|đ/c|ông|bà)\b|"
    r"\s(?:cùng|và) (?:các|đại diện|lãnh đạo)\b|\s(?:đồng chí|ông|bà)\s|"
    rf"\s(?=(?:đã\s+|đồng\s+)?(?:{_VERBS}))"
)
# A name ends here: punctuation, the end of the line, a joiner or a verb. Only then may its
# last word be one that is usually no name ("Trần Văn Sáng," but "Sáng nay", "Hội nghị").
_NAME_END = re.compile(
    r"[ ]*(?:$|[\n,.;:!?()–—-])|"
    rf" (?:(?:và|cùng|đã|cũng|là|tại|với|được|thay mặt|(?:đồng )?(?:{_VERBS}))(?![\w]))",
    re.M,
)

_TRAILING_JOINER = re.compile(r"[\s,]+(?:và|cùng)\s*$")


# (role, pattern, where its matches can begin): text.Words finds the latter fast
_CONCLUDING = (re.compile(r"kết luận(?!\s+(?:số|\d))|bế mạc", re.I), Words("kết luận", "bế mạc"))
# "chủ tọa" is an older word for presiding; "đồng chủ trì" is co-presiding (see _co_chairs)
_PRESIDE_WORDS = ("chủ trì", "chủ tọa", "chủ toạ")
# what the presiding verb may govern before "là", "có", "gồm" or ":" introduces the name
_EVENT_NOUNS = (
    r"(?:hội nghị|cuộc họp|buổi họp|phiên họp|kỳ họp|buổi làm việc|buổi giao ban|"
    r"giao ban|buổi gặp mặt|buổi tiếp xúc|buổi đối thoại|hội thảo|tọa đàm|toạ đàm)"
)
_ATTENDING_AFTER = re.compile(
    r"(?<![\w])(?:tham |đến |tới |cùng )?dự(?!\s+(?:án|kiến|báo|thảo|toán|bị|trù|định|tính|"
    r"phòng|đoán|khuyết))(?![\w])",
    re.I,
)
_ROLE_AFTER = (
    (
        "presiding",
        re.compile(r"\b(?:đồng\s+)?(?:chủ trì|chủ tọa|chủ toạ)\b|điều hành", re.I),
        Words("đồng", *_PRESIDE_WORDS, "điều hành"),  # a match may begin with "đồng"
    ),
    # "dự và chỉ đạo hội nghị": attending (and speaking), never presiding
    ("attending", _ATTENDING_AFTER, Words("dự", "tham dự", "đến dự", "tới dự", "cùng dự")),
    ("concluding", *_CONCLUDING),
    ("reporting", *any_word("báo cáo", "trình bày", "thông tin về", "thông qua")),
    (
        "speaking",
        *any_word(
            *alternatives(
                "phát biểu|thảo luận|cho biết|nhấn mạnh|chia sẻ|đề nghị|yêu cầu|khẳng định|"
                "ghi nhận|chỉ đạo|đánh giá|lưu ý|ý kiến|trao đổi|quán triệt|gợi mở|biểu dương|"
                "đề xuất|kiến nghị|trả lời|giải trình|tiếp thu|khai mạc|phát động"
            )
        ),
    ),
)
_ATTENDING_WORDS = ("tham dự", "dự", "đến dự", "cùng dự", "có mặt", "tham gia")
_ROLE_BEFORE = (
    (
        "presiding",
        # "Chủ trì cuộc họp là ông …", "dưới sự chủ trì của", "Chủ tọa hội nghị:", "Chủ trì: …"
        re.compile(
            r"(?:chủ trì|chủ tọa|chủ toạ)(?:\s+(?:của|bởi)|"
            rf"(?:\s+{_EVENT_NOUNS})?(?:\s+(?:có|là|gồm)(?![\w])|\s*:))",
            re.I,
        ),
        Words(*_PRESIDE_WORDS),
    ),
    (
        "attending",
        # "dự và chỉ đạo hội nghị có …" attends: the match runs over "chỉ đạo", so that
        # speaking's own match of it (which ends at the same place) does not win
        re.compile(
            rf"(?<![\w])(?:{'|'.join(_ATTENDING_WORDS)})(?:\s+(?:và|,)\s*chỉ đạo)?(?![\w])",
            re.I,
        ),
        Words(*_ATTENDING_WORDS),
    ),
    ("reporting", *any_word("báo cáo", "trình bày", "được nghe", "nghe")),
    ("concluding", *_CONCLUDING),
    ("speaking", *any_word("phát biểu", "thảo luận", "ý kiến", "trao đổi", "chỉ đạo")),
)
_ROLE_BEFORE_BY_NAME = {role: (rx, words) for role, rx, words in _ROLE_BEFORE}


@dataclass
class Mention:
    """One written occurrence of a person."""

    name: str
    start: int
    end: int
    title: str | None = None
    extent_end: int = 0  # end of the name plus its title
    roles: set[str] = field(default_factory=set)


@lru_cache(maxsize=4096)
def _city(words: str) -> str | None:
    return canonical_city(words)


def _trim_place(tokens: list[str]) -> list[str]:
    """Drop a province name glued before the name ("Hà Nội Đỗ Anh Tuấn" → "Đỗ Anh Tuấn")."""
    for n in (3, 2, 4):
        if len(tokens) > n and _city(" ".join(tokens[:n])):
            return tokens[n:]
    return tokens


def _cut_at_not_name(tokens: list[str], closed: bool = False) -> list[str]:
    """The words before the first that is never a name. When the run is `closed` (what follows
    ends a name: _NAME_END), its last word is kept even so: "Sáng", "Chiều", "Hội" and
    "Thường" are given names too ("Trần Văn Sáng – Phó Bí thư …")."""
    for i, tok in enumerate(tokens):
        if tok in _NOT_NAME and i > 0:
            if closed and i == len(tokens) - 1:
                return tokens
            return tokens[:i]
    return tokens


def name_from_run(
    tokens: list[str], *, vouched: bool, closed: bool = False
) -> tuple[int, list[str]] | None:
    """The person's name inside a run of capitalised words: (index of its first word, words).

    `closed`: the run is followed by what ends a name (_NAME_END), not by more of a phrase.
    """
    if vouched:
        words = _cut_at_not_name(tokens, closed)[:5]
        if tokens and tokens[0] in _NOT_NAME:
            return None
        if 2 <= len(words) <= 5 and not _city(" ".join(words)):
            return 0, words
        return None
    offset = len(tokens) - len(_trim_place(tokens))
    rest = tokens[offset:]
    choices = []
    for i, tok in enumerate(rest):
        if tok in _SURNAMES and tok not in _NOT_NAME:
            words = _cut_at_not_name(rest[i:], closed)
            if 2 <= len(words) <= 4 and len(words) == len(rest) - i:
                choices.append((tok not in _STRONG_SURNAMES, i, words))
    if not choices:
        return None
    _, i, words = min(choices)
    if choices[0][1] == 0 and looks_like_person(choices[0][2]):
        _, i, words = choices[0]  # "Lương Nguyễn Minh Triết": a double surname
    if words[0] in _NOT_FIRST or _city(" ".join(words)):
        return None
    return offset + i, words


def _closed(text: str, end: int) -> bool:
    return _NAME_END.match(text, end) is not None


def _looks_like_full_name(tokens: list[str], level: str) -> bool:
    """ "UBND huyện Nguyễn Văn Trường": after an unnamed level word, a whole three-part name."""
    if level.strip().lower() in ("đường", "phố", "trường"):
        return False  # streets and schools are named after people
    return len(tokens) == 3 and looks_like_person(tokens)


def _unnamed_level(tokens: list[str], level: str) -> bool:
    """A level word that names no place: "tỉnh" followed by no province's name; "huyện",
    "quận" or "thị xã" followed by no district's but by a whole name ("Triệu Kim Hà Mai")."""
    level = level.strip().lower()
    if level == "tỉnh":
        return _trim_place(tokens) == tokens
    if level in ("huyện", "quận", "thị xã", "thành phố"):
        unplaced = _trim_place(tokens) == tokens and not district_words(tokens)
        return unplaced and looks_like_person(tokens)
    return False


_TOKEN = re.compile(r"\S+")
# "các đồng chí:", "gồm:": a list of people follows, items separated by ";"
_LIST = re.compile(r"(?:các (?:đồng chí|vị)|gồm|có)\s*:\s*")
_LIST_ITEM = re.compile(r"[^;]+")


def _token_spans(run_start: int, run: str) -> list[tuple[int, int, str]]:
    return [(run_start + m.start(), run_start + m.end(), m.group(0)) for m in _TOKEN.finditer(run)]


def _clause_start(text: str, pos: int, floor: int) -> int:
    cut = max(text.rfind(c, floor, pos) for c in ".;:\n(")
    return max(cut + 1, floor)


def _title_after(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    m = _AFTER_NAME_TITLE.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    stop = min(limit, start + 200)
    e = _TITLE_END.search(text, start, stop)
    end = e.start() if e else stop
    title = _TRAILING_JOINER.sub("", text[start:end]).strip(" ,–-")
    return (title or None), start + len(title)


def _title_start(text: str, start: int, end: int) -> re.Match | None:
    """The first title in text[start:end] (_TITLE_START.search), looked for from where a title
    can begin: a case-insensitive search of so many words is slow."""
    return _TITLE_AT.search(_TITLE_START, text, start, end, sliced=False)


def _title_before(text: str, name_start: int, floor: int) -> tuple[str | None, int | None]:
    clause = _clause_start(text, name_start, floor)
    m = _title_start(text, clause, name_start)
    if not m:
        return None, None
    # walk back over ", Ủy viên Ban Thường vụ, " segments that are titles too
    start = m.start()
    title = text[start:name_start].strip(" ,")
    return (title or None), start


def find_mentions(
    text: str, body: list[Line], organizations: Sequence[tuple[int, int]] = ()
) -> list[Mention]:
    """Every cued person mention in the body lines, in text order, without overlaps.

    Capitalised words inside an organisation's name ("Đoàn Thanh niên …") are no person.
    """
    mentions: list[Mention] = []
    for line in body:
        taken: list[tuple[int, int]] = []
        for find in (_cued, _listed, _titled):
            for mention in find(text, line, taken, organizations):
                mentions.append(mention)
                taken.append((mention.start, mention.end))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _cued(text: str, line: Line, taken, organizations) -> Iterator[Mention]:
    """Names after a cue word ("đồng chí Nguyễn Thị Tuyến", "ông …")."""
    for cue in scan(_CUE, _CUE_START, text, line.start, line.end):
        run = _RUN.match(text, cue.end())
        if not run:
            continue
        tokens = run.group(0).split(" ")
        vouched = cue.group("cue").lower() in _STRONG_CUES
        got = name_from_run(tokens, vouched=True, closed=_closed(text, run.end()))
        if not got:
            continue
        end = run.start() + len(" ".join(got[1]))
        if not vouched and got[1][0] not in _SURNAMES and not _AFTER_NAME_TITLE.match(text, end):
            continue  # "ông Ba": a weak cue needs a family name or a title after the name
        yield Mention(" ".join(got[1]), run.start(), end)


def _listed(text: str, line: Line, taken, organizations) -> Iterator[Mention]:
    """List items after "các đồng chí:" / "gồm:", separated by ";"."""
    if text.find(":", line.start, line.end) == -1:
        return  # most lines have none
    for lst in _LIST.finditer(text[line.start : line.end]):
        pos = line.start + lst.end()
        sentence_end = text.find(". ", pos, line.end)
        sentence_end = line.end if sentence_end == -1 else sentence_end
        for item in _LIST_ITEM.finditer(text[pos:sentence_end]):
            a = pos + item.start() + (len(item.group(0)) - len(item.group(0).lstrip()))
            run = _RUN.match(text, a)
            if not run or any(x <= a < y for x, y in taken):
                continue
            got = name_from_run(
                run.group(0).split(" "), vouched=True, closed=_closed(text, run.end())
            )
            if not got:
                continue
            end = a + len(" ".join(got[1]))
            if _AFTER_NAME_TITLE.match(text, end) or got[1][0] in _SURNAMES:
                taken.append((a, end))  # the next items of this list see it
                yield Mention(" ".join(got[1]), a, end)


def _titled(text: str, line: Line, taken, organizations) -> Iterator[Mention]:
    """Capitalised runs vouched for by a title before or after them."""
    for run in _RUN.finditer(text, line.start, line.end):
        tokens = run.group(0).split(" ")
        if _SURNAMES.isdisjoint(tokens):
            continue  # most capitalised runs are bodies and places: no family name at all
        run_start, run_end = run.span()
        if any(x <= run_start < y or run_start <= x < run_end for x, y in taken):
            continue
        placed = _after_place_words(text, line, run, tokens)
        if placed is None:
            continue
        tokens, spans = placed
        got = name_from_run(tokens, vouched=False, closed=_closed(text, run.end()))
        if not got:
            continue
        i, words = got
        start = spans[i][0]
        end = spans[i + len(words) - 1][1]
        if any(a <= start < b for a, b in organizations):
            continue
        clause = _clause_start(text, start, line.start)
        titled_before = _title_start(text, clause, start) is not None
        if titled_before or _AFTER_NAME_TITLE.match(text, end) is not None:
            taken.append((start, end))
            yield Mention(" ".join(words), start, end)


def _after_place_words(text: str, line: Line, run: re.Match, tokens: list[str]):
    """(tokens, spans) of a capitalised run without the place name a level word puts before
    the person's ("phường Trần Phú Nguyễn Văn A"), or None when the run is all place."""
    spans = _token_spans(run.start(), run.group(0))
    window = max(line.start, run.start() - 20)
    level = _PLACE_LEVEL_AT.search(_PLACE_LEVEL, text, window, run.start(), sliced=False)
    named = district_words(tokens) if _district_before(text, window, run.start()) else 0
    if named and len(tokens) - named != 1:
        # "Huyện ủy Trần Văn Thời", "huyện Dương Minh Châu": districts named after people
        tokens, spans = tokens[named:], spans[named:]
        return (tokens, spans) if tokens else None
    if level and _unnamed_level(tokens, level.group(0)):
        return tokens, spans  # "Chủ tịch UBND tỉnh Hồ Thị Hà Lan": no province follows "tỉnh"
    if level and not _looks_like_full_name(tokens, level.group(0)):
        # "phường Trần Phú Nguyễn Văn A": the first words name the place
        return (tokens[2:], spans[2:]) if len(tokens) >= 4 else None
    return tokens, spans


def _sentence_bounds(text: str, pos: int, line: Line) -> tuple[int, int]:
    a = text.rfind(". ", line.start, pos)
    b = text.find(". ", pos, line.end)
    return (line.start if a == -1 else a + 2), (line.end if b == -1 else b)


def assign_titles_and_roles(text: str, mentions: list[Mention], body: list[Line]) -> None:
    """Fill each mention's title and roles from the words around it."""
    line_of = {}
    for line in body:
        for m in mentions:
            if line.start <= m.start < line.end:
                line_of[id(m)] = line
    for idx, m in enumerate(mentions):
        _assign_title(text, mentions, idx, line_of[id(m)])
    for idx, m in enumerate(mentions):
        _assign_roles(text, mentions, idx, line_of[id(m)])
    _co_chairs(text, mentions, line_of)


def _assign_title(text: str, mentions: list[Mention], idx: int, line: Line) -> None:
    """The title written after the name, else before it; and where the mention ends."""
    m = mentions[idx]
    nxt = mentions[idx + 1].start if idx + 1 < len(mentions) else line.end
    nxt = min(nxt, line.end)
    prev = mentions[idx - 1] if idx else None
    floor = max(line.start, prev.extent_end) if prev and prev.start >= line.start else line.start
    title, extent = _title_after(text, m.end, nxt)
    if title and nxt < line.end and not text[extent:nxt].strip(" ,–-"):
        # "Trưởng Ban Dân vận Tỉnh ủy A, Chủ tịch Hội Nông dân tỉnh B": the words after A
        # run into B's name, so they are B's title if A has one before the name
        before = _title_before(text, m.start, floor)[0] if floor < m.start else None
        if before:
            title, extent = before, m.end
    if not title:
        before = _title_before(text, m.start, floor)[0] if floor < m.start else None
        title, extent = before, m.end
    m.title = title
    m.extent_end = max(extent, m.end)


def _assign_roles(text: str, mentions: list[Mention], idx: int, line: Line) -> None:
    """Roles from the verb after the mention, the cue before it, or the cue opening a list."""
    m = mentions[idx]
    s_start, s_end = _sentence_bounds(text, m.start, line)
    prev_end = s_start
    for other in mentions[:idx]:
        if other.start >= s_start:
            prev_end = max(prev_end, other.extent_end)
    nxt = next((o.start for o in mentions[idx + 1 :] if o.start < s_end), s_end)
    after_end = min(nxt, m.extent_end + 80)
    for role, rx, words in _ROLE_AFTER:
        if words.search(rx, text, m.extent_end, after_end):
            m.roles.add(role)
    last = _last_role_before(text, m, prev_end)
    if last:
        m.roles.add(last)
        if last == "concluding":
            m.roles.add("speaking")
    # "Dự Hội nghị có các đồng chí: A; B và C": the cue before the first covers the list
    first = next(o for o in mentions if o.start >= s_start)
    if first is not m and not last and "presiding" not in m.roles:
        for role in ("presiding", "attending"):
            rx, words = _ROLE_BEFORE_BY_NAME[role]
            if words.search(rx, text, s_start, first.start):
                m.roles.add(role)
                break


def _last_role_before(text: str, m: Mention, prev_end: int) -> str | None:
    """The role of the last cue between the previous mention and this one's title."""
    before = text[prev_end : m.start]
    if m.title and before.endswith(m.title + " "):
        before = before[: -len(m.title) - 1]
    last = None
    for role, rx, words in _ROLE_BEFORE:
        for hit in words.finditer(rx, text, prev_end, prev_end + len(before)):
            if last is None or hit.end() > last[0]:
                last = (hit.end(), role)
    return last[1] if last else None


# Between two people of one list: a comma, a semicolon, "và", "cùng (với)", and a cue again.
_LIST_GAP = re.compile(
    r"\s*(?:[,;]\s*(?:(?:và|cùng(?: với)?)\s+)?|(?:và|cùng(?: với)?)\s+)"
    r"(?:(?:các\s+)?(?:đồng chí|đ/c|ông|bà)\s*:?\s*)?",
    re.I,
)
# A sentence that opens on a list of people: "Các đồng chí: A, …; B, … chủ trì hội nghị".
_PLURAL_OPENING = re.compile(r"\W*(?:các|hai) (?:đồng chí|đ/c|vị|ông|bà)\s*:?\s*", re.I)
_PRESIDING_VERB = re.compile(r"(?:đồng\s+)?(?:chủ trì|chủ tọa|chủ toạ)", re.I)


def _co_chairs(text: str, mentions: list[Mention], line_of: dict) -> None:
    """People listed before one presiding verb all preside when the verb says so ("đồng chủ
    trì") or when the sentence opens on the list ("Các đồng chí: A, …; B, … chủ trì"). A list
    after "Dự hội nghị có" attends: only its own verb's subject presides."""
    for idx, m in enumerate(mentions):
        if "presiding" not in m.roles or idx == 0:
            continue
        line = line_of[id(m)]
        s_start, s_end = _sentence_bounds(text, m.start, line)
        verb = _PRESIDING_VERB.search(text, m.extent_end, min(s_end, m.extent_end + 80))
        if verb is None:
            continue  # presiding by a cue before the name: that cue already covers the list
        group = [m]
        for prev in reversed(mentions[:idx]):
            if prev.start < s_start or not _LIST_GAP.fullmatch(
                text, prev.extent_end, group[-1].start
            ):
                break
            group.append(prev)
        if len(group) < 2:
            continue
        co = verb.group(0).lower().startswith("đồng")
        if co or _PLURAL_OPENING.fullmatch(text, s_start, group[-1].start):
            for other in group:
                other.roles.discard("attending")
                other.roles.add("presiding")


# --- bylines -----------------------------------------------------------------------------------

_BYLINE_NAME = rf"(?:{_CAP_WORD}|{_CAPS_WORD})(?: (?:{_CAP_WORD}|{_CAPS_WORD})){{1,3}}"
_BYLINE_LIST = rf"{_BYLINE_NAME}(?:\s*(?:[-–,]|và)\s*{_BYLINE_NAME})*"
_CREDIT_LABEL = (
    r"(?P<label>(?i:Tin,? ảnh|Tin và ảnh|Bài,? ảnh|Bài và ảnh|Tin bài|Bài viết|Tin|Bài|Ảnh|Video|"
    r"Clip|Tác giả|Người viết|Nhóm phóng viên|Phóng viên|Cộng tác viên))"
)
# What stands before a credited name and is not part of it: "CTV Khánh Phượng", "PV Minh An".
CREDIT_PREFIXES = frozenset(_words("CTV PV NV BTV PTV KTV TTXVN TTX VNA Nhóm"))
_BYLINE = re.compile(
    rf"^(?:{_CREDIT_LABEL}\s*:\s*)?(?P<authors>{_BYLINE_LIST})"
    rf"(?:\s*[.,;–-]?\s*\(?(?:Ảnh|ảnh)\s*:\s*(?P<photo>{_BYLINE_LIST})\)?)?"
    r"\s*(?:\((?:t/h|th|tổng hợp|TTXVN|[^)]{0,30})\))?\s*\.?$"
)
_LABELLED_BYLINE = re.compile(rf"^{_CREDIT_LABEL}\s*:\s*(?P<authors>{_BYLINE_LIST})\s*\.?$")
_CREDIT_NAME = re.compile(_BYLINE_NAME)
_PHOTO_CREDIT = re.compile(rf"\(?\b(?:Ảnh|ẢNH)\s*:\s*(?P<photo>{_BYLINE_NAME})\)?\s*\.?\s*$")


def normalise_name(name: str) -> str:
    """ "DIỆU HUYỀN" → "Diệu Huyền"; names already in title case stay as written."""
    words = name.split()
    if all(w.isupper() for w in words):
        return " ".join(w[:1] + w[1:].lower() for w in words)
    return " ".join(words)


def _credit_names(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    out = []
    for m in _CREDIT_NAME.finditer(text[start:end]):
        words = m.group(0).split()
        if words[0].rstrip(".:") in CREDIT_PREFIXES or words[0].rstrip(".:").upper() in (
            "PV/CTV",
            "CTV/PV",
        ):
            cut = m.group(0).index(words[1])
            words = words[1:]
            if len(words) < 2:
                continue
            out.append((normalise_name(" ".join(words)), start + m.start() + cut, start + m.end()))
            continue
        # a credit is a whole name, so its last word may be a common one ("Xuân Sáng")
        if any(w.title() in _NOT_NAME for w in words[:-1]) or _city(m.group(0)):
            continue
        out.append((normalise_name(m.group(0)), start + m.start(), start + m.end()))
    return out


def find_bylines(text: str, body: list[Line]) -> list[Mention]:
    """Authors and photographers from byline lines (last lines, or labelled "Tin, ảnh: …")."""
    out: list[Mention] = []
    for idx, line in enumerate(body):
        last = idx >= len(body) - 2
        stripped = line.text.strip()
        rx = _BYLINE if last else _LABELLED_BYLINE
        m = rx.match(stripped)
        if m and len(stripped) <= 80 and (last or m.group("label")):
            off = line.start + (len(line.text) - len(line.text.lstrip()))
            label = (m.group("label") or "").lower()
            roles = {"author"}
            if label.startswith("ảnh"):
                roles = {"photographer"}
            elif "ảnh" in label:
                roles = {"author", "photographer"}
            a, b = m.span("authors")
            for name, s, e in _credit_names(text, off + a, off + b):
                out.append(Mention(name, s, e, roles=set(roles)))
            if m.groupdict().get("photo"):
                a, b = m.span("photo")
                for name, s, e in _credit_names(text, off + a, off + b):
                    out.append(Mention(name, s, e, roles={"photographer"}))
            continue
        # a photo credit needs the word "Ảnh"/"ẢNH": `in` rules out most lines quickly
        has_photo = not last and ("Ảnh" in stripped or "ẢNH" in stripped)
        p = _PHOTO_CREDIT.search(stripped) if has_photo else None
        if p:
            off = line.start + (len(line.text) - len(line.text.lstrip()))
            a, b = p.span("photo")
            for name, s, e in _credit_names(text, off + a, off + b):
                out.append(Mention(name, s, e, roles={"photographer"}))
    # a byline only closes the article: a name-only line in its middle is a caption or heading
    return out


def extract_participants(
    text: str, body: list[Line], organizations: Sequence[tuple[int, int]] = ()
) -> list[Participant]:
    """One participant per person, roles merged, evidence at the first mention."""
    mentions = find_mentions(text, body, organizations)
    assign_titles_and_roles(text, mentions, body)
    credits = find_bylines(text, body)
    people: dict[str, Participant] = {}
    for m in mentions + credits:
        key = fold(m.name)
        roles = m.roles or {"attending"}
        if key in people:
            p = people[key]
            p.roles = [r for r in ROLES if r in set(p.roles) | roles]
            if not p.title and m.title:
                p.title = m.title
        else:
            people[key] = Participant(
                name=m.name,
                title=m.title,
                roles=[r for r in ROLES if r in roles],
                evidence=Span(m.start, m.end),
            )
    return sorted(people.values(), key=lambda p: p.evidence.start)
