"""Meetings: one row per real meeting, whatever the number of articles reporting it."""

import operator
from contextlib import contextmanager
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models, transaction
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from meetings.models.corrections import Correctable

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
PERIOD_COLUMNS = ("period_kind", "period_year", "period_number")
FACET_COLUMNS = ("city", "place", *PERIOD_COLUMNS)  # what the list's facets group meetings on
# The ids of the city with a slug and of the provinces merged into it (MeetingQuerySet.in_city).
CITY_OR_MERGED_INTO = (
    'SELECT c."id" FROM "meetings_city" c'
    ' LEFT OUTER JOIN "meetings_city" m ON (c."merged_into_id" = m."id")'
    ' WHERE (c."slug" = %s OR m."slug" = %s)'
)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    HALF = "half", _("half-year")
    NINE_MONTHS = "nine_months", _("nine months")
    YEAR = "year", _("year")


# Years the portal knows, of a meeting held or a period reviewed (the list's and the calendar's
# year filters, the periods ingest stores and the list's period filter reads).
MIN_YEAR, MAX_YEAR = 1945, 2100
# The numbers a period of each kind can have; the other kinds have none.
PERIOD_NUMBERS = {
    PeriodKind.MONTH: range(1, 13),
    PeriodKind.QUARTER: range(1, 5),
    PeriodKind.HALF: range(1, 3),
}


def clean_period(kind, year: int | None, number: int | None) -> tuple[str, int | None, int | None]:
    """A reporting period as it may be stored: none ("", None, None) when the kind is not one
    or the year is out of range; the number dropped when the kind has none or it is out of
    range. The model's constraint (meeting_period_number_valid) says the same."""
    if kind not in PeriodKind.values or (year is not None and not MIN_YEAR <= year <= MAX_YEAR):
        return "", None, None
    numbers = PERIOD_NUMBERS.get(kind)
    return kind, year, number if numbers and number in numbers else None


# The meeting-level values ingest takes from a meeting's first source, each with the key of
# its span in `Meeting.evidence` (the extractor's names: a period's three columns share one,
# a place below the province comes from the locality). Read by the writer
# (meetings/ingest/write.py), the meeting's page and the admin.
SOURCED_FIELDS = {
    "title": "title",
    "meeting_type": "meeting_type",
    "body": "body",
    "city": "city",
    "locality": "locality",
    "place": "locality",
    "held_on": "held_on",
    "held_until": "held_until",
    "period_kind": "period",
    "period_year": "period",
    "period_number": "period",
}


class CitySource(models.TextChoices):
    """Where a meeting's province came from: the evidence an editor checks first."""

    TEXT = "text", _("named in the article")
    ADDRESS = "address", _("the source's web address")
    LOCALITY = "locality", _("a district or town named in the article")
    DATABASE = "database", _("inferred from people or bodies already known")
    EDITOR = "editor", _("set by an editor")


class ReviewStatus(models.TextChoices):
    """An editor's verdict on a whole meeting. Correcting a value is not one: corrected values
    are told by their locks (`corrected_fields`), so a meeting with one corrected field is
    still "not reviewed" until someone checks the rest."""

    UNREVIEWED = "unreviewed", _("not reviewed")
    VERIFIED = "verified", _("verified")
    RECHECK = "recheck", _("needs another look")


# The extractor's warnings name the value they doubt ("held_on: no date of the meeting in the
# text"); a meeting keeps the names of the values its first source's warnings doubt.
class Doubt(models.TextChoices):
    TITLE = "title", _("title")
    CITY = "city", _("city")
    HELD_ON = "held_on", _("date held")
    PERIOD = "period", _("reporting period")
    PARTICIPANTS = "participants", _("presiding official")


# The Meeting fields each doubt is about: an editor's value (a locked field) settles it.
DOUBTED_FIELDS = {
    Doubt.TITLE: ("title",),
    Doubt.CITY: ("city",),
    Doubt.HELD_ON: ("held_on",),
    Doubt.PERIOD: PERIOD_COLUMNS,
    Doubt.PARTICIPANTS: (),
}


def open_doubts(doubts, corrected_fields) -> list[str]:
    """The doubts no editor settled by correcting the value they are about."""
    corrected = set(corrected_fields or ())
    return [d for d in doubts or () if not corrected & set(DOUBTED_FIELDS.get(d, ()))]


@contextmanager
def matches_from_indexes(using: str):
    """Within this block, PostgreSQL reads the meetings matching words from the GIN index (a
    bitmap of its matches), never by reading the table, or another index, in order and
    testing each row's vector. For a search by words alone (its count, its facets).

    Counting at most N matches, it takes the second way when it expects many: it does not
    know that testing a row means reading its vector, kilobytes in TOAST. At 100,000
    meetings, 2,001 matches of two common words were counted in 160 ms so (15,000 vectors
    read), in 8–20 ms from the index, and a facet of them took 110 ms instead of 8. With
    another filter too (a city), its own index is the better start, and these settings
    would only hinder the small tables joined: not then.

    SET LOCAL, so that the settings end with the transaction: one of its own when the caller
    has none (BEGIN, SET LOCAL, the query, COMMIT: a connection pooler in transaction mode
    may hand a session-level SET to another client); inside the caller's, a RESET puts
    them back after (a failed statement leaves them to that transaction's rollback).
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        with transaction.atomic(using=using):
            _set_bitmap_scans(connection)
            yield
        return
    _set_bitmap_scans(connection)
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


def _set_bitmap_scans(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")


class MeetingQuerySet(models.QuerySet):
    """The read side's questions about meetings; each returns a QuerySet to chain."""

    SOURCES = "sources"  # where with_parts() puts a meeting's articles
    RANK_LIMIT = 2000  # above this many matches, rank costs too much: newest first instead
    COUNT_LIMIT = 10_000  # lists count up to this many, then say "more than 10,000"
    # Columns no list shows, and the widest: the folded text and its vector (kilobytes a row).
    WIDE_FIELDS = ("search_document", "search_vector")

    def for_listing(self):
        """What a list of meetings shows: city and reporting period, newest first."""
        return self.select_related("city").slim().newest_first()

    def slim(self):
        """Without the search document and vector, which lists never show."""
        return self.defer(*self.WIDE_FIELDS)

    def bounded_count(self, limit: int, *, words_alone: bool = False) -> int:
        """How many match, counting at most `limit` + 1: a result above `limit` means "more
        than `limit`". Costs at most that many rows however many match (a broad search
        matches nearly every meeting, and counting them all reads every row).
        `words_alone`: the queryset is a search by words and nothing else, counted from the
        GIN index (see `matches_from_indexes`)."""
        bounded = self.order_by()[: limit + 1]
        if not words_alone:
            return bounded.count()
        with matches_from_indexes(self.db):
            return bounded.count()

    def with_parts(self):
        """Each meeting with all its parts, in the order pages show them: `participants`,
        `organization_mentions`, `directive_citations`, `metric_rows` (each row with its
        entity) and `sources` (current articles first, without the extractor's output);
        each row's `article` is one of `sources` (see `_prefetch_related_objects`)."""
        from meetings.models.articles import Article
        from meetings.models.links import (
            DirectiveCitation,
            Metric,
            OrganizationMention,
            Participation,
        )

        # Not each row's article: the rows point into the meeting's own sources, which
        # `Meeting.join_sources()` hands them, rather than sending an article's text once a row.
        def rows(model, entity, *order):
            return model.objects.select_related(entity).order_by(*order)

        return self.prefetch_related(
            models.Prefetch(
                "participations", rows(Participation, "person", "id"), to_attr="participants"
            ),
            models.Prefetch(
                "mentions",
                rows(OrganizationMention, "organization", "id"),
                to_attr="organization_mentions",
            ),
            models.Prefetch(
                "citations",
                rows(DirectiveCitation, "directive", "id"),
                to_attr="directive_citations",
            ),
            models.Prefetch(
                "metrics",
                rows(Metric, "organization", "evidence_start", "id"),
                to_attr="metric_rows",
            ),
            models.Prefetch(
                "articles",
                Article.objects.defer("extraction").order_by("-is_current", "id"),
                to_attr=self.SOURCES,
            ),
        )

    def _prefetch_related_objects(self):
        """After the prefetches, the parts of `with_parts()` get their articles from the
        meeting's sources: no caller has to remember, and none reads an article per row."""
        super()._prefetch_related_objects()
        lookups = self._prefetch_related_lookups
        if any(getattr(lookup, "to_attr", None) == self.SOURCES for lookup in lookups):
            for meeting in self._result_cache:
                meeting.join_sources()

    def with_presiding(self):
        """Prefetch each meeting's presiding officials into `presiding_participations`."""
        from meetings.models.links import Participation, Role

        return self.prefetch_related(
            models.Prefetch(
                "participations",
                Participation.objects.filter(roles__contains=[Role.PRESIDING])
                .select_related("person")
                .order_by("id"),
                to_attr="presiding_participations",
            )
        )

    def newest_first(self):
        return self.order_by(models.F("held_on").desc(nulls_last=True), "-id")

    def oldest_first(self):
        return self.order_by(models.F("held_on").asc(nulls_last=True), "id")

    def in_city(self, city):
        """Held in a City (or a city slug), or in a province merged into it in 2025: Ninh Bình
        finds the meetings of Hà Nam."""
        from meetings.models.places import City

        # One condition the planner can estimate (a city and those merged into it: a few
        # rows). `pk IN (…) OR merged_into IN (…)` was guessed at most cities, and every
        # facet under a city filter then read the whole table.
        if isinstance(city, str):
            # The SQL the ORM writes for slug=city | merged_into__slug=city, written out: a
            # list builds this filter for its count, its page and each facet it counts, and
            # the ORM's subquery took twice as long to build and compile (0.66 ms, 0.36).
            return self.filter(city__in=RawSQL(CITY_OR_MERGED_INTO, (city, city)))
        chosen = models.Q(pk=city.pk) | models.Q(merged_into=city.pk)
        return self.filter(city__in=City.objects.filter(chosen).values("pk"))

    def at_place(self, place):
        """Held by a district or town (a Locality, or its slug)."""
        if isinstance(place, str):
            return self.filter(place__slug=place)
        return self.filter(place=place)

    def possible_duplicates(self):
        """Meetings ingest flagged as perhaps the same as another (see ingest/identity.py)."""
        return self.filter(possible_duplicate_of__isnull=False)

    def in_period(self, kind: str, year: int, number: int | None = None):
        """Reviewing a reporting period: ("quarter", 2023, 3) is quý III/2023."""
        return self.filter(period_kind=kind, period_year=year, period_number=number)

    def held_in(self, year: int | None = None, quarter: int | None = None):
        """Held in a year, a quarter of any year, or a quarter of a year."""
        import datetime

        qs = self
        if year is not None:
            # A range rather than __year so the (held_on, id) index can serve it.
            qs = qs.filter(
                held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31)
            )
        if quarter is not None:
            qs = qs.filter(held_on__quarter=quarter)
        return qs

    def held_between(self, start=None, end=None):
        """Held on or after `start` and on or before `end` (dates; either may be None)."""
        qs = self
        if start is not None:
            qs = qs.filter(held_on__gte=start)
        if end is not None:
            qs = qs.filter(held_on__lte=end)
        return qs

    def presided_by(self, person):
        """Presided over by a Person (or a person slug)."""
        from meetings.models.links import Participation, Role

        rows = Participation.objects.filter(
            meeting=models.OuterRef("pk"), roles__contains=[Role.PRESIDING]
        )
        rows = (
            rows.filter(person__slug=person)
            if isinstance(person, str)
            else rows.filter(person=person)
        )
        return self.filter(models.Exists(rows))

    def involving(self, person):
        """Attended, presided over or addressed by a Person (or a person slug); bylines
        (authors, photographers) are not participants."""
        from meetings.models.links import Participation

        rows = Participation.objects.attendees().filter(meeting=models.OuterRef("pk"))
        if isinstance(person, str):
            rows = rows.filter(person__slug=person)
        else:
            rows = rows.filter(person=person)
        return self.filter(models.Exists(rows))

    def mentioning(self, organization):
        """Whose reports name an Organization (or an organisation slug)."""
        from meetings.models.links import OrganizationMention

        rows = OrganizationMention.objects.filter(meeting=models.OuterRef("pk"))
        if isinstance(organization, str):
            rows = rows.filter(organization__slug=organization)
        else:
            rows = rows.filter(organization=organization)
        return self.filter(models.Exists(rows))

    def citing(self, directive):
        """Whose reports cite a Directive (or a directive slug)."""
        from meetings.models.links import DirectiveCitation

        rows = DirectiveCitation.objects.filter(meeting=models.OuterRef("pk"))
        if isinstance(directive, str):
            rows = rows.filter(directive__slug=directive)
        else:
            rows = rows.filter(directive=directive)
        return self.filter(models.Exists(rows))

    def search(self, q):
        """Matching a search box query (a string or a ParsedQuery); all rows when it is empty.

        The condition is search_vector @@ query, answered from the GIN index
        meeting_search_idx.
        """
        from meetings.search_query import ParsedQuery, parse

        parsed = q if isinstance(q, ParsedQuery) else parse(q)
        query = parsed.search_query()
        if query is None:
            return self
        return self.filter(search_vector=query)

    def by_relevance(self, q):
        """Matching `q`, best first (ties newest first), with the score in `rank`.

        Meetings where the query's words stand together, in order (`adjacent`), come before
        those where they are scattered: "Hà Nam" before a Hà Nội report that says "Việt Nam".
        """
        from django.contrib.postgres.search import SearchRank

        from meetings.search_query import ParsedQuery, parse

        parsed = q if isinstance(q, ParsedQuery) else parse(q)
        query = parsed.search_query()
        if query is None:
            return self.newest_first()
        adjacent = parsed.adjacent_query()
        together = (
            models.ExpressionWrapper(
                models.Q(search_vector=adjacent), output_field=models.BooleanField()
            )
            if adjacent is not None
            else models.Value(False)
        )
        return (
            self.search(parsed)
            .annotate(rank=SearchRank(models.F("search_vector"), query), adjacent=together)
            .order_by("-adjacent", "-rank", models.F("held_on").desc(nulls_last=True), "-id")
        )

    @classmethod
    def too_many_to_rank(cls, count: int) -> bool:
        """Whether a count of matches (bounded_count(RANK_LIMIT)) is too many to rank."""
        return count > cls.RANK_LIMIT

    def relevant_first(self, q, count: int):
        """Matching `q` in the order a reader of the results expects: best first, unless more
        than RANK_LIMIT match (`count`, from bounded_count(RANK_LIMIT)): ranking would read
        every match, so the newest come first, read from the held_on index."""
        if self.too_many_to_rank(count):
            return self.search(q).newest_first()
        return self.by_relevance(q)

    def for_export(self):
        """Rows for CSV/JSON exports, presiding names as an array, in one streamed query."""
        from django.contrib.postgres.expressions import ArraySubquery

        from meetings.models.links import Participation, Role

        names = (
            Participation.objects.filter(
                meeting=models.OuterRef("pk"), roles__contains=[Role.PRESIDING]
            )
            .order_by("id")
            .values("person__name")
        )
        return self.select_related("city").slim().annotate(presiding_names=ArraySubquery(names))


class Meeting(Correctable):
    """A meeting reported by one or more articles (its sources)."""

    if TYPE_CHECKING:  # added by django-simple-history (HistoricalRecords, below)

        def save_without_historical_record(self, *args: Any, **kwargs: Any) -> None: ...

    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    meeting_type = models.CharField(_("meeting type"), max_length=120, blank=True)
    body = models.CharField(_("organising body"), max_length=300, blank=True)
    city = models.ForeignKey(
        "meetings.City",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # How the province was found; "database" is an inference an editor should check.
    city_source = models.CharField(
        _("province found from"), max_length=20, choices=CitySource.choices, blank=True
    )
    # The names a database inference rests on ("Đỗ Mạnh Hiến": known in that province only).
    city_basis = models.CharField(_("province inferred from"), max_length=300, blank=True)
    locality = models.CharField(_("locality"), max_length=150, blank=True)  # as extracted
    place = models.ForeignKey(
        "meetings.Locality",
        verbose_name=_("district or town"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    held_on = models.DateField(_("date held"), null=True, blank=True)
    held_until = models.DateField(_("held until"), null=True, blank=True)
    # The reporting period reviewed, which is not the date held: the quý III/2023 review
    # is held on 23/10/2023.
    period_kind = models.CharField(
        _("reporting period"), max_length=20, choices=PeriodKind.choices, blank=True
    )
    period_year = models.PositiveSmallIntegerField(_("period year"), null=True, blank=True)
    period_number = models.PositiveSmallIntegerField(_("period number"), null=True, blank=True)
    # Spans of the meeting-level values in the first source: {"city": [start, end], …}.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    # The identity ingest matched this meeting by (see meetings/ingest/identity.py).
    identity_key = models.CharField(_("identity key"), max_length=400, blank=True, db_index=True)
    # Another meeting that may report the same event, where the evidence was not enough to
    # merge them (meetings/ingest/identity.py); editors merge the pair or clear this.
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
    )
    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNREVIEWED,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Values the extractor was unsure of (see Doubt): the review queue shows these first.
    doubts = ArrayField(
        models.CharField(max_length=20, choices=Doubt.choices),
        verbose_name=_("values the extractor was unsure of"),
        default=list,
        blank=True,
    )
    # Folded (diacritic-free) title, names and article text, searched with the `simple`
    # text-search configuration, so that search needs no PostgreSQL extension (meetings/search.py).
    search_document = models.TextField(blank=True, editable=False)
    # to_tsvector('simple', search_document), stored so that neither matching nor ranking
    # re-parses documents; stale until meetings.search refreshes it (ingest marks meetings
    # stale inside each article's transaction and refreshes them in batches).
    search_vector = SearchVectorField(null=True, editable=False)
    search_stale = models.BooleanField(default=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords(
        excluded_fields=["search_document", "search_vector", "search_stale", "doubts"]
    )

    class Meta:
        ordering = [models.F("held_on").desc(nulls_last=True), "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        # The list's filters each have an index ending in the list's order (held_on desc
        # nulls last, id desc), so a filtered page, its count and a deep page's ids are read
        # from the index; each includes the columns the facets group on, so the facet counts
        # under a filter are index-only scans too (see meetings/facets.py).
        indexes = [
            models.Index(
                models.F("held_on").desc(nulls_last=True),
                models.F("id").desc(),
                include=[*FACET_COLUMNS],
                name="meeting_held_on_idx",
            ),
            models.Index(
                models.F("city"),
                models.F("held_on").desc(nulls_last=True),
                models.F("id").desc(),
                include=["place", *PERIOD_COLUMNS],
                name="meeting_city_held_idx",
            ),
            models.Index(
                *(models.F(name) for name in PERIOD_COLUMNS),
                models.F("held_on").desc(nulls_last=True),
                models.F("id").desc(),
                include=["city", "place"],
                name="meeting_period_idx",
            ),
            # max(updated_at): the data version that keys the cached facets.
            models.Index(fields=["updated_at"], name="meeting_updated_idx"),
            GinIndex(fields=["search_vector"], name="meeting_search_idx"),
            models.Index(
                fields=["id"],
                condition=models.Q(search_stale=True),
                name="meeting_search_stale_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=reduce(
                    operator.or_,
                    (
                        models.Q(period_kind=kind, period_number__range=(r.start, r.stop - 1))
                        for kind, r in PERIOD_NUMBERS.items()
                    ),
                    models.Q(period_number__isnull=True),
                ),
                name="meeting_period_number_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(held_until__isnull=True)
                | models.Q(held_on__isnull=False, held_until__gte=models.F("held_on")),
                name="meeting_held_until_after_held_on",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"slug": self.slug})

    @property
    def city_inferred(self) -> bool:
        """The province was inferred from the database, not read in a source."""
        return self.city_id is not None and self.city_source == CitySource.DATABASE

    @property
    def period_label(self) -> str:
        """The reporting period as Vietnamese readers write it: "Quý III/2023"."""
        return period_label(self.period_kind, self.period_year, self.period_number)

    def join_sources(self) -> None:
        """Give each part fetched by `with_parts()` its `article` from the meeting's `sources`
        (one query for the meeting's articles, not a join sending the text for every row)."""
        by_id = {article.pk: article for article in self.sources}
        for rows in (
            self.participants,
            self.organization_mentions,
            self.directive_citations,
            self.metric_rows,
        ):
            for row in rows:
                if row.article_id in by_id:
                    row.article = by_id[row.article_id]


class MeetingToReview(Meeting):
    """The review queue: meetings no editor verified, those to look at first on top (the
    admin's list of it; the rows are meetings)."""

    class Meta:
        proxy = True
        verbose_name = _("meeting to review")
        verbose_name_plural = _("review queue")


class MeetingRedirect(models.Model):
    """The address of a meeting merged into another, kept so that old links still work."""

    old_slug = models.SlugField(_("old address name"), max_length=120, unique=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = _("meeting redirect")
        verbose_name_plural = _("meeting redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.meeting_id}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


def period_label(kind: str, year: int | None, number: int | None) -> str:
    if not kind or not year:
        return ""
    if kind == PeriodKind.QUARTER and number in ROMAN_QUARTERS:
        return pgettext_lazy("period", "Quarter %(q)s/%(y)s") % {
            "q": ROMAN_QUARTERS[number],
            "y": year,
        }
    if kind == PeriodKind.HALF and number == 1:
        return pgettext_lazy("period", "First half of %(y)s") % {"y": year}
    if kind == PeriodKind.HALF and number == 2:
        return pgettext_lazy("period", "Second half of %(y)s") % {"y": year}
    if kind == PeriodKind.NINE_MONTHS:
        return pgettext_lazy("period", "Nine months of %(y)s") % {"y": year}
    if kind == PeriodKind.MONTH and number:
        return pgettext_lazy("period", "Month %(m)s/%(y)s") % {"m": number, "y": year}
    if kind == PeriodKind.YEAR:
        return pgettext_lazy("period", "Year %(y)s") % {"y": year}
    return str(year)


def evidence_label(key: str) -> str:
    """What a span of `Meeting.evidence` shows, named as its field: "date held" for held_on."""
    field = next(name for name, k in SOURCED_FIELDS.items() if k == key)
    return str(Meeting._meta.get_field(field).verbose_name)
