"""Merging duplicate people and organisations (meetings/merges.py and the admin actions)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from meetings.merges import (
    MergeError,
    merge_organizations,
    merge_people,
    redirect_if_merged,
)
from meetings.models import Metric, Organization, OrganizationMention, Participation, Person
from tests.conftest import ingest_corpus


@pytest.fixture
def editor_client(client, db):
    call_command("setup_editors", verbosity=0)
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def make_org(db):
    def make(name, **fields):
        slug = f"org-{Organization.objects.count() + 1}"
        return Organization.objects.create(name=name, slug=slug, **fields)

    return make


def attend(meeting, person, title="", roles=("attending",)):
    return Participation.objects.create(
        meeting=meeting, person=person, title=title, roles=list(roles)
    )


def test_merge_people_moves_combines_and_keeps_the_other_name(make_meeting, make_person):
    first, second = make_meeting(), make_meeting()
    survivor = make_person("Nguyễn Thị Tuyến")
    other = make_person("Nguyễn T. Tuyến", aliases=["Bà Tuyến"])
    kept = attend(first, survivor, "Phó Bí thư", ["presiding"])
    attend(first, other, "Phó Bí thư Thường trực Thành ủy", ["speaking", "attending"])
    moved = attend(second, other, "Phó Bí thư")

    counts = merge_people(survivor, [other])

    assert counts == {"merged": 1, "moved": 1, "combined": 1, "metrics": 0}
    kept.refresh_from_db()
    moved.refresh_from_db()
    other.refresh_from_db()
    survivor.refresh_from_db()
    assert kept.roles == ["presiding", "attending", "speaking"]
    assert kept.title == "Phó Bí thư Thường trực Thành ủy"  # the more specific title
    assert moved.person == survivor
    assert Participation.objects.filter(person=other).count() == 0
    assert survivor.aliases == ["Nguyễn T. Tuyến", "Bà Tuyến"]
    assert other.merged_into == survivor


def test_merge_organizations_moves_mentions_and_metrics(make_meeting, make_org):
    meeting = make_meeting()
    survivor = make_org("Liên đoàn Lao động thành phố Hà Nội")
    other = make_org("LĐLĐ Hà Nội", abbreviation="LĐLĐ")
    OrganizationMention.objects.create(meeting=meeting, organization=other, name_as_written="x")
    metric = Metric.objects.create(
        meeting=meeting, organization=other, value=Decimal(328), extraction_key="k"
    )
    counts = merge_organizations(survivor, [other])
    assert counts["moved"] == 1 and counts["metrics"] == 1
    metric.refresh_from_db()
    survivor.refresh_from_db()
    assert metric.organization == survivor
    assert survivor.abbreviation == "LĐLĐ"
    assert survivor.aliases == ["LĐLĐ Hà Nội"]


def test_merge_flattens_chains_and_refuses_nonsense(make_person):
    a, b, c = make_person("A a"), make_person("B b"), make_person("C c")
    merge_people(b, [a])
    merge_people(c, [b])
    a.refresh_from_db()
    assert a.merged_into == c  # straight to the survivor, not through b
    with pytest.raises(MergeError):
        merge_people(c, [c])
    with pytest.raises(MergeError):
        merge_people(c, [a])  # already merged
    with pytest.raises(MergeError):
        merge_people(b, [c])  # the survivor itself was merged


def test_redirect_if_merged(make_person):
    survivor, other = make_person("Một"), make_person("Hai")
    assert redirect_if_merged(survivor) is None
    merge_people(survivor, [other])
    other.refresh_from_db()
    response = redirect_if_merged(other)
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()


def test_merge_from_the_admin_redirects_the_old_page_and_shows_in_history(editor_client, client):
    ingest_corpus()
    # A database from before people were resolved across provinces: a report that named no
    # province gave its chair a second, province-less row.
    survivor = Person.objects.get(name="Đỗ Mạnh Hiến", city__name="Hải Phòng")
    other = Person.objects.create(name="Đỗ Mạnh Hiến", slug="do-manh-hien-legacy")
    Participation.objects.filter(pk=survivor.participations.first().pk).update(person=other)
    old_url = other.get_absolute_url()
    changelist = reverse("admin:meetings_person_changelist")
    selection = {"action": "merge_people_action", "_selected_action": [survivor.pk, other.pk]}
    both = survivor.participations.count() + other.participations.count()

    page = editor_client.post(changelist, selection)
    assert page.status_code == 200
    assert page.context["suggested"] in (survivor.pk, other.pk)
    response = editor_client.post(
        changelist, {**selection, "apply": "1", "survivor": str(survivor.pk)}
    )
    assert response.status_code == 302

    other.refresh_from_db()
    assert other.merged_into == survivor
    assert survivor.participations.count() == both
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == survivor.get_absolute_url()

    record = other.history.first()
    assert record.history_user == editor_client.user
    assert record.history_change_reason.startswith("Merged into")
    history = editor_client.get(reverse("admin:meetings_person_history", args=[other.pk]))
    # In words, in the editor's language: "Đã gộp vào Đỗ Mạnh Hiến (#12)".
    assert f"Đã gộp vào {survivor} (#{survivor.pk})" in history.content.decode()

    # Ingest resolves the old name to the survivor: nothing is duplicated or recreated.
    ingest_corpus(reextract=True)
    other.refresh_from_db()
    assert other.participations.count() == 0 and survivor.participations.count() == both
    assert Person.objects.filter(name="Đỗ Mạnh Hiến", merged_into=None).count() == 1


def test_merge_needs_two_records_and_a_survivor(editor_client, make_person):
    a, b = make_person("A a"), make_person("B b")
    changelist = reverse("admin:meetings_person_changelist")
    response = editor_client.post(
        changelist, {"action": "merge_people_action", "_selected_action": [a.pk]}, follow=True
    )
    assert response.status_code == 200
    response = editor_client.post(
        changelist,
        {"action": "merge_people_action", "_selected_action": [a.pk, b.pk], "apply": "1"},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.merged_into is None and b.merged_into is None
