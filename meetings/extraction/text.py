"""Text normalisation and folding, shared by every extraction module and by search.

`normalize` produces the text that evidence spans index and that the ingest stores.
`fold` produces the diacritic-free, case-folded form used for matching and search.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize(text: str) -> str:
    """NFC, Unix newlines, no BOM, runs of spaces collapsed, trailing spaces removed."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fold_char(char: str) -> str:
    """Fold one character; the result may be empty (a lone combining mark)."""
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.translate(_D_STROKE).casefold()


def fold(text: str) -> str:
    """Strip diacritics, map đ/Đ to d and casefold: "Uỷ ban" and "Ủy ban" both give "uy ban"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.translate(_D_STROKE).casefold()


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


def squash_spaces(text: str) -> str:
    """Collapse all whitespace runs to one space and strip."""
    return re.sub(r"\s+", " ", text).strip()


def _letter_class(upper: bool) -> str:
    chars = (chr(c) for c in range(0x41, 0x1F00))
    picked = (c for c in chars if c.isalpha() and (c.isupper() if upper else c.islower()))
    return "".join(c for c in picked if c not in "\\]^-")


# Regex character-class bodies of Latin letters (Vietnamese included), by case:
# f"[{UPPER}][{LOWER}]*" is a capitalised word.
UPPER = _letter_class(True)
LOWER = _letter_class(False)


class _FoldTable(dict):
    """str.translate table that folds each character on first sight, then remembers it."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = fold_char(char)
        value = folded if len(folded) == 1 else char.lower()[:1] or char
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


@lru_cache(maxsize=16)
def fold_same_length(text: str) -> str:
    """Same result as fold_keep_length, from a cached table (fast on whole articles)."""
    return text.translate(_FOLD_TABLE)
