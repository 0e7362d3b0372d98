"""/calendar/: the meetings held each day of a month, or the number held each day of a year.

`?year=2023&month=10` shows a month (up to DAY_SHOWN meetings a day, with a link to the rest
in the list); `?year=2023` a year of twelve small months with the count each day. With no
date, the month of the newest meeting. The list's other filters (city, period, presiding …)
narrow the calendar as they narrow the list, and each day links to the list of that day.

Queries: a month: [the newest date], the count per day, the first meetings of each day (with
their province). A year: [the newest date], the count per day.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime

from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings.filters import MeetingFilter
from meetings.models import Meeting
from meetings.models.meetings import MAX_YEAR, MIN_YEAR
from meetings.query_strings import capped

DAY_SHOWN = 3  # meetings named in a day's cell; the rest are a link to the list
# Not filters of the calendar: it chooses the days itself.
OWN_PARAMS = ("year", "month", "quarter", "held_from", "held_to", "page", "sort")


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _weeks(year: int, month: int) -> list[list[datetime.date | None]]:
    """The month's weeks, Monday first; days of other months are None."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]


@require_safe
def calendar(request):
    params = capped(request.GET)
    for name in OWN_PARAMS:
        params.pop(name, None)
    filterset = MeetingFilter(params, request=request)
    filterset.is_valid()
    meetings = filterset.filter_queryset(Meeting.objects.all(), unordered=True)
    raw_year, raw_month = request.GET.get("year"), request.GET.get("month")
    year = _int(raw_year, MIN_YEAR, MAX_YEAR)
    month = _int(raw_month, 1, 12)
    if (raw_year and year is None) or (raw_month and month is None):
        raise Http404(_("There is no such month."))
    if year is None:
        newest = Meeting.objects.aggregate(day=Max("held_on"))["day"] or datetime.date.today()
        year, month = newest.year, newest.month
    if month is None:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month, pycalendar.monthrange(year, month)[1])
    in_range = meetings.held_between(start, end)
    counts = dict(in_range.values("held_on").annotate(n=Count("id")).values_list("held_on", "n"))
    filters = params.urlencode()

    def day_url(day: datetime.date) -> str:
        query = urlencode({"held_from": day.isoformat(), "held_to": day.isoformat()})
        return reverse("meetings:meeting_list") + f"?{query}" + (f"&{filters}" if filters else "")

    def calendar_url(**when) -> str:
        query = urlencode(when) + (f"&{filters}" if filters else "")
        return reverse("meetings:calendar") + f"?{query}"

    def month_grid(number: int) -> dict:
        weeks = [
            [
                None
                if day is None
                else {"date": day, "count": counts.get(day, 0), "url": day_url(day)}
                for day in week
            ]
            for week in _weeks(year, number)
        ]
        return {
            "number": number,
            "first": datetime.date(year, number, 1),
            "weeks": weeks,
            "total": sum(n for day, n in counts.items() if day.month == number),
            "url": calendar_url(year=year, month=number),
        }

    context = {
        "year": year,
        "month": month,
        "filters_active": filterset.active(),
        "weekdays": [_(name) for name in WEEKDAYS],
        "total": sum(counts.values()),
        "year_url": calendar_url(year=year),
        "list_url": reverse("meetings:meeting_list")
        + "?"
        + urlencode({"held_from": start.isoformat(), "held_to": end.isoformat()})
        + (f"&{filters}" if filters else ""),
    }
    if month is None:
        context.update(
            months=[month_grid(n) for n in range(1, 13)],
            previous_url=calendar_url(year=year - 1) if year > MIN_YEAR else "",
            next_url=calendar_url(year=year + 1) if year < MAX_YEAR else "",
        )
    else:
        rows = (
            in_range.annotate(
                n=Window(RowNumber(), partition_by=F("held_on"), order_by=F("id").desc())
            )
            .filter(n__lte=DAY_SHOWN)
            .select_related("city")
            .only("id", "slug", "title", "held_on", "city__name", "city__slug")
            .order_by("held_on", "n")
        )
        by_day: dict[datetime.date, list] = {}
        for meeting in rows:
            by_day.setdefault(meeting.held_on, []).append(meeting)
        grid = month_grid(month)
        for week in grid["weeks"]:
            for cell in week:
                if cell is not None:
                    cell["meetings"] = by_day.get(cell["date"], [])
                    cell["more"] = cell["count"] - len(cell["meetings"])
        before = start - datetime.timedelta(days=1)
        after = end + datetime.timedelta(days=1)
        context.update(
            grid=grid,
            previous_url=calendar_url(year=before.year, month=before.month)
            if before.year >= MIN_YEAR
            else "",
            next_url=calendar_url(year=after.year, month=after.month)
            if after.year <= MAX_YEAR
            else "",
        )
    return render(request, "meetings/calendar.html", context)


# Monday first, as Vietnamese calendars print them (translated: "Thứ Hai" …).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
