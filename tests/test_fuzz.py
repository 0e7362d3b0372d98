"""Fuzzing every public URL with random and hostile query strings: never a server error.

The seeds and the dev corpus are ingested once for the module (inside a transaction rolled
back at its end); hypothesis then sends each group of URLs about 50 query strings: very long
values, NUL bytes, odd Unicode, repeated keys, wrong types, SQL-ish and path-traversal text,
broken percent-escapes. 200, 301, 302, 400 and 404 are all fine answers; 500 is not.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.sitemaps import SITEMAPS
from tests.conftest import SEEDS

OK = {200, 301, 302, 400, 404}
FUZZ = settings(
    # FUZZ_EXAMPLES=1000 for a longer hunt; 50 a group keeps `make test` fast.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every parameter some public view reads, plus a few it does not.
KEYS = [
    "q",
    "city",
    "period",
    "year",
    "quarter",
    "presiding",
    "organization",
    "directive",
    "sort",
    "page",
    "format",
    "limit",
    "next",
    "lang",
    "id",
    "slug",
    "q[]",
    "page[]",
    "",
]
HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "9" * 400,
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "-inf",
    "2023.5",
    "0x1F",
    "true",
    "null",
    "[]",
    "{}",
    "quarter-2023-9",
    "year-0",
    "quarter--3",
    "half-2023-0",
    "' OR '1'='1",
    "1; DROP TABLE meetings_meeting; --",
    "\\' UNION SELECT password FROM auth_user --",
    "%' AND 1=1 --",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd%00.txt",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "${jndi:ldap://127.0.0.1/a}",
    "& | ! ( ) : * <-> <2> \\",
    '"""',
    "‮‪\u200b\ufeff\u2028\u2029",
    "🙂" * 300,
    "\u0301" * 2000,  # combining marks with nothing to combine with
    "İıßﬁǅẞ",  # casefolding that changes length
    "Ủy ban Uỷ ban ỦY BAN",
    "Liên đoàn Lao động",
    "lien doan lao dong",
    "LĐLĐ",
    "24-CT/TU",
    "ha-noi",
    "中文 العربية עברית",
    "\r\nSet-Cookie: evil=1",
]
# Pieces appended to the query string as they are, not escaped.
RAW = ["", "%", "%zz", "%00", "%C3%28", "%FF%FE", "&&&", "=", "==&=", ";a=1", "a=%E2%80%AE", "+"]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.builds(
        lambda s, n: s * n, st.sampled_from(["a", "đ", "%", "' ", "\x00"]), st.integers(1, 3000)
    ),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12))
queries = st.builds(
    lambda pairs, raw: urlencode(pairs, quote_via=quote) + ("&" + raw if raw else ""),
    st.lists(st.tuples(keys, values), max_size=6),  # repeated keys included
    st.sampled_from(RAW),
)


def _ingest_portal_data() -> None:
    from meetings.ingest import ingest_paths

    report = ingest_paths([SEEDS], jobs=1)
    assert report.counts["new"] == 2, report.summary()


@pytest.fixture(scope="module")
def urls(django_db_setup, django_db_blocker):
    """Ingested data for the whole module, and every public URL grouped by kind of page."""
    from meetings.models import City, Directive, Meeting, Organization, Person

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _ingest_portal_data()
            meeting = Meeting.objects.order_by("pk").first()
            city = City.objects.filter(meetings__isnull=False).order_by("pk").first()
            org = Organization.objects.order_by("pk").first()
            person = Person.objects.order_by("pk").first()
            directive = Directive.objects.order_by("pk").first()
            groups = {
                "lists": [
                    reverse("meetings:home"),
                    reverse("meetings:meeting_list"),
                    reverse("meetings:search"),
                ],
                "entities": [
                    reverse(f"meetings:{name}_list")
                    for name in ("person", "organization", "directive", "city")
                ],
                "details": [
                    meeting.get_absolute_url(),
                    city.get_absolute_url(),
                    org.get_absolute_url(),
                    person.get_absolute_url(),
                    directive.get_absolute_url(),
                ],
                "exports": [
                    reverse("meetings:meeting_list_csv"),
                    reverse("meetings:meeting_list_json"),
                    reverse("meetings:meeting_csv", args=[meeting.slug]),
                    reverse("meetings:meeting_json", args=[meeting.slug]),
                ],
                "feeds": [
                    reverse("meetings:meeting_feed"),
                    reverse("meetings:city_feed", args=[city.slug]),
                    reverse("meetings:organization_feed", args=[org.slug]),
                ],
                "site": [
                    reverse("healthz"),
                    reverse("robots_txt"),
                    reverse("sitemap_index"),
                    *(reverse("sitemap_section", args=[s]) for s in SITEMAPS),
                    "/no-such-page/",
                ],
            }
        except BaseException:
            atomic.__exit__(None, None, None)
            raise
    yield groups
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def fetch(client: Client, url: str):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # an error while streaming is an error too
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["lists", "entities", "details", "exports", "feeds", "site"])
def test_no_server_error_for_any_query_string(urls, group):
    from django.core.cache import cache

    client = Client(raise_request_exception=True)

    @FUZZ
    @given(url=st.sampled_from(urls[group]), query=queries)
    def check(url, query):
        cache.clear()  # cache_page would answer the sitemap from the first request
        response = fetch(client, f"{url}?{query}")
        assert response.status_code in OK, (url, query, response.status_code)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["lists", "entities", "details", "exports", "feeds", "site"])
def test_every_hostile_value_in_every_parameter(urls, group):
    """Not left to chance: each hostile value, in every parameter at once, on the group's
    URLs in turn (a random draw of 50 may miss the one value that breaks a page)."""
    from django.core.cache import cache

    client = Client(raise_request_exception=True)
    group_urls = urls[group]
    for n, value in enumerate(HOSTILE):
        url = group_urls[n % len(group_urls)]
        cache.clear()
        query = urlencode([(key, value) for key in KEYS], quote_via=quote)
        response = fetch(client, f"{url}?{query}")
        assert response.status_code in OK, (url, value[:40], response.status_code)


@pytest.mark.django_db
def test_every_url_answers_plainly(urls):
    """The same URLs without a query string: the fuzzed ones are real pages, not 404s."""
    client = Client()
    for group, group_urls in urls.items():
        for url in group_urls:
            expected = 404 if url == "/no-such-page/" else 200
            assert fetch(client, url).status_code == expected, (group, url)


HOSTILE_PATHS = [
    "/meetings/..%2F..%2F..%2Fetc%2Fpasswd/",
    "/meetings/%2e%2e/%2e%2e/etc/passwd",
    "/static/../portal/settings.py",
    "/static/..%2Fportal%2Fsettings.py",
    "/meetings/%00/",
    "/meetings/a%00b/export.csv",
    "/people/%C3%28/",
    "/cities/" + "a" * 5000 + "/",
    "/organizations/%F0%9F%99%82/feed.atom",
    "/sitemap-nothing.xml",
    "/sitemap-meetings.xml?p=0",
    "/sitemap-meetings.xml?p=-1",
    "/sitemap-meetings.xml?p=999999",
    "/sitemap-meetings.xml?p=abc",
    "//meetings//",
    "/meetings/;jsessionid=1/",
    "/directives/24-CT%2FTU/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", HOSTILE_PATHS, ids=lambda p: p[:40])
def test_hostile_paths(urls, path):
    from django.core.cache import cache

    cache.clear()
    response = fetch(Client(raise_request_exception=True), path)
    assert response.status_code in OK, response.status_code
