"""Query strings of links that keep a page's filters: one builder for every such link.

Every value is cut to the search box's maxlength first (`capped`), so that a pasted
20,000-character query is never echoed back in a link.
"""

from __future__ import annotations

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
    if isinstance(params, QueryDict):
        params = capped(params)
    else:
        params, given = QueryDict(mutable=True), params
        params.update(given)
    if name != "page":
        params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
