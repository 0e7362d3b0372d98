"""Reading an article file: bytes → text, front matter, HTML → article text, line layout.

`read_article(path)` is what the CLI and the ingest call; every failure is an
`ExtractionInputError` whose message names the file. `layout(text)` tells which lines of a
normalised text are article body and which are portal chrome (widgets, footers, mastheads).
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .text import fold, normalize

MAX_BYTES = 5_000_000  # a news article is a few kB; anything this big is not one


def _words(s: str) -> list[str]:
    return s.split()


class ExtractionInputError(ValueError):
    """A file that cannot be read as an article; the message names the file."""


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
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise ValueError("binary file, not text (contains NUL bytes)")
        try:
            return data.decode(encoding)
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

_FRONT = re.compile(r"\A[ \t]*---[ \t]*\r?\n(.*?)\r?\n[ \t]*---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` / `key: value` / `---` block off the text."""
    m = _FRONT.match(text.lstrip("\ufeff"))
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        km = _FRONT_KEY.match(line)
        if km:
            value = km.group(2).strip().strip("\"'")
            meta[km.group(1).lower()] = value
    if not meta:
        return {}, text
    return meta, text.lstrip("\ufeff")[m.end() :]


def parse_published(value: str | None) -> str | None:
    """'2023-10-24', '2023-10-24T08:00:00+07:00' → '2023-10-24'; anything else → None."""
    if not value:
        return None
    m = _ISO_DATE.search(value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


# --- HTML → article text -----------------------------------------------------------------------

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"</(?:p|div|span|a|li|td|body|html|h[1-6])\s*>", re.I)
_BLOCK = frozenset(
    _words(
        "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table article section header footer "
        "figcaption figure blockquote main aside nav pre hr dd dt"
    )
)
_SKIP = frozenset(_words("script style noscript template svg iframe form button select head"))
_CHROME = frozenset(_words("nav aside"))


def looks_like_html(text: str) -> bool:
    if _HTML_START.match(text):
        return True
    return len(_HTML_TAGS.findall(text[:50000])) >= 5


class _ArticleParser(HTMLParser):
    """Collects the visible text, the <article>/<main> text, and a few meta tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.article: list[str] = []
        self.footer: list[str] = []
        self.h1: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip = 0
        self._chrome = 0
        self._article = 0
        self._footer = 0
        self._h1 = 0

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
            return
        if tag in _SKIP:
            self._skip += 1
        elif tag in _CHROME:
            self._chrome += 1
        elif tag in ("article", "main"):
            self._article += 1
        elif tag == "footer":
            self._footer += 1
        elif tag == "h1":
            self._h1 += 1
        if tag in _BLOCK:
            self._emit("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("meta", "link") and tag in _SKIP | _CHROME | {"article", "main", "h1"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCK:
            self._emit("\n")
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _CHROME:
            self._chrome = max(0, self._chrome - 1)
        elif tag in ("article", "main"):
            self._article = max(0, self._article - 1)
        elif tag == "footer":
            self._footer = max(0, self._footer - 1)
        elif tag == "h1":
            self._h1 = max(0, self._h1 - 1)

    def handle_data(self, data):
        if self._skip:
            return
        if self._h1:
            self.h1.append(data)
        self._emit(data)

    def _emit(self, data):
        if self._skip:
            return
        if not self._chrome:
            self.all.append(data)
        if self._article:
            self.article.append(data)
        elif self._footer:
            self.footer.append(data)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """The article's text (its <article>/<main> if any, with the page's <h1> and footer)."""
    parser = _ArticleParser()
    parser.feed(markup)
    parser.close()
    article = "".join(parser.article).strip()
    if len(article) >= 200:
        heading = " ".join("".join(parser.h1).split())
        parts = [] if not heading or heading in article else [heading]
        parts += [article, "".join(parser.footer)]
        text = "\n\n".join(parts)
    else:
        text = "".join(parser.all)
    meta = {}
    url = parser.meta.get("og:url") or parser.meta.get("canonical")
    if url:
        meta["url"] = html.unescape(url)
    for key in ("article:published_time", "datepublished", "pubdate", "date", "dc.date.issued"):
        if key in parser.meta:
            meta["published"] = parser.meta[key]
            break
    return text, meta


# --- file → (text, url, published) -------------------------------------------------------------


def read_text(data: bytes, name: str = "<input>") -> tuple[str, str | None, str | None]:
    """Bytes of an article file → (normalised text, url, published) from its front matter/HTML."""
    if len(data) > MAX_BYTES:
        raise ExtractionInputError(
            f"{name}: file too large ({len(data) / 1e6:.1f} MB; an article is at most "
            f"{MAX_BYTES / 1e6:.0f} MB)"
        )
    try:
        raw = decode(data)
    except ValueError as exc:
        raise ExtractionInputError(f"{name}: {exc}") from None
    meta, body = split_front_matter(raw)
    if looks_like_html(body):
        body, html_meta = html_to_text(body)
        for key, value in html_meta.items():
            meta.setdefault(key, value)
    text = normalize(body)
    if not text:
        raise ExtractionInputError(f"{name}: no article text (the file is empty or blank)")
    url = meta.get("url") or meta.get("source") or None
    return text, url, parse_published(meta.get("published") or meta.get("date"))


def read_article(path: str | Path) -> tuple[str, str | None, str | None]:
    """Read an article file → (normalised text, url, published); ExtractionInputError names it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExtractionInputError(
                f"{path}: file too large ({size / 1e6:.1f} MB; an article is at most "
                f"{MAX_BYTES / 1e6:.0f} MB)"
            )
        data = path.read_bytes()
    except ExtractionInputError:
        raise
    except IsADirectoryError:
        raise ExtractionInputError(f"{path}: is a directory, not a file") from None
    except FileNotFoundError:
        raise ExtractionInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExtractionInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
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
