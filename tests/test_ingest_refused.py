"""Ingest input that lies is refused: a clear message naming the file and the field, a
non-zero exit, nothing of it stored (meetings/extraction/reader.py, meetings/ingest/run.py).

Each case was accepted before, silently or with a wrong guess: unclosed or repeated front
matter, impossible publication dates, javascript: addresses (stored and shown as links),
addresses cut at the column's length, named pipes (the reader blocked forever), symbolic
links out of the folder, a line of junk that became a public meeting, files of megabytes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.extraction.reader import (
    MAX_URL_LENGTH,
    ExtractionInputError,
    check_published,
    read_article,
    split_front_matter,
)
from tests.conftest import ROOT

HANOI = ROOT / "seeds" / "hanoi_giaoban_khoi_mttq_quyIII_2023.txt"  # quý III/2023, no year
TEXT = HANOI.read_text(encoding="utf-8")
GOOD_FRONT = "---\nurl: https://hanoi.gov.vn/giao-ban\npublished: 2023-10-24\n---\n"


def ingest(*paths, **options) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest_articles", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def failures(err: str) -> dict[str, str]:
    """File name → reason, from the command's `failed    PATH: reason` lines."""
    return {
        Path(path).name: reason for path, reason in re.findall(r"^failed\s+(\S+): (.+)$", err, re.M)
    }


# Front matter, dates and addresses: each file refused with the field named.

LIES = {
    "unclosed.txt": (
        "---\nurl: https://hanoi.gov.vn/a\npublished: 2023-10-24\n" + TEXT,
        'front matter, line 4: expected "key: value"',
    ),
    "unclosed-short.txt": (
        "---\nurl: https://hanoi.gov.vn/a\n",
        "front matter: no closing --- line",
    ),
    "twice.txt": (
        "---\nurl: https://hanoi.gov.vn/a\npublished: 2023-10-24\nurl: https://evil.example/\n"
        "---\n" + TEXT,
        "front matter: 'url' on line 4 repeats 'url' of line 2",
    ),
    "alias-twice.txt": (
        "---\ndate: 2023-10-24\npublished: 2023-10-25\n---\n" + TEXT,
        "front matter: 'published' on line 3 repeats 'date' of line 2",
    ),
    "feb-30.txt": (
        "---\npublished: 2023-02-30\n---\n" + TEXT,
        "front matter published: 2023-02-30 is not a date that exists",
    ),
    "not-iso.txt": (
        "---\npublished: 24/10/2023\n---\n" + TEXT,
        "front matter published: expected a date YYYY-MM-DD, got '24/10/2023'",
    ),
    "future.txt": (
        "---\npublished: 2999-10-24\n---\n" + TEXT,
        "front matter published: 2999-10-24 is in the future",
    ),
    "ancient.txt": ("---\npublished: 1900-01-01\n---\n" + TEXT, "is before 1945"),
    "decades-early.txt": (
        "---\npublished: 1990-10-24\n---\n" + TEXT,
        "front matter published: 1990-10-24 is 33 years before the earliest date the text "
        "gives (quý III/2023)",
    ),
    "javascript.txt": (
        "---\nurl: javascript:alert(document.cookie)\n---\n" + TEXT,
        "front matter url: only http:// and https:// addresses are accepted, "
        "got 'javascript:alert(document.cookie)'",
    ),
    "data-url.txt": ("---\nurl: data:text/html,<b>x</b>\n---\n" + TEXT, "only http:// and"),
    "long-url.txt": (
        "---\nurl: https://hanoi.gov.vn/" + "a" * MAX_URL_LENGTH + "\n---\n" + TEXT,
        "front matter url: the address has 2,021 characters; at most 2,000 are kept",
    ),
    "og-javascript.html": (
        '<!doctype html><html><head><meta property="og:url" content="JavaScript:alert(1)">'
        "</head><body><article><p>" + TEXT.replace("\n\n", "</p><p>") + "</p></article>"
        "</body></html>",
        "og:url: only http:// and https:// addresses are accepted",
    ),
    "canonical-javascript.html": (
        '<!doctype html><html><head><link rel="canonical" href="javascript:alert(1)">'
        "</head><body><article><p>" + TEXT.replace("\n\n", "</p><p>") + "</p></article>"
        "</body></html>",
        "canonical: only http:// and https:// addresses are accepted",
    ),
}


@pytest.mark.django_db
def test_lying_files_are_refused_by_name_and_field(tmp_path):
    from meetings.models import Article, Meeting

    shutil.copy(HANOI, tmp_path / "good.txt")
    for name, (content, _) in LIES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    out, err, error = ingest(tmp_path)
    assert error is not None and error.returncode == 1
    reasons = failures(err)
    assert set(reasons) == set(LIES), err
    for name, (_, expected) in LIES.items():
        assert expected in reasons[name], (name, reasons[name])
    assert f"{len(LIES) + 1} files: 1 new" in out
    assert list(Article.objects.values_list("source_name", flat=True)) == ["good.txt"]
    assert Meeting.objects.count() == 1
    assert not Article.objects.exclude(url="").exists()  # not even the good file's guesses


@pytest.mark.django_db
def test_good_front_matter_and_a_relative_canonical_link_still_work(tmp_path):
    from meetings.models import Article

    (tmp_path / "front.txt").write_text(
        "---\n# from the portal's feed\nurl: https://hanoi.gov.vn/giao-ban\n\n"
        "published: 2023-10-24T08:00:00+07:00\n---\n" + TEXT,
        encoding="utf-8",
    )
    (tmp_path / "page.html").write_text(
        '<!doctype html><html><head><link rel="canonical" href="/tin/giao-ban-2">'
        '<meta name="pubdate" content="24/10/2023 08:00"></head><body><article><p>'
        + TEXT.replace("Hội nghị giao ban", "Hội nghị giao ban lần 2").replace("\n\n", "</p><p>")
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    out, err, error = ingest(tmp_path)
    assert error is None, err
    front = Article.objects.get(source_name="front.txt")
    assert (front.url, str(front.published_on)) == ("https://hanoi.gov.vn/giao-ban", "2023-10-24")
    page = Article.objects.get(source_name="page.html")
    assert page.url == ""  # a relative address is not the article's
    # a page's own date format is read (htmldate, through meetings/extraction/html.py)
    assert str(page.published_on) == "2023-10-24"


def test_a_first_dashes_line_without_keys_is_text_not_front_matter():
    text = "---\nHội nghị giao ban quý III/2023 đã diễn ra tại Hà Nội.\n---\nTiếp theo."
    assert split_front_matter(text) == ({}, text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "javascript:alert(1)"}, "--url: only http:// and https:// addresses"),
        ({"url": "https://a.vn/" + "x" * 2000}, "--url: the address has 2,013 characters"),
        ({"url": "//hanoi.gov.vn/a"}, "--url: only http:// and https:// addresses"),
        ({"published": "1990-10-24"}, "--published: 1990-10-24 is 33 years before"),
        ({"published": "2999-01-01"}, "--published: 2999-01-01 is in the future"),
    ],
)
def test_command_line_address_and_date_are_checked(options, message):
    from meetings.models import Article

    _, _, error = ingest(HANOI, **options)
    assert error is not None and message in str(error)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_ingest_file_refuses_an_address_by_name(tmp_path):
    from meetings.ingest import ingest_file

    result = ingest_file(HANOI, url="javascript:alert(1)")
    assert result.status == "failed"
    assert result.reason.startswith("url: only http:// and https:// addresses")


def test_published_more_than_a_decade_before_the_text():
    text = "Ngày 23/10/2023, Hội nghị giao ban quý III/2023 được tổ chức tại Hà Nội."
    assert check_published("2013-10-24", "published", text) == "2013-10-24"  # 10 years: kept
    with pytest.raises(ValueError, match="11 years before the earliest date the text gives"):
        check_published("2012-10-24", "published", text)
    # Old directives cited lower the earliest date: never a reason to refuse.
    cited = text + " Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị."
    assert check_published("2010-01-01", "published", cited) == "2010-01-01"


# Files that are not files, and links that leave the folder.


def read_in_thread(path, seconds=20):
    """read_article(path) in a thread: the outcome, or "hung" (a named pipe blocked forever)."""
    outcome = []

    def run():
        try:
            outcome.append(read_article(path))
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return outcome[0] if outcome else "hung"


def test_a_named_pipe_or_a_device_is_refused_without_blocking(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    outcome = read_in_thread(pipe)
    assert isinstance(outcome, ExtractionInputError), outcome
    assert str(outcome) == f"{pipe}: not a regular file (a named pipe)"
    outcome = read_in_thread("/dev/zero")  # endless, and of size 0
    assert str(outcome) == "/dev/zero: not a regular file (a character device)"


@pytest.mark.django_db
def test_pipes_and_links_out_of_the_folder_are_refused_by_name(tmp_path):
    from meetings.models import Article

    folder, elsewhere = tmp_path / "articles", tmp_path / "elsewhere"
    (folder / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(HANOI, folder / "good.txt")
    shutil.copy(HANOI.with_name("haiphong_giaoban_khoi_mttq_nam2022.txt"), elsewhere / "x.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "out.txt").symlink_to(elsewhere / "x.txt")
    (folder / "sub" / "dir").symlink_to(elsewhere, target_is_directory=True)
    (folder / "sub" / "inside.txt").symlink_to(folder / "good.txt")  # the same file: once
    _, err, error = ingest(folder)
    assert error is not None and error.returncode == 1
    reasons = failures(err)
    assert reasons == {
        "pipe.txt": "not a regular file (a named pipe)",
        "out.txt": f"symbolic link to {elsewhere / 'x.txt'}, outside the folder given "
        f"({folder}); not read",
        "dir": f"symbolic link to {elsewhere}, outside the folder given ({folder}); not read",
    }
    assert list(Article.objects.values_list("source_name", flat=True)) == ["good.txt"]
    # Named on the command line, a link is the operator's choice.
    _, err, error = ingest(folder / "out.txt")
    assert error is None, err


# Junk and size.


@pytest.mark.django_db
def test_a_line_of_junk_with_a_date_and_a_place_is_not_a_meeting(tmp_path):
    from meetings.models import Meeting

    junk = "".join(chr(0x41 + (i * 7919) % 26) for i in range(300_000))
    path = tmp_path / "junk.txt"
    path.write_text(f"{junk[:150_000]} 23/10/2023 Hà Nội {junk[150_000:]}", encoding="utf-8")
    _, err, error = ingest(path)
    assert error is not None
    assert (
        "junk.txt: no sentence in the text (300,019 characters without four words in a row "
        "ending with a full stop): not an article"
    ) in err
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_file_size_limit_default_and_environment(tmp_path, monkeypatch):
    from meetings.models import Article

    big = tmp_path / "big.txt"
    big.write_bytes(TEXT.encode() + b"\n" + b"x" * 1_200_000)
    _, err, error = ingest(big)
    assert error is not None
    assert (
        "big.txt: file too large (1.2 MB; an article is at most 1.0 MB, ARTICLE_MAX_BYTES)" in err
    )
    monkeypatch.setenv("ARTICLE_MAX_BYTES", "5000")
    _, err, error = ingest(HANOI)
    assert "file too large (9.3 kB; an article is at most 5.0 kB, ARTICLE_MAX_BYTES)" in err
    assert not Article.objects.exists()
    monkeypatch.setenv("ARTICLE_MAX_BYTES", "20000")
    assert ingest(HANOI)[2] is None
    monkeypatch.setenv("ARTICLE_MAX_BYTES", "1MB")
    _, _, error = ingest(HANOI)
    assert "ARTICLE_MAX_BYTES: expected a number of bytes, got '1MB'" in str(error)
