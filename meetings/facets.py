"""Counts beside the meeting list: per city, reporting period and presiding official.

Each facet counts the meetings matching every filter but its own (so choosing Hà Nội still
shows how many meetings the other cities have, and picking one replaces the choice) in one
aggregate query. Each value links to the current query string with that filter set, or,
for the value already chosen, removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from meetings.filters import MeetingFilter, period_param
from meetings.models import Participation
from meetings.models.links import Role
from meetings.models.meetings import period_label

LIMIT = 15  # values shown per facet, most frequent (periods: most recent) first


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass
class Facet:
    name: str  # the query-string parameter
    title: str
    values: list[FacetValue] = field(default_factory=list)


def query_string(params: QueryDict, name: str, value: str | None) -> str:
    """`?…` with `name` set to `value` (or removed when None), back on page 1."""
    if isinstance(params, QueryDict):
        params = params.copy()
    else:
        params, given = QueryDict(mutable=True), params
        params.update(given)
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _values(filterset: MeetingFilter, name: str, rows) -> list[FacetValue]:
    chosen = filterset.data.get(name, "") if name in filterset.active() else None
    values = []
    for value, label, count in rows:
        selected = value == chosen
        url = query_string(filterset.data, name, None if selected else value)
        values.append(FacetValue(value, label, count, url, selected))
    return values


def city_facet(filterset: MeetingFilter) -> Facet:
    rows = (
        filterset.queryset_without("city")
        .filter(city__isnull=False)
        .values("city__slug", "city__name")
        .annotate(n=Count("id"))
        .order_by("-n", "city__name")[:LIMIT]
    )
    return Facet(
        "city",
        _("City"),
        _values(filterset, "city", ((r["city__slug"], r["city__name"], r["n"]) for r in rows)),
    )


def period_facet(filterset: MeetingFilter) -> Facet:
    rows = (
        filterset.queryset_without("period")
        .exclude(period_kind="")
        .filter(period_year__isnull=False)
        .values("period_kind", "period_year", "period_number")
        .annotate(n=Count("id"))
        .order_by("-period_year", "-period_number", "period_kind")[:LIMIT]
    )
    return Facet(
        "period",
        _("Reporting period"),
        _values(
            filterset,
            "period",
            (
                (
                    period_param(r["period_kind"], r["period_year"], r["period_number"]),
                    period_label(r["period_kind"], r["period_year"], r["period_number"]),
                    r["n"],
                )
                for r in rows
            ),
        ),
    )


def presiding_facet(filterset: MeetingFilter) -> Facet:
    meetings = filterset.queryset_without("presiding")
    rows = (
        Participation.objects.filter(roles__contains=[Role.PRESIDING])
        .filter(meeting__in=meetings.values("pk"))
        .values("person__slug", "person__name")
        .annotate(n=Count("meeting_id"))
        .order_by("-n", "person__name")[:LIMIT]
    )
    return Facet(
        "presiding",
        _("Presiding official"),
        _values(
            filterset,
            "presiding",
            ((r["person__slug"], r["person__name"], r["n"]) for r in rows),
        ),
    )


def facets(filterset: MeetingFilter) -> list[Facet]:
    """The three facets: three queries."""
    return [city_facet(filterset), period_facet(filterset), presiding_facet(filterset)]
