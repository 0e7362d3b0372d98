"""Ingest end to end over the dev corpus and the seeds: extractor, entity resolution, PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction

from meetings.ingest import ingest_file, ingest_paths
from meetings.ingest import run as ingest_run
from meetings.models import (
    Article,
    City,
    Meeting,
    MeetingRedirect,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    Tombstone,
)
from tests.conftest import ROOT, SHARED

DEV = SHARED / "corpus" / "dev"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (DEV / "gold.jsonl").exists(),
        reason="needs the dev corpus in ../shared/corpus/dev (not part of this repository)",
    ),
]
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


def ingest_corpus(*, addresses: bool = True) -> list:
    """Ingest the 20 dev articles (with their gold addresses, or without) and the two seeds."""
    results = [ingest_file(path, url=url if addresses else None) for path, url in dev_articles()]
    results += ingest_paths([SEEDS]).results
    failed = [(r.path, r.reason) for r in results if r.status == "failed"]
    assert not failed
    return results


def gold_cities() -> dict[str, set]:
    """Article source name → the provinces gold accepts (seeds by their repository name)."""
    seeds = {
        "000_4c3118dcf05229f7.txt": HANOI_SEED.name,
        "002_e49174bc353bc758.txt": HAIPHONG_SEED.name,
    }
    out = {}
    for g in gold():
        name = Path(g["path"]).name
        out[seeds.get(name, name)] = set(g["city"])
    return out


def province_mismatches() -> list:
    """(article, stored province, gold) of every article whose meeting's province is not gold."""
    wanted = gold_cities()
    rows = Article.objects.select_related("meeting__city").order_by("source_name")
    stored = [(a.source_name, a.meeting.city.name if a.meeting.city else None) for a in rows]
    return [(n, city, wanted[n]) for n, city in stored if city not in wanted[n]]


def folded_name_clashes() -> list[str]:
    """Folded names that two current (unmerged) people share."""
    names = list(
        Person.objects.filter(merged_into__isnull=True).values_list("name_folded", flat=True)
    )
    return sorted({n for n in names if names.count(n) > 1})


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


@pytest.fixture(scope="class")
def ingested_once(django_db_setup, django_db_blocker):
    """The corpus ingested once for a class of tests that only read it, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        ingest_corpus()
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("ingested_once")
class TestTheIngestedCorpus:
    """What one ingest of the corpus (with its addresses) gives."""

    def test_dev_file_03_and_the_haiphong_seed_are_one_meeting(self):
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

    def test_every_meeting_is_one_per_real_meeting(self):
        # 20 dev articles and 2 seeds: dev 01 and 02 are one meeting, dev 03 and the Hải Phòng
        # seed another.
        assert Article.objects.count() == 22
        assert Meeting.objects.count() == 20
        assert Article.objects.get(source_name__startswith="01_").meeting_id == (
            Article.objects.get(source_name__startswith="02_").meeting_id
        )
        assert not Meeting.objects.possible_duplicates().exists()
        keys = list(Meeting.objects.exclude(held_on=None).values_list("city__name", "held_on"))
        assert len(keys) == len(set(keys))

    def test_every_meeting_has_the_gold_province(self):
        assert province_mismatches() == []

    def test_no_two_people_share_a_folded_name(self):
        assert folded_name_clashes() == []

    def test_no_duplicate_person_or_organisation_across_the_corpus(self):
        # Each real person of the corpus appears in one province only: one row per folded name.
        assert folded_name_clashes() == []
        for g in gold():
            for name in g.get("officials", []):
                assert Person.objects.filter(name=name, merged_into=None).count() <= 1, name
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

    def test_cities_come_from_the_gazetteer(self):
        hanoi = City.objects.get(name="Hà Nội")
        assert (hanoi.full_name, hanoi.code) == ("Thành phố Hà Nội", "01")
        assert set(City.objects.values_list("name", flat=True)) >= {"Hà Nội", "Hải Phòng"}

    def test_directive_numbers_are_scoped_by_province(self):
        tu = Article.objects.get(source_name=HANOI_SEED.name).meeting.citations.get(
            directive__number_key="24-CT/TU"
        )
        assert tu.directive.city.name == "Hà Nội"
        assert "24-CT/TU" in tu.evidence_text


def test_without_addresses_every_article_is_one_meeting_and_placed_when_named():
    ingest_corpus(addresses=False)
    assert Article.objects.count() == 22
    assert Meeting.objects.count() == 20
    assert [(n, c) for n, c, _ in province_mismatches() if c is not None] == []
    assert folded_name_clashes() == []


def test_without_addresses_officials_already_known_place_the_meetings():
    """01 and 03 name no province and come before the Hải Phòng seed: once the seed shows
    Đỗ Mạnh Hiến presiding in Hải Phòng, their meetings are placed there (03 as the seed's
    own meeting, 01 and 02 by the database), and he is one person."""
    ingest_corpus(addresses=False)
    # No province stored is wrong; those the database gave are marked as inferred.
    assert [(n, c) for n, c, _ in province_mismatches() if c is not None] == []
    for prefix in ("01_", "02_", "03_"):
        meeting = Article.objects.get(source_name__startswith=prefix).meeting
        assert meeting.city.name == "Hải Phòng", prefix
    m01 = Article.objects.get(source_name__startswith="01_").meeting
    assert m01.city_source == "database" and "Đỗ Mạnh Hiến" in m01.city_basis
    seed = Article.objects.get(source_name=HAIPHONG_SEED.name)
    assert seed.meeting_id == Article.objects.get(source_name__startswith="03_").meeting_id
    assert seed.meeting.city_source == "text"
    assert folded_name_clashes() == []
    assert Person.objects.filter(name="Đỗ Mạnh Hiến", merged_into=None).count() == 1


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


def counts() -> tuple:
    return tuple(m.objects.count() for m in (Meeting, Person, Organization, Participation))


def test_corrections_survive_a_reingest_of_the_whole_corpus(monkeypatch):
    ingest_corpus()
    ids = correct_like_an_editor()
    before = counts()
    ingest_corpus()  # the same extractor: every file unchanged
    assert_corrections_intact(ids)
    monkeypatch.setattr(ingest_run, "extractor_version", lambda: "next-version.i-next")
    results = ingest_corpus()  # a new extractor and rules: every file re-applied
    assert all(r.status in ("updated", "unchanged") for r in results)
    assert_corrections_intact(ids)
    assert counts() == before  # nothing duplicated
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


def split_like_an_earlier_extractor() -> tuple[Meeting, Meeting]:
    """Put dev 02 in a meeting of its own, as the extractor before 2026-12 left it (it read
    neither 02's date nor its province): (01's meeting, 02's)."""
    article = Article.objects.get(source_name__startswith="02_")
    first = article.meeting
    second = Meeting.objects.create(title="Hội nghị giao ban", slug="hoi-nghi-giao-ban-02")
    # what that extractor read of it, so that the new one's reading is a change
    Article.objects.filter(pk=article.pk).update(meeting=second, extraction={})
    for model in (Participation, Metric):
        model.objects.filter(article=article).update(meeting=second)
    return first, second


def new_version(monkeypatch) -> None:
    """From now on, the extractor and the ingest rules are new: every article is read again."""
    monkeypatch.setattr(ingest_run, "extractor_version", lambda: "next-version.i-next")


def test_a_reingest_joins_what_an_earlier_extractor_kept_apart(monkeypatch, client):
    ingest_corpus()
    first, second = split_like_an_earlier_extractor()
    old_url = second.get_absolute_url()
    new_version(monkeypatch)
    ingest_corpus()
    assert Meeting.objects.count() == 20
    assert Article.objects.get(source_name__startswith="02_").meeting_id == first.pk
    assert not Meeting.objects.filter(pk=second.pk).exists()
    assert MeetingRedirect.objects.get(old_slug=second.slug).meeting_id == first.pk
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == first.get_absolute_url()


def test_a_reingest_flags_rather_than_merges_what_editors_worked_on(monkeypatch):
    ingest_corpus()
    first, second = split_like_an_earlier_extractor()
    for meeting in (first, second):
        meeting.review_status = "verified"
        meeting.save()
    new_version(monkeypatch)
    ingest_corpus()
    assert Meeting.objects.count() == 21
    second.refresh_from_db()
    assert second.possible_duplicate_of_id == first.pk


def test_a_reingest_leaves_no_one_that_only_an_earlier_reading_referred_to(monkeypatch):
    ingest_corpus()
    # What an earlier extractor read of dev 12: a byline with its prefix, a body without its
    # place, and one more body an editor has since corrected.
    article = Article.objects.get(source_name__startswith="12_")
    byline = Person.objects.create(name="CTV Khánh Phượng", slug="ctv-khanh-phuong")
    bare = Organization.objects.create(name="Ban Dân vận", slug="ban-dan-van")
    kept = Organization.objects.create(
        name="Ban Tuyên giáo", slug="ban-tuyen-giao", corrected_fields=["name"]
    )
    Participation.objects.create(
        meeting=article.meeting, article=article, person=byline, roles=["author"]
    )
    for org in (bare, kept):
        OrganizationMention.objects.create(
            meeting=article.meeting, article=article, organization=org
        )
    new_version(monkeypatch)
    ingest_corpus()
    assert not Person.objects.filter(pk=byline.pk).exists()
    assert not Organization.objects.filter(pk=bare.pk).exists()
    assert Organization.objects.filter(pk=kept.pk).exists()  # an editor's: kept
    # Rows an editor deleted leave their entity: the Hà Nội seed's Lê Đình Hùng stays listed
    # nowhere but is not removed by ingest (see correct_like_an_editor).
