"""Search: folding, abbreviations, tone placement, directive numbers, highlighting."""

import re
import unicodedata

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.extraction.text import fold
from meetings.models import Meeting
from meetings.models.meetings import matches_from_indexes
from meetings.search_query import document_number, mark_query_terms, parse, snippet
from meetings.vietnamese import exact as exact_text
from meetings.vietnamese import has_diacritics
from tests.conftest import DEV_ARTICLES, needs_dev_corpus

URL = reverse("meetings:search")


# The query language, without the database.


@pytest.mark.parametrize(
    "query",
    ["lien doan lao dong", "Liên đoàn Lao động", "LĐLĐ", "LIÊN ĐOÀN LAO ĐỘNG", "ldld", "(LĐLĐ)"],
)
def test_one_organisation_three_ways(query):
    terms = parse(query).terms
    assert len(terms) == 1
    assert set(terms[0].alternatives) == {"lien doan lao dong", "ldld"}


@pytest.mark.parametrize(
    "abbreviation,full",
    [
        ("MTTQ", "mat tran to quoc"),
        ("UBND", "uy ban nhan dan"),
        ("HĐND", "hoi dong nhan dan"),
        ("LHPN", "lien hiep phu nu"),
        ("CCB", "cuu chien binh"),
        ("TNCS", "thanh nien cong san"),
        ("TW", "trung uong"),
        ("TU", "thanh uy"),
    ],
)
def test_abbreviations_expand(abbreviation, full):
    (term,) = parse(abbreviation).terms
    assert full in term.alternatives


def test_lower_case_tu_is_a_word_not_thanh_uy():
    # "tu" folds from từ, tự, tư …: only "TU" in capitals means Thành ủy/Tỉnh ủy.
    assert parse("tu thien").terms[0].alternatives == ("tu",)
    assert all("tu" not in t.alternatives for t in parse("Thành ủy").terms)


def test_tone_placement_and_normal_forms_fold_alike():
    old, new = "Hoà Uỷ ban", "Hòa Ủy ban"
    decomposed = unicodedata.normalize("NFD", new)
    assert parse(old).terms == parse(new).terms == parse(decomposed).terms
    assert [t.alternatives[0] for t in parse(old).terms] == ["hoa", "uy", "ban"]


def test_quoted_text_is_a_phrase_and_punctuation_is_left_to_postgres():
    query = parse('"uy ban" 24-CT/TU')
    assert [t.alternatives for t in query.terms] == [("uy ban",), ("24-ct/tu",)]


@pytest.mark.parametrize(
    "query,number",
    [
        ("24-CT/TU", "24-CT/TU"),
        ("  24-ct/tu ", "24-ct/tu"),
        ("Chỉ thị số 24-CT/TU", "24-CT/TU"),
        ("số 25 - CT/TU", "25 - CT/TU"),
        ("12-NQ/TW", "12-NQ/TW"),
        ("105/2020/NĐ-CP", "105/2020/NĐ-CP"),
        ("24", ""),
        ("giao ban 24-CT/TU", ""),
        ("quý III/2023", ""),
    ],
)
def test_document_numbers(query, number):
    assert document_number(query) == number


def test_highlight_marks_original_characters_whatever_the_spelling():
    html = mark_query_terms("Ủy ban và Uỷ  ban; UỶ BAN nhân dân; Ủybanx", parse("uy ban"))
    assert html == (
        "<mark>Ủy</mark> <mark>ban</mark> và <mark>Uỷ</mark>  <mark>ban</mark>; "
        "<mark>UỶ</mark> <mark>BAN</mark> nhân dân; Ủybanx"
    )
    phrase = mark_query_terms("Liên đoàn Lao động Thành phố", parse("LĐLĐ"))
    assert phrase == "<mark>Liên đoàn Lao động</mark> Thành phố"


def test_highlight_escapes_everything_else():
    html = mark_query_terms('<script>alert("Ủy ban")</script> & Uỷ', parse("uy"))
    assert "<script>" not in html
    assert html == (
        "&lt;script&gt;alert(&quot;<mark>Ủy</mark> ban&quot;)&lt;/script&gt; &amp; <mark>Uỷ</mark>"
    )
    # A query that is itself markup is matched as words and never injected.
    assert "<b>" not in mark_query_terms("a <b> b", parse("<b>"))


def test_snippet_is_the_words_around_the_first_match():
    text = "Mở đầu. " * 40 + "Liên đoàn Lao động Thành phố <đã> làm tốt. " + "Kết thúc. " * 40
    html = snippet(text, parse("lien doan lao dong"))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>Liên đoàn Lao động</mark> Thành phố &lt;đã&gt;" in html
    assert snippet(text, parse("khong co")) == ""


@needs_dev_corpus
def test_the_first_match_is_the_first_of_all_matches_on_real_articles():
    """A snippet looks for the exact words only from the first match of their folded form
    on (first_match_span): the same span as the first of every match (match_spans, which
    reads the whole article in both forms), on the dev corpus with words typed with and
    without diacritics, as phrases, in capitals, and words that follow one another."""
    from meetings.search_query import first_match_span, match_spans

    texts = [
        unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        for path in sorted(DEV_ARTICLES.glob("*.txt"))
    ]
    queries = ["Hà Nam", "hoà bình", "Ủy ban MTTQ", "uỷ ban", "LĐLĐ", "đã", "Đà Nẵng", "thuỷ"]
    for text in texts[::4]:
        words = re.findall(r"[^\W_]+", text)
        for i in range(0, len(words) - 3, max(1, len(words) // 12)):
            run = " ".join(words[i : i + 1 + i % 3])
            queries += [run, run.upper(), f'"{run}"', fold(run)]
    compared = 0
    for query in map(parse, queries):
        for text in texts:
            spans = match_spans(text, query)
            assert first_match_span(text, query) == (spans[0] if spans else None), query.text
            compared += bool(query.has_exact)
    assert compared > 1000


def test_nul_and_control_characters_are_dropped():
    assert [t.alternatives[0] for t in parse("uy\x00ban\x1f").terms] == ["uy", "ban"]


# Against PostgreSQL.

TEXT_A = (
    "Ngày 23/10, Thành ủy Hà Nội tổ chức Hội nghị giao ban với Mặt trận Tổ quốc (MTTQ). "
    "Liên đoàn Lao động Thành phố đã thành lập 328 công đoàn cơ sở. "
    "Ủy ban nhân dân Thành phố phối hợp. Thực hiện Chỉ thị số 24-CT/TU của Thành ủy."
)
TEXT_B = (
    "Sáng 29/12, Thành uỷ Hải Phòng tổ chức giao ban. Phó Chủ tịch LĐLĐ thành phố phát biểu. "
    "Uỷ ban MTTQ Việt Nam thành phố báo cáo."
)
TEXT_C = "Hội Nông dân tỉnh Hưng Yên tổng kết năm 2022. Hội Cựu chiến binh tham dự."


@pytest.fixture
def corpus(make_meeting, make_article, make_city, reindex):
    a = make_meeting(title="Giao ban quý III/2023", city="Hà Nội")
    make_article(meeting=a, text=TEXT_A)
    b = make_meeting(title="Giao ban năm 2022", city="Hải Phòng")
    make_article(meeting=b, text=TEXT_B)
    c = make_meeting(title="Tổng kết Hội Nông dân", city="Hưng Yên")
    make_article(meeting=c, text=TEXT_C)
    reindex()
    return a, b, c


def found(query):
    return {m.title for m in Meeting.objects.search(query)}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["lien doan lao dong", "Liên đoàn Lao động", "LĐLĐ", "ldld"])
def test_the_three_spellings_find_the_same_meetings(corpus, query):
    # A says "Liên đoàn Lao động", B says "LĐLĐ": each spelling finds both.
    assert found(query) == {"Giao ban quý III/2023", "Giao ban năm 2022"}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["uy ban", "Ủy ban", "Uỷ ban", "UỶ BAN"])
def test_uy_ban_matches_both_tone_placements(corpus, query):
    assert found(query) == {"Giao ban quý III/2023", "Giao ban năm 2022"}


@pytest.mark.django_db
def test_more_searches(corpus):
    assert (
        found("MTTQ")
        == found("mặt trận tổ quốc")
        == {
            "Giao ban quý III/2023",
            "Giao ban năm 2022",
        }
    )
    assert found("CCB") == {"Tổng kết Hội Nông dân"}
    assert found("24-CT/TU") == {"Giao ban quý III/2023"}
    assert found("hai phong giao ban") == {"Giao ban năm 2022"}
    assert found('"giao ban nam"') == {"Giao ban năm 2022"}
    assert found('"nam giao ban"') == set()  # a phrase: in that order
    assert found("khong ton tai") == set()
    assert len(found("")) == 3  # no words: no filter


@pytest.mark.django_db
def test_words_typed_with_diacritics_match_as_written(make_meeting, reindex):
    # Asked by the names the exact half gives them ("=hà", "=nam": never the folded half's
    # "nam" of "năm"), without a weight, which would make PostgreSQL re-read each vector.
    meetings = {
        title: make_meeting(title=title, city=None)
        for title in ("Hà Nam", "Ha Nam", "Năm Hà", "Hạ năm")
    }
    reindex()
    query = parse("Hà Nam").search_query()
    _, params = Meeting.objects.filter(search_vector=query).query.sql_with_params()
    assert params == ("'=hà'", "'=nam'"), params
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM meetings_meeting WHERE id = %s",
            [meetings["Hạ năm"].pk],
        )
        assert cursor.fetchone()[0] == "'=hạ':3A '=năm':4A 'ha':1 'nam':2"
    assert found("Hà Nam") == {"Hà Nam"}
    assert found("Hà") == {"Hà Nam", "Năm Hà"}
    assert found("năm") == {"Năm Hà", "Hạ năm"}
    assert found("ha nam") == set(meetings)


@pytest.mark.django_db
def test_migration_0018_renames_the_exact_half_both_ways(make_meeting, reindex):
    from importlib import import_module

    migration = import_module("meetings.migrations.0018_search_exact_lexemes")
    meeting = make_meeting(title="Hạ năm: it's C:\\dir, nam 2023", city=None)
    reindex()
    meeting.refresh_from_db()
    assert meeting.search_document == fold(meeting.title)  # the title alone

    pk = meeting.pk

    def vector():
        cursor.execute("SELECT search_vector::text FROM meetings_meeting WHERE id = %s", [pk])
        return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        new = vector()
        cursor.execute(migration.BACKWARD)
        old = vector()
        # as vectors were built before: the exact half told apart by weight A alone
        cursor.execute(
            "SELECT (to_tsvector('simple', %s) || setweight(to_tsvector('simple', %s), 'A'))::text",
            [fold(meeting.title), exact_text(meeting.title)],
        )
        assert old == cursor.fetchone()[0]
        cursor.execute(migration.FORWARD)
        assert vector() == new
    # the exact half's positions follow the folded half's 8 words, as they always did
    assert "'nam':2,7" in new and "'=năm':10A" in new and "'=nam':15A" in new


@pytest.mark.django_db
def test_the_folded_half_of_a_vector_holds_no_letter_with_diacritics(make_meeting, reindex):
    # The folded half is what a query typed without diacritics reads.
    text = "Đà Nẵng, Hà Nội, Thừa Thiên Huế; İstanbul, Straße, Ἀθῆναι, Ǆemal, ǰ, ﬁle, Ⅻ"
    make_meeting(title=text, city=None)
    reindex()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.lexeme FROM meetings_meeting m, unnest(m.search_vector) u"
            " WHERE 'D' = ANY(u.weights)"
        )
        folded = [lexeme for (lexeme,) in cursor.fetchall()]
    assert "da" in folded and "nang" in folded
    assert [w for w in folded if has_diacritics(w)] == []


@pytest.mark.django_db
def test_relevance_puts_the_better_match_first(corpus, make_meeting, make_article, reindex):
    many = make_meeting(title="Hội Nông dân, Hội Nông dân", city="Hưng Yên")
    make_article(meeting=many, text="Hội Nông dân. " * 20)
    reindex()
    ranked = list(Meeting.objects.by_relevance("hoi nong dan"))
    assert [m.title for m in ranked][0] == "Hội Nông dân, Hội Nông dân"
    assert ranked[0].rank > ranked[1].rank


@pytest.mark.django_db
def test_the_search_uses_the_gin_index(make_meeting, reindex):
    Meeting.objects.bulk_create(
        Meeting(title=f"Hội nghị {i}", slug=f"bulk-{i}", search_document=f"hoi nghi {i} x{i % 97}")
        for i in range(3000)
    )
    Meeting.objects.update(search_vector=SearchVector("search_document", config="simple"))
    qs = Meeting.objects.search("x13 hoi")
    # On 3,000 small rows a sequential scan, or a walk of the date index, may be cheaper;
    # what matters is that the condition is one the GIN index can answer, so ask for the
    # matches alone (no ordering) with the sequential scan taken away.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_meeting")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.order_by().explain()
    assert "meeting_search_idx" in plan, plan
    assert qs.count() == len([i for i in range(3000) if i % 97 == 13])


@pytest.mark.django_db
def test_a_count_by_words_alone_is_read_from_the_gin_index(make_meeting, reindex):
    for i in range(30):
        make_meeting(title=f"Hội nghị giao ban {i}" if i % 3 else f"Tổng kết {i}", city=None)
    reindex()
    searched = Meeting.objects.search("Hội nghị")
    with CaptureQueriesContext(connection) as queries:
        assert searched.bounded_count(5, words_alone=True) == 6
        assert searched.bounded_count(50, words_alone=True) == 20
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("SET LOCAL enable_seqscan = off" in s for s in sql) == 2, sql
    with matches_from_indexes("default"):
        plan = searched.order_by()[:6].explain()
    assert "Bitmap Index Scan on meeting_search_idx" in plan and "Seq Scan" not in plan, plan
    # The planner's settings are put back after.
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    # Another filter: the planner chooses (see matches_from_indexes).
    with CaptureQueriesContext(connection) as queries:
        assert searched.filter(title__endswith="3").bounded_count(50) == 2  # 13 and 23
    assert not any("enable_seqscan" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_planner_settings_are_put_back_when_a_search_fails():
    with pytest.raises(ZeroDivisionError), matches_from_indexes("default"):
        1 / 0  # noqa: B018
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_search_page_groups_and_highlights(
    client, corpus, make_organization, make_person, make_directive, make_city
):
    hanoi = make_city("Hà Nội")
    org = make_organization("Liên đoàn Lao động thành phố Hà Nội", city=hanoi, abbreviation="LĐLĐ")
    make_person("Lê Đình Hùng", city=hanoi)
    make_directive("24-CT/TU", city=hanoi)
    response = client.get(URL, {"q": "lien doan lao dong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert org.get_absolute_url() in html
    assert "<mark>Liên đoàn Lao động</mark> thành phố Hà Nội" in html
    assert "<mark>LĐLĐ</mark>" in html  # in the snippet of meeting B
    assert len(response.context["meetings"]) == 2
    people = client.get(URL, {"q": "le dinh hung"}).context["people"]
    assert [p.name for p in people] == ["Lê Đình Hùng"]
    assert client.get(URL, {"q": "dinh"}).context["people"] == people
    assert client.get(URL, {"q": "din"}).context["people"] == []  # whole words only


@pytest.mark.django_db
def test_a_directive_number_goes_to_the_directive(client, make_directive, make_city):
    directive = make_directive("24-CT/TU", city=make_city("Hà Nội"))
    for query in ["24-CT/TU", "24-ct/tu", "Chỉ thị số 24-CT/TU", "24 - CT/TU"]:
        response = client.get(URL, {"q": query})
        assert response.status_code == 302, query
        assert response["Location"] == directive.get_absolute_url()


@pytest.mark.django_db
def test_a_number_shared_by_two_cities_lists_both(client, make_directive, make_city):
    make_directive("24-CT/TU", city=make_city("Hà Nội"))
    make_directive("24-CT/TU", city=make_city("Hải Phòng"))
    response = client.get(URL, {"q": "24-CT/TU"})
    assert response.status_code == 200
    assert len(response.context["directives"]) == 2


@pytest.mark.django_db
def test_search_query_count(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        # 1. the data version (the count is cached under it: meetings/versions.py)
        # 2. SET LOCAL of the planner's settings  3. count of matching meetings, from the GIN
        # index  4. RESET (matches_from_indexes; in this test's transaction: a request has a
        # transaction of its own, BEGIN and COMMIT, instead)  5. the best ten  6. their
        # current articles (snippets)  7. every province's name (cached under the data
        # version after: matched in Python)  8. districts named by the query's words  9. people
        # 10. organisations  [the provinces named; directives only when a term has a digit:
        # neither here]
        response = client.get(URL, {"q": "uy ban"})
    assert response.status_code == 200


# Committed writes: the data version that keys cached counts moves at COMMIT (0016).
@pytest.mark.django_db(transaction=True)
def test_the_cached_count_follows_the_data(client, corpus, make_meeting, make_article, reindex):
    """The count of matches is cached under the data version: a new meeting counts at once."""
    assert client.get(URL, {"q": "uy ban"}).context["meeting_count"] == 2
    assert client.get(URL, {"q": "uy ban"}).context["meeting_count"] == 2  # from the cache
    make_article(meeting=make_meeting(title="Giao ban mới"), text=TEXT_A)
    reindex()
    assert client.get(URL, {"q": "uy ban"}).context["meeting_count"] == 3
    list_url = reverse("meetings:meeting_list")
    assert client.get(list_url, {"q": "uy ban"}).context["paginator"].count == 3


@pytest.mark.django_db
def test_search_page_states(in_english, corpus):
    client = in_english
    assert "Type a name" in client.get(URL).content.decode()
    html = client.get(URL, {"q": "zzzz"}).content.decode()
    assert "Nothing matches “zzzz”" in html
    html = client.get(URL, {"q": "<script>x</script>"}).content.decode()
    assert "<script>x" not in html
    assert client.post(URL).status_code == 405
    assert client.head(URL, {"q": "uy ban"}).status_code == 200


@pytest.mark.django_db
def test_broad_searches_count_up_to_the_limit_and_show_the_newest(
    in_english, corpus, monkeypatch, django_assert_max_num_queries
):
    from meetings.models.meetings import MeetingQuerySet

    monkeypatch.setattr(MeetingQuerySet, "RANK_LIMIT", 1)
    # Two meetings match; counting stops above the limit (at 2 = limit + 1).
    assert Meeting.objects.search("LĐLĐ").bounded_count(1) == 2
    assert Meeting.objects.search("LĐLĐ").bounded_count(5) == 2
    with django_assert_max_num_queries(10):  # as test_search_query_count
        response = in_english.get(URL, {"q": "LĐLĐ"})
    assert response.context["too_many_to_rank"]
    html = response.content.decode()
    assert "more than 1" in html and "Many meetings match: the newest come first." in html
    titles = [m.title for m in response.context["meetings"]]
    newest_first = Meeting.objects.search("LĐLĐ").newest_first().values_list("title", flat=True)
    assert titles == list(newest_first)
    # Under the limit: ranked, and the exact count.
    monkeypatch.setattr(MeetingQuerySet, "RANK_LIMIT", 2000)
    response = in_english.get(URL, {"q": "LĐLĐ"})
    assert not response.context["too_many_to_rank"] and response.context["meeting_count"] == 2


def test_abbreviations_come_from_the_extractors_table():
    """One table of abbreviations (meetings/extraction/data/organizations.json) for the
    extractor and for search: every abbreviation it lists is searched as its full name."""
    from meetings.extraction.organizations import DATA
    from meetings.search_query import ABBREVIATIONS

    for abbreviation, full in DATA["abbreviations"].items():
        assert fold(full).replace(" - ", " ") in ABBREVIATIONS[fold(abbreviation)], abbreviation
    # a body's abbreviation stands for every body that has it
    assert set(ABBREVIATIONS["tu"]) == {"tinh uy", "thanh uy", "thi uy"}


def test_people_and_organisations_are_found_by_name_one_way(client, make_person, make_organization):
    """/search/ and the indexes' search boxes ask the same QuerySet method (matching)."""
    from meetings.models import Organization, Person

    make_person("Nguyễn Thị Tuyến")
    make_person("Nguyễn Thị Tuyết")
    make_organization("Liên đoàn Lao động thành phố Hà Nội", abbreviation="LĐLĐ")
    make_organization("Tổng Liên đoàn Lao động Việt Nam")
    assert [p.name for p in Person.objects.matching("nguyen thi tuyen")] == ["Nguyễn Thị Tuyến"]
    assert not Person.objects.matching("tuye").exists()  # whole words, as /search/ does
    found = {o.name for o in Organization.objects.matching("LĐLĐ thành phố")}
    assert found == {"Liên đoàn Lao động thành phố Hà Nội"}
    for url in (reverse("meetings:person_list"), reverse("meetings:search")):
        html = client.get(url, {"q": "Tuyến"}).content.decode()
        text = re.sub(r"<[^>]+>", "", html)  # the search page marks the words found
        assert "Nguyễn Thị Tuyến" in text and "Nguyễn Thị Tuyết" not in text


# Committed writes: the data version that keys the cached names moves at COMMIT (0016).
@pytest.mark.django_db(transaction=True)
def test_province_names_are_cached_under_the_data_version(client, corpus, make_city):
    """A search matches its words against every province's name without reading the
    provinces each time; one renamed is found by its new name at the next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = make_city("Hà Nam")
    assert [c.name for c in client.get(URL, {"q": "Hà Nam"}).context["provinces"]] == ["Hà Nam"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"q": "giao ban"}).context["provinces"] == []
    assert not [q["sql"] for q in queries if 'FROM "meetings_city"' in q["sql"]]
    city.name = "Hà Nam Ninh"
    city.save()
    named = client.get(URL, {"q": "ha nam ninh"}).context["provinces"]
    assert [(c.name, c.rest) for c in named] == [("Hà Nam Ninh", "")]
