"""The demo corpus generator: deterministic, realistic enough to extract, marked as demo."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from bench.demo_corpus import generate, generate_article, provinces, slot_space, write_corpus
from meetings.demo import DEMO_URL_PREFIX, is_demo_url, mark_demo_data
from meetings.extraction.reader import read_article, split_front_matter
from tests.conftest import ROOT


def test_same_seed_same_articles_other_seed_other_articles():
    first = [a.render() for a in generate(30, seed=3)]
    assert first == [a.render() for a in generate(30, seed=3)]
    assert first != [a.render() for a in generate(30, seed=4)]


def test_article_depends_only_on_seed_and_index_so_chunks_can_be_written_apart():
    whole = [a.render() for a in generate(40, seed=5, total=40)]
    chunk = [a.render() for a in generate(10, seed=5, start=30, total=40)]
    assert chunk == whole[30:]
    space = slot_space(40)
    assert generate_article(33, seed=5, space=space).render() == whole[33]


def test_written_files_have_front_matter_on_the_demo_host(tmp_path):
    paths = write_corpus(tmp_path, 12, seed=1)
    assert [p.name for p in paths] == [f"demo_{i:07d}.txt" for i in range(12)]
    for path, article in zip(paths, generate(12, seed=1), strict=True):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        assert meta == {"url": article.url, "published": article.published.isoformat()}
        assert is_demo_url(meta["url"]) and meta["url"].startswith(f"{DEMO_URL_PREFIX}s1/")
        text, url, published = read_article(path)
        assert (url, published) == (meta["url"], meta["published"])
        assert article.meeting.held_on <= article.published
        assert len(text) > 1500 and body.strip() == article.text


def test_articles_vary_like_the_real_ones():
    articles = list(generate(400, seed=2))
    assert len({a.meeting.province.name for a in articles}) > 50
    assert {a.meeting.period.kind for a in articles} == {"quarter", "half", "nine_months", "year"}
    assert len({a.meeting.held_on.year for a in articles}) >= 8
    assert len({a.meeting.series for a in articles}) == 8
    assert any(a.meeting.district for a in articles)
    text = "\n".join(a.text for a in articles)
    for pattern in (
        "quý III/",
        "6 tháng đầu năm",
        "9 tháng",
        "Phó Bí thư Thường trực",
        "Chủ tịch Ủy ban MTTQ Việt Nam",
        "Trưởng Ban Dân vận",
        "LĐLĐ",
        "Hội LHPN",
        "Đoàn TNCS Hồ Chí Minh",
        "Hội CCB",
        "Hội Nông dân",
        "-CT/TU",
        "217-QĐ/TW",
        "tỷ đồng",
        "Công đoàn cơ sở (đạt",
        "Chi hội nông dân",
        "Ảnh:",
    ):
        assert pattern in text, pattern
    assert len(set(provinces())) == len(provinces()) >= 63


def test_each_article_is_its_own_meeting_but_a_few_second_reports():
    n = 3000
    originals = {}
    identities = Counter()
    seconds = []
    for article in generate(n, seed=0, total=102_000):
        if article.is_second_report:
            seconds.append(article)
        else:
            originals[article.meeting.slot] = article
            identities[article.meeting.identity] += 1
    assert max(identities.values()) == 1  # distinct city/date/period/presiding
    assert 0.01 * n <= len(seconds) <= 0.035 * n
    for article in seconds:
        original = originals[article.meeting.slot]  # a meeting reported earlier …
        assert original.index < article.index
        assert article.meeting == original.meeting
        assert article.url != original.url  # … again, by another outlet


def test_the_extractor_recovers_what_the_generator_meant():
    """A check that the text is realistic: the real extractor reads it back.

    The thresholds leave room for the extractor's own limits (given names like "Quang",
    "Thành" or "Sáng", a district named like a province); a generator writing unnatural
    text would fail far below them.
    """
    from meetings.extraction import extract

    misses = Counter()
    sample = list(generate(50, seed=7))
    for article in sample:
        got = extract(article.text, url=article.url, published=article.published.isoformat())
        m = article.meeting
        misses["city"] += got.city != m.province.name
        misses["held_on"] += got.held_on != m.held_on.isoformat()
        period = (got.period.kind, got.period.year, got.period.number)
        misses["period"] += period != (m.period.kind, m.period.year, m.period.number)
        presiding = [p.name for p in got.participants if "presiding" in p.roles]
        misses["presiding"] += m.presiding.name not in presiding
    assert misses["city"] <= 3, misses
    assert misses["held_on"] <= 3, misses
    assert misses["period"] <= 3, misses
    assert misses["presiding"] == 0, misses  # 0 measured here, and in 3,000 articles of seed 7


def test_command_needs_a_count_and_a_folder(tmp_path):
    with pytest.raises(CommandError, match="--articles"):
        call_command("generate_demo_corpus", out=str(tmp_path))
    with pytest.raises(CommandError, match="--out"):
        call_command("generate_demo_corpus", articles=3)


def test_command_writes_the_files(tmp_path, capsys):
    call_command("generate_demo_corpus", articles=5, out=str(tmp_path), seed=9)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"demo_{i:07d}.txt" for i in range(5)]
    assert "Wrote 5 articles" in capsys.readouterr().out
    first = (tmp_path / "demo_0000000.txt").read_text(encoding="utf-8")
    assert first == generate_article(0, seed=9, space=slot_space(5)).render()


@pytest.mark.django_db
def test_ingested_demo_files_are_marked_demo_and_real_ones_are_not(tmp_path):
    from meetings.models import Article, Meeting

    call_command("ingest_articles", str(ROOT / "seeds"), verbosity=0)
    call_command("generate_demo_corpus", articles=20, out=str(tmp_path), seed=4)
    # A plain ingest marks them: the reserved demo host is enough.
    call_command("ingest_articles", str(tmp_path), verbosity=0)

    demo = Article.objects.filter(url__startswith=DEMO_URL_PREFIX)
    assert demo.count() == 20
    assert set(demo.values_list("is_demo", flat=True)) == {True}
    assert not Article.objects.exclude(url__startswith=DEMO_URL_PREFIX).filter(is_demo=True)
    demo_meetings = Meeting.objects.filter(articles__in=demo).distinct()
    assert demo_meetings.count() == 20  # no second report among the first 50 articles
    assert not demo_meetings.filter(is_demo=False)
    assert Meeting.objects.filter(is_demo=False).count() == 2  # the seeds
    assert mark_demo_data() == (0, 0)  # nothing left for the after-the-fact marking to do


@pytest.mark.django_db
def test_a_real_report_of_a_demo_meeting_makes_it_real(tmp_path):
    from meetings.models import Meeting

    call_command("generate_demo_corpus", articles=1, out=str(tmp_path / "demo"), seed=4)
    demo_file = tmp_path / "demo" / "demo_0000000.txt"
    call_command("ingest_articles", str(demo_file), verbosity=0)
    assert Meeting.objects.get().is_demo
    # The same meeting from a real outlet: another address, a slightly different text.
    real = tmp_path / "real.txt"
    text = demo_file.read_text(encoding="utf-8").replace(DEMO_URL_PREFIX, "https://example.org/")
    real.write_text(text + "\nNguồn: báo địa phương.\n", encoding="utf-8")
    call_command("ingest_articles", str(real), verbosity=0)
    meeting = Meeting.objects.get()
    assert meeting.articles.count() == 2
    assert not meeting.is_demo
