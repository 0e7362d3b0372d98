"""Index and detail pages of people, organisations, directives and cities.

Detail pages show one page of the meetings involving the entity (paginated, so a page costs
the same at 100,000 meetings) and small aggregates: a person's titles, an organisation's
figures, a city's meetings per quarter.
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import DetailView, ListView

from meetings.collation import directive_order, vi
from meetings.extraction.text import fold
from meetings.merges import redirect_if_merged
from meetings.models import (
    City,
    Directive,
    DirectiveCitation,
    Meeting,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
)
from meetings.models.entities import directive_number_key
from meetings.pagination import page_or_404
from meetings.search_query import clean_query
from meetings.views.home import meetings_per_quarter

MEETINGS_PER_PAGE = 20
METRICS_SHOWN = 100
QUERY_MAX = 200


def count_of(model, field: str, **filters):
    """A correlated COUNT subquery: evaluated only for the rows of the page shown."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def newest_meeting_first(prefix: str = "meeting__") -> list:
    return [F(f"{prefix}held_on").desc(nulls_last=True), f"-{prefix}id"]


class EntityList(ListView):
    """An index with a folded-name search box (`q`)."""

    template_name = "meetings/entity_list.html"
    paginate_by = 50
    http_method_names = ["get", "head"]
    heading = ""
    search_help = ""

    def get_q(self) -> str:
        # clean_query drops NUL and other control characters, which PostgreSQL refuses.
        return clean_query(self.request.GET.get("q", ""))[:QUERY_MAX]

    def search(self, queryset, q: str):
        return queryset.filter(name_folded__contains=fold(q))

    def get_queryset(self):
        queryset = self.base_queryset()
        q = self.get_q()
        return self.search(queryset, q) if q else queryset

    def paginate_queryset(self, queryset, page_size):
        # As every list: past the last page, a 404 that links back to it.
        paginator = self.get_paginator(queryset, page_size)
        page = page_or_404(self.request, paginator, param=self.page_kwarg)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            q=self.get_q(),
            heading=self.heading,
            search_help=self.search_help,
            kind=self.model._meta.model_name,
            **kwargs,
        )


class EntityDetail(DetailView):
    """A detail page with one page of related rows in `page_obj`."""

    http_method_names = ["get", "head"]
    related_per_page = MEETINGS_PER_PAGE

    def related(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        merged = redirect_if_merged(self.object)
        if merged is not None:
            # Editors merged this record: its meetings are on the surviving one.
            return merged
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        paginator = Paginator(self.related(), self.related_per_page)
        page_obj = page_or_404(self.request, paginator)
        return super().get_context_data(
            page_obj=page_obj, rows=page_obj.object_list, paginator=paginator, **kwargs
        )


# People and organisations: found by name as /search/ finds them, and counted by the rows
# that link them to meetings (`link`: that model and its field).


class NamedEntityList(EntityList):
    link: tuple[type[Participation] | type[OrganizationMention], str]

    def search(self, queryset, q: str):
        return queryset.matching(q)

    def base_queryset(self):
        link_model, field = self.link
        return (
            self.model.objects.filter(merged_into__isnull=True)
            .select_related("city")
            .annotate(n_meetings=count_of(link_model, field))
            .order_by(vi("name"), "id")
        )


class NamedEntityDetail(EntityDetail):
    link: tuple[type[Participation] | type[OrganizationMention], str]

    def get_queryset(self):
        return self.model.objects.select_related("city", "merged_into")

    def related(self):
        link_model, field = self.link
        return (
            link_model.objects.filter(**{field: self.object})
            .select_related("meeting__city")
            .order_by(*newest_meeting_first())
        )


class PersonList(NamedEntityList):
    model = Person
    link = (Participation, "person")


class PersonDetail(NamedEntityDetail):
    model = Person
    link = (Participation, "person")
    template_name = "meetings/person_detail.html"

    def get_context_data(self, **kwargs):
        # One row per title as written, with the first and last date it was used.
        titles = (
            Participation.objects.filter(person=self.object)
            .exclude(title="")
            .values("title")
            .annotate(
                first=Min("meeting__held_on"),
                last=Max("meeting__held_on"),
                n=Count("id"),
            )
            .order_by(F("last").desc(nulls_last=True), vi("title"))[:50]
        )
        return super().get_context_data(titles=titles, **kwargs)


# Organisations


class OrganizationList(NamedEntityList):
    model = Organization
    link = (OrganizationMention, "organization")


class OrganizationDetail(NamedEntityDetail):
    model = Organization
    link = (OrganizationMention, "organization")
    template_name = "meetings/organization_detail.html"

    def get_context_data(self, **kwargs):
        metrics = list(
            Metric.objects.filter(organization=self.object)
            .select_related("meeting")
            .order_by(*newest_meeting_first(), "evidence_start", "id")[:METRICS_SHOWN]
        )
        return super().get_context_data(
            metrics=metrics,
            metrics_truncated=len(metrics) == METRICS_SHOWN,
            metric_series=metric_series(metrics),
            **kwargs,
        )


def metric_series(metrics, *, limit: int = 3) -> list[dict]:
    """The most reported figures (same label and unit) as chart series, oldest first."""
    groups: dict[tuple, list] = {}
    for metric in metrics:
        groups.setdefault((metric.label, metric.unit), []).append(metric)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:limit]
    series = []
    for (label, unit), rows in ranked:
        points = [
            (
                m.meeting.held_on.strftime("%m/%Y") if m.meeting.held_on else m.meeting.title,
                m.value,
            )
            for m in reversed(rows)
        ]
        series.append({"label": label, "unit": unit, "points": points})
    return series


# Directives


class DirectiveList(EntityList):
    model = Directive

    def search(self, queryset, q):
        key = directive_number_key(q)
        return queryset.filter(
            Q(number_key__contains=key) | Q(subject__icontains=q) | Q(kind__icontains=q)
        )

    def base_queryset(self):
        return (
            Directive.objects.select_related("city")
            .annotate(n_meetings=count_of(DirectiveCitation, "directive"))
            .order_by(*directive_order(), "id")
        )


class DirectiveDetail(EntityDetail):
    model = Directive
    template_name = "meetings/directive_detail.html"

    def get_queryset(self):
        return Directive.objects.select_related("city")

    def related(self):
        return (
            DirectiveCitation.objects.filter(directive=self.object)
            .select_related("meeting__city")
            .order_by(*newest_meeting_first())
        )


# Cities


class CityList(EntityList):
    model = City
    paginate_by = 100

    def base_queryset(self):
        return (
            City.objects.select_related("merged_into")
            .annotate(n_meetings=count_of(Meeting, "city"))
            .order_by(vi("name"), "id")
        )


class CityDetail(EntityDetail):
    model = City
    template_name = "meetings/city_detail.html"

    def get_queryset(self):
        return City.objects.select_related("merged_into")

    def get(self, request, *args, **kwargs):
        # A city merged in the 2025 reorganisation keeps its own page: its meetings
        # were held under its old name.
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(object=self.object))

    def related(self):
        return Meeting.objects.filter(city=self.object).for_listing()

    def get_context_data(self, **kwargs):
        per_quarter = meetings_per_quarter(Meeting.objects.filter(city=self.object), last=None)
        return super().get_context_data(
            per_quarter=per_quarter,
            per_quarter_recent=per_quarter[-16:],
            **kwargs,
        )
