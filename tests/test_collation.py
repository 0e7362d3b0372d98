"""Vietnamese order for names (meetings/collation.py, meetings/vietnamese.py) and directive
numbers by number and year."""

import random
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from meetings import collation
from meetings.models import City
from meetings.vietnamese import sort_key
from tests.conftest import run_django, subprocess_database_url

pytestmark = pytest.mark.django_db

NAMES = [
    "Vũ Hà",
    "Đỗ Mạnh Hiến",
    "Hoàng Văn An",
    "Hà Văn Bình",
    "Dương Thị Cúc",
    "Hà Nam",
    "Hàm Yên",
    "Hòa Bình",
    "Hoà Bình",
    "Uỷ ban",
    "Ủy ban",
    "Uy ban",
    "Ân Thi",
    "An Lão",
    "Ăn",
    "Âu Cơ",
    "ha",
    "Ha",
    "HA",
    "hà",
    "hả",
    "hã",
    "há",
    "hạ",
    "Bà Rịa - Vũng Tàu",
    "Thừa Thiên Huế",
    "TP. Hồ Chí Minh",
    "Hội LHPN (quận 5)",
    "Nguyễn Thị Tuyến",
    "Nguyễn Văn An",
    "Người",
    "Ngô",
    "Ơn",
    "Ô Môn",
    "Ư",
    "U Minh",
    "Yên Bái",
    "Y Tý",
]


def many_names(n=300) -> list[str]:
    """NAMES and random words of Vietnamese letters and tones."""
    rnd = random.Random(15)
    letters = list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐƠ -")
    words = list(NAMES)
    for _ in range(n):
        word = "".join(rnd.choice(letters) for _ in range(rnd.randint(1, 7)))
        tone = rnd.choice(["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"])
        vowel_last = word[-1:].lower() in "aăâeêioôơuưy"
        words.append(unicodedata.normalize("NFC", word + tone) if vowel_last else word)
    return words


def sql_order(names: list[str], fallback: bool) -> list[str]:
    """The names as PostgreSQL orders them, by ICU or by the SQL sort key."""
    order, params = _fallback_order() if fallback else collation.raw_order("x")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x FROM unnest(%s::text[]) AS t(x) ORDER BY {order}", [names, *params]
        )
        return [row[0] for row in cursor.fetchall()]


def _fallback_order():
    collation.force_fallback = True
    try:
        return collation.raw_order("x")
    finally:
        collation.force_fallback = False


def test_python_key_and_sql_fallback_give_the_same_order():
    names = many_names()
    assert sql_order(names, fallback=True) == sorted(names, key=sort_key)


def test_icu_and_the_fallback_agree_where_the_server_has_icu():
    collation.has_icu()
    if not collation._has_icu.get("default"):
        pytest.skip('this server has no "vi-x-icu" collation: the fallback is the only order')
    names = many_names()
    assert sql_order(names, fallback=False) == sorted(names, key=sort_key)


def server_has_icu() -> bool:
    """Asked of the server directly, not through the module under test."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [collation.ICU_COLLATION])
        return cursor.fetchone() is not None


def test_a_connection_opened_before_the_module_is_asked_at_the_first_sort(monkeypatch):
    """A worker's first query (the page cache's data version) may open the connection
    before connection_created reaches this module: the first sort asks the server then,
    instead of taking the silence for "no ICU" for the rest of the process."""
    expected = server_has_icu()
    monkeypatch.setattr(collation, "_has_icu", {})  # as if the connection opened unseen
    assert collation.has_icu() is expected
    assert collation._has_icu == {"default": expected}


# A fresh process, as a gunicorn worker starts: it needs the committed schema.
@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_first_query_is_the_page_caches_sorts_with_icu():
    """In a new process with the page cache on, the first request's first query (the data
    version, before any view is imported) opens the connection: the collation is known."""
    done = run_django(
        "from django.test import Client\n"
        "status = Client().get('/meetings/').status_code\n"
        "from meetings import collation\n"
        "print(status, collation._has_icu.get('default'))\n",
        DATABASE_URL=subprocess_database_url(),
        ALLOWED_HOSTS="testserver",
        DEBUG="1",
        PAGE_CACHE_SECONDS=None,  # the default: on
        REDIS_URL=None,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", str(server_has_icu())]


def test_vietnamese_alphabet_order():
    ordered = sorted(["Vũ", "Đỗ", "Hoàng", "Hà", "Dương", "An", "Ân", "Ăn"], key=sort_key)
    assert ordered == ["An", "Ăn", "Ân", "Dương", "Đỗ", "Hà", "Hoàng", "Vũ"]


@pytest.mark.parametrize("fallback", [False, True], ids=["icu-or-fallback", "fallback"])
def test_index_pages_sort_names_in_vietnamese(client, make_person, monkeypatch, fallback):
    monkeypatch.setattr(collation, "force_fallback", fallback)
    names = ["Vũ Hà", "Đỗ Mạnh Hiến", "Hoàng Văn An", "Hà Văn Bình", "Dương Thị Cúc"]
    for name in names:
        make_person(name)
    shown = [p.name for p in client.get(reverse("meetings:person_list")).context["object_list"]]
    assert shown == ["Dương Thị Cúc", "Đỗ Mạnh Hiến", "Hà Văn Bình", "Hoàng Văn An", "Vũ Hà"]
    # Every province-level unit is in the database from the migrations: the whole index is
    # in Vietnamese order, and these five (Bà before Bắc, Đ after D) in this order within it.
    response = client.get(reverse("meetings:city_list"), {"page": 1})
    cities = [c.name for c in response.context["paginator"].object_list]
    assert len(cities) == City.objects.count() > 60
    assert cities == sorted(cities, key=sort_key)
    five = ["Bà Rịa - Vũng Tàu", "Bắc Ninh", "Đà Nẵng", "Hà Nội", "Hưng Yên"]
    assert [name for name in cities if name in five] == five


def test_directives_sort_by_number_then_year(client, make_directive):
    for number in ("18", "130", "04/2015", "145", "05", "04", "24-CT/TU", "105/2020/NĐ-CP"):
        make_directive(number=number)
    shown = [
        d.number for d in client.get(reverse("meetings:directive_list")).context["object_list"]
    ]
    assert shown == ["04", "04/2015", "05", "18", "24-CT/TU", "105/2020/NĐ-CP", "130", "145"]


def test_facets_sort_ties_in_vietnamese(client, make_meeting, make_city):
    # One meeting each: the city facet's ties are in alphabetical order.
    for name in ("Vĩnh Phúc", "Đà Nẵng", "Hà Nam", "Hòa Bình", "Điện Biên"):
        make_meeting(city=make_city(name))
    facets = client.get(reverse("meetings:meeting_list"), {"q": ""}).context["facets"]
    city = next(f for f in facets if f.name == "city")
    assert [v.label for v in city.values] == [
        "Đà Nẵng",
        "Điện Biên",
        "Hà Nam",
        "Hòa Bình",
        "Vĩnh Phúc",
    ]
