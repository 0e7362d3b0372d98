"""The meeting list with filters and facets.

Queries (pinned in tests/test_meeting_list.py): the count, the page of rows (with their
city), the presiding officials of those rows, one aggregate per facet, and, only when an
entity filter is used, one query naming the entities chosen. Nothing per row.

At 100,000 meetings (see meetings/pagination.py and meetings/facets.py): the unfiltered
total and facets come from a short-lived cache (one query for the data version), a filtered
count stops at 10,000 (2,000 with words) and says "more than", and a page reads its ids from
an index before its rows, so page 2,000 costs about what page 1 does.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import ListView

from meetings import facets as facet_module
from meetings.filters import MeetingFilter
from meetings.models.meetings import ROMAN_QUARTERS
from meetings.pagination import ListingPaginator, page_or_404
from meetings.query_strings import capped, query_string
from meetings.rows import meeting_rows
from meetings.versions import versioned_key
from meetings.views.exports import full_export_written


class MeetingList(ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20
    http_method_names = ["get", "head"]

    def get_queryset(self):
        self.params = capped(self.request.GET)
        self.filterset = filterset = MeetingFilter(self.params, request=self.request)
        if filterset.active():
            # Counted before ordering: ranking many thousands of rows is too slow, so above
            # RANK_LIMIT matches the list falls back to newest first.
            self.count, self.count_limit = filterset.count(), filterset.count_limit
        else:
            self.count, self.count_limit = facet_module.summary(filterset)["total"], None
        # Rows show their city (a join) and presiding officials (one prefetch).
        return filterset.qs.select_related("city").slim().with_presiding()

    def get_paginator(self, queryset, per_page, **kwargs):
        return ListingPaginator(
            queryset, per_page, limit=self.count_limit, count=self.count, **kwargs
        )

    def paginate_queryset(self, queryset, page_size):
        # "?page=999" past the last page is a 404 that links back to the last page.
        paginator = self.get_paginator(queryset, page_size)
        page = page_or_404(self.request, paginator, param=self.page_kwarg)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        params = self.params
        facets = facet_module.facets(filterset)
        by_name = {facet.name: facet for facet in facets}
        active = filterset.active()
        unknown = filterset.unknown()

        chips = [
            {
                "name": name,
                "value": value,
                "title": filterset.filters[name].label,
                "label": filterset.describe(name, value),
                "remove_url": query_string(params, name, None),
            }
            for name, value in active.items()
        ]
        errors = [
            {
                "title": filterset.filters[name].label,
                "messages": messages,
                "remove_url": query_string(params, name, None),
            }
            for name, messages in filterset.form.errors.items()
        ]
        without_page = query_string(params, "page", None)[1:]
        # The filters and facets beside the results are the same on every page of a list:
        # their HTML is cached under the data version, when the page has read it anyway.
        sidebar_cache_key = (
            versioned_key(filterset.data_version, get_language(), without_page)
            if filterset.data_version_read
            else None
        )
        export_query = f"?{without_page}" if without_page else ""
        context.update(
            rows=meeting_rows(context["meetings"]),
            sidebar_cache_key=sidebar_cache_key,
            filterset=filterset,
            facets=facets,
            selects=self.selects(filterset, by_name),
            chips=chips,
            errors=errors,
            unknown=[
                {"what": what, "value": value, "remove_url": query_string(params, name, None)}
                for name, what, value in unknown
            ],
            q=filterset.parsed_query.text,
            sort=filterset.order,
            too_many_to_rank=filterset.too_many_to_rank,
            count_bounded=context["paginator"].bounded,
            count_limit=self.count_limit,
            facets_partial=any(facet.partial for facet in facets),
            export_query=export_query,
            export_limit=settings.EXPORT_MAX_ROWS,
            full_export_written=full_export_written(),
            # The feed takes the same filters (always newest first).
            feed_url=reverse("meetings:meeting_feed") + export_query,
        )
        return context

    @staticmethod
    def selects(filterset, facets):
        """The form's drop-downs, filled from the facets (so no query of their own)."""
        selects = []
        data = filterset.data
        for name in ("city", "place", "period", "presiding"):
            facet = facets[name]
            chosen = data.get(name, "")
            options = [
                {"value": v.value, "label": f"{v.label} ({v.count})", "selected": v.selected}
                for v in facet.values
            ]
            if chosen and not any(o["selected"] for o in options):
                # Chosen, but outside the facet's top values (or matching nothing).
                options.insert(
                    0,
                    {
                        "value": chosen,
                        "label": filterset.describe(name, chosen)
                        if name in filterset.active()
                        else chosen,
                        "selected": True,
                    },
                )
            selects.append({"name": name, "title": facet.title, "options": options})
        quarter = filterset.active().get("quarter")
        selects.append(
            {
                "name": "quarter",
                "title": filterset.filters["quarter"].label,
                "options": [
                    {"value": str(n), "label": roman, "selected": quarter == n}
                    for n, roman in ROMAN_QUARTERS.items()
                ],
            }
        )
        return selects
