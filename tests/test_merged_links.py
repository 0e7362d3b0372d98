"""After a merge, old filter links lead to the survivor's list and the list's counts offer the
survivor at once (meetings/filters.py, redirect_merged_filters; corrections.touch_meetings)."""

from __future__ import annotations

import datetime

import pytest

from meetings.merges import merge_organizations, merge_people

LIST = "/meetings/"


@pytest.fixture
def two_names(make_meeting, make_person, make_participation):
    """One official under two names, each presiding one meeting."""
    full, short = make_person("Nguyễn Thị Tuyến"), make_person("Tuyến")
    full.slug, short.slug = "nguyen-thi-tuyen", "tuyen"
    full.save(), short.save()
    first = make_meeting(held_on=datetime.date(2023, 10, 23))
    second = make_meeting(held_on=datetime.date(2023, 7, 20))
    make_participation(first, full)
    make_participation(second, short)
    return full, short


def test_an_old_presiding_link_redirects_to_the_survivor(client, two_names):
    full, short = two_names
    merge_people(full, [short])
    response = client.get(LIST, {"presiding": "tuyen", "year": "2023"})
    assert response.status_code == 301
    assert response["Location"] == f"{LIST}?presiding=nguyen-thi-tuyen&year=2023"
    for export in ("/meetings/export.csv", "/meetings/export.json", "/meetings/feed.atom"):
        response = client.get(export, {"presiding": "tuyen"})
        assert response.status_code == 301, export
        assert response["Location"] == f"{export}?presiding=nguyen-thi-tuyen"
    followed = client.get(LIST, {"presiding": "tuyen"}, follow=True)
    assert followed.context["paginator"].count == 2


def test_an_old_organisation_link_redirects_to_the_survivor(
    client, make_meeting, make_organization, make_mention
):
    survivor = make_organization("Liên đoàn Lao động thành phố Hà Nội")
    other = make_organization("LĐLĐ Hà Nội")
    make_mention(make_meeting(), other)
    merge_organizations(survivor, [other])
    response = client.get(LIST, {"organization": other.slug})
    assert response.status_code == 301
    assert response["Location"] == f"{LIST}?organization={survivor.slug}"


@pytest.mark.parametrize("value", ["tuyen", "no-such-person", "", "a\x00b", "x" * 500, "Tuyến"])
def test_links_to_nobody_merged_are_left_to_the_list(client, two_names, value):
    response = client.get(LIST, {"presiding": value})
    assert response.status_code in (200, 400)


# Committed writes: the data version that keys cached counts moves at COMMIT (0016).
@pytest.mark.django_db(transaction=True)
def test_the_facets_offer_the_survivor_at_once(client, two_names):
    full, short = two_names
    facet = client.get(LIST).context["facets"][3]  # cached now
    assert {v.label for v in facet.values} == {"Nguyễn Thị Tuyến", "Tuyến"}
    merge_people(full, [short])
    facet = client.get(LIST).context["facets"][3]
    assert [(v.label, v.count) for v in facet.values] == [("Nguyễn Thị Tuyến", 2)]
