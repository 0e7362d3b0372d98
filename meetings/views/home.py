"""The home page: search, latest meetings, counts, quick links and meetings per quarter."""

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings.collation import vi
from meetings.filters import period_param
from meetings.models import City, Directive, Meeting, Organization, Participation, Person
from meetings.models.meetings import ROMAN_QUARTERS, period_label

LATEST = 8
QUICK_CITIES = 12
QUICK_PERIODS = 8
CHART_QUARTERS = 16


def meetings_per_quarter(meetings, *, last: int | None = CHART_QUARTERS) -> list[tuple]:
    """[("III/2023", 4), …] by quarter held, oldest first; empty quarters between included."""
    rows = (
        meetings.filter(held_on__isnull=False)
        .annotate(y=ExtractYear("held_on"), q=ExtractQuarter("held_on"))
        .values("y", "q")
        .annotate(n=Count("id"))
        .order_by("y", "q")
    )
    counts = {(r["y"], r["q"]): r["n"] for r in rows}
    if not counts:
        return []
    (y, q), end = min(counts), max(counts)
    series = []
    while (y, q) <= end:
        series.append((f"{ROMAN_QUARTERS[q]}/{y}", counts.get((y, q), 0)))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return series[-last:] if last else series


@require_safe
def home(request):
    meetings = Meeting.objects.for_listing()
    periods = (
        Meeting.objects.exclude(period_kind="")
        .filter(period_year__isnull=False)
        .values("period_kind", "period_year", "period_number")
        .annotate(n=Count("id"))
        .order_by("-period_year", "-period_number", "period_kind")[:QUICK_PERIODS]
    )
    context = {
        "latest": meetings[:LATEST],
        "counts": {
            "meetings": Meeting.objects.count(),
            # Bylines (authors, photographers) are not people of the meetings.
            "people": Person.objects.filter(
                Exists(Participation.objects.attendees().filter(person=OuterRef("pk"))),
                merged_into__isnull=True,
            ).count(),
            "organizations": Organization.objects.filter(merged_into__isnull=True).count(),
            "directives": Directive.objects.count(),
        },
        "cities": City.objects.annotate(n=Count("meetings"))
        .filter(n__gt=0)
        .order_by("-n", vi("name"))[:QUICK_CITIES],
        "periods": [
            {
                **p,
                "label": period_label(p["period_kind"], p["period_year"], p["period_number"]),
                "param": period_param(p["period_kind"], p["period_year"], p["period_number"]),
            }
            for p in periods
        ],
        "per_quarter": meetings_per_quarter(Meeting.objects.all()),
    }
    return render(request, "meetings/home.html", context)
