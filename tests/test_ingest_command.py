"""manage.py ingest_articles: summary, failures, exit status, dry run, single-file options."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from meetings.models import Article, Meeting, Metric, Person
from tests.conftest import ROOT, SEEDS, run_django

HANOI_SEED = SEEDS / "hanoi_giaoban_khoi_mttq_quyIII_2023.txt"


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest_articles", *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.mark.django_db
def test_seeds_then_again_all_unchanged():
    out, _, error = run(SEEDS)
    assert error is None
    assert "2 files: 2 new, 0 updated, 0 unchanged, 0 failed" in out
    assert Meeting.objects.count() == 2
    out, _, error = run(SEEDS)
    assert error is None
    assert "2 files: 0 new, 0 updated, 2 unchanged, 0 failed" in out


@pytest.mark.django_db
def test_folders_are_walked_recursively_for_txt_and_html(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(HANOI_SEED, tmp_path / "a" / "b" / "hanoi.txt")
    body = HANOI_SEED.read_text(encoding="utf-8").replace("\n\n", "</p>\n<p>")
    (tmp_path / "a" / "page.html").write_text(
        f"<!doctype html><html><head><title>x</title></head><body><article><p>{body}</p>"
        "</article><footer>Cổng thông tin Hà Nội</footer></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "a" / "notes.md").write_text("not an article", encoding="utf-8")
    out, _, error = run(tmp_path, verbosity=2)
    assert error is None, out
    assert "2 files: 2 new" in out
    assert "merged into an existing meeting" in out  # the page is the same meeting
    assert Meeting.objects.count() == 1
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_file_among_good_ones(tmp_path):
    shutil.copy(HANOI_SEED, tmp_path / "1_good.txt")
    (tmp_path / "2_bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00\x01\x02" * 50)
    shutil.copy(SEEDS / "haiphong_giaoban_khoi_mttq_nam2022.txt", tmp_path / "3_good.txt")
    (tmp_path / "4_empty.txt").write_text("   \n", encoding="utf-8")
    out, err, error = run(tmp_path)
    assert error is not None and error.returncode == 1
    assert "2 failed" in str(error) or "2 file(s) failed" in str(error)
    assert "4 files: 2 new, 0 updated, 0 unchanged, 2 failed" in out
    assert "2_bad.txt" in err and "4_empty.txt" in err
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("source_name", flat=True)) == {
        "1_good.txt",
        "3_good.txt",
    }


@pytest.mark.django_db
def test_a_failure_in_the_middle_of_one_article_leaves_no_trace(tmp_path, refused_inserts):
    shutil.copy(HANOI_SEED, tmp_path / "hanoi.txt")
    shutil.copy(SEEDS / "haiphong_giaoban_khoi_mttq_nam2022.txt", tmp_path / "haiphong.txt")
    # Figures are written last: the Hà Nội article fails after its meeting, people and bodies.
    hanoi_article = "(SELECT source_name FROM meetings_article WHERE id = NEW.article_id)"
    refused_inserts.refuse(Metric, f"{hanoi_article} = 'hanoi.txt'", "connection reset")
    out, err, error = run(tmp_path)
    assert error is not None
    assert "hanoi.txt: InternalError: connection reset" in err
    assert list(Article.objects.values_list("source_name", flat=True)) == ["haiphong.txt"]
    assert not Person.objects.filter(name="Nguyễn Thị Tuyến").exists()
    assert not Meeting.objects.filter(city__name="Hà Nội").exists()
    refused_inserts.allow(Metric)
    out, _, error = run(tmp_path)
    assert error is None and "1 new, 0 updated, 1 unchanged" in out


@pytest.mark.django_db
def test_missing_path_is_a_failure_not_a_crash(tmp_path):
    shutil.copy(HANOI_SEED, tmp_path / "hanoi.txt")
    out, err, error = run(tmp_path / "hanoi.txt", tmp_path / "nope.txt")
    assert error is not None
    assert "nope.txt: no such file or folder" in err
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_reports_but_writes_nothing():
    out, _, error = run(SEEDS, dry_run=True)
    assert error is None
    assert "Dry run, nothing written: 2 files: 2 new" in out
    assert Article.objects.count() == Meeting.objects.count() == Person.objects.count() == 0


@pytest.mark.django_db
def test_url_and_published_for_a_single_file(tmp_path):
    # The Hải Phòng seed without its portal footer: only the address names the city.
    text = (SEEDS / "haiphong_giaoban_khoi_mttq_nam2022.txt").read_text(encoding="utf-8")
    path = tmp_path / "haiphong.txt"
    path.write_text(text[: text.index("Tiện ích thông tin")], encoding="utf-8")
    url = "https://thanhphohaiphong.gov.vn/hoi-nghi-giao-ban.html"
    _, _, error = run(path, url=url, published="2022-12-30")
    assert error is None
    article = Article.objects.get()
    assert (article.url, str(article.published_on)) == (url, "2022-12-30")
    assert article.meeting.city.name == "Hải Phòng"  # found through the address
    _, _, error = run(SEEDS, url=url)
    assert error is not None and "single file" in str(error)
    _, _, error = run(path, published="30/12/2022")
    assert error is not None and "YYYY-MM-DD" in str(error)


@pytest.mark.django_db
def test_front_matter_gives_url_and_a_new_version_replaces_the_old(tmp_path):
    text = HANOI_SEED.read_text(encoding="utf-8")
    front = "---\nurl: https://hanoi.gov.vn/giao-ban-quy-3\npublished: 2023-10-24\n---\n"
    path = tmp_path / "hanoi.txt"
    path.write_text(front + text, encoding="utf-8")
    run(path)
    path.write_text(front + text + "\n\nBổ sung: Hội nghị kết thúc lúc 17 giờ.", encoding="utf-8")
    out, _, error = run(path)
    assert error is None and "1 updated" in out
    old, new = Article.objects.order_by("id")
    assert (old.is_current, new.is_current) == (False, True)
    assert str(new.published_on) == "2023-10-24"
    assert Meeting.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("jobs", [1, 2])
def test_two_versions_of_one_address_in_one_run_are_one_article(tmp_path, jobs):
    """The run looks up the versions only of addresses it knows (stored before it, or written
    by it); two workers writing the first two versions of a new address at once clash on the
    unique current address, and the retry finds the other's version."""
    text = HANOI_SEED.read_text(encoding="utf-8")
    front = "---\nurl: https://hanoi.gov.vn/giao-ban-quy-3\npublished: 2023-10-24\n---\n"
    (tmp_path / "a.txt").write_text(front + text, encoding="utf-8")
    later = front + text + "\n\nBổ sung: Hội nghị kết thúc lúc 17 giờ."
    (tmp_path / "b.txt").write_text(later, encoding="utf-8")
    out, err, error = run(tmp_path, jobs=jobs)
    assert error is None, err
    assert "2 files: 1 new, 1 updated, 0 unchanged, 0 failed" in out
    assert Article.objects.count() == 2 and Meeting.objects.count() == 1
    assert Article.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_exit_status_is_non_zero_when_a_file_failed(tmp_path):
    shutil.copy(HANOI_SEED, tmp_path / "good.txt")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    result = manage("ingest_articles", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "bad.txt" in result.stderr
    assert "1 new" in result.stdout
    assert manage("ingest_articles", str(tmp_path / "good.txt")).returncode == 0


def manage(*args, **popen):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    if popen:
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **popen)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_killed_midway_then_run_again_completes(tmp_path):
    """SIGKILL during a run leaves whole articles only; the next run finishes the rest."""
    for i in range(40):
        text = HANOI_SEED.read_text(encoding="utf-8").replace("23/10", f"{i % 28 + 1}/10")
        (tmp_path / f"{i:02}.txt").write_text(text.replace("Mai Quý", f"Mai Quý {i}"), "utf-8")
    proc = manage("ingest_articles", str(tmp_path), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while Article.objects.count() < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for article in Article.objects.all():  # every article written is whole, and searchable
        assert article.meeting is not None
        assert article.meeting.participations.exists()
        assert not article.meeting.search_stale
        assert "mai quy" in article.meeting.search_document
    result = manage("ingest_articles", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert Article.objects.count() == 40
    assert Meeting.objects.count() == 28  # the same day twice is the same meeting
    assert manage("ingest_articles", str(tmp_path)).stdout.count("40 unchanged") == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_give_the_same_result(tmp_path):
    """--jobs 3: sources of one meeting written by different workers still make one meeting."""
    for i in range(30):
        text = HANOI_SEED.read_text(encoding="utf-8").replace("23/10", f"{i % 10 + 1}/10")
        (tmp_path / f"{i:02}.txt").write_text(text.replace("Mai Quý", f"Mai Quý {i}"), "utf-8")
    out, err, error = run(tmp_path, jobs=3)
    assert error is None, err
    assert "30 files: 30 new" in out
    assert Meeting.objects.count() == 10
    assert Person.objects.filter(name="Nguyễn Thị Tuyến").count() == 1
    out, _, error = run(tmp_path, jobs=3)
    assert "30 unchanged" in out


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_fails_its_file_and_the_run_finishes(tmp_path):
    """multiprocessing.Pool lost the task of a worker killed by the OOM killer or kill -9 and
    waited for it forever. Through ingest_paths' before_file seam, the worker that ingests
    05.txt kills itself with SIGKILL: the run names that file, finishes the others, builds
    their search documents and exits non-zero; the next run ingests 05.txt."""
    for i in range(8):
        text = HANOI_SEED.read_text(encoding="utf-8").replace("23/10", f"{i + 1}/10")
        (tmp_path / f"{i:02}.txt").write_text(text.replace("Mai Quý", f"Mai Quý {i}"), "utf-8")
    code = (
        "import io, os, signal\n"
        "from django.core.management import CommandError, call_command\n"
        "import meetings.management.commands.ingest_articles as command\n"
        "def kill_myself(path):\n"
        "    if path.name == '05.txt':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "ingest_paths = command.ingest_paths\n"
        "command.ingest_paths = lambda *a, **k: ingest_paths(*a, before_file=kill_myself, **k)\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "try:\n"
        f"    call_command('ingest_articles', {str(tmp_path)!r}, jobs=3, stdout=out, stderr=err)\n"
        "except CommandError as exc:\n"
        "    print('exit', exc.returncode)\n"
        "print(out.getvalue() + err.getvalue())\n"
    )
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = run_django(code, DATABASE_URL=url)  # its timeout (120 s) is the "does not hang"
    assert result.returncode == 0, result.stderr
    assert "exit 1" in result.stdout
    assert "8 files: 7 new, 0 updated, 0 unchanged, 1 failed" in result.stdout
    assert (
        f"failed    {tmp_path / '05.txt'}: the worker process ingesting it died (killed by "
        "signal 9, SIGKILL: the out-of-memory killer, or kill -9?); run the command again"
    ) in result.stdout
    assert Article.objects.count() == 7
    assert not Article.objects.filter(source_name="05.txt").exists()
    assert not Meeting.objects.filter(search_stale=True).exists()  # search finds them all
    again = manage("ingest_articles", str(tmp_path), "--jobs", "3")
    assert again.returncode == 0, again.stderr
    assert "8 files: 1 new, 0 updated, 7 unchanged, 0 failed" in again.stdout
