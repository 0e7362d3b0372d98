"""Counts beside the meeting list: per city, district or town, reporting period and presiding
official.

Each facet counts the meetings matching every filter but its own (so choosing Hà Nội still
shows how many meetings the other cities have, and picking one replaces the choice) in one
aggregate query. Each value links to the current query string with that filter set, or,
for the value already chosen, removed.

Cost at 100,000 meetings:
- each query groups on ids (city_id; the period columns; person_id over the presiding
  partial indexes), and the names are joined for the top LIMIT groups only, in the same
  query; under a filter, the filter's index includes the grouped columns (index-only);
- a facet with no filter but its own (every facet of the unfiltered list, the city facet of
  `?city=…`) counts all meetings: those counts and the total come from `summary()`, cached
  for SUMMARY_SECONDS and keyed by the data version (meetings/data_version.py), which any
  committed write moves, so every change shows at the next request;
- under any filter, a facet's rows are cached for a minute under the data version
  (meetings/versions.py), keyed by the filters but its own, as the list's count is: every
  page and order of the list, and the lists that differ only in that facet's value, ask
  the same;
- with words (`q`), matches are read from the table, so a facet counts at most RANK_LIMIT
  of them; with more, it lists the values found among those without counts (`partial`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, connections
from django.utils.translation import gettext_lazy as _

from meetings.collation import raw_order
from meetings.filters import MeetingFilter, period_param
from meetings.models import City, Locality, Meeting, Participation, Person
from meetings.models.meetings import MeetingQuerySet, matches_from_indexes, period_label
from meetings.query_strings import query_strings
from meetings.versions import cached_each, data_version

LIMIT = 15  # values shown per facet, most frequent (periods: most recent) first
PRESIDING_CACHED = 50  # the admin's presiding filter lists the 50 most frequent
SUMMARY_SECONDS = 60  # how stale the unfiltered counts may be (see the module docstring)


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
    partial: bool = False  # too many matches to count: values without their counts


def _values(filterset: MeetingFilter, name: str, rows) -> list[FacetValue]:
    chosen = filterset.data.get(name, "") if name in filterset.active() else None
    link = query_strings(filterset.data, name)
    values = []
    for value, label, count in rows:
        selected = value == chosen
        url = link(None if selected else value)
        values.append(FacetValue(value, label, count, url, selected))
    return values


def _quoted(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The presiding partial indexes' condition, written as they are (the planner matches it).
PRESIDING = "pa.roles @> ARRAY['presiding']::varchar(20)[]"


def _run(sql: str, params, using: str) -> list[tuple]:
    """On the database the facet's meetings are read from (a replica for a public page)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _base(queryset, columns, limit):
    """The facet's meetings as SQL (`WITH base AS (…)`), at most `limit` + 1 when bounded."""
    rows = queryset.order_by().values_list(*columns)
    if limit is not None:
        rows = rows[: limit + 1]
    return rows.query.sql_with_params()


def _grouped(
    sql: str, params, using: str, limit: int | None, top: int, order_params=()
) -> tuple[list[tuple], bool]:
    """Run a facet query over `base`; (rows without the scanned column, partial?).

    `order_params` are those of the final ORDER BY (names in Vietnamese order)."""
    # Not str.format: the base's SQL may hold braces.
    scanned = ", (SELECT COUNT(*) FROM base)" if limit is not None else ""
    rows = _run(sql.replace("{scanned}", scanned, 1), (*params, top, *order_params), using)
    if limit is None or not rows:
        return rows, False
    partial = rows[0][-1] > limit
    return [row[:-1] for row in rows], partial


def city_rows(queryset, *, limit=None, top=LIMIT):
    """[(city id, slug, name, meetings)], most meetings first; and partial?"""
    sql, params = _base(queryset, ("city_id",), limit)
    by_name, name_params = raw_order("c.name")
    return _grouped(
        f"WITH base AS ({sql}) SELECT c.id, c.slug, c.name, t.n{{scanned}}"
        " FROM (SELECT base.city_id, COUNT(*) AS n FROM base WHERE base.city_id IS NOT NULL"
        " GROUP BY base.city_id ORDER BY n DESC, base.city_id LIMIT %s) t"
        f" JOIN {_quoted(City)} c ON c.id = t.city_id ORDER BY t.n DESC, {by_name}",
        params,
        queryset.db,
        limit,
        top,
        name_params,
    )


def place_rows(queryset, *, limit=None, top=LIMIT):
    """[(place id, slug, label, meetings)], most meetings first; and partial?"""
    sql, params = _base(queryset, ("place_id",), limit)
    by_name, name_params = raw_order("l.name")
    rows, partial = _grouped(
        f"WITH base AS ({sql}) SELECT l.id, l.slug, l.kind, l.name, c.name, t.n{{scanned}}"
        " FROM (SELECT base.place_id, COUNT(*) AS n FROM base WHERE base.place_id IS NOT NULL"
        " GROUP BY base.place_id ORDER BY n DESC, base.place_id LIMIT %s) t"
        f" JOIN {_quoted(Locality)} l ON l.id = t.place_id"
        f" JOIN {_quoted(City)} c ON c.id = l.city_id ORDER BY t.n DESC, {by_name}",
        params,
        queryset.db,
        limit,
        top,
        name_params,
    )
    return [
        (pk, slug, f"{Locality(kind=kind, name=name).label}, {city}", n)
        for pk, slug, kind, name, city, n in rows
    ], partial


def period_rows(queryset, *, limit=None, top=LIMIT):
    """[(kind, year, number, meetings)], most recent period first; and partial?"""
    sql, params = _base(queryset, ("period_kind", "period_year", "period_number"), limit)
    return _grouped(
        f"WITH base AS ({sql}) SELECT period_kind, period_year, period_number,"
        " COUNT(*) AS n{scanned} FROM base WHERE period_kind <> '' AND period_year IS NOT NULL"
        " GROUP BY 1, 2, 3 ORDER BY period_year DESC, period_number DESC, period_kind LIMIT %s",
        params,
        queryset.db,
        limit,
        top,
    )


def presiding_rows(queryset, *, limit=None, top=LIMIT):
    """[(person id, slug, name, meetings presided)], most first; and partial?

    `queryset` None means every meeting: the presiding partial index alone answers.
    """
    if queryset is None:
        with_base, params, within = "", (), ""
    else:
        sql, params = _base(queryset, ("id",), limit)
        with_base = f"WITH base AS ({sql}) "
        # base.id, qualified: a bare `id` would silently mean pa.id (a correlated subquery).
        within = " AND pa.meeting_id IN (SELECT base.id FROM base)"
    by_name, name_params = raw_order("p.name")
    return _grouped(
        f"{with_base}SELECT p.id, p.slug, p.name, t.n{{scanned}}"
        f" FROM (SELECT pa.person_id, COUNT(*) AS n FROM {_quoted(Participation)} pa"
        f" WHERE {PRESIDING}{within}"
        " GROUP BY pa.person_id ORDER BY n DESC, pa.person_id LIMIT %s) t"
        f" JOIN {_quoted(Person)} p ON p.id = t.person_id ORDER BY t.n DESC, {by_name}",
        params,
        Meeting.objects.db if queryset is None else queryset.db,
        None if queryset is None else limit,
        top,
        name_params,
    )


def summary(filterset: MeetingFilter | None = None) -> dict:
    """The unfiltered total and facet rows, cached (see the module docstring).

    One query (the data version) when cached, five when not. The version is asked once per
    filterset, that is once per request.
    """
    version = filterset.data_version if filterset is not None else data_version()
    key = f"meetings:summary:{version}"
    found = cache.get(key)
    if found is None:
        everything = Meeting.objects.all()
        found = {
            "total": everything.count(),
            "city": city_rows(everything)[0],
            "place": place_rows(everything)[0],
            "period": period_rows(everything)[0],
            "presiding": presiding_rows(None, top=PRESIDING_CACHED)[0],
        }
        cache.set(key, found, SUMMARY_SECONDS)
    return found


def _rows(filterset: MeetingFilter) -> dict[str, tuple[list, bool]]:
    """Each facet's rows, and whether they are partial: from the summary when no other
    filter applies, else counted under them and cached under the data version, keyed by the
    other filters only: every page and order of the list, and every list that differs only
    in this facet's own value, share them. The cached ones are read from the cache in one
    round trip, and the ones counted stored in one. With words, at most RANK_LIMIT matches
    are counted (they are read from the table, their search vectors kilobytes each); with
    words alone, they are found from the GIN index (`matches_from_indexes`: left to itself,
    PostgreSQL read the table in order and tested each row's vector, 110 ms a facet at
    100,000 meetings)."""
    rows, keyed, limits, words_alone = {}, {}, {}, set()
    for name in COUNTS:
        others = [n for n in filterset.active() if n != name]
        if not others:
            rows[name] = summary(filterset)[name][:LIMIT], False
            continue
        limits[name] = MeetingQuerySet.RANK_LIMIT if "q" in others else None
        keyed[name] = ("facet", name, limits[name], *filterset.cache_parts(without=name))
        if others == ["q"]:
            words_alone.add(name)

    def counted(name: str):
        queryset = filterset.queryset_without(name)
        if name not in words_alone:
            return COUNTS[name](queryset, limit=limits[name])
        with matches_from_indexes(queryset.db):
            return COUNTS[name](queryset, limit=limits[name])

    return rows | cached_each(filterset.data_version, keyed, counted)


def city_facet(filterset: MeetingFilter, rows, partial) -> Facet:
    values = _values(filterset, "city", ((slug, name, n) for _id, slug, name, n in rows))
    return Facet("city", _("City"), values, partial)


def place_facet(filterset: MeetingFilter, rows, partial) -> Facet:
    values = _values(filterset, "place", ((slug, label, n) for _id, slug, label, n in rows))
    return Facet("place", _("District or town"), values, partial)


def period_facet(filterset: MeetingFilter, rows, partial) -> Facet:
    values = _values(
        filterset,
        "period",
        (
            (period_param(kind, year, number), period_label(kind, year, number), n)
            for kind, year, number, n in rows
        ),
    )
    return Facet("period", _("Reporting period"), values, partial)


def presiding_facet(filterset: MeetingFilter, rows, partial) -> Facet:
    values = _values(filterset, "presiding", ((slug, name, n) for _id, slug, name, n in rows))
    return Facet("presiding", _("Presiding official"), values, partial)


# Each facet: how its rows are counted, and how they are shown.
COUNTS = {
    "city": city_rows,
    "place": place_rows,
    "period": period_rows,
    "presiding": presiding_rows,
}
SHOWN = {
    "city": city_facet,
    "place": place_facet,
    "period": period_facet,
    "presiding": presiding_facet,
}


def facets(filterset: MeetingFilter) -> list[Facet]:
    """The four facets: four queries, or none when served from cache (see `_rows`)."""
    rows = _rows(filterset)
    return [SHOWN[name](filterset, *rows[name]) for name in COUNTS]
