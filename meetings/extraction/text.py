"""Text normalisation and folding, shared by every extraction module and by search.

`normalize` produces the text that evidence spans index and that the ingest stores.
`fold` produces the diacritic-free, case-folded form used for matching and search.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
# Every run of spaces becomes one " ", in two passes that seldom match, so `re` runs them fast
# (one pass replacing every space, most of them a lone " ", was slow): each other space
# character becomes " ", then runs of " " are collapsed. Both patterns open with a class or a
# literal, not a repeat, so that `re` skips ahead in C.
_OTHER_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_SPACE_RUNS = re.compile("  " + " *")  # two or more
_BLANK_LINES = re.compile("\n\n\n" + "\n*")  # three or more


def normalize(text: str) -> str:
    """NFC, Unix newlines, no BOM, runs of spaces collapsed, trailing spaces removed."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RUNS.sub(" ", _OTHER_SPACE.sub(" ", text))  # runs never span a newline
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fold_char(char: str) -> str:
    """Fold one character; the result may be empty (a lone combining mark)."""
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.translate(_D_STROKE).casefold()


def fold(text: str) -> str:
    """Strip diacritics, map đ/Đ to d and casefold: "Uỷ ban" and "Ủy ban" both give "uy ban"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return _translate(decomposed, _UNMARKED, _unmarked).casefold()


def fold_keep_length(text: str) -> str:
    """Fold an NFC text so that each character maps to exactly one character.

    Offsets into the result are offsets into the input, so a regex run on folded text
    gives evidence spans in the original. Characters whose fold is not one character
    (rare ligatures) are kept lower-cased.
    """
    out = []
    for char in text:
        folded = fold_char(char)
        out.append(folded if len(folded) == 1 else char.lower()[:1] or char)
    return "".join(out)


_WHITESPACE = re.compile(r"\s+")
# Letters that re.IGNORECASE takes for i, s and k although lower() does not give them.
_RE_CASE_ODDITIES = str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "\u212a": "k"})


def case_key(word: str) -> str:
    """The key of a word matched by a case-insensitive pattern, in a table of lower-case
    words: lower(), and the dotless "ı" (and the other letters re.IGNORECASE equates to i, s
    or k) made that letter, so "trıệu" finds "triệu" rather than raising KeyError."""
    return word.translate(_RE_CASE_ODDITIES).lower()


def squash_spaces(text: str) -> str:
    """Collapse all whitespace runs to one space and strip."""
    return _WHITESPACE.sub(" ", text).strip()


def fold_name(name: str | None) -> str:
    """The folded form a name is stored and matched by (`name_folded` of people, organisations,
    provinces and districts): spaces squashed, then folded. "Uỷ  ban" gives "uy ban"."""
    return fold(squash_spaces(name or ""))


def _letter_class(upper: bool) -> str:
    chars = (chr(c) for c in range(0x41, 0x1F00))
    picked = (c for c in chars if c.isalpha() and (c.isupper() if upper else c.islower()))
    return "".join(c for c in picked if c not in "\\]^-")


# Regex character-class bodies of Latin letters (Vietnamese included), by case:
# f"[{UPPER}][{LOWER}]*" is a capitalised word.
UPPER = _letter_class(True)
LOWER = _letter_class(False)


# Folding a text goes through str.translate and a table of characters: a plain dict, filled
# before translating (one with __missing__ is looked up half as fast). The characters of Latin
# scripts (Vietnamese included), combining marks and general punctuation are in the tables
# from the start, any other character is added on first sight.
_COMMON = [(0x0000, 0x0370), (0x1E00, 0x1F00), (0x2000, 0x2070)]
_NOT_COMMON = re.compile("[^" + "".join(rf"\u{a:04x}-\u{b - 1:04x}" for a, b in _COMMON) + "]")


def _translate(text: str, table: dict, fold_one) -> str:
    """text.translate(table), once `table` has `fold_one` of every character of `text`."""
    if _NOT_COMMON.search(text):
        for char in set(text):
            if ord(char) not in table:
                table[ord(char)] = fold_one(char)
    return text.translate(table)


def _unmarked(char: str) -> str | None:
    """fold's step for one character of the NFD text: marks go, đ/Đ become d/D."""
    return None if unicodedata.combining(char) else char.translate(_D_STROKE)


_UNMARKED = {c: _unmarked(chr(c)) for a, b in _COMMON for c in range(a, b)}
_FOLDED = {c: fold_keep_length(chr(c)) for a, b in _COMMON for c in range(a, b)}


def fold_chars(text: str) -> str:
    """Same result as fold_keep_length, fast (see _translate)."""
    return _translate(text, _FOLDED, fold_keep_length)


@lru_cache(maxsize=16)
def fold_same_length(text: str) -> str:
    """fold_chars, remembered for the last few texts (several modules fold the same article)."""
    return fold_chars(text)


def scan(
    rx: re.Pattern, starts: re.Pattern, text: str, start: int = 0, end: int | None = None
) -> Iterator[re.Match]:
    """The matches of rx.finditer(text, start, end), found faster.

    `re` can skip ahead in C only when a pattern opens with a literal or a character class; one
    that opens with a look-behind, \\b or an alternation of classes is tried at every position,
    which was most of the extractor's time. `starts` is a cheap pattern that does open with
    literals and matches wherever `rx` can begin (extra positions are harmless): `rx` is then
    only tried there. `rx` must not match the empty string.
    """
    end = len(text) if end is None else end
    pos = start
    while (hit := starts.search(text, pos, end)) is not None:
        m = rx.match(text, hit.start(), end)
        if m is None:
            pos = hit.start() + 1
        else:
            yield m
            pos = m.end()


def scan_at(
    rx: re.Pattern, offsets: list[int], text: str, start: int = 0, end: int | None = None
) -> Iterator[re.Match]:
    """Like scan, with the places where `rx` can begin given as sorted offsets (word_offsets)."""
    end = len(text) if end is None else end
    pos = start
    for i in range(bisect_left(offsets, start), len(offsets)):
        at = offsets[i]
        if at >= end:
            break
        if at >= pos and (m := rx.match(text, at, end)) is not None:
            yield m
            pos = m.end()


def word_offsets(text: str, folded_words) -> list[int]:
    """Sorted offsets where a word may begin whose fold (fold_keep_length) is in `folded_words`,
    written in any case and with any accents that re.IGNORECASE equates (see searchable).

    str.find is much faster than a regex alternation of words that begin with common letters
    (re tries the whole alternation at each such letter).
    """
    haystack = searchable(text)
    offsets = set()
    for word in folded_words:
        at = haystack.find(word)
        while at != -1:
            offsets.add(at)
            at = haystack.find(word, at + 1)
    return sorted(offsets)


@lru_cache(maxsize=16)
def searchable(text: str) -> str:
    """The text to look for words in the way re.IGNORECASE does: the letters it equates fold
    alike (fold_same_length), but for the dotless "ı" that it takes for "i", made "i" here."""
    return fold_same_length(text).replace("ı", "i")


class Words:
    r"""Where one of some words may be written in a text, in any case and with any accents that
    re.IGNORECASE equates: a plain pattern of the folded words run on searchable(text), which
    `re` runs many times faster than a case-insensitive alternation of the words.

    A case-insensitive pattern whose every match begins with one of the words need only be
    tried where one of them may be, and not at all where none is (search, finditer). `after`,
    a regex, may require what must follow the word (r"\s*$"). The words must contain no "ı".
    """

    def __init__(self, *words: str, after: str = ""):
        folded = sorted({fold_keep_length(w) for w in words})
        self._rx = re.compile(f"(?:{trie(folded)}){after}")

    def first(self, text: str, start: int = 0, end: int | None = None) -> int:
        """Offset of the first place in text[start:end] where one of the words may begin, or
        -1 if there is none."""
        m = self._rx.search(searchable(text), start, len(text) if end is None else end)
        return -1 if m is None else m.start()

    def finditer(
        self, rx: re.Pattern, text: str, start: int, end: int, sliced: bool = True
    ) -> Iterator[re.Match]:
        """rx.finditer(text[start:end]), or rx.finditer(text, start, end) if not `sliced`, for
        a pattern whose every match begins with one of the words and is not empty: `rx` is
        only tried where one of them may be (see scan)."""
        piece, base = (text[start:end], start) if sliced else (text, 0)
        stop = end - base
        pos = start
        while (at := self.first(text, pos, end)) != -1:
            m = rx.match(piece, at - base, stop)
            if m is None:
                pos = at + 1
            else:
                yield m
                pos = base + m.end()

    def search(
        self, rx: re.Pattern, text: str, start: int, end: int, sliced: bool = True
    ) -> re.Match | None:
        """rx.search(text[start:end]) (or rx.search(text, start, end)), likewise."""
        return next(self.finditer(rx, text, start, end, sliced), None)


def alternatives(alternation: str) -> list[str]:
    """The words of a plain alternation: "a|b|c" -> ["a", "b", "c"]."""
    return alternation.split("|")


def any_word(*words: str) -> tuple[re.Pattern, Words]:
    """A case-insensitive alternation of `words`, and the Words telling where it can match."""
    return re.compile("|".join(words), re.I), Words(*words)


def trie(words, symbol=re.escape, after_first: str = "") -> str:
    """A regex alternation of `words` that tries them in the order given (list the longest
    first), shaped as a trie: at each character only the words that go on with it are tried,
    not every word. The order is kept because words that differ in a character cannot both
    match there, and a word that ends where longer ones go on is tried after them.

    `symbol(char)` is the regex of one character (characters must give exclusive symbols);
    `after_first` goes right after each word's first character (a look-behind there sees the
    character before the word, and the pattern still opens with a literal for `re` to skip to).
    """
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def emit(node: dict, top: bool = False) -> str:
        alts = [
            symbol(char) + (after_first if top else "") + emit(child)
            for char, child in node.items()
            if char
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root, top=True)
