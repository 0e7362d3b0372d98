"""The identity rule's search for a stored meeting (meetings/ingest/identity.py), on stored rows
built by hand: which meetings rules 1 and 2 find, and which they must not."""

from __future__ import annotations

import datetime

import pytest

from meetings.ingest.identity import find_meeting, identity_of
from meetings.ingest.resolve import name_key
from meetings.models import City, Meeting, Participation, Person

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 10, 23)
QUARTER = ("quarter", 2023, 3)


@pytest.fixture
def hanoi():
    return City.objects.get(name="Hà Nội")


def stored(slug: str, *, city=None, held_on=DAY, period=QUARTER, people=(), **fields) -> Meeting:
    """A meeting as ingest leaves it, with (name, roles) participants."""
    kind, year, number = period
    meeting = Meeting.objects.create(
        title="Hội nghị giao ban",
        slug=slug,
        city=city,
        held_on=held_on,
        period_kind=kind,
        period_year=year,
        period_number=number,
        meeting_type="giao ban",
        **fields,
    )
    for name, roles in people:
        key = name_key(name)
        person = Person.objects.filter(name_folded=key).first() or Person.objects.create(
            name=name, name_folded=key, slug=key.replace(" ", "-")
        )
        Participation.objects.create(meeting=meeting, person=person, roles=list(roles))
    return meeting


def identity(*, city="Hà Nội", held_on=DAY, period=QUARTER, presiding=(), officials=()):
    return identity_of(city, held_on, period, presiding, "Hội nghị giao ban", officials)


def test_rule_one_finds_the_meeting_of_the_same_province_and_day(hanoi):
    meeting = stored("a", city=hanoi)
    stored("other-day", city=hanoi, held_on=DAY + datetime.timedelta(days=1))
    assert find_meeting(identity(), hanoi.pk) == (meeting, None)


def test_rule_one_finds_a_meeting_by_the_values_it_was_created_from(hanoi):
    # An editor moved it to another province; a later report with the original one finds it.
    elsewhere = City.objects.get(name="Hải Phòng")
    meeting = stored("a", city=elsewhere, identity_key=identity().key)
    assert find_meeting(identity(), hanoi.pk) == (meeting, None)


def test_a_meeting_is_not_found_when_it_is_the_one_excluded(hanoi):
    meeting = stored("a", city=hanoi, people=[("Lê Văn An", ["presiding"])])
    assert find_meeting(identity(presiding=["Lê Văn An"]), hanoi.pk, exclude=meeting.pk) == (
        None,
        None,
    )


def test_rule_two_finds_the_same_presiding_official_and_period_without_a_province(hanoi):
    meeting = stored("a", people=[("Lê Văn An", ["presiding"])])
    assert find_meeting(identity(presiding=["Lê Văn An"]), hanoi.pk) == (meeting, None)


def test_rule_two_needs_the_same_period_number_and_year(hanoi):
    stored("q2", period=("quarter", 2023, 2), people=[("Lê Văn An", ["presiding"])])
    stored("2022", period=("quarter", 2022, 3), people=[("Lê Văn An", ["presiding"])])
    assert find_meeting(identity(presiding=["Lê Văn An"]), hanoi.pk) == (None, None)


def test_rule_two_matches_periods_without_a_number_and_a_missing_year(hanoi):
    # "năm 2023" has no number; a report that omits the year agrees with any.
    meeting = stored("a", period=("year", None, None), people=[("Lê Văn An", ["presiding"])])
    found = find_meeting(identity(presiding=["Lê Văn An"], period=("year", 2023, None)), hanoi.pk)
    assert found == (meeting, None)


def test_rule_two_needs_the_official_to_have_presided_when_the_report_says_who_did(hanoi):
    stored("a", people=[("Lê Văn An", ["speaking"])])
    assert find_meeting(identity(presiding=["Lê Văn An"]), hanoi.pk) == (None, None)


def test_rule_two_without_a_presiding_official_matches_the_same_officials(hanoi):
    people = [("Lê Văn An", ["attending"]), ("Trần Thị Bình", ["speaking"])]
    meeting = stored("a", people=people)
    found = find_meeting(identity(officials=["Lê Văn An", "Trần Thị Bình"]), hanoi.pk)
    assert found == (meeting, None)


def test_rule_two_does_not_count_a_byline_as_taking_part(hanoi):
    # The same two names, but one only wrote the report: not the same set of officials.
    stored("a", people=[("Lê Văn An", ["author"]), ("Trần Thị Bình", ["speaking"])])
    found = find_meeting(identity(officials=["Lê Văn An", "Trần Thị Bình"]), hanoi.pk)
    assert found == (None, None)


def test_rule_two_leaves_meetings_of_another_province_or_day_alone(hanoi):
    elsewhere = City.objects.get(name="Hải Phòng")
    stored("province", city=elsewhere, held_on=None, people=[("Lê Văn An", ["presiding"])])
    stored("day", held_on=DAY - datetime.timedelta(days=7), people=[("Lê Văn An", ["presiding"])])
    assert find_meeting(identity(presiding=["Lê Văn An"]), hanoi.pk) == (None, None)


def test_rule_two_flags_a_report_it_cannot_date_as_a_possible_duplicate(hanoi):
    meeting = stored("a", city=hanoi, people=[("Lê Văn An", ["presiding"])])
    found = find_meeting(identity(presiding=["Lê Văn An"], held_on=None), hanoi.pk)
    assert found == (None, meeting)
