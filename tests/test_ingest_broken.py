"""Ingest over a folder where broken files sit beside good ones: each broken file is reported
by name with its reason, the good ones land, nothing of a broken file is stored, and the
command exits non-zero."""

import io
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from meetings.ingest import ingest_paths
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

HANOI = ROOT / "seeds" / "hanoi_giaoban_khoi_mttq_quyIII_2023.txt"
HAIPHONG = ROOT / "seeds" / "haiphong_giaoban_khoi_mttq_nam2022.txt"

ERROR_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Không tìm thấy trang - Cổng thông tin điện tử</title></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/tin-tuc">Tin tức</a></nav>
<h1>404 - Không tìm thấy trang</h1>
<p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa. Vui lòng quay lại trang chủ.</p>
<footer>Bản quyền © Cổng thông tin điện tử. Mọi quyền được bảo lưu.</footer></body></html>
"""

# file name → what its reason must say
BROKEN = {
    "empty.txt": "empty",
    "blank.txt": "empty",
    "binary.txt": "binary",
    "truncated.txt": "not UTF-8",
    "huge.txt": "too large",
    "error-page.html": "not a meeting report",
}


@pytest.fixture
def folder(tmp_path):
    """Two good articles (one of them saved as UTF-16 with a BOM), a duplicate of the first,
    and one file for each way an article file can be broken."""
    shutil.copy(HANOI, tmp_path / "good-hanoi.txt")
    shutil.copy(HANOI, tmp_path / "good-hanoi-copy.txt")  # the same text again
    text = HAIPHONG.read_text(encoding="utf-8")
    (tmp_path / "good-haiphong-utf16.txt").write_bytes(text.encode("utf-16"))  # BOM first

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\r\n  \n")
    (tmp_path / "binary.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16
    )
    # A download cut in the middle of a multi-byte character ("à" is C3 A0 in UTF-8).
    data = HAIPHONG.read_bytes()
    cut = data.index("à".encode()) + 1
    (tmp_path / "truncated.txt").write_bytes(data[:cut])
    # 20 MB: a log or a dump saved with the wrong name; refused on its size before reading.
    with open(tmp_path / "huge.txt", "wb") as f:
        line = "Hội nghị giao ban quý III/2023 của Ủy ban MTTQ Việt Nam.\n".encode()
        f.write(line * (20_000_000 // len(line) + 1))
    (tmp_path / "error-page.html").write_text(ERROR_PAGE, encoding="utf-8")
    return tmp_path


def test_broken_files_are_reported_and_nothing_broken_is_stored(folder):
    from meetings.models import Article, Meeting

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("ingest_articles", str(folder), stdout=out, stderr=err, verbosity=1)
    assert raised.value.returncode == 1  # manage.py exits with it
    assert f"{len(BROKEN)} file(s) failed" in str(raised.value)

    failed = dict(re.findall(r"^failed\s+(\S+): (.+)$", err.getvalue(), re.M))
    by_name = {path.rsplit("/", 1)[-1]: reason for path, reason in failed.items()}
    assert set(by_name) == set(BROKEN), err.getvalue()
    for name, expected in BROKEN.items():
        assert expected in by_name[name], (name, by_name[name])
    assert "9 files: 2 new" in out.getvalue()
    assert f"{len(BROKEN)} failed" in out.getvalue()

    # The good files landed, once each: the copy of the Hà Nội article added nothing.
    stored = set(Article.objects.values_list("source_name", flat=True))
    assert stored <= {"good-hanoi.txt", "good-hanoi-copy.txt", "good-haiphong-utf16.txt"}
    assert Article.objects.count() == 2
    assert Meeting.objects.count() == 2
    cities = set(Meeting.objects.values_list("city__name", flat=True))
    assert cities == {"Hà Nội", "Hải Phòng"}
    haiphong = Article.objects.get(source_name="good-haiphong-utf16.txt")
    assert "\ufeff" not in haiphong.text and "\x00" not in haiphong.text
    assert not Article.objects.filter(text__contains="Không tìm thấy trang").exists()


def test_duplicate_is_reported_by_name_not_stored_twice(folder):
    from meetings.models import Article

    report = ingest_paths([folder])
    status = {r.path.rsplit("/", 1)[-1]: r.status for r in report.results}
    # Files are taken in name order: the first of the two copies is stored, the second
    # is found to be the same text.
    assert status["good-hanoi-copy.txt"] == "new"
    assert status["good-hanoi.txt"] == "unchanged"
    assert status["good-haiphong-utf16.txt"] == "new"
    assert Article.objects.filter(text__startswith=Article.objects.first().text[:40]).count() == 1

    # Running again changes nothing and reports the same failures.
    again = ingest_paths([folder])
    assert again.counts["new"] == 0 and again.counts["failed"] == len(BROKEN)
    assert Article.objects.count() == 2


def test_dry_run_reports_the_same_and_writes_nothing(folder):
    from meetings.models import Article

    report = ingest_paths([folder], dry_run=True)
    assert report.counts["failed"] == len(BROKEN) and report.counts["new"] == 2
    assert Article.objects.count() == 0
