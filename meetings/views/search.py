"""/search/: one box for meetings, people, organisations and directives.

A query that is a document number ("24-CT/TU") goes straight to that directive when only
one has it. Otherwise results come in four groups, each with the matching words marked
(on escaped text, by meetings.search_query.highlight).

Queries: [the directive number], the meeting count (bounded: "more than 2,000"), the best
meetings, their current articles (for a snippet), people, organisations, directives: at
most 7.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from meetings.models import Article, Directive, Meeting, Organization, Person
from meetings.models.entities import directive_number_key, name_vector
from meetings.models.meetings import MeetingQuerySet
from meetings.search_query import ParsedQuery, document_number, highlight, parse, snippet

MEETINGS_SHOWN = 10
ENTITIES_SHOWN = 10


def _pg_regex(alternative: str) -> str:
    """A PostgreSQL regex matching a folded word or phrase as whole words.

    Every character that is not a letter or digit is escaped (a backslash before a
    non-alphanumeric is always a literal in PostgreSQL's regex syntax); spaces match any
    run of separators.
    """
    words = ["".join(c if c.isalnum() else "\\" + c for c in word) for word in alternative.split()]
    return r"\m" + r"[\s\-–—,.]+".join(words) + r"\M"


def matching_names(queryset, query: ParsedQuery):
    """The rows whose folded name holds every term of the query, as whole words.

    The GIN index over the name's words (meetings.models.entities.name_vector) finds the
    candidates; a regex on those few then requires each term's words together and in order.
    """
    condition = Q()
    for term in query.terms:
        pattern = "(" + "|".join(_pg_regex(alt) for alt in term.alternatives) + ")"
        condition &= Q(name_folded__regex=pattern)
    return (
        queryset.alias(name_words=name_vector())
        .filter(name_words=query.search_query())
        .filter(condition)
    )


def _directive_terms(query: ParsedQuery) -> Q | None:
    """Directives whose number starts with a term that has a digit in it ("24", "24-ct")."""
    condition = None
    for term in query.terms:
        word = term.alternatives[0]
        if re.search(r"\d", word) and " " not in word:
            key = Q(number_key__startswith=directive_number_key(word))
            condition = key if condition is None else condition | key
    return condition


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
            .order_by("city__name", "id")[:ENTITIES_SHOWN]
        )
        if len(directives) == 1:
            return redirect(directives[0])

    # Counting reads every match (a broad word matches nearly every meeting), so the count
    # stops above RANK_LIMIT: "more than 2,000". Ranking would re-read every match too, so
    # above it the newest matches come first: the planner walks the held_on index and
    # stops at the tenth match.
    meeting_count = Meeting.objects.search(query).bounded_count(MeetingQuerySet.RANK_LIMIT)
    too_many_to_rank = meeting_count > MeetingQuerySet.RANK_LIMIT
    if too_many_to_rank:
        meetings_qs = Meeting.objects.search(query).newest_first()
    else:
        meetings_qs = Meeting.objects.by_relevance(query)
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
        meeting.title_html = highlight(meeting.title, query)
        meeting.snippet = ""
        for article in meeting.current_articles:
            meeting.snippet = snippet(article.text, query)
            if meeting.snippet:
                break

    people = list(
        matching_names(Person.objects.filter(merged_into__isnull=True), query)
        .select_related("city")
        .order_by("name", "id")[:ENTITIES_SHOWN]
    )
    for person in people:
        person.name_html = highlight(person.name, query)

    organizations = list(
        matching_names(Organization.objects.filter(merged_into__isnull=True), query)
        .select_related("city")
        .order_by("name", "id")[:ENTITIES_SHOWN]
    )
    for org in organizations:
        org.name_html = highlight(org.name, query)

    if not number:
        condition = _directive_terms(query)
        if condition is not None:
            directives = list(
                Directive.objects.filter(condition)
                .select_related("city")
                .order_by("number", "id")[:ENTITIES_SHOWN]
            )
    for directive in directives:
        directive.name_html = highlight(str(directive), query)
        directive.subject_html = highlight(directive.subject, query)

    context.update(
        meetings=meetings,
        meeting_count=meeting_count,
        too_many_to_rank=too_many_to_rank,
        count_limit=MeetingQuerySet.RANK_LIMIT,
        all_meetings_url=reverse("meetings:meeting_list") + "?" + urlencode({"q": query.text}),
        people=people,
        organizations=organizations,
        directives=directives,
        nothing=not (meetings or people or organizations or directives),
    )
    return render(request, "meetings/search.html", context)
