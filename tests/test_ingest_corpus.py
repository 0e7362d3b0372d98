"""Ingest end to end over the dev corpus and the seeds: extractor, entity resolution, PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from meetings.ingest import ingest_file, ingest_paths
from meetings.ingest import run as ingest_run
from meetings.models import (
    Article,
    City,
    Meeting,
    Metric,
    Organization,
    Participation,
    Person,
    Tombstone,
)
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.django_db

DEV = SHARED / "corpus" / "dev"
SEEDS = ROOT / "seeds"
HAIPHONG_SEED = SEEDS / "haiphong_giaoban_khoi_mttq_nam2022.txt"
HANOI_SEED = SEEDS / "hanoi_giaoban_khoi_mttq_quyIII_2023.txt"


def gold() -> list[dict]:
    lines = (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def dev_articles() -> list[tuple]:
    """(path, gold url) of every dev article."""
    urls = {(DEV / g["path"]).resolve(): g.get("url") for g in gold()}
    return [(p, urls.get(p.resolve())) for p in sorted((DEV / "articles").glob("*.txt"))]


def ingest_corpus() -> list:
    results = [ingest_file(path, url=url) for path, url in dev_articles()]
    results += ingest_paths([SEEDS]).results
    failed = [(r.path, r.reason) for r in results if r.status == "failed"]
    assert not failed
    return results


def snapshot() -> list:
    out = []
    for model in (Article, Meeting, Person, Organization, Participation, Metric):
        out.append(sorted(map(repr, model.objects.values())))
    return out


def test_whole_corpus_twice_changes_nothing():
    first = ingest_corpus()
    assert {r.status for r in first} == {"new"}
    rows = snapshot()
    again = ingest_corpus()
    assert {r.status for r in again} == {"unchanged"}
    assert snapshot() == rows


def test_dev_file_03_and_the_haiphong_seed_are_one_meeting():
    ingest_corpus()
    article_03 = Article.objects.get(source_name__startswith="03_haiphong")
    seed = Article.objects.get(source_name=HAIPHONG_SEED.name)
    assert article_03.meeting_id == seed.meeting_id
    meeting = article_03.meeting
    assert meeting.city.name == "Hải Phòng"
    assert str(meeting.held_on) == "2022-12-29"
    assert (meeting.period_kind, meeting.period_year) == ("year", 2022)
    assert meeting.articles.count() == 2
    names = list(meeting.participations.values_list("person__name", flat=True))
    assert len(names) == len(set(names))
    assert "Đỗ Mạnh Hiến" in names
    hien = meeting.participations.get(person__name="Đỗ Mạnh Hiến")
    assert "presiding" in hien.roles
    # The seed is longer than the truncated dev copy: its directive joins the meeting.
    assert meeting.citations.filter(directive__number_key="18-CT/TW").exists()


def test_every_meeting_is_one_per_real_meeting():
    ingest_corpus()
    # 20 dev articles and 2 seeds: dev 01 and 02 report one meeting, and so do dev 03 and
    # the Hải Phòng seed.
    assert Article.objects.count() == 22
    assert Meeting.objects.count() == 20
    keys = list(Meeting.objects.values_list("city__name", "held_on"))
    assert len(keys) == len(set(keys))


def test_no_duplicate_person_or_organisation_across_the_corpus():
    ingest_corpus()
    # Each real person of the corpus appears in one province only: one row per folded name.
    people = list(Person.objects.values_list("name_folded", flat=True))
    assert len(people) == len(set(people)), sorted(people)
    for g in gold():
        for name in g.get("officials", []):
            assert Person.objects.filter(name=name).count() <= 1, name
    # An organisation is one row per folded full name and city …
    orgs = list(Organization.objects.values_list("name_folded", "city_id"))
    assert len(orgs) == len(set(orgs))
    # … and "LĐLĐ thành phố Hà Nội" is "Liên đoàn Lao động Thành phố" of the Hà Nội article.
    hanoi = City.objects.get(name="Hà Nội")
    unions = Organization.objects.filter(city=hanoi, name_folded__contains="lien doan lao dong")
    unions = unions.exclude(name_folded__contains="tong lien doan")
    assert unions.count() == 1, list(unions.values_list("name", flat=True))
    # National bodies are one row whichever province's article names them.
    for national in ("ban dan van trung uong", "tong lien doan lao dong viet nam"):
        rows = Organization.objects.filter(name_folded=national)
        assert [o.city for o in rows] in ([], [None]), national


def test_cities_come_from_the_gazetteer():
    ingest_corpus()
    hanoi = City.objects.get(name="Hà Nội")
    assert (hanoi.full_name, hanoi.code) == ("Thành phố Hà Nội", "01")
    assert set(City.objects.values_list("name", flat=True)) >= {"Hà Nội", "Hải Phòng"}


def test_directive_numbers_are_scoped_by_province():
    ingest_corpus()
    tu = Article.objects.get(source_name=HANOI_SEED.name).meeting.citations.get(
        directive__number_key="24-CT/TU"
    )
    assert tu.directive.city.name == "Hà Nội"
    assert "24-CT/TU" in tu.evidence_text


@pytest.fixture
def new_extractor(monkeypatch):
    """Pretend the extractor changed, so every text is re-extracted and rewritten."""
    monkeypatch.setattr(ingest_run, "extractor_version", lambda: "next-version")


def correct_like_an_editor():
    hanoi_meeting = Article.objects.get(source_name=HANOI_SEED.name).meeting
    haiphong_meeting = Article.objects.get(source_name=HAIPHONG_SEED.name).meeting
    # The city: an editor moves the Hải Phòng meeting to Quảng Ninh.
    quang_ninh, _ = City.objects.get_or_create(name="Quảng Ninh", defaults={"slug": "quang-ninh"})
    haiphong_meeting.city = quang_ninh
    haiphong_meeting.lock("city")
    haiphong_meeting.save()
    # A participant's title.
    part = haiphong_meeting.participations.get(person__name="Lê Trí Vũ")
    part.title = "Trưởng Ban Dân vận Thành ủy (đã sửa)"
    part.lock("title")
    part.save()
    # A metric's value.
    metric = hanoi_meeting.metrics.order_by("evidence_start").first()
    metric.value = Decimal("12345")
    metric.lock("value")
    metric.save()
    # A deleted participant.
    gone = hanoi_meeting.participations.get(person__name="Lê Đình Hùng")
    Tombstone.objects.create(meeting=hanoi_meeting, kind="participation", key=gone.tombstone_key)
    gone.delete()
    return haiphong_meeting.pk, part.pk, metric.pk, hanoi_meeting.pk


def assert_corrections_intact(ids):
    haiphong_id, part_id, metric_id, hanoi_id = ids
    assert Meeting.objects.get(pk=haiphong_id).city.name == "Quảng Ninh"
    assert Participation.objects.get(pk=part_id).title == "Trưởng Ban Dân vận Thành ủy (đã sửa)"
    assert Metric.objects.get(pk=metric_id).value == Decimal("12345")
    assert not Participation.objects.filter(
        meeting_id=hanoi_id, person__name="Lê Đình Hùng"
    ).exists()
    assert Meeting.objects.count() == 20


def test_corrections_survive_a_reingest_of_the_whole_corpus(monkeypatch):
    ingest_corpus()
    ids = correct_like_an_editor()
    ingest_corpus()  # the same extractor: every file unchanged
    assert_corrections_intact(ids)
    monkeypatch.setattr(ingest_run, "extractor_version", lambda: "next-version")
    results = ingest_corpus()  # a new extractor: every file re-extracted and rewritten
    assert all(r.status in ("updated", "unchanged") for r in results)
    assert_corrections_intact(ids)
    # Evidence and source stay attached to the corrected rows.
    part = Participation.objects.get(pk=ids[1])
    assert part.article is not None and part.evidence_text == "Lê Trí Vũ"


def test_corrections_survive_when_the_other_source_arrives_later(monkeypatch):
    ingest_paths([SEEDS])
    ids = correct_like_an_editor()
    path_03, url = next((p, u) for p, u in dev_articles() if p.name.startswith("03_"))
    result = ingest_file(path_03, url=url)  # the truncated copy names its city in the address
    assert result.merged and result.meeting_id == ids[0]
    haiphong_id, part_id, _, _ = ids
    assert Meeting.objects.get(pk=haiphong_id).city.name == "Quảng Ninh"
    assert Participation.objects.get(pk=part_id).title.endswith("(đã sửa)")
