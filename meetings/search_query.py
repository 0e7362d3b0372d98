"""What a search box query means: folded terms, abbreviations, document numbers, highlights.

The query is folded in Python exactly as `meetings.search` folds the documents, so
"Liên đoàn Lao động", "lien doan lao dong" and "LIÊN ĐOÀN" become the same words, and "Uỷ"
matches "Ủy". An abbreviation and its full name are alternatives of one term: "LĐLĐ" finds
"liên đoàn lao động" and the other way round. Each term becomes a plain or phrase
`SearchQuery` in the `simple` configuration; the terms are AND-ed, so PostgreSQL can answer
with the GIN index over to_tsvector('simple', search_document).

A query typed with diacritics means them: its words must match in their exact form
(meetings.vietnamese.exact: "Hà Nam" finds "Hà Nam" and "Việt Nam", not "năm"; "Hoà" finds
"Hòa"), against the exact half of each meeting's vector, whose words are marked "=hà"
(meetings.search.EXACT_VECTOR).
Abbreviations and the full names they stand for stay folded. Whatever the query, meetings
where its words stand together (`adjacent_query`) rank above those where they are scattered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQuery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.extraction.organizations import DATA as ORGANIZATION_DATA
from meetings.extraction.text import fold, fold_keep_length, fold_same_length
from meetings.vietnamese import exact, exact_word, has_diacritics

MAX_QUERY_LENGTH = 200  # characters kept of a query: every search box says maxlength=200
MAX_TERMS = 12  # words beyond this are dropped rather than building a huge tsquery


def _abbreviations() -> dict[str, tuple[str, ...]]:
    """Folded abbreviation → folded full names (the first is the usual one), from the
    extractor's table of organisations (meetings/extraction/data/organizations.json): its
    abbreviations, and each body's canonical name under the body's abbreviation ("TU" is
    Tỉnh ủy, Thành ủy and Thị ủy). Abbreviations that fold alike ("TU", "TƯ") share a key."""
    table: dict[str, list[str]] = {}

    def add(abbreviation: str | None, full: str) -> None:
        if not abbreviation or " " in abbreviation.strip():
            return  # "Đoàn TNCS Hồ Chí Minh" is a short name, not an abbreviation
        names = table.setdefault(fold(abbreviation), [])
        words = " ".join(re.findall(r"\w+", fold(full)))  # "chính trị - xã hội": its words
        if words not in names:
            names.append(words)

    for abbreviation, full in ORGANIZATION_DATA["abbreviations"].items():
        add(abbreviation, full)
    for body in ORGANIZATION_DATA["bodies"]:
        add(body["abbreviation"], body["canonical"])
    return {abbr: tuple(names) for abbr, names in table.items()}


ABBREVIATIONS = _abbreviations()
# Abbreviations that are also common folded words ("tu": từ, tự, tư …): expanded only when
# typed in capitals, and full names are never narrowed back to them.
AMBIGUOUS = {"tu", "tp", "hu", "qu", "ca", "tw"}
# Full names back to their abbreviation, longest first so "tong lien doan lao dong" wins.
_FULL_NAMES = sorted(
    (
        (tuple(full.split()), abbr)
        for abbr, fulls in ABBREVIATIONS.items()
        if abbr not in AMBIGUOUS
        for full in fulls
    ),
    key=lambda item: -len(item[0]),
)

# "24-CT/TU", "25 - CT/TU", "12-NQ/TW", "105/2020/ND-CP": digits, a dash or a slash, then
# letters; the whole query is one such number, maybe after its kind ("Chỉ thị số 24-CT/TU").
# Matched on folded text.
_DOCUMENT_NUMBER = re.compile(
    r"^(?:(?:chi thi|nghi quyet|ket luan|ke hoach|quyet dinh|thong bao|nghi dinh|thong tu"
    r"|cong van|quy dinh|huong dan)\s+)?(?:so\s+)?"
    r"(\d{1,5}(?:\s*/\s*\d{4})?\s*[-/]\s*[a-z]{1,6}(?:\s*[-/]\s*[a-z]{1,8}){1,3})$"
)
_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r'"([^"]*)"')
_EDGES = "()[]{}.,;:!?'\"“”‘’«»"


def clean_query(raw: str | None) -> str:
    """NFC, no control characters (NUL …), at most MAX_QUERY_LENGTH characters."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def document_number(raw: str | None) -> str:
    """The query as a directive number ("24-CT/TU") when it is nothing else, else ""."""
    text = clean_query(raw)
    match = _DOCUMENT_NUMBER.match(fold_keep_length(text))
    return text[match.start(1) : match.end(1)] if match else ""


@dataclass(frozen=True)
class Term:
    """One required term: any of its alternatives (folded texts) matches.

    PostgreSQL parses each alternative into lexemes that must all be present.
    """

    alternatives: tuple[str, ...]
    phrase: bool = False  # typed in double quotes: the words in that order
    exact: str = ""  # typed with diacritics: its words in their exact form, space-separated

    def search_query(self) -> SearchQuery:
        if self.exact:
            joiner = " <-> " if self.phrase else " & "
            return WrittenQuery(joiner.join(_lexeme(w, exact=True) for w in self.exact.split()))
        # Plain (all words, any order) rather than phrase: a phrase makes PostgreSQL recheck
        # every candidate row by re-parsing its whole document, which costs seconds at 100k
        # meetings. Quoted text is still a phrase (see `phrase`).
        parts = [
            SearchQuery(
                alt,
                config="simple",
                search_type="phrase" if self.phrase else "plain",
            )
            for alt in self.alternatives
        ]
        return reduce(lambda a, b: a | b, parts)

    def adjacent(self) -> str | None:
        """This term as raw tsquery words in a row; None when it is not plain words."""
        if self.exact:
            return " <-> ".join(_lexeme(w, exact=True) for w in self.exact.split())
        options = []
        for alternative in self.alternatives:
            words = _WORD.findall(alternative)
            if not words or " ".join(words) != alternative:
                return None
            options.append(" <-> ".join(_lexeme(w) for w in words))
        return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"


def _lexeme(word: str, *, exact: bool = False) -> str:
    """A tsquery lexeme; words of _WORD hold no quote, backslash or operator.

    An exact word is asked by the name the exact half of a vector gives it, "=" + the word
    (meetings.search.EXACT_VECTOR), without a weight: the GIN index answers it alone.
    """
    return f"'={word}'" if exact else f"'{word}'"


class WrittenQuery(SearchQuery):
    """A tsquery written out here ("'=hà' <-> '=nam'"), cast as it is: to_tsquery would
    send its words through the text parser, which takes the "=" for a separator. Only
    for words of _WORD (letters and digits), which the parser keeps whole."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")

    def as_sql(self, compiler, connection, *args, **kwargs):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"({sql})::tsquery", params


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned query as typed
    terms: tuple[Term, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def folded(self) -> str:
        return " ".join(t.alternatives[0] for t in self.terms)

    @property
    def has_exact(self) -> bool:
        """Typed with diacritics: some words must match as written."""
        return any(t.exact for t in self.terms)

    def search_query(self) -> SearchQuery | None:
        """All terms AND-ed; None for a query with no words."""
        if not self.terms:
            return None
        return reduce(lambda a, b: a & b, (t.search_query() for t in self.terms))

    def adjacent_query(self) -> SearchQuery | None:
        """Every word of the query in a row, in order: None for a single word, or when a
        term is not plain words ("24-CT/TU" is left to PostgreSQL's parser)."""
        parts = [term.adjacent() for term in self.terms]
        if not parts or None in parts:
            return None
        if sum(len(t.exact.split() or t.alternatives[0].split()) for t in self.terms) < 2:
            return None
        return WrittenQuery(" <-> ".join(f"({part})" for part in parts))

    def without_diacritics(self) -> ParsedQuery:
        """The same query, matched without regard to diacritics."""
        terms = tuple(Term(t.alternatives, t.phrase) for t in self.terms)
        return ParsedQuery(text=self.text, terms=terms)

    @property
    def phrases(self) -> list[str]:
        """Every folded word and phrase to highlight, longest first (exact terms aside)."""
        found = {alt for term in self.terms if not term.exact for alt in term.alternatives}
        return sorted(found, key=lambda s: (-len(s), s))

    @property
    def exact_phrases(self) -> list[str]:
        """The exact words and phrases to highlight, longest first."""
        found = {term.exact for term in self.terms if term.exact}
        return sorted(found, key=lambda s: (-len(s), s))


def _expand(chunks: list[str], *, marked: bool = False) -> list[Term]:
    """Chunks (as typed, split at spaces) to terms.

    A run of words spelling a known full name becomes one term with the abbreviation as an
    alternative; an abbreviation gets its full names. Any other chunk is handed to PostgreSQL
    folded but otherwise as typed, so "24-CT/TU" is parsed by the same parser as the
    documents ('24' & 'ct/tu').
    """
    folded = [fold(c) for c in chunks]
    bare = [f.strip(_EDGES) for f in folded]
    terms: list[Term] = []
    i = 0
    while i < len(chunks):
        for full, abbr in _FULL_NAMES:
            if tuple(bare[i : i + len(full)]) == full:
                terms.append(Term((" ".join(full), abbr)))
                i += len(full)
                break
        else:
            word, typed = bare[i], chunks[i]
            names = ABBREVIATIONS.get(word, ())
            if word in AMBIGUOUS and not any(c.isupper() for c in typed):
                names = ()
            if _WORD.search(folded[i]):
                as_typed = typed.strip(_EDGES)
                exact_form = ""
                if marked and not names and _WORD.fullmatch(as_typed):
                    exact_form = exact_word(as_typed)
                terms.append(Term((word if names else folded[i], *names), exact=exact_form))
            i += 1
    return terms


def parse(raw: str | None) -> ParsedQuery:
    """The terms of a query; text in double quotes is one phrase."""
    text = clean_query(raw)
    marked = has_diacritics(text)
    terms: list[Term] = []
    for n, chunk in enumerate(_QUOTED.split(text)):
        if n % 2:  # inside quotes
            words = _WORD.findall(fold(chunk))
            if words:
                typed = " ".join(exact_word(w) for w in _WORD.findall(chunk))
                terms.append(Term((" ".join(words),), phrase=True, exact=typed if marked else ""))
        else:
            terms.extend(_expand(chunk.split(), marked=marked))
    unique = list(dict.fromkeys(terms))[:MAX_TERMS]
    return ParsedQuery(text=text, terms=tuple(unique))


def _pattern(phrases: list[str]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = [r"[\W_]+".join(re.escape(w) for w in _WORD.findall(p)) for p in phrases]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _searched_forms(text: str, query: ParsedQuery) -> list[tuple[re.Pattern, str]]:
    """(pattern, the text in the form it matches) for the folded and the exact terms."""
    forms = []
    folded = _pattern(query.phrases)
    if folded is not None:
        # fold_same_length: fold_keep_length's result through a translation table, which is
        # what makes a whole article (a snippet's source) cheap to fold.
        forms.append((folded, fold_same_length(text)))
    exact_pattern = _pattern(query.exact_phrases)
    if exact_pattern is not None:
        exact_text = exact(text)
        if len(exact_text) == len(text):  # offsets stay valid (always, for Vietnamese)
            forms.append((exact_pattern, exact_text))
    return forms


def match_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """(start, end) of every whole-word match of the query's words in `text` (NFC)."""
    if not text:
        return []
    spans = sorted(
        m.span() for pattern, form in _searched_forms(text, query) for m in pattern.finditer(form)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            continue  # overlaps the previous match
        merged.append((start, end))
    return merged


def first_match_span(text: str, query: ParsedQuery) -> tuple[int, int] | None:
    """The first of match_spans, without looking for the others.

    The exact form of a whole article (a substitution per word) was the costliest step of a
    snippet. An exact match is also a match of its words folded, and the exact form keeps
    every word's length, so it is made only from the first folded match of the exact
    words on: no exact match starts before it.
    """
    if not text:
        return None
    found = []
    folded_text = fold_same_length(text)
    folded = _pattern(query.phrases)
    if folded is not None and (m := folded.search(folded_text)):
        found.append(m.span())
    exact_pattern = _pattern(query.exact_phrases)
    if exact_pattern is not None:
        candidates = _pattern([fold(p) for p in query.exact_phrases])
        first = candidates.search(folded_text) if candidates is not None else None
        if first is not None:
            start = first.start()
            tail = exact(text[start:])
            if len(tail) == len(text) - start and (m := exact_pattern.search(tail)):
                found.append((start + m.start(), start + m.end()))
    return min(found) if found else None


def mark_query_terms(text: str, query: ParsedQuery) -> SafeString:
    """`text` escaped, with the original characters of each match in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    out: list[str] = []
    last = 0
    for start, end in match_spans(text, query):
        out.append(escape(text[last:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        last = end
    out.append(escape(text[last:]))
    # Every piece of text is escaped above; the only markup is our own <mark>.
    return mark_safe("".join(out))  # noqa: S308


def snippet(text: str, query: ParsedQuery, *, width: int = 110) -> SafeString:
    """The words around the first match in `text`, highlighted; "" when nothing matches."""
    text = unicodedata.normalize("NFC", text or "")
    span = first_match_span(text, query)
    if span is None:
        return SafeString("")
    start, end = span
    left, right = max(0, start - width), min(len(text), end + width)
    # Cut at spaces, not inside words.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    piece = " ".join(text[left:right].split())
    body = mark_query_terms(piece, query)
    return mark_safe(("… " if left > 0 else "") + body + (" …" if right < len(text) else ""))  # noqa: S308
