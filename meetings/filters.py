"""The meeting list's filters, read from the query string (values by slug).

Every filter calls a MeetingQuerySet method, so the list page, its facets and the exports
filter the same way. The entity filters (city, presiding official, organisation,
directive) filter by slug through a join rather than loading the entity first: no query per
filter. Whether a slug names anything is asked only once, for all of them, by
`MeetingFilter.labels()`, which the page also needs for the names it shows.
"""

from __future__ import annotations

import re
from functools import wraps

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from django.http import HttpResponsePermanentRedirect
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    City,
    Directive,
    Locality,
    Meeting,
    Organization,
    Person,
)
from meetings.models.meetings import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_NUMBERS,
    ROMAN_QUARTERS,
    MeetingQuerySet,
    clean_period,
    period_label,
)
from meetings.search_query import clean_query, parse
from meetings.versions import cached_count, data_version

SLUG_MAX = 120

_PERIOD = re.compile(r"^(month|quarter|half|nine_months|year)-(\d{4})(?:-(\d{1,2}))?$")


def period_param(kind: str, year: int, number: int | None) -> str:
    """The `period` value of a reporting period: "quarter-2023-3", "half-2024-1", "year-2022"."""
    return f"{kind}-{year}" + (f"-{number}" if number else "")


def parse_period(value: str) -> tuple[str, int, int | None] | None:
    """(kind, year, number) of a `period` value, None when it is not one."""
    match = _PERIOD.match(value or "")
    if not match:
        return None
    period = match[1], int(match[2]), int(match[3]) if match[3] else None
    if period[0] in PERIOD_NUMBERS and period[2] is None:
        return None  # "quarter-2023" names no one quarter
    return period if clean_period(*period) == period else None


def validate_period(value: str) -> None:
    if parse_period(value) is None:
        raise forms.ValidationError(
            _("“%(value)s” is not a reporting period (for example quarter-2023-3 or year-2022)."),
            params={"value": value[:40]},
        )


class SlugField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX)
        super().__init__(validators=[validate_slug], **kwargs)


class SlugFilter(django_filters.CharFilter):
    field_class = SlugField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class QueryField(forms.CharField):
    """Free text: any characters, cut to the search box's maxlength (MAX_QUERY_LENGTH)
    without control characters, so neither the page nor the exports echo more."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = []  # not even NUL is an error: clean_query drops it

    def to_python(self, value):
        return clean_query(super().to_python(value))


class QueryFilter(django_filters.CharFilter):
    field_class = QueryField


SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE = "newest", "oldest", "relevance"

# Filters naming an entity by slug: (query-string name, model, what the page calls it).
ENTITY_FILTERS = {
    "city": (City, _("city")),
    "place": (Locality, _("district or town")),
    "presiding": (Person, _("presiding official")),
    "organization": (Organization, _("organisation")),
    "directive": (Directive, _("directive")),
}


class MeetingFilter(django_filters.FilterSet):
    q = QueryFilter(label=_("Words"), method="filter_q")
    city = SlugFilter(label=_("City"), method="filter_city")
    place = SlugFilter(label=_("District or town"), method="filter_place")
    period = django_filters.CharFilter(
        label=_("Reporting period"),
        method="filter_period",
        max_length=40,
        validators=[validate_period],
    )
    year = IntegerFilter(
        label=_("Year held"), method="filter_year", min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    held_from = django_filters.DateFilter(label=_("Held from"), method="filter_held_from")
    held_to = django_filters.DateFilter(label=_("Held until"), method="filter_held_to")
    quarter = django_filters.TypedChoiceFilter(
        label=_("Quarter held"),
        method="filter_quarter",
        choices=[(n, roman) for n, roman in ROMAN_QUARTERS.items()],
        coerce=int,
    )
    presiding = SlugFilter(label=_("Presiding official"), method="filter_presiding")
    organization = SlugFilter(label=_("Organisation"), method="filter_organization")
    directive = SlugFilter(label=_("Directive"), method="filter_directive")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        method="filter_nothing",  # applied last, in filter_queryset
        choices=[
            (SORT_NEWEST, _("Newest first")),
            (SORT_OLDEST, _("Oldest first")),
            (SORT_RELEVANCE, _("Best match")),
        ],
        empty_label=None,
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Meeting.objects.all()
        super().__init__(data, queryset=queryset, **kwargs)

    # Each method filters by one value; an empty value never reaches them.
    def filter_q(self, qs, name, value):
        return qs.search(self.parsed_query)

    def filter_city(self, qs, name, value):
        return qs.in_city(value)

    def filter_place(self, qs, name, value):
        return qs.at_place(value)

    def filter_period(self, qs, name, value):
        return qs.in_period(*parse_period(value))

    def filter_year(self, qs, name, value):
        return qs.held_in(year=value)

    def filter_held_from(self, qs, name, value):
        return qs.held_between(start=value)

    def filter_held_to(self, qs, name, value):
        return qs.held_between(end=value)

    def filter_quarter(self, qs, name, value):
        return qs.held_in(quarter=value)

    def filter_presiding(self, qs, name, value):
        return qs.presided_by(value)

    def filter_organization(self, qs, name, value):
        return qs.mentioning(value)

    def filter_directive(self, qs, name, value):
        return qs.citing(value)

    def filter_nothing(self, qs, name, value):
        return qs

    @property
    def parsed_query(self):
        if not hasattr(self, "_parsed_query"):
            raw = self.data.get("q", "") if self.data is not None else ""
            self._parsed_query = parse(raw if isinstance(raw, str) else "")
        return self._parsed_query

    @property
    def order(self) -> str:
        """The order applied: relevance only when there are words to match, and no more
        matches than can be ranked (which counts them: count() is remembered)."""
        self.errors  # noqa: B018 (validates the form)
        chosen = self.form.cleaned_data.get("sort")
        if chosen == SORT_OLDEST:
            return SORT_OLDEST
        relevance = chosen in ("", None, SORT_RELEVANCE)
        if self.parsed_query and relevance and not self.too_many_to_rank:
            return SORT_RELEVANCE
        return SORT_NEWEST

    @property
    def too_many_to_rank(self) -> bool:
        """Words match more meetings than can be ranked (MeetingQuerySet.relevant_first)."""
        return "q" in self.active() and MeetingQuerySet.too_many_to_rank(self.count())

    def active(self) -> dict:
        """The valid, non-empty filter values in use (sort excluded)."""
        self.errors  # noqa: B018 (validates the form)
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name != "sort"
            and value not in (None, "")
            and not (name == "q" and not self.parsed_query)
        }

    def filter_queryset(self, queryset, *, without: str = "", unordered: bool = False):
        """The filtered queryset in the chosen order; `without` leaves one filter out."""
        for name, value in self.active().items():
            if name != without:
                queryset = self.filters[name].filter(queryset, value)
        if without or unordered:
            return queryset.order_by()
        if self.order == SORT_RELEVANCE:
            return queryset.by_relevance(self.parsed_query)
        if self.order == SORT_OLDEST:
            return queryset.oldest_first()
        return queryset.newest_first()

    @property
    def count_limit(self) -> int:
        """Counts stop above this: RANK_LIMIT with words (matches are read from the table,
        several kilobytes each), COUNT_LIMIT otherwise (index entries)."""
        if "q" in self.active():
            return MeetingQuerySet.RANK_LIMIT
        return MeetingQuerySet.COUNT_LIMIT

    def count(self) -> int:
        """How many meetings match, up to `count_limit` + 1 (which means "more than
        count_limit"); read once, and cached under the data version: every page and order
        of the list, and every visitor, ask the same (with words, it reads up to
        RANK_LIMIT + 1 matching rows' search vectors, kilobytes each)."""
        if not hasattr(self, "_count"):
            queryset = self.filter_queryset(self.queryset.all(), unordered=True)
            self._count = cached_count(
                self.data_version,
                ("list", self.count_limit, *self.cache_parts()),
                lambda: queryset.bounded_count(
                    self.count_limit, words_alone=list(self.active()) == ["q"]
                ),
            )
        return self._count

    def cache_parts(self, without: str = "") -> tuple[str, ...]:
        """The filters in use (all but `without`), as the parts of a cache key."""
        return tuple(sorted(f"{k}={v}" for k, v in self.active().items() if k != without))

    @property
    def data_version_read(self) -> bool:
        """Whether this request asked for the data version already (no query to use it): the
        filterset did, or the page cache did for the request."""
        known = getattr(self.request, "data_version", None) is not None
        return known or hasattr(self, "_data_version")

    @property
    def data_version(self) -> str:
        """meetings.versions.data_version(), asked once per filterset (once a request)."""
        if not hasattr(self, "_data_version"):
            self._data_version = data_version(self.request)
        return self._data_version

    def queryset_without(self, name: str):
        """All filters but `name`, unordered: what a facet over `name` counts."""
        return self.filter_queryset(self.queryset.all(), without=name)

    def labels(self) -> dict[str, str]:
        """{filter name: display name} of the entity filters in use, in one query.

        A filter whose slug names nothing is missing from the result (see `unknown`).
        """
        if hasattr(self, "_labels"):
            return self._labels
        active = self.active()
        parts = []
        for name, (model, _label) in ENTITY_FILTERS.items():
            if name not in active:
                continue
            shown = (
                Concat(F("kind"), Value(" "), F("number" if model is Directive else "name"))
                if model in (Directive, Locality)
                else F("name")
            )
            parts.append(
                model.objects.filter(slug=active[name])
                .annotate(
                    f_name=Value(name, output_field=CharField()),
                    f_label=shown,
                )
                .values_list("f_name", "f_label")
                .order_by()
            )
        self._labels = {}
        if parts:
            union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            self._labels = dict(union)
        return self._labels

    def unknown(self) -> list[tuple[str, str, str]]:
        """(filter name, what it is called, the slug) of entity filters naming nothing."""
        labels, active = self.labels(), self.active()
        return [
            (name, str(ENTITY_FILTERS[name][1]), active[name])
            for name in ENTITY_FILTERS
            if name in active and name not in labels
        ]

    def describe(self, name: str, value) -> str:
        """How the page names one active filter value."""
        if name in ENTITY_FILTERS:
            return self.labels().get(name, value)
        if name == "period":
            return period_label(*parse_period(value))
        if name == "quarter":
            return _("Quarter %(q)s") % {"q": ROMAN_QUARTERS[value]}
        if name in ("held_from", "held_to"):
            return date_format(value, "DATE_FORMAT")
        return str(value)


# --- old links to merged people and organisations ---------------------------------------------

# Filters naming a person or an organisation, which editors may merge into another.
MERGEABLE_FILTERS = {"presiding": Person, "organization": Organization}


def survivors_query(params) -> str | None:
    """The query string with each merged person's or organisation's slug replaced by its
    survivor's, or None when it names none merged. One query (a UNION) when a person or an
    organisation filter is given, none otherwise. Merges point every merged row straight at
    the survivor (meetings/merges.py), so one hop is enough."""
    asked = []
    for name, model in MERGEABLE_FILTERS.items():
        slug = params.get(name, "")
        try:
            validate_slug(slug)
        except ValidationError:
            continue  # empty or not a slug: the filter form says so
        if len(slug) <= SLUG_MAX:
            asked.append(
                model.objects.filter(slug=slug, merged_into__isnull=False)
                .annotate(f_name=Value(name, output_field=CharField()))
                .values_list("f_name", "merged_into__slug")
                .order_by()
            )
    if not asked:
        return None
    found = dict(asked[0].union(*asked[1:], all=True) if len(asked) > 1 else asked[0])
    if not found:
        return None
    replaced = params.copy()
    for name, slug in found.items():
        replaced[name] = slug
    return replaced.urlencode()


def redirect_merged_filters(view):
    """A list view (or export, or feed) whose old links to a merged person or organisation
    (`?presiding=<merged-slug>`) redirect, permanently, to the same list of the survivor."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            query = survivors_query(request.GET)
            if query is not None:
                return HttpResponsePermanentRedirect(f"{request.path}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
