"""The extractor's fast paths give what the plain ones they replace give.

For speed, the extractor looks for case-insensitive words in folded text first (text.Words,
word_offsets), tries some patterns only where their matches can begin (text.scan), folds by
table and writes a few patterns so that `re` can skip ahead (a digit or capital before its
look-behind, a trie of words). Each is checked here against the plain form on text made of the
words they look for, so that a word added to a pattern but not to its gate cannot pass.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.extraction import dates, directives, metrics, organizations, people, text
from meetings.extraction.text import fold, fold_chars, fold_keep_length, normalize

# words and signs the fast paths look for (and some near misses); "_" joins the words of one piece
PIECES = re.findall(
    r"\S+",
    "0 1 2 6 9 06 09 12 29 2016 2023 / . , - – : ; ( ) “ ” % ngày Ngày tháng Tháng năm Năm "
    "quý Quý QUÝ I II IV sáu chín đầu cuối và đến Sáng Chiều trong kế_hoạch triển_khai "
    "tổng_kết kết_quả Nguyễn Văn Trần Thị Lê Hà_Nội Đỗ_Anh_Tuấn đồng_chí Đồng_chí Đ/c Ông ông "
    "Bà bà công GS. PGS TS Đại_tá Chủ_tịch CHỦ_TỊCH Phó Bí_thư Tỉnh_uỷ_viên UBND tỉnh huyện "
    "thành_phố TP. Tp Chỉ_thị CHỈ_THỊ Nghị_quyết NĐ số 24-CT/TU 145/2020/NĐ-CP 217 một hai HAI "
    "ba mười trăm nghìn triệu tỷ tỉ Tỷ đồng USD 1.200 1,5 89/115 khoảng gần hơn ı ſ K Ảnh "
    "Hội Liên_đoàn_Lao_động Mặt_trận_Tổ_quốc MTTQ Ủy_ban Đoàn_Thanh_niên Việt_Nam hội_nghị "
    "giao_ban chủ_trì Chủ_trì đồng_chủ_trì điều_hành phát_biểu PHÁT_BIỂU ý_kiến tham_dự dự "
    "có_mặt báo_cáo nghe được_nghe kết_luận bế_mạc thông_tin_về chỉ_đạo gồm: haı thông_trı "
    "6_tháng_đầu_năm 06_tháng_cuối 9_tháng 09_tháng_đầu chín_tháng quý_II/2023 tháng_10/2023 "
    "năm_2023 hai_tỷ ba_trăm Chỉ_thị_số_05 ngày_23/10_đến_ngày_2/11 23-24/10/2023 "
    "5_tháng_3_năm_2020 12/7/2016 Chiều_29/12",
)
SEPARATORS = [" ", " ", " ", "", "\n", ", ", ". ", "  ", "\t", "\u00a0"]

texts = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
).map(lambda parts: normalize("".join(p.replace("_", " ") + s for p, s in parts)))
# a text and a slice of it (start <= end; often the whole text)
windows = texts.flatmap(
    lambda t: st.tuples(
        st.just(t),
        st.integers(0, len(t)) | st.just(0),
        st.integers(0, len(t)) | st.just(len(t)),
    ).map(lambda w: (w[0], min(w[1:]), max(w[1:])))
)

CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans(matches) -> list:
    return [(m.span(), m.groupdict()) for m in matches]


def test_folding_by_table_is_folding():
    sample = "".join(chr(c) for c in range(0x20, 0x2100)) + "ıſKÅ𝐀𐐀\u0301\u0323"
    assert fold_chars(sample) == fold_keep_length(sample)
    decomposed = unicodedata.normalize("NFD", sample)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(sample) == plain.translate(str.maketrans("đĐ", "dD")).casefold()


@CHECK
@given(
    st.text(alphabet=st.sampled_from(list(" \t\u00a0\u2003\u3000\r\n\ufeffab\u2028")), max_size=30)
)
def test_normalize_collapses_spaces_as_before(raw):
    plain = unicodedata.normalize("NFC", raw.lstrip("\ufeff")).replace("\r\n", "\n")
    plain = plain.replace("\r", "\n")
    space = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+"
    lines = [re.sub(space, " ", line).strip() for line in plain.split("\n")]
    assert normalize(raw) == re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# the patterns written so that `re` skips ahead, and how they were written before
REWRITTEN = [
    (dates._SINGLE, dates._SINGLE.pattern.replace(dates._DAY, r"(?<![\d/.,])(?P<d>\d{1,2})")),
    (dates._WORDY, dates._WORDY.pattern.replace(dates._DAY, r"(?<![\d/.,])(?P<d>\d{1,2})")),
    (
        dates._RANGE_SAME_MONTH,
        dates._RANGE_SAME_MONTH.pattern.replace(dates._DAY, r"(?<![\d/.,])(?P<d>\d{1,2})"),
    ),
    (
        dates._RANGE_TWO_MONTHS,
        dates._RANGE_TWO_MONTHS.pattern.replace(dates._DAY, r"(?<![\d/.,])(?P<d>\d{1,2})"),
    ),
    (people._RUN, rf"(?<![\w]){people._CAP_WORD}(?: {people._CAP_WORD})+"),
    (dates._PERIOD_WORD, r"[Qq]uý|[Tt]háng|[Nn]ăm"),
]


@CHECK
@given(windows)
def test_rewritten_patterns_match_as_before(window):
    t, a, b = window
    for fast, plain in REWRITTEN:
        assert spans(fast.finditer(t, a, b)) == spans(re.compile(plain).finditer(t, a, b))


@CHECK
@given(texts)
def test_body_names_trie_matches_as_the_alternation(t):
    forms = sorted(organizations._FORMS, key=len, reverse=True)
    plain = re.compile(
        r"(?<![\w])(?:"
        + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        + r")(?![\w])"
    )
    folded = text.fold_same_length(t)
    assert spans(organizations._HEAD.finditer(folded)) == spans(plain.finditer(folded))


@CHECK
@given(windows)
def test_scans_find_what_finditer_finds(window):
    t, a, b = window
    for rx, starts in (
        (dates._PERIOD, dates._PERIOD_START),
        (people._CUE, people._CUE_START),
        (metrics._NUMBER, metrics._NUMBER_AT),
        (directives._BARE_SYMBOL, directives._BARE_SYMBOL_AT),
    ):
        assert spans(text.scan(rx, starts, t, a, b)) == spans(rx.finditer(t, a, b))
    for rx, words in (
        (metrics._NUMBER_WORD, metrics._NUMBER_WORDS_FOLDED),
        (directives._CITATION, directives._KIND_WORDS_FOLDED),
    ):
        offsets = text.word_offsets(t, words)
        assert spans(text.scan_at(rx, offsets, t, a, b)) == spans(rx.finditer(t, a, b))


def gated_patterns():
    """(pattern, its Words, sliced) for every pattern tried only where its words are."""
    pairs = [(rx, words, True) for _, rx, words in (*people._ROLE_AFTER, *people._ROLE_BEFORE)]
    pairs += [
        (people._TITLE_START, people._TITLE_AT, False),
        (people._PLACE_LEVEL, people._PLACE_LEVEL_AT, False),
        (dates._MEETING_WORDS, dates._MEETING_WORDS_AT, True),
        (dates._FORWARD, dates._FORWARD_AT, True),
        (dates._REVIEW, dates._REVIEW_AT, True),
        (dates._YEAR_CONTEXT, dates._YEAR_CONTEXT_AT, True),
    ]
    return pairs


@CHECK
@given(windows)
def test_words_gates_find_what_the_patterns_find(window):
    t, a, b = window
    for rx, words, sliced in gated_patterns():
        plain = rx.finditer(t[a:b]) if sliced else rx.finditer(t, a, b)
        assert spans(words.finditer(rx, t, a, b, sliced)) == spans(plain)


@CHECK
@given(texts, st.integers(0, 40))
def test_words_before_a_number_are_found_as_before(t, back):
    end = len(t)
    start = max(0, end - back)
    for rx, words in (
        (metrics._BEFORE_EXCLUDES, metrics._EXCLUDING_AT),
        (metrics._QUALIFIER_BEFORE, metrics._QUALIFIER_AT),
    ):
        got = metrics._ending_before(rx, words, t, start, end)
        want = rx.search(t[start:end])
        assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))


def test_case_insensitive_partners_of_letters_fold_alike():
    """What lets text.Words look in folded text: whatever re.IGNORECASE takes for a letter of
    the words folds like it (the dotless "ı" is searched as "i")."""
    latin = [chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00))]  # Vietnamese too
    letters = {c for c in "".join(PIECES) + "".join(latin) if c.isalpha()}
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    for letter in letters:
        for partner in re.findall("(?i)" + re.escape(letter), every):
            assert fold_chars(partner).replace("ı", "i") == fold_chars(letter).replace("ı", "i")
