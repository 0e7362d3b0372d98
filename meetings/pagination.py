"""Pagination for long lists of meetings: bounded counts and deep pages that stay cheap.

Two costs grow with the table and not with the page: counting every match, and OFFSET,
which reads and throws away every row before the page. So:

- the count may be bounded (`limit`): at most `limit` + 1 rows are counted, and a list with
  more says "more than 10,000" and offers only the pages those cover;
- a page selects the ids of its rows first, from the index that serves the list's filter and
  order (an index-only scan: OFFSET then skips narrow index entries, not rows of several
  kilobytes), and only then reads those 20 rows, in the same query.
"""

from __future__ import annotations

from math import ceil

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.functional import cached_property

from meetings.query_strings import query_string


class IdsFirstPaginator(Paginator):
    """Reads a page's ids first (`WHERE id IN (SELECT id … LIMIT 20 OFFSET n)`)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        ids = queryset.values("pk")[bottom:top]
        # The outer query keeps the list's joins, prefetches and order.
        return self._get_page(queryset.filter(pk__in=ids), number, self)


class ListingPaginator(IdsFirstPaginator):
    """An ids-first paginator whose count is given (`count=`) or bounded (`limit=`)."""

    def __init__(self, object_list, per_page, *, limit=None, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        if count is not None:
            self.__dict__["count"] = count  # count is a cached_property: no count query

    @cached_property
    def count(self) -> int:
        if self.limit is None:
            return super().count
        return self.object_list.bounded_count(self.limit)

    @property
    def bounded(self) -> bool:
        """True when there are more than `limit` rows: `count` is then not exact."""
        return self.limit is not None and self.count > self.limit

    @cached_property
    def num_pages(self) -> int:
        shown = min(self.count, self.limit) if self.limit is not None else self.count
        if shown == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, shown - self.orphans) / self.per_page)


def page_or_404(request, paginator, *, param: str = "page"):
    """The page the query string asks for; any other (past the last, 0, "abc") is a 404.

    One behaviour on every paginated page and in the API: a page that does not exist is
    not found, and its 404 page links back to the last page there is (with the same
    filters), set here as `request.page_back_url` for meetings.views.site.page_not_found.
    """
    number = request.GET.get(param) or 1
    try:
        return paginator.page(number)
    except (EmptyPage, PageNotAnInteger) as error:
        last = max(paginator.num_pages, 1)
        query = query_string(request.GET, param, last if last > 1 else None)
        request.page_back_url = request.path + (query if query != "?" else "")
        request.page_last = last
        raise Http404(str(error)) from error
