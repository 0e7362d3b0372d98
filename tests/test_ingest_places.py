"""Issue 12's rules on real articles: where a meeting was held, which reports are one meeting,
which names are one person, generic bodies, credits (meetings/ingest/places.py, identity.py,
bodies.py, settle.py)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.ingest import ingest_file
from meetings.ingest.bodies import is_generic, qualify
from meetings.ingest.places import parse_locality
from meetings.merges import merge_meetings
from meetings.models import (
    Article,
    City,
    Meeting,
    MeetingRedirect,
    Organization,
    Participation,
    Person,
)
from tests.conftest import ROOT, SHARED

DEV = SHARED / "corpus" / "dev"
ARTICLES = DEV / "articles"
needs_corpus = pytest.mark.skipif(
    not (DEV / "gold.jsonl").exists(),
    reason="needs the dev corpus in ../shared/corpus/dev (not part of this repository)",
)
HAIPHONG_SEED = ROOT / "seeds" / "haiphong_giaoban_khoi_mttq_nam2022.txt"
HANOI_SEED = ROOT / "seeds" / "hanoi_giaoban_khoi_mttq_quyIII_2023.txt"


def dev(prefix: str) -> Path:
    return next(ARTICLES.glob(f"{prefix}_*.txt"))


def url_of(prefix: str) -> str | None:
    for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if Path(g["path"]).name.startswith(f"{prefix}_"):
            return g.get("url")
    return None


def ingest(prefix: str, *, address: bool = True, **kwargs):
    result = ingest_file(dev(prefix), url=url_of(prefix) if address else None, **kwargs)
    assert result.status != "failed", result.reason
    return Meeting.objects.get(pk=result.meeting_id)


def ingest_text(tmp_path, name: str, text: str, **kwargs):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = ingest_file(path, **kwargs)
    assert result.status != "failed", result.reason
    return Meeting.objects.get(pk=result.meeting_id)


# --- pure helpers ------------------------------------------------------------------------------


def test_locality_labels_give_kind_and_name():
    assert parse_locality("thị xã Duy Tiên") == ("thị xã", "Duy Tiên")
    assert parse_locality("Quận 5") == ("quận", "5")
    assert parse_locality("thành phố Hạ Long") == ("thành phố", "Hạ Long")
    assert parse_locality("Mê Linh") == ("", "Mê Linh")


def test_generic_bodies_take_the_meetings_level_and_place():
    class Place:
        def __init__(self, kind, name):
            self.kind, self.name = kind, name

    pleiku = Place("thành phố", "Pleiku")
    assert qualify("Ban Dân vận Thành ủy", "Gia Lai", pleiku) == "Ban Dân vận Thành ủy Pleiku"
    assert qualify("Ban Dân vận", "Hà Nam", Place("thị xã", "Duy Tiên")) == (
        "Ban Dân vận Thị ủy Duy Tiên"
    )
    assert qualify("Hội đồng nhân dân", "Ninh Thuận", None) == "Hội đồng nhân dân tỉnh Ninh Thuận"
    assert qualify("Ban Thường vụ Thành ủy", "Hải Phòng", None) == (
        "Ban Thường vụ Thành ủy Hải Phòng"
    )
    # A "Tỉnh ủy" at a district's meeting is its province's.
    assert qualify("Ban Dân vận Tỉnh ủy", "Hà Nam", Place("thị xã", "Duy Tiên")) == (
        "Ban Dân vận Tỉnh ủy Hà Nam"
    )
    # Named bodies, national ones, and levels with no place in the meeting are left alone.
    assert qualify("Ban Dân vận Thành ủy Pleiku", "Gia Lai", pleiku) == (
        "Ban Dân vận Thành ủy Pleiku"
    )
    assert qualify("Ban Dân vận Trung ương", "Hà Nội", None) == "Ban Dân vận Trung ương"
    assert qualify("Huyện ủy", "Ninh Thuận", None) == "Huyện ủy"
    assert qualify("Ban Dân vận", None, None) == "Ban Dân vận"
    assert not is_generic("Khối các cơ quan")


# --- the province and where it came from ------------------------------------------------------

pytestmark = pytest.mark.django_db


@needs_corpus
def test_the_source_of_each_province_is_recorded():
    assert ingest("03").city_source == "address"  # thanhphohaiphong.gov.vn
    assert ingest("04").city_source == "locality"  # thành phố Hạ Long
    assert ingest("10").city_source == "text"  # named in the article


@needs_corpus
def test_the_presiding_official_known_in_one_province_places_a_report_naming_none(client):
    ingest_file(HAIPHONG_SEED)  # Đỗ Mạnh Hiến presides in Hải Phòng (the seed's text)
    m01 = ingest("01", address=False)  # another meeting of his, naming no province
    assert m01.city.name == "Hải Phòng"
    assert m01.city_source == "database"
    assert "Đỗ Mạnh Hiến" in m01.city_basis
    # Its people are Hải Phòng's: one Đỗ Mạnh Hiến, one Lê Trí Vũ.
    assert Person.objects.filter(name_folded="do manh hien").count() == 1
    assert Person.objects.filter(name_folded="le tri vu").count() == 1
    # The page says the province was inferred, and what from.
    page = client.get(m01.get_absolute_url()).content.decode()
    assert "badge--inferred" in page and "Đỗ Mạnh Hiến" in page
    # 02 reports the same meeting as 01 (same day, once placed): it joins it.
    assert ingest("02", address=False).pk == m01.pk


@needs_corpus
def test_a_name_known_in_two_provinces_places_nothing(make_person, make_city):
    make_person("Đỗ Mạnh Hiến", city=make_city("Hải Phòng"))
    make_person("Đỗ Mạnh Hiến", city=make_city("Hà Nội"))
    m02 = ingest("02", address=False)
    assert m02.city is None and m02.city_source == ""
    # His name in 02 is a third, province-less row, listed for editors to decide.
    assert Person.objects.filter(name_folded="do manh hien", city=None).count() == 1


@needs_corpus
def test_a_later_report_stating_the_province_replaces_an_inferred_one(
    make_meeting, make_article, make_city
):
    # A meeting placed (wrongly) by the database, whose first source found no province.
    meeting = make_meeting(
        "Hội nghị giao ban 6 tháng đầu năm 2024",
        city=make_city("Quảng Ninh"),
        city_source="database",
        city_basis="…",
        held_on=datetime.date(2024, 7, 3),
        identity_key="hai phong|2024-07-03|half:2024:1|do manh hien|giao ban",
    )
    make_article(meeting=meeting)
    assert ingest("01").pk == meeting.pk  # 01 states Hải Phòng (its address)
    meeting.refresh_from_db()
    assert (meeting.city.name, meeting.city_source, meeting.city_basis) == (
        "Hải Phòng",
        "address",
        "",
    )


# --- the place below the province --------------------------------------------------------------


@needs_corpus
def test_a_district_meeting_records_its_town_and_today_s_province(client):
    meeting = ingest("06")  # Thị ủy Duy Tiên, Hà Nam; Hà Nam is part of Ninh Bình since 2025
    assert meeting.place.label == "thị xã Duy Tiên"
    assert meeting.place.city.name == "Hà Nam"
    assert meeting.city.merged_into.name == "Ninh Bình"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "thị xã Duy Tiên" in page and "Ninh Bình" in page
    # Filtered by the place, and by today's province.
    ninh_binh = City.objects.get(name="Ninh Bình")
    for params in ({"place": meeting.place.slug}, {"city": ninh_binh.slug}):
        listed = client.get(reverse("meetings:meeting_list"), params).context["meetings"]
        assert [m.pk for m in listed] == [meeting.pk], params


@needs_corpus
def test_the_place_facet_offers_each_place_once(client):
    for prefix in ("06", "07", "08", "17"):
        ingest(prefix)
    facets = {f.name: f for f in client.get(reverse("meetings:meeting_list")).context["facets"]}
    places = {v.label: v.count for v in facets["place"].values}
    assert places == {
        "thị xã Mỹ Hào, Hưng Yên": 2,
        "thị xã Duy Tiên, Hà Nam": 1,
        "huyện Mê Linh, Hà Nội": 1,
    }


# --- one meeting per real meeting --------------------------------------------------------------


@needs_corpus
def test_a_report_without_day_or_province_published_days_later_is_the_same_meeting():
    m01 = ingest("01")
    # 02 as if its page gave no date, but published the next day: same period, presiding
    # official and type, and within PUBLISHED_WITHIN days of 01's date held.
    result = ingest_file(dev("02"), published="2024-07-04")
    assert result.meeting_id == m01.pk and result.merged
    assert m01.articles.count() == 2


@needs_corpus
def test_without_a_date_to_be_sure_the_pair_is_flagged_not_merged(tmp_path, admin_client):
    m01 = ingest("01")
    text = dev("02").read_text(encoding="utf-8")
    # Without its page's date line and with no publication date, 02 has no day at all.
    dateless = text.split(" ", 2)[2].replace("Chiều 3-7, ", "")
    m02 = ingest_text(tmp_path, "02_dateless.txt", dateless)
    assert m02.pk != m01.pk
    assert m02.possible_duplicate_of_id == m01.pk
    changelist = admin_client.get(
        reverse("admin:meetings_meeting_changelist"), {"possible_duplicate": "yes"}
    )
    assert [m.pk for m in changelist.context["cl"].result_list] == [m02.pk]


@needs_corpus
def test_same_period_different_presiding_official_is_two_meetings(tmp_path):
    m01 = ingest("01")
    other = dev("02").read_text(encoding="utf-8").replace("Đỗ Mạnh Hiến", "Nguyễn Văn Tùng")
    m02 = ingest_text(tmp_path, "02_other.txt", other, published="2024-07-04")
    assert m02.pk != m01.pk and m02.possible_duplicate_of is None


@needs_corpus
def test_same_official_and_period_on_two_dates_is_two_meetings():
    # Mỹ Hào, quý III/2021, both presided by Đào Quang Minh: 14/10 and 06/10.
    m07, m08 = ingest("07"), ingest("08")
    assert m07.pk != m08.pk and m08.possible_duplicate_of is None


@needs_corpus
def test_a_report_with_province_and_date_joins_the_meeting_of_one_without_province():
    m03 = ingest("03", address=False)  # no province in the text: none
    assert m03.city is None
    result = ingest_file(HAIPHONG_SEED)  # Hải Phòng, same day, presiding official and period
    assert result.meeting_id == m03.pk
    m03.refresh_from_db()
    assert m03.city.name == "Hải Phòng" and m03.city_source == "text"
    assert Person.objects.filter(name_folded="do manh hien", merged_into=None).count() == 1


@needs_corpus
def test_editors_merge_two_meetings_and_the_old_page_redirects(tmp_path, client, admin_client):
    m01 = ingest("01")
    text = dev("02").read_text(encoding="utf-8").split(" ", 2)[2].replace("Chiều 3-7, ", "")
    m02 = ingest_text(tmp_path, "02_dateless.txt", text)
    old = m02.get_absolute_url()
    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "merge_meetings_action", "_selected_action": [m01.pk, m02.pk], "apply": "1"}
        | {"survivor": m01.pk},
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=m02.pk).exists()
    assert m01.articles.count() == 2
    assert MeetingRedirect.objects.get(old_slug=m02.slug).meeting == m01
    assert client.get(old).headers["Location"] == m01.get_absolute_url()
    assert Meeting.history.filter(id=m02.pk, history_type="-").exists()
    assert Participation.objects.filter(meeting=m01, person__name="Lê Trí Vũ").count() == 1


# --- one person per real person -----------------------------------------------------------------


@needs_corpus
def test_the_same_name_in_another_province_is_another_person(make_person, make_city):
    hanoi = make_person("Lê Trí Vũ", city=make_city("Hà Nội"))
    ingest("01")  # Lê Trí Vũ of Hải Phòng
    people = Person.objects.filter(name_folded="le tri vu").order_by("pk")
    assert [p.city.name for p in people] == ["Hà Nội", "Hải Phòng"]
    assert people[0].pk == hanoi.pk


@needs_corpus
def test_a_person_seen_in_two_provinces_without_one_is_left_for_editors(
    make_person, make_city, admin_client
):
    make_person("Đặng Bá Cường", city=make_city("Hà Nội"))
    make_person("Đặng Bá Cường", city=make_city("Hải Phòng"))
    ingest("02", address=False)  # presided by a name known nowhere: no province
    clashes = admin_client.get(reverse("admin:meetings_person_changelist"), {"same_name": "yes"})
    names = {(p.name, p.city_id) for p in clashes.context["cl"].result_list}
    assert ("Đặng Bá Cường", None) in names
    assert Person.objects.filter(name_folded="dang ba cuong", merged_into=None).count() == 3


@needs_corpus
def test_merge_meetings_moves_everything_once(make_person):
    m01 = ingest("01")
    m03 = ingest("03")
    counts = merge_meetings(m01, [m03])
    assert counts["merged"] == 1
    assert Article.objects.filter(meeting=m01).count() == 2
    # Lê Trí Vũ attended both: one participation left.
    assert Participation.objects.filter(meeting=m01, person__name="Lê Trí Vũ").count() == 1


# --- organisations and credits -------------------------------------------------------------------


@needs_corpus
def test_generic_bodies_are_stored_with_the_meetings_place():
    ingest("12")  # Ban Dân vận Thành ủy Pleiku
    ingest("01")  # Hải Phòng's Ban Dân vận Thành ủy
    names = set(Organization.objects.values_list("name", flat=True))
    assert "Ban Dân vận Thành ủy Pleiku" in names
    assert "Ban Dân vận Thành ủy Hải Phòng" in names
    assert not [n for n in names if is_generic(n)], names
    # The name as written stays on the mention.
    mention = Meeting.objects.get(articles__source_name__startswith="01_").mentions.get(
        organization__name="Ban Dân vận Thành ủy Hải Phòng"
    )
    assert mention.name_as_written == "Ban Dân vận Thành ủy"


def test_bylines_are_credits_not_participants(client):
    result = ingest_file(HANOI_SEED)  # "Mai Quý" wrote it
    meeting = Meeting.objects.get(pk=result.meeting_id)
    response = client.get(meeting.get_absolute_url())
    attendees = [p.person.name for p in response.context["attendees"]]
    assert "Mai Quý" not in attendees and "Nguyễn Thị Tuyến" in attendees
    source = response.context["meeting"].sources[0]
    assert [c.person.name for c in source.credits] == ["Mai Quý"]
    home = client.get(reverse("meetings:home"))
    assert home.context["counts"]["people"] == len(attendees)
