"""Query strings of links that keep a page's filters: one builder for every such link.

Every value is cut to the search box's maxlength first (`capped`), so that a pasted
20,000-character query is never echoed back in a link.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import QueryDict

from meetings.search_query import MAX_QUERY_LENGTH


def capped(params: QueryDict) -> QueryDict:
    """A copy of a query string with each value cut to the search box's maxlength: what the
    list, its exports, feeds and the API read, and all they echo (links keep the filters)."""
    params = params.copy()
    for key in params:
        params.setlist(key, [value[:MAX_QUERY_LENGTH] for value in params.getlist(key)])
    return params


def query_string(params, name: str, value: str | int | None) -> str:
    """`?…` with `name` set to `value` (or removed when None), back on page 1 unless `name`
    is the page itself."""
    return query_strings(params, name)(value)


def query_strings(params, name: str) -> Callable[[str | int | None], str]:
    """`query_string(params, name, value)` as a function of `value`: for the many values of
    one parameter (a facet's fifteen), the parameters are copied and capped once (a QueryDict
    copy is a deep copy), and each link is only encoded."""
    if isinstance(params, QueryDict):
        params = capped(params)
    else:
        params, given = QueryDict(mutable=True), params
        params.update(given)
    if name != "page":
        params.pop("page", None)
    items = list(params.lists())

    def make(value: str | int | None) -> str:
        # As QueryDict would: `name` keeps its place, or comes last when it was not there.
        pairs, placed = [], value is None
        for key, values in items:
            if key != name:
                pairs.extend((key, v) for v in values)
            elif value is not None:
                pairs.append((key, str(value)))
                placed = True
        if not placed:
            pairs.append((name, str(value)))
        encoded = urlencode(pairs)
        return f"?{encoded}" if encoded else "?"

    return make
