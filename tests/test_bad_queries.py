"""Bad query strings never make a server error: 200 (with a message) or 400."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD = [
    {"city": "atlantis"},
    {"city": "ha noi"},
    {"city": "<script>"},
    {"city": "x" * 5000},
    {"period": "quarter-2023-9"},
    {"period": "quý III/2023"},
    {"period": "year-0"},
    {"year": "abc"},
    {"year": "-1"},
    {"year": "99999999999999999999999"},
    {"year": "2023.5"},
    {"quarter": "5"},
    {"quarter": "III"},
    {"presiding": "nobody"},
    {"organization": "Liên đoàn"},
    {"directive": "24-CT/TU"},
    {"sort": "sideways"},
    {"page": "-3"},
    {"page": "abc"},
    {"q": "x" * 10000},
    {"q": "a\x00b"},
    {"city": "ha\x00noi"},
    {"q": "’“”‮‪🙂 ̀ ̣ ﷽ \u200b\ufeff"},
    {"q": "& | ! ( ) : * ' \\ <-> <2>"},
    {"q": "-"},
    {"q": '"'},
    {"q": '"""'},
    {"q": "a" * 300 + " " + "b " * 300},
    {"q[]": "x", "city[]": "y"},
    {"q": "TU " * 100},
]
PAGES = [
    "meetings:meeting_list",
    "meetings:search",
    "meetings:meeting_list_csv",
    "meetings:meeting_list_json",
    "meetings:meeting_feed",
]


@pytest.fixture
def some(make_full_meeting, reindex):
    make_full_meeting("Giao ban quý III/2023")
    reindex()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", BAD, ids=lambda p: repr(p)[:40])
def test_never_a_server_error(client, some, page, params):
    response = client.get(reverse(page), params)
    # 404: a page that does not exist ("page=abc"), as on every list (meetings/pagination.py)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 200 and hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


def test_repeated_parameters(client, some):
    url = reverse("meetings:meeting_list") + "?city=a&city=b&year=2023&year=x&q=1&q=2"
    assert client.get(url).status_code == 200


def test_raw_bytes_in_the_query_string(client, some):
    for url in ["?q=%ED%A0%80", "?q=%FF%FE", "?city=%C0%AF", "?q=%00", "?period=%E2%80%AE"]:
        assert client.get(reverse("meetings:meeting_list") + url).status_code == 200
        assert client.get(reverse("meetings:search") + url).status_code in (200, 400)


def test_a_missing_value_is_named_on_the_page(in_english, some):
    client = in_english
    response = client.get(
        reverse("meetings:meeting_list"),
        {"presiding": "nobody", "period": "quarter-2023-9"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no presiding official “nobody”" in html
    assert "is not a reporting period" in html


def test_unknown_values_on_the_page_are_escaped(client, some):
    html = client.get(reverse("meetings:meeting_list"), {"q": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in html
