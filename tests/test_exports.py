"""Exports: CSV and JSON of filtered lists and of one meeting; Atom feeds."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def body(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


@pytest.fixture
def two(make_full_meeting):
    import datetime

    hanoi = make_full_meeting(
        "Giao ban quý III/2023", held_on=datetime.date(2023, 10, 23), city="Hà Nội"
    )
    haiphong = make_full_meeting(
        "=Giao ban năm 2022",
        held_on=datetime.date(2022, 12, 29),
        city="Hải Phòng",
        period_kind="year",
        period_number=None,
        period_year=2022,
    )
    return hanoi, haiphong


def test_list_csv(client, two):
    hanoi, haiphong = two
    response = client.get(reverse("meetings:meeting_list_csv"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["slug"] for r in rows] == [hanoi.slug, haiphong.slug]  # newest first
    first = rows[0]
    assert first["title"] == "Giao ban quý III/2023"
    assert first["held_on"] == "2023-10-23"
    assert first["city"] == "Hà Nội"
    assert first["period"] == "Quý III/2023"
    assert first["presiding"] == "Nguyễn Thị Tuyến"
    assert first["url"] == f"http://testserver{hanoi.get_absolute_url()}"
    assert rows[1]["title"] == "'=Giao ban năm 2022"  # not a spreadsheet formula
    assert rows[1]["period"] == "Năm 2022"


def test_list_exports_take_the_list_filters(client, two):
    hanoi, haiphong = two
    query = {"city": haiphong.city.slug}
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(reverse("meetings:meeting_list_csv"), query)).lstrip("\ufeff")
            )
        )
    )
    assert [r["slug"] for r in rows] == [haiphong.slug]
    data = json.loads(body(client.get(reverse("meetings:meeting_list_json"), {"sort": "oldest"})))
    assert [m["slug"] for m in data["meetings"]] == [haiphong.slug, hanoi.slug]
    assert data["meetings"][1]["presiding"] == ["Nguyễn Thị Tuyến"]
    assert data["meetings"][1]["period_kind"] == "quarter"
    assert data["meetings"][1]["period_number"] == 3


def test_list_json_of_nothing_is_valid_json(client, two):
    response = client.get(reverse("meetings:meeting_list_json"), {"year": "1990"})
    assert json.loads(body(response)) == {
        "meetings": [],
        "limit": 2000,
        "truncated": False,
        "full_export": "http://testserver/meetings/export/all.json",
    }


def test_invalid_filters_are_a_400_not_everything(client, two):
    for name in ("meeting_list_csv", "meeting_list_json"):
        response = client.get(reverse(f"meetings:{name}"), {"year": "abc"})
        assert response.status_code == 400
        assert "year" in response.json()["errors"]


def test_list_export_query_count_is_flat(client, make_meeting, django_assert_num_queries):
    for i in range(50):
        make_meeting(title=f"Hội nghị {i}")
    with django_assert_num_queries(2):
        # 1 are there more than EXPORT_MAX_ROWS rows?, 2 the rows (a server-side cursor),
        # presiding names in an array subquery.
        response = client.get(reverse("meetings:meeting_list_csv"))
        assert len(body(response).splitlines()) == 51


def test_meeting_json_has_every_part_with_evidence(client, two):
    hanoi, _ = two
    response = client.get(reverse("meetings:meeting_json", args=[hanoi.slug]))
    assert response.status_code == 200
    data = response.json()
    assert data["meeting"]["title"] == "Giao ban quý III/2023"
    assert data["meeting"]["held_on"] == "2023-10-23"
    assert data["meeting"]["period"] == "Quý III/2023"
    (person,) = data["participants"]
    assert person["name"] == "Nguyễn Thị Tuyến" and person["roles"] == ["presiding"]
    assert person["evidence"]["text"] == "Nguyễn Thị Tuyến"
    assert data["organizations"][0]["name"] == "Liên đoàn Lao động thành phố Hà Nội"
    assert data["directives"][0]["number"] == "24-CT/TU"
    assert data["directives"][0]["evidence"]["text"] == "Chỉ thị số 24-CT/TU"
    metric = data["metrics"][0]
    assert metric["value"] == "328.0000" and metric["unit"] == "công đoàn cơ sở"
    assert metric["evidence"]["text"] == "328 công đoàn cơ sở"
    assert data["sources"][0]["url"].startswith("https://example.gov.vn/")


def test_meeting_csv_has_every_part(client, two):
    hanoi, _ = two
    response = client.get(reverse("meetings:meeting_csv", args=[hanoi.slug]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    parts = {r["part"] for r in rows}
    assert parts == {"meeting", "participant", "organization", "directive", "metric", "source"}
    (metric,) = [r for r in rows if r["part"] == "metric"]
    assert metric["value"] == "328.0000" and metric["evidence"] == "328 công đoàn cơ sở"
    assert metric["organization"] == "Liên đoàn Lao động thành phố Hà Nội"
    (person,) = [r for r in rows if r["part"] == "participant"]
    assert person["detail"] == "Phó Bí thư Thường trực Thành ủy" and person["roles"] == "presiding"


def test_meeting_exports_404_for_unknown_slug(client):
    assert client.get(reverse("meetings:meeting_json", args=["nope"])).status_code == 404
    assert client.get(reverse("meetings:meeting_csv", args=["nope"])).status_code == 404


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_atom_feed_of_newest_meetings(client, two):
    hanoi, haiphong = two
    root, items = entries(client.get(reverse("meetings:meeting_feed")))
    assert [e.find(f"{ATOM}title").text for e in items] == [hanoi.title, haiphong.title]
    summary = items[0].find(f"{ATOM}summary").text
    assert "Hà Nội" in summary and "Nguyễn Thị Tuyến" in summary
    link = items[0].find(f"{ATOM}link").get("href")
    assert link.endswith(hanoi.get_absolute_url())


def test_atom_feeds_per_city_and_organisation(client, two, make_full_meeting):
    hanoi, haiphong = two
    _root, items = entries(client.get(reverse("meetings:city_feed", args=[hanoi.city.slug])))
    assert [e.find(f"{ATOM}title").text for e in items] == [hanoi.title]
    org = hanoi.mentions.get().organization
    root, items = entries(client.get(reverse("meetings:organization_feed", args=[org.slug])))
    assert [e.find(f"{ATOM}title").text for e in items] == [hanoi.title]
    assert org.name in root.find(f"{ATOM}title").text
    assert client.get(reverse("meetings:city_feed", args=["nope"])).status_code == 404
    assert client.post(reverse("meetings:meeting_feed")).status_code == 405


def test_feed_escapes_titles(client, make_meeting):
    make_meeting(title="<script>alert(1)</script> & co")
    response = client.get(reverse("meetings:meeting_feed"))
    assert b"<script>" not in response.content
    _root, items = entries(response)
    assert items[0].find(f"{ATOM}title").text == "<script>alert(1)</script> & co"


# At most EXPORT_MAX_ROWS rows per list export; every meeting in the full export's files.


def test_list_exports_stop_at_the_limit_and_say_where_all_are(client, two, settings):
    hanoi, haiphong = two
    settings.EXPORT_MAX_ROWS = 1
    response = client.get(reverse("meetings:meeting_list_csv"))
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    assert [r["slug"] for r in rows] == [hanoi.slug]  # the first, in the list's order
    assert response["X-Export-Limit"] == "1"
    assert response["X-Export-Truncated"] == "true"
    assert response["Link"] == '<http://testserver/meetings/export/all.csv>; rel="alternate"'
    response = client.get(reverse("meetings:meeting_list_json"))
    data = json.loads(body(response))
    assert [m["slug"] for m in data["meetings"]] == [hanoi.slug]
    assert data["limit"] == 1 and data["truncated"] is True
    assert data["full_export"] == "http://testserver/meetings/export/all.json"

    settings.EXPORT_MAX_ROWS = 2
    response = client.get(reverse("meetings:meeting_list_csv"))
    assert response["X-Export-Truncated"] == "false"
    data = json.loads(body(client.get(reverse("meetings:meeting_list_json"))))
    assert len(data["meetings"]) == 2 and data["truncated"] is False


def test_full_export_is_written_by_the_command_and_sent_from_disk(
    client, two, settings, tmp_path, django_assert_num_queries
):
    hanoi, haiphong = two
    settings.EXPORT_DIR = tmp_path / "exports"
    assert client.get("/meetings/export/all.csv").status_code == 404  # not written yet
    settings.EXPORT_MAX_ROWS = 1
    list_page = client.get(reverse("meetings:meeting_list")).content.decode()
    assert "/meetings/export/all.csv" not in list_page

    out = io.StringIO()
    call_command("export_meetings", base_url="https://portal.example.org", stdout=out)
    assert "Wrote 2 meetings" in out.getvalue()
    assert sorted(p.name for p in settings.EXPORT_DIR.iterdir()) == [
        "meetings.csv",
        "meetings.json",
    ]
    with django_assert_num_queries(0):
        response = client.get("/meetings/export/all.csv")
        text = b"".join(response.streaming_content).decode("utf-8")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="meetings-all.csv"'
    assert response["Last-Modified"] and "max-age" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["slug"] for r in rows] == [hanoi.slug, haiphong.slug]  # every one, not 1
    assert rows[0]["url"] == f"https://portal.example.org{hanoi.get_absolute_url()}"
    data = json.loads(b"".join(client.get("/meetings/export/all.json").streaming_content))
    assert data["count"] == 2 and len(data["meetings"]) == 2
    assert client.post("/meetings/export/all.csv").status_code == 405
    # The list page links to it, and says where a download stops.
    list_page = client.get(reverse("meetings:meeting_list")).content.decode()
    assert 'href="/meetings/export/all.csv"' in list_page


def test_export_command_dry_run_and_bad_base_url(two, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    out = io.StringIO()
    call_command("export_meetings", dry_run=True, stdout=out)
    assert "would write 2 meetings" in out.getvalue()
    assert not settings.EXPORT_DIR.exists()
    with pytest.raises(CommandError, match="--base-url: expected http"):
        call_command("export_meetings", base_url="javascript:alert(1)")


def test_feeds_take_the_list_filters(client, two):
    hanoi, haiphong = two
    url = reverse("meetings:meeting_feed")
    root, items = entries(client.get(url, {"city": haiphong.city.slug}))
    assert [e.find(f"{ATOM}title").text for e in items] == [haiphong.title]
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.endswith(f"{url}?city={haiphong.city.slug}")
    _root, items = entries(client.get(url, {"year": "2023"}))
    assert [e.find(f"{ATOM}title").text for e in items] == [hanoi.title]
    # The entity feeds narrow further, by the same filters.
    org = hanoi.mentions.get().organization
    org_feed = reverse("meetings:organization_feed", args=[org.slug])
    _root, items = entries(client.get(org_feed, {"year": "2022"}))
    assert items == []


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"period": "quarter-2023-9"}, {"city": "bad slug!"}]
)
def test_feeds_refuse_bad_filters_like_the_exports(client, two, params):
    for url in (
        reverse("meetings:meeting_feed"),
        reverse("meetings:city_feed", args=[two[0].city.slug]),
        reverse("meetings:meeting_list_json"),
    ):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert set(response.json()["errors"]) == set(params)


def test_entries_are_dated_by_the_meeting(client, two):
    hanoi, _haiphong = two
    _root, items = entries(client.get(reverse("meetings:meeting_feed")))
    assert items[0].find(f"{ATOM}updated").text == "2023-10-23T00:00:00+07:00"
    assert items[0].find(f"{ATOM}published").text == "2023-10-23T00:00:00+07:00"


def test_person_and_directive_feeds(client, two):
    hanoi, haiphong = two
    chair = hanoi.participations.get().person
    _root, items = entries(client.get(reverse("meetings:person_feed", args=[chair.slug])))
    assert [e.find(f"{ATOM}title").text for e in items] == [hanoi.title]
    directive = hanoi.citations.get().directive
    url = reverse("meetings:directive_feed", args=[directive.slug])
    _root, items = entries(client.get(url))
    assert [e.find(f"{ATOM}title").text for e in items] == [hanoi.title]
    assert client.get(reverse("meetings:person_feed", args=["nope"])).status_code == 404


def test_every_entity_page_announces_its_feed(client, two):
    hanoi, _haiphong = two
    pages = {
        hanoi.city: "city_feed",
        hanoi.mentions.get().organization: "organization_feed",
        hanoi.participations.get().person: "person_feed",
        hanoi.citations.get().directive: "directive_feed",
    }
    for entity, name in pages.items():
        html = client.get(entity.get_absolute_url()).content.decode()
        feed = reverse(f"meetings:{name}", args=[entity.slug])
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{feed}"' in html, name
