"""Ingest mapping, on the real PostgreSQL, from hand-written extractor output (no extractor run).

End-to-end runs over the dev corpus are in test_ingest_corpus.py, the command in
test_ingest_command.py.
"""

from __future__ import annotations

import copy
import hashlib
from decimal import Decimal

import pytest
from django.db import DatabaseError

from meetings.ingest.resolve import Resolver
from meetings.ingest.write import Prepared, write_article
from meetings.models import (
    Article,
    City,
    Directive,
    DirectiveCitation,
    Meeting,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    Tombstone,
)
from meetings.search import refresh_stale_search_documents

pytestmark = pytest.mark.django_db

HANOI_TEXT = (
    "Ngày 23/10, Thành ủy Hà Nội tổ chức Hội nghị giao ban quý III/2023. "
    "Đồng chí Nguyễn Thị Tuyến, Phó Bí thư Thường trực Thành ủy chủ trì. "
    "Dự có Lê Hồng Sơn, Phó Chủ tịch UBND thành phố. "
    "Phó Chủ tịch LĐLĐ thành phố Hà Nội Lê Đình Hùng phát biểu. "
    "Liên đoàn Lao động Thành phố đã thành lập 328/400 Công đoàn cơ sở. "
    "Ủy ban MTTQ Việt Nam Thành phố đã tiếp nhận trên 55 tỷ đồng. "
    "Thực hiện Chỉ thị số 24-CT/TU ngày 7/8/2023 và Chỉ thị số 18-CT/TW."
)


def span(text: str, words: str) -> dict | None:
    start = text.find(words)
    return {"start": start, "end": start + len(words)} if start >= 0 else None


def hanoi_data(text: str = HANOI_TEXT) -> dict:
    return {
        "title": "Hội nghị giao ban quý III/2023",
        "city": "Hà Nội",
        "locality": None,
        "held_on": "2023-10-23",
        "held_until": None,
        "period": {"kind": "quarter", "year": 2023, "number": 3, "label": "quý III/2023"},
        "meeting_type": "giao ban",
        "body": "Thành ủy Hà Nội",
        "participants": [
            {
                "name": "Nguyễn Thị Tuyến",
                "title": "Phó Bí thư Thường trực Thành ủy",
                "roles": ["presiding"],
                "evidence": span(text, "Nguyễn Thị Tuyến"),
            },
            {
                "name": "Lê Hồng Sơn",
                "title": "Phó Chủ tịch UBND thành phố",
                "roles": ["attending"],
                "evidence": span(text, "Lê Hồng Sơn"),
            },
            {
                "name": "Lê Đình Hùng",
                "title": "Phó Chủ tịch LĐLĐ thành phố Hà Nội",
                "roles": ["speaking"],
                "evidence": span(text, "Lê Đình Hùng"),
            },
        ],
        "organizations": [
            {
                "name": "LĐLĐ thành phố Hà Nội",
                "canonical": "Liên đoàn Lao động Thành phố Hà Nội",
                "abbreviation": "LĐLĐ",
                "evidence": span(text, "LĐLĐ thành phố Hà Nội"),
            },
            {
                "name": "Liên đoàn Lao động Thành phố",
                "canonical": "Liên đoàn Lao động Thành phố Hà Nội",
                "abbreviation": None,
                "evidence": span(text, "Liên đoàn Lao động Thành phố"),
            },
            {
                "name": "Ủy ban MTTQ Việt Nam Thành phố",
                "canonical": "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hà Nội",
                "abbreviation": "MTTQ",
                "evidence": span(text, "Ủy ban MTTQ Việt Nam Thành phố"),
            },
        ],
        "directives": [
            {
                "kind": "Chỉ thị",
                "number": "24-CT/TU",
                "issued_on": "2023-08-07",
                "issuer": "TU",
                "subject": None,
                "evidence": span(text, "Chỉ thị số 24-CT/TU ngày 7/8/2023"),
            },
            {
                "kind": "Chỉ thị",
                "number": "18-CT/TW",
                "issued_on": None,
                "issuer": "TW",
                "subject": None,
                "evidence": span(text, "Chỉ thị số 18-CT/TW"),
            },
        ],
        "metrics": [
            {
                "value": 328,
                "unit": "Công đoàn cơ sở",
                "qualifier": None,
                "target": 400,
                "label": "thành lập Công đoàn cơ sở",
                "organization": "Liên đoàn Lao động Thành phố",
                "evidence": span(text, "328/400 Công đoàn cơ sở"),
            },
            {
                "value": 55000000000.0,
                "unit": "VND",
                "qualifier": "over",
                "target": None,
                "label": "tiếp nhận ủng hộ",
                "organization": "Ủy ban MTTQ Việt Nam Thành phố",
                "evidence": span(text, "trên 55 tỷ đồng"),
            },
        ],
        "warnings": [],
        "evidence": {"city": span(text, "Hà Nội"), "held_on": span(text, "Ngày 23/10")},
        "url": None,
        "published": None,
    }


def prepared(text=HANOI_TEXT, data=None, *, name="hanoi.txt", url="", version="v1"):
    data = copy.deepcopy(data if data is not None else hanoi_data(text))
    sha = hashlib.sha256(text.encode()).hexdigest()
    data["text_sha256"] = sha
    return Prepared(name, text, sha, data, url=url, extractor_version=version)


def ingest(p: Prepared):
    return write_article(p, Resolver())


def counts() -> dict:
    models = (Article, City, Meeting, Person, Organization, Directive, Participation)
    models += (OrganizationMention, DirectiveCitation, Metric)
    return {m.__name__: m.objects.count() for m in models}


def snapshot() -> list:
    """Every row of every ingest-written table, for 'nothing changed' checks."""
    out = []
    for model in (Meeting, Participation, OrganizationMention, DirectiveCitation, Metric):
        out.append(sorted(map(repr, model.objects.values())))
    return out


# --- idempotence -------------------------------------------------------------------------------


def test_first_ingest_writes_everything_with_evidence():
    written = ingest(prepared())
    assert written.status == "new"
    meeting = Meeting.objects.get()
    assert meeting.city.name == "Hà Nội"
    assert meeting.city.full_name == "Thành phố Hà Nội"
    assert (meeting.period_kind, meeting.period_year, meeting.period_number) == ("quarter", 2023, 3)
    assert meeting.identity_key.startswith("ha noi|2023-10-23|")
    assert meeting.articles.get().sha256 == hashlib.sha256(HANOI_TEXT.encode()).hexdigest()
    tuyen = Participation.objects.get(person__name="Nguyễn Thị Tuyến")
    assert tuyen.roles == ["presiding"]
    assert tuyen.evidence_text == "Nguyễn Thị Tuyến"
    # The search document is written with the article, in its transaction: nothing is left
    # for a later step that a killed run would never reach (meetings/search.py).
    assert "nguyen thi tuyen" in meeting.search_document
    assert not meeting.search_stale
    assert refresh_stale_search_documents() == 0
    metric = Metric.objects.get(unit="VND")
    assert metric.value == Decimal("55000000000")
    assert metric.evidence_text == "trên 55 tỷ đồng"
    assert metric.organization.name == "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hà Nội"


def test_same_text_twice_changes_nothing():
    ingest(prepared())
    before, rows = counts(), snapshot()
    written = ingest(prepared(name="copy-of-hanoi.txt"))
    assert written.status == "unchanged"
    assert counts() == before
    assert snapshot() == rows


def test_same_text_with_new_extractor_is_reextracted_in_place():
    ingest(prepared())
    data = hanoi_data()
    data["participants"].pop(1)  # the improved extractor no longer finds Lê Hồng Sơn
    written = ingest(prepared(data=data, version="v2"))
    assert written.status == "updated"
    assert Article.objects.get().extractor_version == "v2"
    assert not Participation.objects.filter(person__name="Lê Hồng Sơn").exists()
    assert Meeting.objects.count() == 1


def test_same_output_from_new_extractor_reports_unchanged():
    ingest(prepared())
    rows = snapshot()
    assert ingest(prepared(version="v2")).status == "unchanged"
    assert snapshot() == rows


def test_new_text_at_known_address_is_a_new_version():
    url = "https://hanoi.gov.vn/giao-ban"
    ingest(prepared(url=url))
    text2 = HANOI_TEXT + " Đồng chí Vũ Hà báo cáo."
    data2 = hanoi_data(text2)
    data2["participants"].append(
        {"name": "Vũ Hà", "title": None, "roles": ["reporting"], "evidence": span(text2, "Vũ Hà")}
    )
    data2["participants"].pop(1)  # Lê Hồng Sơn is gone from the new version
    written = ingest(prepared(text2, data2, url=url))
    assert written.status == "updated"
    old, new = Article.objects.order_by("id")
    assert (old.is_current, new.is_current) == (False, True)
    assert old.meeting_id == new.meeting_id == written.meeting_id
    assert Meeting.objects.count() == 1
    tuyen = Participation.objects.get(person__name="Nguyễn Thị Tuyến")
    assert tuyen.article_id == new.pk  # evidence moved to the current version
    son = Participation.objects.get(person__name="Lê Hồng Sơn")
    assert son.article_id == old.pk  # kept, pointing into the old version's text
    assert son.evidence_text == "Lê Hồng Sơn"
    assert Participation.objects.filter(person__name="Vũ Hà").exists()


# --- one meeting, many sources -----------------------------------------------------------------

OTHER_TEXT = (
    "Chiều 23/10, đồng chí Nguyễn Thị Tuyến chủ trì hội nghị giao ban quý III/2023 với "
    "MTTQ Hà Nội. Dự có đồng chí Đỗ Anh Tuấn, Trưởng Ban Dân vận Thành ủy, và Lê Hồng Sơn."
)


def other_outlet_data() -> dict:
    t = OTHER_TEXT
    return {
        "title": "Giao ban với MTTQ và các đoàn thể quý III",
        "city": "Hà Nội",
        "held_on": "2023-10-23",
        "period": {"kind": "quarter", "year": 2023, "number": 3},
        "meeting_type": "giao ban",
        "participants": [
            {
                "name": "NGUYỄN THỊ TUYẾN",
                "title": None,
                "roles": ["presiding", "concluding"],
                "evidence": span(t, "Nguyễn Thị Tuyến"),
            },
            {
                "name": "Đỗ Anh Tuấn",
                "title": "Trưởng Ban Dân vận Thành ủy",
                "roles": ["attending"],
                "evidence": span(t, "Đỗ Anh Tuấn"),
            },
            {
                "name": "Lê Hồng Sơn",
                "title": "",
                "roles": ["attending"],
                "evidence": span(t, "Lê Hồng Sơn"),
            },
        ],
        "organizations": [],
        "directives": [],
        "metrics": [],
        "evidence": {},
    }


def test_two_outlets_one_meeting_merged_without_duplicates():
    first = ingest(prepared())
    second = ingest(prepared(OTHER_TEXT, other_outlet_data(), name="other.txt"))
    assert second.status == "new" and second.merged
    assert second.meeting_id == first.meeting_id
    meeting = Meeting.objects.get()
    assert meeting.articles.count() == 2
    assert meeting.title == "Hội nghị giao ban quý III/2023"  # the first source's
    names = sorted(meeting.participations.values_list("person__name", flat=True))
    assert names == ["Lê Hồng Sơn", "Lê Đình Hùng", "Nguyễn Thị Tuyến", "Đỗ Anh Tuấn"]
    assert Person.objects.count() == 4
    tuyen = meeting.participations.get(person__name="Nguyễn Thị Tuyến")
    assert tuyen.roles == ["presiding", "concluding"]
    assert tuyen.title == "Phó Bí thư Thường trực Thành ủy"  # the owner's title stays
    assert tuyen.article_id == first.article_id
    tuan = meeting.participations.get(person__name="Đỗ Anh Tuấn")
    assert tuan.article_id == second.article_id and tuan.evidence_text == "Đỗ Anh Tuấn"
    # Both sources again: nothing changes.
    rows = snapshot()
    ingest(prepared())
    ingest(prepared(OTHER_TEXT, other_outlet_data(), name="other.txt"))
    assert snapshot() == rows


def test_same_day_other_presiding_official_is_another_meeting():
    ingest(prepared())
    data = other_outlet_data()
    data["participants"][0]["name"] = "Đinh Tiến Dũng"
    ingest(prepared(OTHER_TEXT.replace("Nguyễn Thị Tuyến", "Đinh Tiến Dũng"), data))
    assert Meeting.objects.count() == 2


def test_same_day_other_period_is_another_meeting():
    ingest(prepared())
    data = other_outlet_data()
    data["period"] = {"kind": "year", "year": 2023, "number": None}
    ingest(prepared(OTHER_TEXT, data))
    assert Meeting.objects.count() == 2


def test_article_without_city_or_date_is_its_own_meeting():
    data = other_outlet_data()
    data["held_on"] = None
    ingest(prepared())
    ingest(prepared(OTHER_TEXT, data))
    ingest(prepared(OTHER_TEXT + " (bản in)", data))
    assert Meeting.objects.count() == 3


def test_later_source_finds_meeting_whose_city_an_editor_corrected():
    written = ingest(prepared())
    meeting = Meeting.objects.get(pk=written.meeting_id)
    # Every province is there from migration 0011 (unless a transactional test emptied it).
    meeting.city = City.objects.get_or_create(name="Hải Phòng", defaults={"slug": "hai-phong"})[0]
    meeting.lock("city")
    meeting.save()
    other = ingest(prepared(OTHER_TEXT, other_outlet_data()))
    assert other.meeting_id == meeting.pk
    assert Meeting.objects.get().city.name == "Hải Phòng"


# --- entity resolution -------------------------------------------------------------------------


def test_abbreviation_and_bare_thanh_pho_are_one_organisation():
    ingest(prepared())
    lđlđ = Organization.objects.get(name="Liên đoàn Lao động Thành phố Hà Nội")
    assert lđlđ.city.name == "Hà Nội"
    assert lđlđ.abbreviation == "LĐLĐ"
    assert "LĐLĐ thành phố Hà Nội" in lđlđ.aliases
    assert Organization.objects.count() == 2
    assert OrganizationMention.objects.count() == 2


def test_name_as_written_matching_an_alias_resolves_to_that_body():
    ingest(prepared())
    data = other_outlet_data()
    data["organizations"] = [
        {  # an extractor that failed to expand the abbreviation
            "name": "LĐLĐ thành phố Hà Nội",
            "canonical": "LĐLĐ thành phố Hà Nội",
            "abbreviation": "LĐLĐ",
            "evidence": None,
        }
    ]
    ingest(prepared(OTHER_TEXT, data))
    assert Organization.objects.count() == 2


def test_same_name_in_two_provinces_is_two_people_and_two_bodies():
    ingest(prepared())
    text = HANOI_TEXT.replace("Hà Nội", "Hải Phòng")
    data = hanoi_data(text)
    data["city"] = "Hải Phòng"
    data["organizations"][0]["canonical"] = "Liên đoàn Lao động Thành phố Hải Phòng"
    data["organizations"][1]["canonical"] = "Liên đoàn Lao động Thành phố Hải Phòng"
    ingest(prepared(text, data))
    assert Meeting.objects.count() == 2
    assert Person.objects.filter(name="Lê Hồng Sơn").count() == 2
    assert Organization.objects.filter(name__startswith="Liên đoàn Lao động").count() == 2


def test_local_directive_numbers_are_per_province_national_ones_shared():
    ingest(prepared())
    text = HANOI_TEXT.replace("Hà Nội", "Hải Phòng")
    data = hanoi_data(text)
    data["city"] = "Hải Phòng"
    ingest(prepared(text, data))
    local = Directive.objects.filter(number_key="24-CT/TU")
    assert sorted(local.values_list("city__name", flat=True)) == ["Hà Nội", "Hải Phòng"]
    national = Directive.objects.get(number_key="18-CT/TW")
    assert national.city is None
    assert national.citations.count() == 2


def test_person_an_editor_merged_resolves_to_the_survivor():
    ingest(prepared())
    son = Person.objects.get(name="Lê Hồng Sơn")
    survivor = Person.objects.create(name="Lê Hồng Sơn (PCT)", slug="survivor", city=son.city)
    Participation.objects.filter(person=son).update(person=survivor)
    son.merged_into = survivor
    son.save()
    ingest(prepared(OTHER_TEXT, other_outlet_data()))
    assert not Participation.objects.filter(person=son).exists()
    assert Participation.objects.filter(person=survivor).count() == 1
    assert Person.objects.filter(name="Lê Hồng Sơn").count() == 1


# --- corrections -------------------------------------------------------------------------------


def correct_city_title_and_metric(meeting_id: int):
    """What an editor does in the admin: change the value, lock the field."""
    meeting = Meeting.objects.get(pk=meeting_id)
    meeting.city, _ = City.objects.get_or_create(name="Hải Phòng", defaults={"slug": "hai-phong"})
    meeting.lock("city")
    meeting.save()
    part = Participation.objects.get(meeting=meeting, person__name="Lê Hồng Sơn")
    part.title = "Phó Chủ tịch Thường trực UBND thành phố"
    part.lock("title")
    part.save()
    metric = Metric.objects.get(meeting=meeting, unit="VND")
    metric.value = Decimal("56000000000")
    metric.lock("value")
    metric.save()


def assert_corrections_intact(meeting_id: int):
    meeting = Meeting.objects.get(pk=meeting_id)
    assert meeting.city.name == "Hải Phòng"
    part = Participation.objects.get(meeting=meeting, person__name="Lê Hồng Sơn")
    assert part.title == "Phó Chủ tịch Thường trực UBND thành phố"
    assert Metric.objects.get(meeting=meeting, unit="VND").value == Decimal("56000000000")


def test_corrections_survive_reextraction_and_new_sources():
    written = ingest(prepared())
    correct_city_title_and_metric(written.meeting_id)
    data = hanoi_data()
    data["title"] = "Giao ban quý III"  # the new extractor changes unlocked fields
    assert ingest(prepared(data=data, version="v2")).status == "updated"
    ingest(prepared(OTHER_TEXT, other_outlet_data()))
    assert_corrections_intact(written.meeting_id)
    assert Meeting.objects.get().title == "Giao ban quý III"
    assert Meeting.objects.count() == 1


def test_corrections_survive_a_new_version_at_the_same_address():
    url = "https://hanoi.gov.vn/giao-ban"
    written = ingest(prepared(url=url))
    correct_city_title_and_metric(written.meeting_id)
    text2 = HANOI_TEXT + " Cập nhật."
    assert ingest(prepared(text2, hanoi_data(text2), url=url)).status == "updated"
    assert_corrections_intact(written.meeting_id)
    # The locked rows still moved their evidence to the current version.
    metric = Metric.objects.get(unit="VND")
    assert metric.article.is_current and metric.evidence_text == "trên 55 tỷ đồng"


def delete_like_an_editor(row):
    Tombstone.objects.create(meeting=row.meeting, kind=row._meta.model_name, key=row.tombstone_key)
    row.delete()


def test_deleted_rows_are_not_recreated():
    written = ingest(prepared())
    delete_like_an_editor(Participation.objects.get(person__name="Lê Hồng Sơn"))
    delete_like_an_editor(OrganizationMention.objects.get(organization__abbreviation="MTTQ"))
    delete_like_an_editor(DirectiveCitation.objects.get(directive__number="18-CT/TW"))
    delete_like_an_editor(Metric.objects.get(unit="VND"))
    ingest(prepared(version="v2", data={**hanoi_data(), "title": "Giao ban"}))
    ingest(prepared(OTHER_TEXT, other_outlet_data()))  # another source names him too
    meeting = Meeting.objects.get(pk=written.meeting_id)
    assert not meeting.participations.filter(person__name="Lê Hồng Sơn").exists()
    assert not meeting.mentions.filter(organization__abbreviation="MTTQ").exists()
    assert not meeting.citations.filter(directive__number="18-CT/TW").exists()
    assert not meeting.metrics.filter(unit="VND").exists()
    assert meeting.participations.count() == 3  # Tuyến, Hùng, and Tuấn from the other source


def test_rows_an_editor_added_stay():
    written = ingest(prepared())
    meeting = Meeting.objects.get(pk=written.meeting_id)
    person = Person.objects.create(name="Vũ Hà", slug="vu-ha", city=meeting.city)
    added = Participation.objects.create(meeting=meeting, person=person, title="Phó Trưởng Ban")
    data = hanoi_data()
    data["participants"].append(
        {"name": "Vũ Hà", "title": "Sai", "roles": ["reporting"], "evidence": None}
    )
    ingest(prepared(data=data, version="v2"))
    added.refresh_from_db()
    assert (added.title, added.roles, added.article) == ("Phó Trưởng Ban", [], None)


# --- transactions ------------------------------------------------------------------------------


def test_failure_in_the_middle_of_an_article_leaves_no_trace(refused_inserts):
    # Figures are written after the meeting, article, people and organisations.
    refused_inserts.refuse(Metric, message="disk full")
    resolver = Resolver()
    before = counts()
    with pytest.raises(DatabaseError, match="disk full"):
        write_article(prepared(), resolver)
    assert counts() == before and before["Meeting"] == 0
    refused_inserts.allow(Metric)
    assert write_article(prepared(), resolver).status == "new"  # the cache was dropped too
    assert Metric.objects.count() == 2


def test_invalid_values_are_dropped_not_fatal():
    data = hanoi_data()
    data["held_until"] = "2023-10-01"  # before held_on
    data["period"] = {"kind": "quarter", "year": 2023, "number": 7}
    data["metrics"][0]["value"] = "n/a"
    data["participants"][0]["evidence"] = {"start": 5, "end": 10**6}
    ingest(prepared(data=data))
    meeting = Meeting.objects.get()
    assert meeting.held_until is None and meeting.period_number is None
    assert Metric.objects.count() == 1
    assert Participation.objects.get(person__name="Nguyễn Thị Tuyến").evidence_start is None
