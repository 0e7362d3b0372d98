"""Vietnamese text as readers type and sort it: exact spellings and the alphabet's order.

`exact` is the form search compares words typed *with* diacritics in: lower case, NFC, and
the tone mark always on the last vowel of the word, so the two conventions of tone placement
("Hoà"/"Hòa", "Uỷ"/"Ủy", "thuỷ"/"thủy") give the same word while "Nam" and "năm", "Đà" and
"đã" stay apart. Each word keeps its length, so offsets into the exact form are offsets into
the text (highlighting relies on it).

`sort_key` orders names as Vietnamese dictionaries and PostgreSQL's ICU collation "vi-x-icu"
do: letters in the Vietnamese alphabet (a ă â b c d đ e ê … ơ p … u ư v x y), tones only
after the letters (a à ả ã á ạ), case last (lower first). The same tables give
`meetings.collation` its SQL form for servers without ICU, so both orders agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The five tone marks, in the order ICU's Vietnamese collation ranks them.
TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền, hỏi, ngã, sắc, nặng
_TONE_SET = frozenset(TONES)
VOWELS = frozenset("aăâeêioôơuưy")
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=200_000)
def exact_word(word: str) -> str:
    """One word in its exact form: lower case, the tone on the last vowel ("Hòa" → "hoà")."""
    lowered = unicodedata.normalize("NFC", word).lower()
    decomposed = unicodedata.normalize("NFD", lowered)
    tone = next((c for c in decomposed if c in _TONE_SET), None)
    if tone is None:
        return lowered
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_SET))
    for i in range(len(base) - 1, -1, -1):
        if base[i] in VOWELS:
            placed = unicodedata.normalize("NFC", base[: i + 1] + tone + base[i + 1 :])
            return placed if len(placed) == len(lowered) else lowered
    return lowered


def exact(text: str) -> str:
    """Every word of an NFC text in its exact form; the rest unchanged, same length."""
    return _WORD.sub(lambda m: exact_word(m.group()), text or "")


def has_diacritics(text: str) -> bool:
    """Whether any letter carries a mark (đ included): "Hà Nam" yes, "ha nam" no."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in decomposed)


# --- the alphabet's order ------------------------------------------------------------------

# Primary order: the characters of names, lowest first, as ICU ranks them (space and
# punctuation before digits, digits before letters; ă, â, đ, ê, ô, ơ, ư are letters).
_PUNCTUATION = " _-–—,;:!?.…·'‘’\"“”«»()[]{}@*/\\&#%`^°+<=>|~$"
_DIGITS = "0123456789"
_LETTERS = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
# Code points the primary level maps to: one each, in order, above the level separator.
_FIRST_CODE = 0x21


def _forms(letter: str) -> list[tuple[str, int, int]]:
    """(character, tone rank, upper?) of a letter in every tone and case."""
    forms = []
    for upper, cased in ((0, letter), (1, letter.upper())):
        forms.append((cased, 0, upper))
        if letter in VOWELS:
            for rank, tone in enumerate(TONES, start=1):
                forms.append((unicodedata.normalize("NFC", cased + tone), rank, upper))
    return forms


def _tables() -> tuple[str, str, str, str, str]:
    """(characters, primary, secondary, tertiary) as aligned strings, for translate()."""
    chars, primary, secondary, tertiary = [], [], [], []
    code = _FIRST_CODE
    for symbol in _PUNCTUATION + _DIGITS:
        chars.append(symbol)
        primary.append(chr(code))
        secondary.append("0")
        tertiary.append("0")
        code += 1
    for letter in _LETTERS:
        for char, tone, upper in _forms(letter):
            chars.append(char)
            primary.append(chr(code))
            secondary.append(str(tone))
            tertiary.append(str(upper))
        code += 1
    return "".join(chars), "".join(primary), "".join(secondary), "".join(tertiary), "\x01"


CHARS, PRIMARY, SECONDARY, TERTIARY, LEVEL_SEPARATOR = _tables()
_PRIMARY = str.maketrans(CHARS, PRIMARY)
_SECONDARY = str.maketrans(CHARS, SECONDARY)
_TERTIARY = str.maketrans(CHARS, TERTIARY)


def sort_key(name: str) -> str:
    """A string whose code-point order is the Vietnamese order of `name`.

    Letters first (the primary level), then tones, then case, then the name itself, each
    level compared over the whole name before the next, as a collation does.
    """
    text = unicodedata.normalize("NFC", name or "")
    return LEVEL_SEPARATOR.join(
        (text.translate(_PRIMARY), text.translate(_SECONDARY), text.translate(_TERTIARY), text)
    )
