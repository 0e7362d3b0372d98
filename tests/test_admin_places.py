"""Every province and district is there before anything is ingested, so editors pick one.

Migration 0011 loads them from the gazetteer (meetings/ingest/places.py,
load_gazetteer_places); ingest finds them; the admin's pickers find them with or without
diacritics; slugs are Vietnamese-aware on the server (the admin's pre-fill script is checked
in a browser, tests/test_browser_admin.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.ingest import ingest_paths
from meetings.ingest.places import gazetteer_units, load_gazetteer_places
from meetings.models import City, Locality, Meeting
from meetings.slugs import make_slug
from tests.conftest import DEV_ARTICLES, SEEDS, needs_dev_corpus


def test_every_province_before_and_after_2025_and_every_district(gazetteer_places):
    units = gazetteer_units()
    assert City.objects.count() == len(units) == 64  # 63 before 1 July 2025, and Huế after
    assert Locality.objects.count() == sum(len(u["districts"]) for u in units)
    ninh_thuan = City.objects.get(name="Ninh Thuận")
    assert ninh_thuan.slug == "ninh-thuan"
    assert ninh_thuan.merged_into.name == "Khánh Hòa"  # the 2025 successor
    assert ninh_thuan.full_name == "Tỉnh Ninh Thuận" and ninh_thuan.code
    assert City.objects.get(name="Đà Nẵng").slug == "da-nang"
    assert City.objects.get(name="Thừa Thiên Huế").merged_into.name == "Huế"
    duy_tien = Locality.objects.get(name="Duy Tiên")
    assert (duy_tien.kind, duy_tien.city.name) == ("thị xã", "Hà Nam")
    assert duy_tien.slug == "thi-xa-duy-tien-ha-nam"  # as ingest makes it
    assert Locality.objects.get(city__name="Hồ Chí Minh", name="5").label == "Quận 5"


def test_loading_keeps_and_completes_what_ingest_created(db):
    Locality.objects.all().delete()
    City.objects.all().delete()
    # A province ingest created before issue 16: no code, no full name, its own slug.
    made = City.objects.create(name="Hà Nam", slug="ha-nam-2")
    assert load_gazetteer_places() == (63, 697)
    made.refresh_from_db()
    assert made.slug == "ha-nam-2"  # never changed: public addresses stay
    assert made.full_name == "Tỉnh Hà Nam" and made.code
    assert made.merged_into.name == "Ninh Bình"
    assert made.localities.filter(name="Duy Tiên").exists()
    assert load_gazetteer_places() == (0, 0)


@needs_dev_corpus  # its Duy Tiên (Hà Nam) article
def test_ingest_finds_the_loaded_provinces_and_districts(gazetteer_places):
    cities = set(City.objects.values_list("pk", flat=True))
    places = set(Locality.objects.values_list("pk", flat=True))
    report = ingest_paths([DEV_ARTICLES, SEEDS])
    assert report.ok, [(r.path, r.reason) for r in report.failures]
    assert set(City.objects.values_list("pk", flat=True)) == cities
    assert set(Locality.objects.values_list("pk", flat=True)) == places
    duy_tien = Meeting.objects.get(place__name="Duy Tiên")
    assert duy_tien.place.slug == "thi-xa-duy-tien-ha-nam"


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Ninh Thuận", "ninh-thuan"),
        ("Đà Nẵng", "da-nang"),
        ("Thừa Thiên Huế", "thua-thien-hue"),
        ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
    ],
)
def test_slugs_are_vietnamese_aware(text, slug):
    assert make_slug(text) == slug


def test_a_province_or_district_saved_without_a_slug_gets_one(db):
    city = City.objects.create(name="Tỉnh Thử Nghiệm Đông")
    assert city.slug == "tinh-thu-nghiem-dong"
    place = Locality.objects.create(city=city, kind="huyện", name="Đắk Thử")
    assert place.slug == "huyen-dak-thu-tinh-thu-nghiem-dong"


def autocomplete(client, field: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "meetings", "model_name": "meeting", "field_name": field},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_editors_pick_any_province_and_district_with_or_without_diacritics(
    editor_client, gazetteer_places
):
    for term in ("ninh thuan", "Ninh Thuận", "NINH THUAN"):
        assert autocomplete(editor_client, "city", term) == ["Ninh Thuận (nay thuộc Khánh Hòa)"]
    assert autocomplete(editor_client, "city", "da nang") == ["Đà Nẵng"]
    assert "thị xã Duy Tiên, Hà Nam" in autocomplete(editor_client, "place", "duy tien")
    # Editors may read, not create or change, provinces and districts.
    assert editor_client.get(reverse("admin:meetings_locality_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:meetings_city_add")).status_code == 403


def test_a_district_of_another_province_is_refused(editor_client, gazetteer_places, make_meeting):
    from tests.test_admin import change_url, form_data

    meeting = make_meeting(city="Hà Nam", place=Locality.objects.get(name="Duy Tiên"))
    data = form_data(editor_client.get(change_url(meeting)))
    data["city"] = str(City.objects.get(name="Ninh Thuận").pk)
    response = editor_client.post(change_url(meeting), data)
    assert response.status_code == 200
    assert "không thuộc Ninh Thuận" in response.content.decode()
    data["place"] = ""
    assert editor_client.post(change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.city.name == "Ninh Thuận" and meeting.place is None
