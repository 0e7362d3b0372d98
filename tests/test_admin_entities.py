"""The admin's search of people and organisations finds what /search/ and the index pages
find (`matching()`), and its autocomplete also takes a name still being typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Organization, Person


def changelist_names(client, model: str, q: str) -> list[str]:
    response = client.get(reverse(f"admin:meetings_{model}_changelist"), {"q": q})
    assert response.status_code == 200
    return sorted(str(obj) for obj in response.context["cl"].result_list)


def autocomplete_names(client, q: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": q, "app_label": "meetings", "model_name": "participation", "field_name": "person"},
    )
    assert response.status_code == 200, response.content
    return sorted(item["text"] for item in response.json()["results"])


@pytest.mark.parametrize("q", ["LĐLĐ", "lien doan lao dong", "Liên đoàn", "ha noi"])
def test_admin_finds_the_organisations_search_finds(editor_client, make_organization, q):
    make_organization("Liên đoàn Lao động thành phố Hà Nội")
    make_organization("Hội Liên hiệp Phụ nữ thành phố Hà Nội")
    make_organization("Liên đoàn Lao động tỉnh Nam Định")
    expected = sorted(o.name for o in Organization.objects.matching(q))
    assert expected
    assert changelist_names(editor_client, "organization", q) == expected


def test_admin_person_search_is_by_whole_words_without_diacritics(editor_client, make_person):
    make_person("Nguyễn Thị Tuyến")
    make_person("Nguyễn Văn Tuyên")
    make_person("Trần Tuyết Mai")
    assert changelist_names(editor_client, "person", "tuyen") == [
        "Nguyễn Thị Tuyến",
        "Nguyễn Văn Tuyên",
    ]
    assert changelist_names(editor_client, "person", "tuyen") == sorted(
        p.name for p in Person.objects.matching("tuyen")
    )
    assert len(changelist_names(editor_client, "person", "")) == 3


def test_autocomplete_takes_a_name_being_typed_and_skips_merged(editor_client, make_person):
    kept = make_person("Nguyễn Văn Tuyên")
    make_person("Nguyễn Văn Tuyên", merged_into=kept)
    assert autocomplete_names(editor_client, "nguyen van tuy") == ["Nguyễn Văn Tuyên"]
