"""Reading article files: encodings, front matter, HTML, boilerplate lines, bad input."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from meetings.extraction.reader import (
    ExtractionInputError,
    decode,
    layout,
    read_article,
    read_text,
    split_front_matter,
)
from meetings.extraction.text import normalize

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Ngày 23/10, Thành ủy Hà Nội đã tổ chức Hội nghị giao ban quý III/2023."


def test_decode_utf8_and_boms():
    assert decode(SENTENCE.encode()) == SENTENCE
    assert decode(codecs.BOM_UTF8 + SENTENCE.encode()) == SENTENCE
    assert decode(codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le")) == SENTENCE
    assert decode(codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be")) == SENTENCE


def test_decode_rejects_binary_and_legacy_encodings():
    with pytest.raises(ValueError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(ValueError, match="not UTF-8"):
        decode("Hà Nam giao ban".encode("latin-1"))


def test_front_matter_is_split_off():
    meta, body = split_front_matter(
        "---\nurl: https://myhao.hungyen.gov.vn/a.aspx\npublished: 2021-10-15\n---\nNgày 14/10"
    )
    assert meta == {"url": "https://myhao.hungyen.gov.vn/a.aspx", "published": "2021-10-15"}
    assert body == "Ngày 14/10"


def test_html_page_is_reduced_to_its_article():
    page = """<!DOCTYPE html><html><head><title>x</title>
    <meta property="og:url" content="https://example.gov.vn/tin/1.html">
    <meta property="article:published_time" content="2023-10-24T08:00:00+07:00">
    <script>var a = "Ngày 1/1";</script></head><body><nav>Trang chủ | Tin tức</nav>
    <h1>Hội nghị giao ban quý III/2023</h1>
    <article><p>Ngày 23/10, Thành ủy Hà Nội đã tổ chức Hội nghị giao ban với Mặt trận Tổ
    quốc Việt Nam, các tổ chức chính trị – xã hội Thành phố quý III/2023.</p>
    <p>Đồng chí Nguyễn Thị Tuyến &ndash; Phó Bí thư Thường trực Thành ủy chủ trì Hội nghị.</p>
    <ul><li><a href="/a">Hội nghị tổng kết năm 2022</a></li>
    <li><a href="/b">Giao ban quý II/2023</a></li></ul>
    </article><footer>Cổng tin tức Thành phố Hải Phòng</footer></body></html>"""
    text, url, published = read_text(page.encode())
    assert text.startswith("Hội nghị giao ban quý III/2023\n")
    assert "Nguyễn Thị Tuyến – Phó Bí thư" in text
    assert "var a" not in text and "Trang chủ" not in text
    assert "quý II/2023" not in text  # a list of links to other articles
    assert text.endswith("Cổng tin tức Thành phố Hải Phòng")  # the portal may name it only there
    assert (url, published) == ("https://example.gov.vn/tin/1.html", "2023-10-24")


def test_an_aspnet_page_in_one_form_and_layout_tables_keeps_its_article():
    page = """<html><body><form id="aspnetForm"><table><tr><td><div>Menu</div></td>
    <td><h1>Giao ban công tác dân vận quý I/2023</h1>
    <p>Sáng 5/4, Ban Dân vận Thành ủy đã tổ chức Hội nghị giao ban công tác Dân vận quý I và
    triển khai nhiệm vụ quý II năm 2019.</p>
    <p>Ông Phạm Quý - Trưởng Ban Dân vận Thành ủy Đà Nẵng chủ trì Hội nghị.</p></td></tr>
    </table></form></body></html>"""
    text, _, _ = read_text(page.encode())
    assert "Ông Phạm Quý - Trưởng Ban Dân vận Thành ủy Đà Nẵng chủ trì" in text


def test_layout_marks_portal_chrome():
    text = normalize(
        "Print Thứ Năm, 29/12/2022 16:05 Gốc\n\nChiều 29/12, hội nghị.\n100%\nLượt xem: 3\n"
        "Đăng ngày 15 - 10 - 2021\nNguyễn Hải. Ảnh: Đàm Thanh\nTiện ích thông tin\nQR Code\n"
        "Cổng tin tức Thành phố Hải Phòng"
    )
    kinds = [(line.text, line.kind) for line in layout(text)]
    assert kinds == [
        ("Print Thứ Năm, 29/12/2022 16:05 Gốc", "boilerplate"),
        ("Chiều 29/12, hội nghị.", "body"),
        ("100%", "boilerplate"),
        ("Lượt xem: 3", "boilerplate"),
        ("Đăng ngày 15 - 10 - 2021", "boilerplate"),
        ("Nguyễn Hải. Ảnh: Đàm Thanh", "body"),
        ("Tiện ích thông tin", "footer"),
        ("QR Code", "footer"),
        ("Cổng tin tức Thành phố Hải Phòng", "footer"),
    ]


def test_masthead_before_headline():
    text = "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nQUẬN 5 - THÀNH PHỐ HỒ CHÍ MINH\n\nHội nghị sơ kết"
    assert [line.kind for line in layout(text)] == ["masthead", "masthead", "body"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t \r\n ", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "binary"),
        ("Hà Nam, Hưng Yên".encode("cp1258", "ignore"), "not UTF-8"),
    ],
)
def test_read_article_errors_name_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ExtractionInputError, match=reason) as info:
        read_article(path)
    assert str(path) in str(info.value)


def test_read_article_too_large_and_missing(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (20 * 1024 * 1024))
    with pytest.raises(ExtractionInputError, match="too large") as info:
        read_article(big)
    assert "big.txt" in str(info.value)
    with pytest.raises(ExtractionInputError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(ExtractionInputError, match="directory"):
        read_article(tmp_path)


def test_read_article_utf16_with_front_matter(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(
        codecs.BOM_UTF16_LE
        + f"---\nurl: https://x.vn/a\npublished: 2023-10-24\n---\n{SENTENCE}\r\n".encode(
            "utf-16-le"
        )
    )
    assert read_article(path) == (SENTENCE, "https://x.vn/a", "2023-10-24")


def _cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "meetings.extraction", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )


def test_cli_reports_bad_files_and_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    files = {
        "empty.txt": b"",
        "blank.txt": b"   \n\n ",
        "binary.bin": bytes(range(256)) * 40,
        "latin.txt": "Hà Nam giao ban".encode("latin-1"),
        "big.txt": b"x" * (20 * 1024 * 1024),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"))
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><article><p>{SENTENCE}</p></article></body></html>", "utf-8")
    paths = [tmp_path / n for n in files] + [good, utf16, page]
    proc = _cli(*paths)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == len(files)
    for name, line in zip(files, errors, strict=True):
        assert line.startswith(f"error: {tmp_path / name}: ")
    outputs = proc.stdout.strip().splitlines()
    assert len(outputs) == 3
    assert all('"held_on": "2023-10-23"' in line for line in outputs)


def test_cli_flags_win_over_front_matter(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"---\nurl: https://a.vn/x\npublished: 2020-01-01\n---\n{SENTENCE}", "utf-8")
    proc = _cli("--url", "https://b.vn/y", "--published", "2023-10-24", path)
    assert proc.returncode == 0, proc.stderr
    assert '"url": "https://b.vn/y"' in proc.stdout
    assert '"published": "2023-10-24"' in proc.stdout
