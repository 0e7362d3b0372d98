"""The meeting list page: rows, facets, pagination, empty states and its query count."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("meetings:meeting_list")


@pytest.fixture
def meetings(make_meeting, make_person, make_participation, make_city, reindex):
    """n meetings over three cities and two quarters, each with a presiding official."""

    def make(n):
        cities = [make_city("Hà Nội"), make_city("Hải Phòng"), make_city("Hưng Yên")]
        people = [make_person(f"Chủ Tọa {i}") for i in range(3)]
        made = []
        for i in range(n):
            meeting = make_meeting(
                title=f"Hội nghị giao ban lần {i}",
                city=cities[i % 3],
                held_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
                period_kind="quarter",
                period_year=2023,
                period_number=1 + i % 2,
            )
            make_participation(meeting, people[i % 3], roles=["presiding"])
            make_participation(meeting, people[(i + 1) % 3], roles=["presiding", "speaking"])
            made.append(meeting)
        reindex()
        return made

    return make


def test_rows_show_title_date_city_period_and_presiding(client, meetings):
    made = meetings(3)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for meeting in made:
        assert meeting.get_absolute_url() in html
        assert meeting.title in html
    assert "Hưng Yên" in html
    assert "Quý I/2023" in html and "Quý II/2023" in html
    assert "Chủ Tọa 0" in html
    assert 'datetime="2023-01-03"' in html
    # Newest first.
    assert html.index("lần 2") < html.index("lần 1") < html.index("lần 0")


def test_dates_follow_the_language(client, meetings):
    from django.conf import settings

    meetings(1)
    vi = client.get(URL).content.decode()
    # As the reports write dates: 1/1/2023, not "Ngày 01 tháng 1 năm 2023".
    assert ">1/1/2023</time>" in vi and "Ngày 01" not in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(URL).content.decode()
    assert "Jan. 1, 2023" in en or "January 1, 2023" in en


@pytest.mark.parametrize("n", [3, 30])
def test_query_count_does_not_grow_with_rows(client, meetings, django_assert_num_queries, n):
    meetings(n)
    with django_assert_num_queries(8):
        # Unfiltered, nothing cached yet:
        # 1. the data version (max id, max updated_at) keying the cached summary
        # 2. count of all meetings            } the summary, cached
        # 3. facet: meetings per city          } for facets.SUMMARY_SECONDS
        # 4. facet: meetings per place         }
        # 5. facet: meetings per period        }
        # 6. facet: meetings per presiding     }
        # 7. the page of meetings (ids first), joined with their city
        # 8. presiding participations of those meetings, joined with the person
        response = client.get(URL)
    assert response.status_code == 200
    with django_assert_num_queries(3):
        # Cached: 1. the data version  2. the page  3. its presiding officials
        response = client.get(URL, {"page": "2"} if n > 20 else {})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_query_count_with_every_filter(client, meetings, django_assert_num_queries, n):
    made = meetings(n)
    first = made[0]
    person = first.participations.first().person
    params = {
        "city": first.city.slug,
        "period": "quarter-2023-1",
        "presiding": person.slug,
        "year": "2023",
        "quarter": "1",
        "q": "giao ban",
        "organization": "no-such-org",
        "directive": "no-such-directive",
    }
    with django_assert_num_queries(10):
        # 0. whether the person or organisation chosen was merged into another (one UNION:
        #    an old link then redirects to the survivor's list, meetings/filters.py)
        # 1. the names of the chosen city, person, organisation, directive (one UNION)
        # 2. the data version: the count and facets are cached under it (meetings/versions.py)
        # 3. count  4. page  5. presiding of the page (skipped when the count is 0: then 8)
        # 6-9. the four facets (city, place, period, presiding)
        response = client.get(URL, params | {"organization": "", "directive": ""})
    assert response.status_code == 200
    with django_assert_num_queries(8):
        # Nothing matches the unknown organisation: merged?, names, version, count, four
        # facets.
        response = client.get(URL, params)
    assert "no-such-org" in response.content.decode()
    with django_assert_num_queries(3):
        # The same again: the count and the facets are cached under the data version
        # (merged?, names, version).
        response = client.get(URL, params)
    assert "no-such-org" in response.content.decode()


def test_facets_count_under_the_other_filters_and_replace_their_own(client, meetings):
    made = meetings(6)
    hanoi = made[0].city
    response = client.get(URL, {"city": hanoi.slug, "period": "quarter-2023-1"})
    facets = {f.name: f for f in response.context["facets"]}
    cities = {v.label: v for v in facets["city"].values}
    # Quarter I meetings are 0, 2, 4: one in each city; the city facet ignores the city filter.
    assert {k: v.count for k, v in cities.items()} == {"Hà Nội": 1, "Hải Phòng": 1, "Hưng Yên": 1}
    assert cities["Hà Nội"].selected
    # The chosen value's link removes it; another city's link replaces it, keeping the period.
    assert "city=" not in cities["Hà Nội"].url and "period=quarter-2023-1" in cities["Hà Nội"].url
    assert f"city={cities['Hải Phòng'].value}" in cities["Hải Phòng"].url
    assert "period=quarter-2023-1" in cities["Hải Phòng"].url
    periods = {v.label: v.count for v in facets["period"].values}
    assert periods == {"Quý II/2023": 1, "Quý I/2023": 1}  # meetings 0 and 3 of Hà Nội
    people = {v.label: v.count for v in facets["presiding"].values}
    assert sum(people.values()) == 2  # meeting 0 has two presiding officials


def test_facet_links_on_the_page_are_escaped_query_strings(client, meetings):
    meetings(3)
    html = client.get(URL, {"q": "giao ban"}).content.decode()
    assert "?q=giao+ban&amp;city=" in html


def test_pagination_keeps_the_filters(client, meetings):
    made = meetings(45)
    response = client.get(URL, {"period": "quarter-2023-1", "page": "2"})
    page = response.context["page_obj"]
    assert page.number == 2 and page.paginator.count == 23
    html = response.content.decode()
    assert "?period=quarter-2023-1&amp;page=1" in html
    assert "?period=quarter-2023-1&amp;page=3" not in html  # 23 rows: two pages
    assert made[0].title in html  # the oldest of quarter I, last on page 2


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "9" * 40])
def test_a_page_that_does_not_exist_is_a_404_linking_to_the_last(in_english, meetings, page):
    meetings(25)  # two pages
    response = in_english.get(URL, {"sort": "oldest", "page": page})
    assert response.status_code == 404
    html = response.content.decode()
    assert "This list has only 2 pages." in html
    assert 'href="/meetings/?sort=oldest&amp;page=2"' in html
    assert in_english.get(URL, {"sort": "oldest", "page": "2"}).status_code == 200


def test_a_long_query_is_cut_to_the_box_maxlength(client, meetings):
    meetings(3)
    word = "x" * 3000
    for url in (URL, reverse("meetings:search")):
        html = client.get(url, {"q": word}).content.decode()
        assert "x" * 200 in html and "x" * 201 not in html
        assert 'maxlength="200"' in html
    response = client.get(URL, {"q": "a " * 10_000})
    assert response.status_code == 200
    assert len(response.context["filterset"].form.cleaned_data["q"]) <= 200


def test_empty_states(in_english, meetings):
    client = in_english
    response = client.get(URL)
    assert "No meetings yet." in response.content.decode() or "Chưa có hội nghị" in (
        response.content.decode()
    )
    meetings(2)
    response = client.get(URL, {"year": "1999"})
    assert "No meetings match these filters." in response.content.decode()


def test_unknown_value_gives_a_helpful_message(in_english, meetings):
    client = in_english
    meetings(2)
    response = client.get(URL, {"city": "atlantis"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no city “atlantis”" in html
    assert "Remove this filter" in html


def test_head_allowed_post_not(client, meetings):
    meetings(1)
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_article_text_is_escaped(client, make_meeting, make_city):
    make_meeting(title="<script>alert(1)</script> Hội nghị", city=make_city("<b>Hà Nội</b>"))
    html = client.get(URL).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<b>Hà Nội</b>" not in html


# At scale: cached summary, bounded counts, ids-first pages (meetings/facets.py, pagination.py)


# Committed writes: the data version that keys cached counts moves at COMMIT (0016).
@pytest.mark.django_db(transaction=True)
def test_cached_summary_sees_new_and_changed_meetings_at_once(client, meetings, make_meeting):
    made = meetings(3)
    first = client.get(URL)
    assert first.context["paginator"].count == 3
    # A new meeting changes the data version (max id): total and facets are recounted.
    make_meeting(title="Một hội nghị mới", city=made[0].city, held_on=datetime.date(2024, 1, 1))
    second = client.get(URL)
    assert second.context["paginator"].count == 4
    cities = {v.label: v.count for v in second.context["facets"][0].values}
    assert cities[made[0].city.name] == 2
    # A saved meeting changes it too (max updated_at): here, moved to another city.
    moved = made[1]
    moved.city = made[0].city
    moved.save()
    cities = {v.label: v.count for v in client.get(URL).context["facets"][0].values}
    assert cities[made[0].city.name] == 3


def test_cached_summary_is_stale_at_most_summary_seconds(client, meetings, monkeypatch):
    from django.core.cache import cache

    from meetings import facets

    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout: timeouts.append((key, timeout)) or real_set(key, value),
    )
    made = meetings(3)
    assert client.get(URL).context["paginator"].count == 3
    summaries = [t for key, t in timeouts if key.startswith("meetings:summary:")]
    assert summaries == [facets.SUMMARY_SECONDS]
    # A deletion leaves max(id) and max(updated_at) as they were (when it is not the newest):
    # the cached total stays until the entry expires …
    made[0].participations.all().delete()
    made[0].delete()
    assert client.get(URL).context["paginator"].count == 3
    cache.clear()  # … which is what SUMMARY_SECONDS later looks like.
    assert client.get(URL).context["paginator"].count == 2


def test_filtered_counts_stop_at_the_limit_and_say_so(in_english, meetings, monkeypatch):
    from meetings.models.meetings import MeetingQuerySet

    monkeypatch.setattr(MeetingQuerySet, "COUNT_LIMIT", 10)
    meetings(30)
    response = in_english.get(URL, {"period": "quarter-2023-1"})  # 15 match
    paginator = response.context["paginator"]
    assert paginator.bounded and paginator.count == 11 and paginator.num_pages == 1
    html = response.content.decode()
    assert "More than 10 meetings" in html and "Counting stops at 10" in html
    # Unfiltered, the total is exact (cached), however large.
    response = in_english.get(URL)
    assert not response.context["paginator"].bounded
    assert "30 meetings" in response.content.decode()
    # Under the limit, exact.
    response = in_english.get(URL, {"period": "quarter-2023-1", "city": "ha-noi"})
    assert response.context["paginator"].count == 5
    assert not response.context["paginator"].bounded


def test_words_matching_too_many_fall_back_to_newest_and_uncounted_facets(
    in_english, meetings, monkeypatch
):
    from meetings.models.meetings import MeetingQuerySet

    monkeypatch.setattr(MeetingQuerySet, "RANK_LIMIT", 5)
    made = meetings(12)
    response = in_english.get(URL, {"q": "giao ban", "city": made[0].city.slug})
    # 4 in Hà Nội: counted and ranked; the city facet (the words alone: 12) is not counted.
    assert response.context["paginator"].count == 4 and response.context["sort"] == "relevance"
    facets = {f.name: f for f in response.context["facets"]}
    assert facets["city"].partial and not facets["period"].partial
    assert {v.label for v in facets["city"].values} >= {made[0].city.name}
    html = response.content.decode()
    assert "Too many meetings match these words to count them here" in html
    response = in_english.get(URL, {"q": "giao ban"})
    assert response.context["paginator"].bounded and response.context["sort"] == "newest"
    assert "More than 5 meetings" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{}, {"period": "quarter-2023-2"}, {"q": "giao ban"}, {"sort": "oldest"}],
)
def test_deep_pages_read_ids_first_and_match_a_plain_slice(client, meetings, params):
    from meetings.filters import MeetingFilter

    meetings(45)
    for page in (1, 2, 3):
        response = client.get(URL, {**params, "page": page})
        if response.status_code == 404:  # past the last page (quarter II: 22 meetings)
            assert page == 3 and params == {"period": "quarter-2023-2"}
            continue
        shown = [m.pk for m in response.context["meetings"]]
        filterset = MeetingFilter(params)
        filterset.count()
        number = response.context["page_obj"].number
        expected = list(filterset.qs.values_list("pk", flat=True))[(number - 1) * 20 :][:20]
        assert shown == expected, (params, page)


def test_a_page_is_one_query_with_the_ids_in_a_subquery(client, meetings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meetings(25)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, {"page": "2"})
    page_sql = [q["sql"] for q in ctx.captured_queries if "OFFSET 20" in q["sql"]]
    assert len(page_sql) == 1, [q["sql"] for q in ctx.captured_queries]
    assert 'IN (SELECT U0."id"' in page_sql[0]


# Committed writes: the data version that keys cached counts moves at COMMIT (0016).
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "params", [{"q": "giao ban", "city": "ha-noi"}, {"city": "ha-noi"}], ids=["words", "city"]
)
def test_filtered_counts_and_facets_are_cached_and_follow_the_data(
    client, meetings, make_meeting, reindex, django_assert_num_queries, params
):
    meetings(3)

    def period_counts():
        response = client.get(URL, params)
        facets = {f.name: f for f in response.context["facets"]}
        return {v.label: v.count for v in facets["period"].values}

    assert period_counts() == {"Quý I/2023": 1}
    with django_assert_num_queries(4):
        # names, data version, page, presiding of the page: count and facets cached
        assert period_counts() == {"Quý I/2023": 1}
    with django_assert_num_queries(4):
        # another order of the same list shares them
        response = client.get(URL, params | {"sort": "oldest"})
        assert response.context["paginator"].count == 1
    hanoi = make_meeting(title="Hội nghị giao ban mới", city="Hà Nội", period_kind="year")
    hanoi.period_year = 2023
    hanoi.save()
    reindex()
    assert period_counts() == {"Năm 2023": 1, "Quý I/2023": 1}


# Committed writes: the data version that keys cached counts moves at COMMIT (0016).
@pytest.mark.django_db(transaction=True)
def test_the_cached_sidebar_follows_the_data_the_language_and_the_filters(
    client, meetings, make_meeting
):
    """The filters and facets beside the list are cached HTML (under the data version, the
    language and the query string without the page)."""
    from django.conf import settings

    def sidebar(params=None):
        html = client.get(URL, params or {}).content.decode()
        return html[html.index('<details class="list-sidebar"') : html.index("</details>")]

    meetings(30)
    first = sidebar()
    assert 'Hà Nội</a> <span class="count">10</span>' in first
    assert sidebar({"page": "2"}) == first  # the same on every page
    assert 'value="oldest" selected' in sidebar({"sort": "oldest"})
    make_meeting(title="Hội nghị mới", city="Hà Nội")
    assert 'Hà Nội</a> <span class="count">11</span>' in sidebar()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Reporting period" in sidebar() and "Kỳ báo cáo" in first


def test_the_facets_are_read_from_the_cache_in_one_call_and_stored_in_one(
    client, meetings, monkeypatch
):
    """Each call is a round trip to Redis: the four facets of a filtered list are asked
    for together, and the ones counted stored together."""
    from django.core.cache import cache

    from meetings import facets

    meetings(3)
    calls = []
    for method in ("get", "get_many", "set", "set_many"):
        real = getattr(cache, method)

        def counted(*args, _real=real, _name=method, **kwargs):
            calls.append(_name)
            depth = len(calls)
            try:
                return _real(*args, **kwargs)
            finally:
                del calls[depth:]  # the local-memory cache's get_many calls get: one call

        monkeypatch.setattr(cache, method, counted)
    response = client.get(URL, {"city": "ha-noi", "period": "quarter-2023-1"})
    filterset = response.context["filterset"]
    calls.clear()
    facets.facets(filterset)
    # Every facet has another filter than its own: all four cached, none counted again.
    assert calls == ["get_many"]
    cache.clear()
    facets.facets(filterset)
    assert calls == ["get_many", "get_many", "set_many"]
    cache.clear()
    calls.clear()
    # Only the city filter: the city facet comes from the cached summary (one get).
    filterset = client.get(URL, {"city": "ha-noi"}).context["filterset"]
    calls.clear()
    facets.facets(filterset)
    assert sorted(calls) == ["get", "get_many"]
