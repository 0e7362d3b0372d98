"""/search/: one box for meetings, people, organisations and directives.

A query that is a document number ("24-CT/TU") goes straight to that directive when only
one has it. Otherwise results come in five groups (meetings, provinces, people,
organisations, directives), each with the matching words marked (on escaped text, by
meetings.search_query.highlight). A province or a district named in the query is offered
as a filter of the meeting list.

A query typed with diacritics matches words as typed (see meetings/search_query.py); when
nothing matches so, the meetings matching it without regard to diacritics are shown, and
the page says so.

Queries: [the directive number], the meeting count (bounded: "more than 2,000") [and, when
it is 0 for a query with diacritics, the count without them], the best meetings, their
current articles (for a snippet), [the provinces named: all their names are cached under
the data version], districts named, people, organisations, directives: at most 10.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from meetings.collation import directive_order, vi
from meetings.extraction.text import fold
from meetings.models import Article, City, Directive, Locality, Meeting, Organization, Person
from meetings.models.entities import directive_number_key
from meetings.models.meetings import MeetingQuerySet
from meetings.rows import meeting_rows
from meetings.search_query import ParsedQuery, document_number, mark_query_terms, parse, snippet
from meetings.versions import cached, cached_count, data_version
from meetings.vietnamese import exact_word

MEETINGS_SHOWN = 10
ENTITIES_SHOWN = 10


def _directive_terms(query: ParsedQuery) -> Q | None:
    """Directives whose number starts with a term that has a digit in it ("24", "24-ct")."""
    condition = None
    for term in query.terms:
        word = term.alternatives[0]
        if re.search(r"\d", word) and " " not in word:
            key = Q(number_key__startswith=directive_number_key(word))
            condition = key if condition is None else condition | key
    return condition


def meeting_results(query: ParsedQuery, version: str | None = None) -> tuple:
    """(ranked meetings, count, too many to rank?, the query used) for the search page.

    Counting reads every match (a broad word matches nearly every meeting), so the count
    stops above RANK_LIMIT: "more than 2,000". Ranking would re-read every match too, so
    above it the newest matches come first: the planner walks the held_on index and stops
    at the tenth match. A query with diacritics that matches nothing as typed is tried
    without them (the query returned is then the folded one). The count is cached under
    `version`, the data version (asked when not given).
    """
    version = version or data_version()
    count = _count(version, query)
    if count == 0 and query.has_exact:
        query = query.without_diacritics()
        count = _count(version, query)
    meetings = Meeting.objects.relevant_first(query, count)
    return meetings, count, MeetingQuerySet.too_many_to_rank(count), query


def _count(version: str, query: ParsedQuery) -> int:
    """The bounded count of meetings matching `query`, cached under the data version: a
    broad word makes it read 2,001 search vectors (kilobytes each), and many ask the same."""
    return cached_count(
        version,
        ("search", MeetingQuerySet.RANK_LIMIT, query.text, query.has_exact),
        lambda: Meeting.objects.search(query).bounded_count(
            MeetingQuerySet.RANK_LIMIT, words_alone=True
        ),
    )


def _ngrams(words: list[str], longest: int = 5) -> dict[str, tuple[int, int]]:
    """Every run of up to `longest` consecutive words → (first, last + 1) word index."""
    runs = {}
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + longest) + 1):
            runs.setdefault(" ".join(words[i:j]), (i, j))
    return runs


def province_names(version: str) -> list[tuple[int, str, str]]:
    """(id, name, folded name) of every province in the alphabet's order, cached under the
    data version: about a hundred rows, which each search read and made into model
    instances to match its words against (16% of a new search's time, by py-spy)."""
    rows = City.objects.order_by(vi("name"), "id").values_list("id", "name", "name_folded")
    return cached(version, ("province names",), lambda: list(rows))


def named_places(query: ParsedQuery, version: str) -> tuple[list, list]:
    """(provinces, districts) whose whole name is a run of the query's words, in its exact
    form when typed with diacritics ("Hà Nam", not "Hà Nội"), folded otherwise.

    Provinces are few (about a hundred with those merged in 2025): their names, cached
    under the data version (`province_names`), are matched here, and only those named are
    read. Districts are many: only the runs of the query's words are looked up. Each gets
    `rest`, the query without the words naming it.
    """
    typed = _WORD.findall(query.text)
    folded_runs = _ngrams([fold(w) for w in typed])
    exact_runs = _ngrams([exact_word(w) for w in typed])

    def run_of(name: str, name_folded: str):
        if query.has_exact:
            return exact_runs.get(" ".join(exact_word(w) for w in _WORD.findall(name)))
        return folded_runs.get(name_folded)

    runs = {}
    for pk, name, name_folded in province_names(version):
        run = run_of(name, name_folded)
        if run is not None:
            runs[pk] = run
    provinces = []
    if runs:
        named = City.objects.select_related("merged_into").in_bulk(list(runs))
        for pk, run in runs.items():  # in the alphabet's order
            if pk in named:
                city = named[pk]
                city.rest = _rest(typed, run)
                provinces.append(city)
    districts = []
    if folded_runs:
        places = (
            Locality.objects.filter(name_folded__in=list(folded_runs))
            .select_related("city")
            .order_by(vi("city__name"), vi("name"), "id")[:ENTITIES_SHOWN]
        )
        for place in places:
            run = run_of(place.name, place.name_folded)
            if run is not None:
                place.rest = _rest(typed, run)
                districts.append(place)
    return provinces, districts


def _rest(words: list[str], run: tuple[int, int]) -> str:
    """The query without the words naming the place."""
    return " ".join(words[: run[0]] + words[run[1] :])


def _filter_url(name: str, slug: str, rest: str) -> str:
    params = {name: slug, **({"q": rest} if rest else {})}
    return reverse("meetings:meeting_list") + "?" + urlencode(params)


_WORD = re.compile(r"[^\W_]+")


@require_safe
def search(request):
    raw = request.GET.get("q", "")
    query = parse(raw)
    context = {"q": query.text, "query": query}
    if not query:
        return render(request, "meetings/search.html", context)

    directives = []
    number = document_number(query.text)
    if number:
        directives = list(
            Directive.objects.filter(number_key=directive_number_key(number))
            .select_related("city")
            .order_by(vi("city__name"), "id")[:ENTITIES_SHOWN]
        )
        if len(directives) == 1:
            return redirect(directives[0])

    version = data_version(request)  # the page cache's, when it read it for this request
    meetings_qs, meeting_count, too_many_to_rank, used = meeting_results(query, version)
    meetings = list(
        meetings_qs.select_related("city")
        .slim()
        .prefetch_related(
            Prefetch(
                "articles",
                Article.objects.filter(is_current=True).only("id", "meeting_id", "text"),
                to_attr="current_articles",
            )
        )[:MEETINGS_SHOWN]
    )
    for meeting in meetings:
        meeting.title_html = mark_query_terms(meeting.title, used)
        meeting.snippet = ""
        for article in meeting.current_articles:
            meeting.snippet = snippet(article.text, used)
            if meeting.snippet:
                break

    provinces, districts = named_places(query, version)
    for city in provinces:
        city.name_html = mark_query_terms(city.name, query)
        city.filter_url = _filter_url("city", city.slug, city.rest)
    for place in districts:
        place.filter_url = _filter_url("place", place.slug, place.rest)

    people = list(
        Person.objects.filter(merged_into__isnull=True)
        .matching(query)
        .select_related("city")
        .order_by(vi("name"), "id")[:ENTITIES_SHOWN]
    )
    for person in people:
        person.name_html = mark_query_terms(person.name, query)

    organizations = list(
        Organization.objects.filter(merged_into__isnull=True)
        .matching(query)
        .select_related("city")
        .order_by(vi("name"), "id")[:ENTITIES_SHOWN]
    )
    for org in organizations:
        org.name_html = mark_query_terms(org.name, query)

    if not number:
        condition = _directive_terms(query)
        if condition is not None:
            directives = list(
                Directive.objects.filter(condition)
                .select_related("city")
                .order_by(*directive_order(), "id")[:ENTITIES_SHOWN]
            )
    for directive in directives:
        directive.name_html = mark_query_terms(str(directive), query)
        directive.subject_html = mark_query_terms(directive.subject, query)

    context.update(
        meetings=meetings,
        rows=meeting_rows(meetings, highlighted=True),
        meeting_count=meeting_count,
        too_many_to_rank=too_many_to_rank,
        ignored_diacritics=used is not query,
        count_limit=MeetingQuerySet.RANK_LIMIT,
        all_meetings_url=reverse("meetings:meeting_list") + "?" + urlencode({"q": query.text}),
        provinces=provinces,
        districts=districts,
        people=people,
        organizations=organizations,
        directives=directives,
        nothing=not (meetings or people or organizations or directives or provinces),
    )
    return render(request, "meetings/search.html", context)
