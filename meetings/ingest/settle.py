"""After each ingest run: what one article could not decide alone, decided with the database.

An article may arrive before the one that makes it clear (a report naming no province, before
the report that places its presiding official in Hải Phòng). So, at the end of every run:

1. a meeting still without a province, one of whose officials is now known under one, is
   placed as ingest would place it now (meetings/ingest/places.py), marked as inferred, and
   its sources' rows are written again under that province;
2. a person stored without a province, whose placed meetings are all in one province, is that
   province's person of the same name: merged into it (meetings/merges.py, so history keeps
   it and the old page redirects), or given the province when there is none. A person whose
   meetings are in two provinces stays as it is, for an editor (the admin's "same name
   elsewhere" filter lists it).

Then every meeting the run created gets its "As ingested" history record, in one statement
(meetings/history.py, record_baselines): ingest writes no history article by article.
"""

from __future__ import annotations

from meetings.ingest.resolve import Resolver
from meetings.ingest.write import place_meeting
from meetings.merges import merge_people
from meetings.models import Participation, Person

ROUNDS = 3  # a person placed may place another meeting, whose people place another …


def settle(resolver: Resolver) -> dict:
    """Both steps, again while they change something; counts of what changed."""
    counts = {"meetings placed": 0, "people placed": 0}
    for _ in range(ROUNDS):
        placed = sum(place_meeting(pk, resolver) for pk in _placeable_meetings())
        people = settle_people()
        resolver.forget()  # people it cached may have been merged
        counts["meetings placed"] += placed
        counts["people placed"] += people
        if not (placed or people):
            break
    from meetings.history import record_baselines

    counts["meetings given their as-ingested record"] = sum(record_baselines(legacy=False).values())
    return counts


def _placeable_meetings() -> list[int]:
    """Meetings without a province with an official whose name is known under one."""
    known = Person.objects.filter(city__isnull=False, merged_into__isnull=True)
    rows = (
        Participation.objects.attendees()
        .filter(meeting__city__isnull=True, person__name_folded__in=known.values("name_folded"))
        .order_by("meeting_id")
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    return list(rows)


def settle_people() -> int:
    """Step 2; how many people were merged or placed."""
    cities: dict[int, set[int]] = {}
    for person_id, city_id in (
        Participation.objects.filter(
            person__city__isnull=True, person__merged_into__isnull=True, meeting__city__isnull=False
        )
        .order_by()
        .values_list("person_id", "meeting__city_id")
        .distinct()
    ):
        cities.setdefault(person_id, set()).add(city_id)
    done = 0
    for person in Person.objects.filter(pk__in=list(cities)).order_by("pk"):
        if len(cities[person.pk]) != 1 or person.is_locked("city"):
            continue
        city_id = cities[person.pk].pop()
        same = Person.objects.filter(
            name_folded=person.name_folded, city_id=city_id, merged_into__isnull=True
        ).first()
        if same is not None:
            merge_people(same, [person])
        else:
            Person.objects.filter(pk=person.pk).update(city_id=city_id)
        done += 1
    return done
