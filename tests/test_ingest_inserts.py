"""meetings.ingest.inserts.insert stores what bulk_create stores, for every kind of field the
ingest's rows have (JSON, arrays, decimals, dates, timestamps set on insert, choices)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from meetings.ingest.inserts import insert, insert_rows, insert_with_parent
from meetings.models import (
    Article,
    City,
    CitySource,
    Meeting,
    Metric,
    Organization,
    Participation,
    Person,
)

pytestmark = pytest.mark.django_db


def stored(obj) -> dict:
    """The row as read back, without its id and its own timestamps."""
    row = model_to_dict(type(obj).objects.get(pk=obj.pk))
    for name in ("id", "created_at", "updated_at", "ingested_at"):
        row.pop(name, None)
    return row


def both_ways(make) -> tuple[dict, dict]:
    """The same new row stored by bulk_create and by insert."""
    ours, theirs = make("a"), make("b")
    type(theirs).objects.bulk_create([theirs])
    insert([ours])
    return stored(ours), stored(theirs)


def test_insert_stores_what_bulk_create_stores():
    hanoi = City.objects.get(name="Hà Nội")

    def meeting(tag):
        return Meeting(
            title="Hội nghị giao ban quý III/2023",
            slug=f"giao-ban-{tag}",
            city=hanoi,
            city_source=CitySource.TEXT,
            held_on=datetime.date(2023, 10, 23),
            period_kind="quarter",
            period_year=2023,
            period_number=3,
            evidence={"title": [0, 30], "city": [31, 37]},
            identity_key=f"ha noi|2023-10-23|quarter:2023:3||giao ban|{tag}",
            doubts=["participants"],
        )

    ours, theirs = both_ways(meeting)
    assert ours | {"slug": "", "identity_key": ""} == theirs | {"slug": "", "identity_key": ""}
    assert ours["evidence"] == {"title": [0, 30], "city": [31, 37]}

    m = Meeting.objects.get(slug="giao-ban-a")
    assert m.created_at is not None and m.updated_at is not None

    def article(tag):
        return Article(
            meeting=m,
            url=f"https://example.vn/{tag}",
            text="Ngày 23/10 …",
            sha256=tag * 64,
            extraction={"title": "Hội nghị", "people": [{"name": "Lê Văn An"}]},
            published_on=datetime.date(2023, 10, 24),
        )

    ours, theirs = both_ways(article)
    assert ours | {"url": "", "sha256": ""} == theirs | {"url": "", "sha256": ""}
    assert ours["is_current"] is True

    people = {
        tag: Person(name=f"Lê Văn {tag}", name_folded=f"le van {tag}", slug=tag, city=hanoi)
        for tag in "ab"
    }
    insert(list(people.values()))
    assert stored(people["a"])["aliases"] == [] and people["a"].pk is not None
    org = Organization(name="Thành ủy Hà Nội", name_folded="thanh uy ha noi", slug="tu-hn")
    insert([org])

    ours, theirs = both_ways(
        lambda tag: Participation(
            meeting=m, person=people[tag], roles=["presiding", "speaking"], title=f"Bí thư {tag}"
        )
    )
    assert ours | {"person": 0, "title": ""} == theirs | {"person": 0, "title": ""}
    assert ours["roles"] == ["presiding", "speaking"]

    ours, theirs = both_ways(
        lambda tag: Metric(
            meeting=m,
            organization=org,
            value=Decimal("55000000000"),
            target=Decimal("12.5"),
            unit="VND",
            label="tiếp nhận",
            extraction_key=f"vnd|55000000000|{tag}",
        )
    )
    assert ours | {"extraction_key": ""} == theirs | {"extraction_key": ""}
    assert ours["value"] == Decimal("55000000000") and ours["target"] == Decimal("12.5")


def test_insert_sets_the_ids_in_order():
    people = [
        Person(name=f"Người {n}", name_folded=f"nguoi {n}", slug=f"nguoi-{n}") for n in range(5)
    ]
    insert(people)
    assert [Person.objects.get(pk=p.pk).slug for p in people] == [p.slug for p in people]
    assert not any(p._state.adding for p in people)


def test_insert_rows_writes_several_models_in_one_statement(django_assert_num_queries):
    hanoi = City.objects.get(name="Hà Nội")
    meeting = Meeting.objects.create(title="Giao ban", slug="giao-ban", city=hanoi)
    person = Person.objects.create(name="Lê Văn An", name_folded="le van an", slug="le-van-an")
    org = Organization.objects.create(name="Thành ủy", name_folded="thanh uy", slug="thanh-uy")
    rows = [
        [Participation(meeting=meeting, person=person, roles=["presiding"])],
        [],  # a kind the article has none of
        [
            Metric(meeting=meeting, organization=org, value=Decimal(n), extraction_key=f"k{n}")
            for n in (1, 2)
        ],
    ]
    with django_assert_num_queries(1):
        insert_rows(rows)
    assert list(meeting.participations.values_list("roles", flat=True)) == [["presiding"]]
    assert sorted(meeting.metrics.values_list("value", flat=True)) == [Decimal(1), Decimal(2)]
    with django_assert_num_queries(0):
        insert_rows([[], []])


def test_insert_with_parent_writes_a_meeting_and_its_article_in_one_statement(
    django_assert_num_queries,
):
    meeting = Meeting(title="Giao ban", slug="giao-ban", evidence={"title": [0, 8]})
    article = Article(meeting=meeting, url="https://example.vn/a", text="…", sha256="a" * 64)
    with django_assert_num_queries(1):
        insert_with_parent(meeting, article, "meeting")
    assert meeting.pk and article.meeting_id == meeting.pk
    stored = Article.objects.select_related("meeting").get(pk=article.pk)
    assert stored.meeting.title == "Giao ban" and stored.meeting.evidence == {"title": [0, 8]}
    assert stored.url == "https://example.vn/a" and stored.is_current
