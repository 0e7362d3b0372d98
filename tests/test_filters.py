"""Every filter of the meeting list alone and in every combination of two."""

import datetime
import itertools

import pytest

from meetings.filters import MeetingFilter, parse_period, period_param

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    make_city,
    make_meeting,
    make_person,
    make_organization,
    make_directive,
    make_participation,
    make_mention,
    make_citation,
    reindex,
):
    """Eight meetings varying in every filtered value; returns (meetings, facts)."""
    hanoi, haiphong = make_city("Hà Nội"), make_city("Hải Phòng")
    tuyen = make_person("Nguyễn Thị Tuyến", city=hanoi)
    son = make_person("Lê Hồng Sơn", city=hanoi)
    ldld = make_organization("Liên đoàn Lao động thành phố Hà Nội", city=hanoi)
    hnd = make_organization("Hội Nông dân thành phố Hải Phòng", city=haiphong)
    ct24 = make_directive("24-CT/TU", city=hanoi)
    ct25 = make_directive("25-CT/TU", city=hanoi)
    rows = [
        # city, held_on, period, presiding, organisation, directive, title
        (hanoi, datetime.date(2023, 10, 23), ("quarter", 2023, 3), tuyen, ldld, ct24, "giao ban"),
        (hanoi, datetime.date(2023, 7, 20), ("quarter", 2023, 2), tuyen, None, ct25, "giao ban"),
        (hanoi, datetime.date(2024, 7, 5), ("half", 2024, 1), son, ldld, None, "sơ kết"),
        (haiphong, datetime.date(2023, 1, 10), ("year", 2022, None), son, hnd, None, "tổng kết"),
        (haiphong, datetime.date(2023, 10, 2), ("quarter", 2023, 3), None, hnd, ct24, "giao ban"),
        (haiphong, None, ("", None, None), None, None, None, "không ngày"),
        (hanoi, datetime.date(2022, 12, 29), ("year", 2022, None), tuyen, ldld, ct24, "tổng kết"),
        (hanoi, datetime.date(2024, 1, 15), ("quarter", 2023, 4), son, None, None, "giao ban"),
    ]
    facts = {}
    for i, (city, held_on, period, chair, org, directive, title) in enumerate(rows):
        kind, year, number = period
        meeting = make_meeting(
            title=f"Hội nghị {title} số {i}",
            city=city,
            held_on=held_on,
            period_kind=kind,
            period_year=year,
            period_number=number,
        )
        if chair:
            make_participation(meeting, chair, roles=["presiding", "concluding"])
        # Someone who attends but does not preside never counts as presiding.
        make_participation(meeting, make_person(f"Khách {i}", city=city), roles=["attending"])
        if org:
            make_mention(meeting, org)
        if directive:
            make_citation(meeting, directive)
        facts[meeting.slug] = {
            "city": city.slug,
            "period": period_param(kind, year, number) if kind else None,
            "year": held_on.year if held_on else None,
            "quarter": (held_on.month - 1) // 3 + 1 if held_on else None,
            "presiding": chair.slug if chair else None,
            "organization": org.slug if org else None,
            "directive": directive.slug if directive else None,
            "q": "giao ban" in title,
        }
    reindex()
    values = {
        "city": hanoi.slug,
        "period": "quarter-2023-3",
        "year": 2023,
        "quarter": 3,
        "presiding": tuyen.slug,
        "organization": ldld.slug,
        "directive": ct24.slug,
        "q": "giao ban",
    }
    return facts, values


def expected(facts, chosen):
    return sorted(
        slug
        for slug, fact in facts.items()
        if all(fact["q"] if name == "q" else fact[name] == value for name, value in chosen.items())
    )


def run(data):
    filterset = MeetingFilter(data)
    assert filterset.is_valid(), filterset.form.errors
    return sorted(filterset.qs.values_list("slug", flat=True))


FILTERS = ["city", "period", "year", "quarter", "presiding", "organization", "directive", "q"]


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter(world, name):
    facts, values = world
    chosen = {name: values[name]}
    want = expected(facts, chosen)
    assert want, "the data should make every filter match something"
    assert run({k: str(v) for k, v in chosen.items()}) == want


@pytest.mark.parametrize("pair", list(itertools.combinations(FILTERS, 2)), ids="+".join)
def test_every_pair_of_filters(world, pair):
    facts, values = world
    chosen = {name: values[name] for name in pair}
    assert run({k: str(v) for k, v in chosen.items()}) == expected(facts, chosen)


def test_no_filter_lists_everything_newest_first_undated_last(world):
    facts, _values = world
    filterset = MeetingFilter({})
    meetings = list(filterset.qs)
    assert len(meetings) == len(facts)
    dates = [m.held_on for m in meetings]
    assert dates[-1] is None
    assert dates[:-1] == sorted(dates[:-1], reverse=True)


def test_oldest_first(world):
    dates = [m.held_on for m in MeetingFilter({"sort": "oldest"}).qs]
    assert dates[:-1] == sorted(dates[:-1]) and dates[-1] is None


def test_relevance_is_the_default_order_only_when_searching(world):
    assert MeetingFilter({"q": "giao ban"}).order == "relevance"
    assert MeetingFilter({}).order == "newest"
    assert MeetingFilter({"sort": "relevance"}).order == "newest"  # nothing to rank by
    assert MeetingFilter({"q": "giao ban", "sort": "newest"}).order == "newest"
    ranked = list(MeetingFilter({"q": "giao ban"}).qs)
    assert all(hasattr(m, "rank") for m in ranked)


def test_presiding_ignores_people_who_only_attend(world):
    from meetings.models import Person

    guest = Person.objects.get(name="Khách 0")
    assert run({"presiding": guest.slug}) == []


def test_labels_name_the_chosen_entities_in_one_query(world, django_assert_num_queries):
    _facts, values = world
    filterset = MeetingFilter({k: str(v) for k, v in values.items()})
    with django_assert_num_queries(1):  # one UNION over city, person, organisation, directive
        labels = filterset.labels()
    assert labels == {
        "city": "Hà Nội",
        "presiding": "Nguyễn Thị Tuyến",
        "organization": "Liên đoàn Lao động thành phố Hà Nội",
        "directive": "Chỉ thị 24-CT/TU",
    }
    assert filterset.unknown() == []


def test_unknown_slugs_are_reported(world):
    filterset = MeetingFilter({"city": "atlantis", "presiding": "nobody"})
    assert filterset.is_valid()
    assert [(name, value) for name, _what, value in filterset.unknown()] == [
        ("city", "atlantis"),
        ("presiding", "nobody"),
    ]
    assert list(filterset.qs) == []


@pytest.mark.parametrize(
    "value,parsed",
    [
        ("quarter-2023-3", ("quarter", 2023, 3)),
        ("half-2024-1", ("half", 2024, 1)),
        ("year-2022", ("year", 2022, None)),
        ("nine_months-2023", ("nine_months", 2023, None)),
        ("month-2023-10", ("month", 2023, 10)),
        ("quarter-2023-5", None),
        ("quarter-2023", None),
        ("year-2022-1", None),
        ("year-99999", None),
        ("decade-2020", None),
        ("", None),
    ],
)
def test_parse_period(value, parsed):
    assert parse_period(value) == parsed
    if parsed:
        assert period_param(*parsed) == value


def test_a_province_finds_the_meetings_of_the_provinces_merged_into_it(make_city, make_meeting):
    """Ninh Bình (today) finds Hà Nam's meetings; Hà Nam finds only its own."""
    from meetings.models import Meeting

    ninh_binh = make_city("Ninh Bình")
    ha_nam = make_city("Hà Nam")
    ha_nam.merged_into = ninh_binh
    ha_nam.save()
    other = make_city("Hải Phòng")
    in_ninh_binh, in_ha_nam = make_meeting(city=ninh_binh), make_meeting(city=ha_nam)
    make_meeting(city=other)
    make_meeting(city=None)
    for chosen in (ninh_binh, ninh_binh.slug):
        found = set(Meeting.objects.in_city(chosen))
        assert found == {in_ninh_binh, in_ha_nam}
    for chosen in (ha_nam, ha_nam.slug):
        assert set(Meeting.objects.in_city(chosen)) == {in_ha_nam}
    assert not Meeting.objects.in_city("no-such-city").exists()
    shown = MeetingFilter({"city": ninh_binh.slug}).qs
    assert set(shown) == {in_ninh_binh, in_ha_nam}
