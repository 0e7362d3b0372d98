"""Links that keep a page's filters (meetings/query_strings.py)."""

import pytest
from django.http import QueryDict

from meetings.query_strings import query_string, query_strings


def by_query_dict(params: QueryDict, name: str, value) -> str:
    """What the builder did before it encoded pairs itself: a QueryDict copy, changed."""
    params = params.copy()
    if name != "page":
        params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


QUERIES = [
    "",
    "page=3",
    "city=ha-noi&page=2&period=quarter-2023-3",
    "page=2&city=ha-noi&q=h%E1%BB%99i+n%C3%B4ng+d%C3%A2n",
    "q=a%26b%3Dc+%2B&city=x&city=y&sort=oldest",
    "presiding=nguyen-van-a&organization=&year=2023",
]


@pytest.mark.parametrize("raw", QUERIES)
@pytest.mark.parametrize("name", ["city", "q", "page", "sort", "place"])
@pytest.mark.parametrize("value", [None, "hai-phong", 7, "Hà Nội & co"])
def test_the_same_links_as_a_changed_copy_of_the_query(raw, name, value):
    params = QueryDict(raw)
    expected = by_query_dict(params, name, value)
    assert query_string(params, name, value) == expected
    assert query_strings(params, name)(value) == expected


def test_values_are_capped_to_the_search_box():
    link = query_strings(QueryDict("q=" + "a" * 500), "city")
    assert link("ha-noi") == "?q=" + "a" * 200 + "&city=ha-noi"


def test_a_mapping_works_as_a_query():
    assert query_string({"city": "ha-noi", "page": "2"}, "period", "year-2022") == (
        "?city=ha-noi&period=year-2022"
    )
