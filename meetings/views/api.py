"""The read-only JSON API, described by meetings/openapi.yaml (served at /api/openapi.yaml).

- /api/meetings/: the meeting list, with the list's filters, order and pages (20 a page);
- /api/meetings/<slug>/: one meeting with every part and its evidence (as export.json);
- /api/people/<slug>/, /api/organizations/<slug>/, /api/directives/<slug>/: one record with
  a page of the meetings involving it (`?page=`, 20 a page).

A filter value that is not valid answers 400 with the errors (as the exports and feeds do); an
unknown slug or a page that does not exist answers 404 with a message (and, for a page, the
address of the last page). Every answer is JSON; nothing here writes.

Queries: the list as the HTML list (count, page of rows with presiding names in one query);
a meeting as export.json (seven); an entity: it, its page of meetings, their count.
"""

from __future__ import annotations

from pathlib import Path

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from meetings.filters import MeetingFilter
from meetings.models import (
    Directive,
    DirectiveCitation,
    Organization,
    OrganizationMention,
    Participation,
    Person,
)
from meetings.pagination import ListingPaginator, page_or_404
from meetings.query_strings import capped
from meetings.views.exports import (
    _list_row,
    _meeting_document,
    _meeting_urls,
    _meeting_with_parts,
    invalid_filters,
)

PER_PAGE = 20


def read_only(view):
    """GET and HEAD; any other method 405, also the unsafe ones that the CSRF check would
    refuse first with 403: nothing here reads cookies or writes."""
    return csrf_exempt(require_safe(view))


SCHEMA = Path(__file__).resolve().parent.parent / "openapi.yaml"


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data,
        status=status,
        encoder=DjangoJSONEncoder,  # dates as ISO, decimals as exact strings
        json_dumps_params={"ensure_ascii": False},
    )


def _not_found(request, message: str) -> JsonResponse:
    data = {"error": message}
    if getattr(request, "page_back_url", ""):
        data["last_page"] = request.build_absolute_uri(request.page_back_url)
    return _json(data, status=404)


def _page_links(request, page) -> dict:
    """count, page, pages, next and previous of a page, as absolute addresses."""

    def url(number):
        params = capped(request.GET)
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
    }


@read_only
def meeting_list(request):
    filterset = MeetingFilter(capped(request.GET), request=request)
    if not filterset.is_valid():
        return invalid_filters(filterset)
    count = filterset.count()
    paginator = ListingPaginator(
        filterset.qs.for_export(), PER_PAGE, limit=filterset.count_limit, count=count
    )
    try:
        page = page_or_404(request, paginator)
    except Http404:
        return _not_found(request, _("There is no such page."))
    meeting_url = _meeting_urls(request.build_absolute_uri)
    api_url = request.build_absolute_uri(reverse("meetings:api_meeting", args=["x"]))[:-2]
    results = []
    for meeting in page.object_list:
        row = _list_row(meeting, meeting_url)
        row["api_url"] = f"{api_url}{meeting.slug}/"
        results.append(row)
    links = _page_links(request, page)
    links["count_is_exact"] = not paginator.bounded
    if paginator.bounded:
        links["count"] = paginator.limit
    return _json({**links, "results": results})


@read_only
def meeting(request, slug):
    try:
        found = _meeting_with_parts(slug)
    except Http404:
        return _not_found(request, _("There is no meeting at this address."))
    return _json(_meeting_document(found, request.build_absolute_uri))


def _meeting_rows(request, rows, describe) -> dict:
    """A page of link rows (participations, mentions, citations) as meetings."""
    paginator = Paginator(rows, PER_PAGE)
    page = page_or_404(request, paginator)
    meeting_url = _meeting_urls(request.build_absolute_uri)
    results = []
    for row in page.object_list:
        m = row.meeting
        results.append(
            {
                "slug": m.slug,
                "title": m.title,
                "held_on": m.held_on,
                "city": m.city.name if m.city else None,
                "city_slug": m.city.slug if m.city else None,
                "url": meeting_url(m.slug),
                **describe(row),
            }
        )
    return {**_page_links(request, page), "results": results}


def _entity_page(request, queryset, slug, build):
    try:
        obj = get_object_or_404(queryset.select_related("city"), slug=slug)
        return _json(build(obj))
    except Http404:
        if getattr(request, "page_back_url", ""):
            return _not_found(request, _("There is no such page."))
        return _not_found(request, _("There is nothing at this address."))


def _place(obj) -> dict:
    return {
        "city": obj.city.name if obj.city else None,
        "city_slug": obj.city.slug if obj.city else None,
    }


@read_only
def person(request, slug):
    def build(obj):
        rows = Participation.objects.attendees().filter(person=obj)
        return {
            "person": {
                "slug": obj.slug,
                "name": obj.name,
                **_place(obj),
                "aliases": list(obj.aliases or []),
                "merged_into": obj.merged_into.slug if obj.merged_into_id else None,
                "url": request.build_absolute_uri(obj.get_absolute_url()),
            },
            "meetings": _meeting_rows(
                request,
                _ordered(rows),
                lambda p: {"roles": list(p.roles), "title_as_written": p.title},
            ),
        }

    return _entity_page(request, Person.objects.select_related("merged_into"), slug, build)


@read_only
def organization(request, slug):
    def build(obj):
        rows = OrganizationMention.objects.filter(organization=obj)
        return {
            "organization": {
                "slug": obj.slug,
                "name": obj.name,
                "abbreviation": obj.abbreviation,
                **_place(obj),
                "aliases": list(obj.aliases or []),
                "merged_into": obj.merged_into.slug if obj.merged_into_id else None,
                "url": request.build_absolute_uri(obj.get_absolute_url()),
            },
            "meetings": _meeting_rows(
                request, _ordered(rows), lambda m: {"name_as_written": m.name_as_written}
            ),
        }

    return _entity_page(request, Organization.objects.select_related("merged_into"), slug, build)


@read_only
def directive(request, slug):
    def build(obj):
        rows = DirectiveCitation.objects.filter(directive=obj)
        return {
            "directive": {
                "slug": obj.slug,
                "kind": obj.kind,
                "number": obj.number,
                "issuer": obj.issuer,
                "issued_on": obj.issued_on,
                "subject": obj.subject,
                **_place(obj),
                "url": request.build_absolute_uri(obj.get_absolute_url()),
            },
            "meetings": _meeting_rows(
                request, _ordered(rows), lambda c: {"text_as_written": c.text_as_written}
            ),
        }

    return _entity_page(request, Directive.objects, slug, build)


def _ordered(rows):
    """Link rows with their meeting and its province, the newest meeting first."""
    from django.db.models import F

    return rows.select_related("meeting__city").order_by(
        F("meeting__held_on").desc(nulls_last=True), "-meeting__id"
    )


@read_only
def not_found(request, rest):
    return _not_found(request, _("There is nothing at this address."))


@read_only
@cache_control(max_age=3600, public=True)
def schema(request):
    """The OpenAPI description of this API."""
    return HttpResponse(SCHEMA.read_bytes(), content_type="application/yaml; charset=utf-8")


@read_only
def documentation(request):
    """A page for people: what the API offers, with examples."""
    return render(request, "meetings/api.html")
