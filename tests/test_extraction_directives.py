"""Directives: every numbered document cited, with kind, issuer, date and subject."""

from __future__ import annotations

from meetings.extraction.directives import extract_directives


def _numbers(text: str) -> list[tuple[str | None, str, str | None]]:
    found, _ = extract_directives(text, [(0, len(text))])
    return [(d.kind, d.number, d.issuer) for d in found]


def test_symbols_with_kind_issuer_date_and_subject():
    text = (
        "tiếp tục thực hiện Chỉ thị số 24-CT/TU ngày 7/8/2023 của Ban Thường vụ Thành ủy về "
        "việc tăng cường kỷ cương, kỷ luật; Chỉ thị số 25-CT/TU ngày 20/9/2023."
    )
    found, citations = extract_directives(text, [(0, len(text))])
    assert [(d.kind, d.number, d.issuer, d.issued_on) for d in found] == [
        ("Chỉ thị", "24-CT/TU", "TU", "2023-08-07"),
        ("Chỉ thị", "25-CT/TU", "TU", "2023-09-20"),
    ]
    assert found[0].subject == "việc tăng cường kỷ cương, kỷ luật"
    assert text[found[0].evidence.start : found[0].evidence.end] == "24-CT/TU"
    assert citations[0].end > found[0].evidence.end  # covers the issue date


def test_chain_of_citations():
    text = (
        "Kế hoạch số 130-KH/TU, ngày 03/5/2019 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số "
        "43-KL/TW, ngày 07/01/2019 của Ban Bí thư về tiếp tục thực hiện Nghị quyết số 25-NQ/TW, "
        "Đề án số 04-ĐA/TU, ngày 31/3/2017 của Ban Chấp hành Đảng bộ tỉnh"
    )
    assert [n for _, n, _ in _numbers(text)] == ["130-KH/TU", "43-KL/TW", "25-NQ/TW", "04-ĐA/TU"]


def test_shared_suffix_bare_numbers_and_decrees():
    assert _numbers("thực hiện Quyết định 217, 218-QĐ/TW của Bộ Chính trị") == [
        ("Quyết định", "217-QĐ/TW", "TW"),
        ("Quyết định", "218-QĐ/TW", "TW"),
    ]
    assert _numbers("thực hiện Chỉ thị 05 của Bộ Chính trị về học tập") == [("Chỉ thị", "05", None)]
    assert _numbers("theo NĐ 145/2020 của Chính phủ") == [("Nghị định", "145/2020", None)]
    assert _numbers("Nghị định số 145/2020/NĐ-CP") == [("Nghị định", "145/2020/NĐ-CP", "CP")]
    assert _numbers("Quyết định số 35/2019/QĐ-UBND") == [("Quyết định", "35/2019/QĐ-UBND", "UBND")]


def test_symbol_without_kind_word_and_non_citations():
    assert _numbers("triển khai 57-NQ/TW trong toàn Đảng bộ") == [("Nghị quyết", "57-NQ/TW", "TW")]
    assert _numbers("xây dựng Kế hoạch 5 năm và Kế hoạch năm 2024") == []
    assert _numbers("Chương trình “1 triệu sáng kiến”; Thông tri lãnh đạo Đại hội") == []


def test_kind_written_with_a_dotless_i():
    # The kinds table is looked up with text.case_key, as metrics' scale words are (where a
    # dotless "ı" used to raise KeyError; see test_extraction_metrics).
    assert _numbers("thực hiện CHỈ THı số 24-CT/TU của Ban Thường vụ") == [
        ("Chỉ thị", "24-CT/TU", "TU")
    ]
