"""Reading an article file: bytes → text, front matter, HTML → article text, line layout.

`read_article(path)` is what the CLI and the ingest call; every failure is an
`ExtractionInputError` whose message names the file. `layout(text)` tells which lines of a
normalised text are article body and which are portal chrome (widgets, footers, mastheads).

Input that lies is refused, never guessed at: a file that is not a regular file (a named
pipe would block the reader forever) or is larger than an article ever is; front matter that
is not closed, repeats a key or has a line that is not `key: value`; an address that is not
http(s) or is longer than the database keeps; a publication date that is not a date, lies in
the future or decades before the dates the text itself gives; a text without one sentence.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .html import NoArticle, page_article
from .text import fold, normalize

# A news article is a few kB, a saved page with its markup some hundred kB; a file over this
# is a log, a dump or junk. ARTICLE_MAX_BYTES overrides it (see max_bytes()).
MAX_BYTES = 1_000_000
MAX_URL_LENGTH = 2000  # Article.url's column (meetings/models/articles.py)
URL_SCHEMES = frozenset({"http", "https"})
EARLIEST_PUBLISHED = dt.date(1945, 1, 1)  # no report of this state's meetings is older
DECADE_YEARS = 10  # a report is never published this long before the dates it gives


def _words(s: str) -> list[str]:
    return s.split()


class ExtractionInputError(ValueError):
    """A file that cannot be read as an article; the message names the file."""


def max_bytes() -> int:
    """The largest article file read: ARTICLE_MAX_BYTES, else MAX_BYTES.

    Read from the environment here, not through Django's settings: the extractor runs
    without Django (python -m meetings.extraction)."""
    raw = os.environ.get("ARTICLE_MAX_BYTES", "").strip()
    if not raw:
        return MAX_BYTES
    if not raw.isdecimal() or int(raw) <= 0:
        raise ValueError(f"ARTICLE_MAX_BYTES: expected a number of bytes, got {raw!r}")
    return int(raw)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


# --- bytes → str -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Decode article bytes: a BOM decides, else UTF-8 (BOM-less UTF-16 is recognised).

    Raises ValueError with a reason (no file name; callers add it).
    """
    text = _decode(data)
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ValueError("binary file, not text (control characters)")
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                reason = f"invalid {encoding} after its byte-order mark: {exc.reason}"
                raise ValueError(reason) from None
    if b"\x00" in data:
        guessed = _bomless_utf16(data)
        if guessed is None:
            raise ValueError("binary file, not text (contains NUL bytes)")
        try:
            return data.decode(guessed)
        except UnicodeDecodeError:
            raise ValueError("binary file, not text (contains NUL bytes)") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from where its NUL bytes sit (ASCII-heavy text)."""
    sample = data[:4000]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2 or 1
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


# --- front matter ------------------------------------------------------------------------------

_FRONT_OPEN = re.compile(r"\A[ \t]*---[ \t]*\r?\n")
_FRONT_CLOSE = re.compile(r"^[ \t]*---[ \t]*$")
_FRONT_KEY = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Keys that say the same thing: either may be given, not both.
_SAME_KEY = {"source": "url", "date": "published"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` / `key: value` / `---` block off the text.

    A text whose first line is `---` and whose next line (blank lines and `# comments`
    aside) is `key: value` starts with front matter, which must be closed by a `---` line and
    hold only `key: value` lines, blank lines and comments, each key once (`source` is `url`,
    `date` is `published`); else ValueError saying which line. A first `---` line followed by
    anything else is text, not front matter.
    """
    text = text.lstrip("\ufeff")
    opening = _FRONT_OPEN.match(text)
    if not opening:
        return {}, text
    lines = text[opening.end() :].split("\n")
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    if not _FRONT_KEY.match(first):
        return {}, text
    meta: dict[str, str] = {}
    seen: dict[str, tuple[str, int]] = {}  # key as stored → (key as written, line number)
    offset = opening.end()
    for number, raw_line in enumerate(lines, 2):
        offset += len(raw_line) + 1
        line = raw_line.rstrip("\r")
        if _FRONT_CLOSE.match(line):
            return meta, text[offset:]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        km = _FRONT_KEY.match(line)
        if not km:
            raise ValueError(
                f'front matter, line {number}: expected "key: value", got {_clip(line)!r} '
                "(is the closing --- line missing?)"
            )
        written = km.group(1).lower()
        key = _SAME_KEY.get(written, written)
        if key in seen:
            first_written, first_line = seen[key]
            raise ValueError(
                f"front matter: {written!r} on line {number} repeats {first_written!r} of "
                f"line {first_line}; give it once"
            )
        seen[key] = (written, number)
        value = km.group(2).strip().strip("\"'")
        if value:
            meta[key] = value
    raise ValueError("front matter: no closing --- line after the opening one")


def parse_published(value: str | None) -> str | None:
    """'2023-10-24', '2023-10-24T08:00:00+07:00' → '2023-10-24'; anything else (including
    a day that does not exist, 2023-02-30) → None."""
    if not value:
        return None
    m = _ISO_DATE.search(value)
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        return None


def check_published(value: str, field: str, text: str = "", today: dt.date | None = None) -> str:
    """A publication date as written → 'YYYY-MM-DD', or ValueError naming `field` when it is
    no date, lies in the future, before EARLIEST_PUBLISHED, or more than DECADE_YEARS before
    the earliest dated thing the text gives (a report is not published before what it
    reports; the earliest, since texts also cite old directives and name future targets).
    """
    m = _ISO_DATE.search(value)
    if not m:
        raise ValueError(f"{field}: expected a date YYYY-MM-DD, got {_clip(value)!r}")
    try:
        published = dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        raise ValueError(f"{field}: {m.group(0)} is not a date that exists") from None
    today = today or dt.date.today()
    if published > today + dt.timedelta(days=1):  # a day of slack for time zones
        raise ValueError(f"{field}: {published} is in the future")
    if published < EARLIEST_PUBLISHED:
        raise ValueError(f"{field}: {published} is before {EARLIEST_PUBLISHED.year}")
    earliest = _earliest_text_date(text)
    if earliest and published.year < earliest[0].year - DECADE_YEARS:
        raise ValueError(
            f"{field}: {published} is {earliest[0].year - published.year} years before the "
            f"earliest date the text gives ({earliest[1]}); a report is not published "
            "before what it reports"
        )
    return published.isoformat()


# Dates the text gives with their year: 23/10/2023, 23-10-2023, 23.10.2023, "ngày 23 tháng 10
# năm 2023", and reporting quarters, "quý III/2023", "quý 3 năm 2023" (their first day).
_TEXT_DATE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?!\d)"
    r"|\bngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})\b"
    r"|\bquý\s+(?P<q>I{1,3}|IV|[1-4])\s*(?:/|năm\s+)(?P<y3>\d{4})\b",
    re.I,
)
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _earliest_text_date(text: str) -> tuple[dt.date, str] | None:
    """The earliest real date (or reporting quarter) the text gives with its year."""
    earliest = None
    for m in _TEXT_DATE.finditer(text):
        try:
            if m.group("q"):
                date = dt.date(int(m.group("y3")), 3 * _QUARTERS[m.group("q").upper()] - 2, 1)
            elif m.group("d2"):
                date = dt.date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
            else:
                date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        if date >= EARLIEST_PUBLISHED and (earliest is None or date < earliest[0]):
            earliest = (date, m.group(0))
    return earliest


def check_url(value: str, field: str) -> str:
    """An article's address, or ValueError naming `field`: only absolute http(s) addresses
    with a host, without spaces or control characters, that fit the database's column."""
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like
        parts = urlsplit("")
    if parts.scheme.lower() not in URL_SCHEMES or not parts.netloc:
        raise ValueError(
            f"{field}: only http:// and https:// addresses are accepted, got {_clip(url)!r}"
        )
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        raise ValueError(f"{field}: an address has no spaces or control characters")
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(
            f"{field}: the address has {len(url):,} characters; at most {MAX_URL_LENGTH:,} are kept"
        )
    return url


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


_SENTENCE_END = re.compile(r"[.!?…]")
_WORD = re.compile(r"[^\W\d_]{1,20}")
_PUNCTUATION = "\"'“”‘’«»()[]*,;:"


def has_sentence(text: str) -> bool:
    """Whether the text has at least one sentence: four words (runs of letters) in a row,
    in a stretch that ends with . ! ? or …. Linear in the text's length (junk runs to
    megabytes)."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        stretch = text[max(start, end.start() - 400) : end.start()]
        start = end.end()
        run = 0
        for token in stretch.split():
            run = run + 1 if _WORD.fullmatch(token.strip(_PUNCTUATION)) else 0
            if run == 4:
                return True
    return False


# --- HTML → article text -----------------------------------------------------------------------

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"</(?:p|div|span|a|li|td|body|html|h[1-6])\s*>", re.I)


def looks_like_html(text: str) -> bool:
    if _HTML_START.match(text):
        return True
    return len(_HTML_TAGS.findall(text[:50000])) >= 5


# --- file → (text, url, published) -------------------------------------------------------------


def read_text(data: bytes, name: str = "<input>") -> tuple[str, str | None, str | None]:
    """Bytes of an article file → (normalised text, url, published) from its front matter/HTML.

    ExtractionInputError, naming the file and the field, for anything the module docstring
    says is refused."""
    limit = max_bytes()
    if len(data) > limit:
        raise ExtractionInputError(
            f"{name}: file too large ({_size(len(data))}; an article is at most "
            f"{_size(limit)}, ARTICLE_MAX_BYTES)"
        )
    try:
        raw = decode(data)
        meta, body = split_front_matter(raw)
    except ValueError as exc:
        raise ExtractionInputError(f"{name}: {exc}") from None
    fields = {key: f"front matter {key}" for key in meta}
    if looks_like_html(body):
        try:
            # a saved page is an article by choice, however short: has_sentence() judges it
            page = page_article(body, meta.get("url"), min_text=1)
        except NoArticle as exc:
            raise ExtractionInputError(f"{name}: {exc}") from None
        body = page.text
        if page.declared_url and "url" not in meta:
            meta["url"], fields["url"] = page.declared_url
        if page.published and "published" not in meta:
            meta["published"], fields["published"] = page.published, "the page's date"
    text = normalize(body)
    if not text:
        raise ExtractionInputError(f"{name}: no article text (the file is empty or blank)")
    if not has_sentence(text):
        raise ExtractionInputError(
            f"{name}: no sentence in the text ({len(text):,} characters without four words in "
            "a row ending with a full stop): not an article"
        )
    try:
        url = _article_url(meta.get("url"), fields.get("url", ""))
        published = _article_published(meta.get("published"), fields.get("published", ""), text)
    except ValueError as exc:
        raise ExtractionInputError(f"{name}: {exc}") from None
    return text, url, published


def _article_url(value: str | None, field: str) -> str | None:
    if not value:
        return None
    if field in ("og:url", "canonical") and not urlsplit(value.strip()).scheme:
        return None  # a relative address in a page's markup: not the article's own
    return check_url(value, field)


def _article_published(value: str | None, field: str, text: str) -> str | None:
    if not value:
        return None
    if field.startswith("front matter") or _ISO_DATE.search(value):
        return check_published(value, field, text)
    return None  # a page's date in a format of its own ("24/10/2023 08:00"): not used


_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_article(path: str | Path) -> tuple[str, str | None, str | None]:
    """Read an article file → (normalised text, url, published); ExtractionInputError names it.

    The file is opened without blocking and checked to be a regular file before a byte is
    read (reading a named pipe or a device would wait forever, or never end)."""
    path = Path(path)
    limit = max_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise ExtractionInputError(f"{path}: is a directory, not a file") from None
    except FileNotFoundError:
        raise ExtractionInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExtractionInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ExtractionInputError(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "of an unknown kind")
            raise ExtractionInputError(f"{path}: not a regular file ({kind})")
        if info.st_size > limit:
            raise ExtractionInputError(
                f"{path}: file too large ({_size(info.st_size)}; an article is at most "
                f"{_size(limit)}, ARTICLE_MAX_BYTES)"
            )
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)  # a file still growing stops at the limit
    except OSError as exc:
        raise ExtractionInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return read_text(data, str(path))


# --- line layout: body, boilerplate, masthead, footer ------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the normalised text and what it is."""

    start: int
    end: int
    text: str
    kind: str  # "body", "boilerplate", "section", "masthead" or "footer"

    @property
    def is_body(self) -> bool:
        return self.kind == "body"


# Portal widgets, share bars and page stamps: never article content.
_BOILERPLATE = re.compile(
    r"""^(?:
        tiện\ ích(?:\ thông\ tin)? | nguồn\ tin | qr[\ -]?code\b.* | mã\ qr\b.* | gốc
      | chúng\ tôi\ trên\ mạng\ xã\ hội | lượt\ (?:xem|truy\ cập)\s*:?.* | số\ lượt\ xem.*
      | (?:đăng|cập\ nhật|ngày\ đăng|ngày\ cập\ nhật|đăng\ lúc|xuất\ bản)(?:\ ngày)?\s*:?\s*\d.*
      | print\b.* | in\ bài(?:\ viết)? | bản\ in | chia\ sẻ(?:\ bài\ viết)?\s*:? | lưu\ bài
      | cỡ\ chữ.* | font\ size.* | a\s*[-+]?\s*a\s*[-+]?\s*a? | zalo | facebook | twitter
      | email | gửi\ email | bình\ luận | ý\ kiến\ bạn\ đọc | xem\ thêm | trở\ về | quay\ lại
      | về\ đầu\ trang | đầu\ trang | tags?\s*:.* | từ\ khóa\s*:?.* | từ\ khoá\s*:?.*
      | (?:thứ\ (?:hai|ba|tư|năm|sáu|bảy)|chủ\ nhật)\s*,?\s*(?:ngày\ )?
        \d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}.{0,30}
      | \d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?:\s*[-|,]?\s*\d{1,2}[:h]\d{2}.*)?
      | [\d\s%.,:/|+-]+
      | (?:bản\ quyền|copyright|©).*
    )$""",
    re.I | re.X,
)
# After one of these the page shows other articles: the rest is not this article.
_FOOTER_START = re.compile(
    r"^(?:tiện ích thông tin|tin khác|các tin khác|tin liên quan|bài viết liên quan|tin cùng "
    r"chuyên mục|các bài viết khác|bài liên quan|tin mới nhất|tin mới|đọc nhiều|xem nhiều)\s*:?$",
    re.I,
)
# A portal's section label above the headline ("Chính trị - Xã hội", "Thời sự - Chính trị",
# "Thông tin chỉ đạo, điều hành"): every part of the line is a section word.
_SECTION_WORDS = frozenset(
    fold(w)
    for w in (
        "chính trị", "xã hội", "kinh tế", "thời sự", "văn hóa", "văn hoá", "tin tức", "tin",
        "tin địa phương", "tin trong tỉnh", "trong tỉnh", "trong nước", "quốc tế", "thế giới",
        "sự kiện", "hoạt động", "tin hoạt động", "mặt trận", "đoàn thể", "dân vận",
        "xây dựng đảng", "công tác đảng", "an ninh", "quốc phòng", "giáo dục", "y tế",
        "pháp luật", "thể thao", "du lịch", "nông nghiệp", "nông thôn", "đời sống",
        "thông tin chỉ đạo", "chỉ đạo", "điều hành", "thông tin", "tin nổi bật", "tin mới",
        "tổng hợp", "chính quyền", "khoa học", "công nghệ", "môi trường", "an sinh",
        "lao động", "việc làm", "bạn đọc", "phóng sự", "tin tức - sự kiện", "trang chủ",
        "tin tổng hợp", "hoạt động của lãnh đạo", "tin công tác mặt trận", "tiêu điểm",
        "nổi bật", "chuyên mục", "tin ảnh", "cải cách hành chính", "chuyển đổi số",
    )
)  # fmt: skip
_SECTION_SPLIT = re.compile(r"\s*(?:[-–—|/»>:,•]|\bvà\b)\s*")


def is_section_label(line: str) -> bool:
    """A portal's section or category line ("Chính trị - Xã hội"), never a headline."""
    if len(line) > 80:
        return False
    parts = [p for p in _SECTION_SPLIT.split(fold(line.strip())) if p]
    return bool(parts) and all(p in _SECTION_WORDS for p in parts)


_LINE = re.compile(r"[^\n]+")


# Words of a headline, not of an agency's banner: "HỘI NGHỊ GIAO BAN … QUÝ I NĂM 2024".
_HEADLINE_WORDS = re.compile(
    r"\b(?:hoi nghi|giao ban|so ket|tong ket|cuoc hop|ky hop|phien hop|lam viec|ke hoach|"
    r"thong bao|quy [ivx1-4]+|\d+ thang|nam \d{4})\b"
)


def _is_masthead(line: str) -> bool:
    """An all-capitals agency banner ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM") above the headline;
    a headline in capitals ("HỘI NGHỊ GIAO BAN …") is not one."""
    if ":" in line:
        return False  # "TIN, ẢNH: NGỌC ANH" is a byline
    letters = [c for c in line if c.isalpha()]
    capitals = len(letters) >= 6 and all(c.isupper() for c in letters) and len(line) <= 90
    return capitals and not _HEADLINE_WORDS.search(fold(line))


def layout(text: str) -> list[Line]:
    """Classify each non-empty line of a normalised text."""
    lines = []
    in_footer = False
    seen_body = False
    for m in _LINE.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        if _FOOTER_START.match(stripped):
            in_footer = True
        if in_footer:
            kind = "footer"
        elif _BOILERPLATE.match(stripped):
            kind = "boilerplate"
        elif is_section_label(stripped):
            kind = "section"
        elif not seen_body and _is_masthead(stripped):
            kind = "masthead"
        else:
            kind = "body"
            seen_body = True
        lines.append(Line(m.start(), m.end(), raw, kind))
    return lines
