"""The real-world things meetings involve: people, organisations and directives."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.extraction.text import fold, fold_name, squash_spaces
from meetings.models.corrections import Correctable


def name_vector() -> SearchVector:
    """The words of a folded name, as /search/ matches them (the `simple` configuration, as
    for meetings' documents); the GIN indexes on people and organisations are over exactly
    this expression, so a query filtering on it is answered from them."""
    return SearchVector("name_folded", config="simple")


def _pg_regex(alternative: str) -> str:
    """A PostgreSQL regex matching a folded word or phrase as whole words.

    Every character that is not a letter or digit is escaped (a backslash before a
    non-alphanumeric is always a literal in PostgreSQL's regex syntax); spaces match any
    run of separators.
    """
    words = ["".join(c if c.isalnum() else "\\" + c for c in word) for word in alternative.split()]
    return r"\m" + r"[\s\-–—,.]+".join(words) + r"\M"


class NamedQuerySet(models.QuerySet):
    """People and organisations found by name: one way for /search/, the indexes' search
    boxes and the admin."""

    def matching(self, query):
        """The rows whose folded name holds every term of the query (a string or a
        meetings.search_query.ParsedQuery) as whole words, without diacritics, an
        abbreviation standing for its full name ("LĐLĐ": "Liên đoàn Lao động"); diacritics
        typed are not required (names are few and short: "Tuyến" finds "Tuyên" too).

        The GIN index over the name's words (name_vector) finds the candidates; a regex on
        those few then requires each term's words together and in order."""
        from meetings.search_query import ParsedQuery, parse

        parsed = query if isinstance(query, ParsedQuery) else parse(query)
        # names are indexed folded only: a query typed with diacritics matches them folded
        parsed = parsed.without_diacritics()
        search = parsed.search_query()
        if search is None:
            return self.none()
        condition = models.Q()
        for term in parsed.terms:
            pattern = "(" + "|".join(_pg_regex(alt) for alt in term.alternatives) + ")"
            condition &= models.Q(name_folded__regex=pattern)
        return self.alias(name_words=name_vector()).filter(name_words=search).filter(condition)


def directive_number_key(number: str) -> str:
    """ "24-CT/TU", "24 - CT/TU" and "24-ct/tu" compare equal."""
    return fold(squash_spaces(number)).replace(" ", "").upper()


class NamedEntity(Correctable):
    """What people and organisations share: a name stored folded for search, an address
    name, other names, and the survivor an editor merged the row into."""

    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NamedQuerySet.as_manager()

    # name, name_folded and city are declared by each subclass: their lengths and related
    # names differ.

    class Meta:
        abstract = True
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_folded", "city"],
                condition=models.Q(merged_into__isnull=True),
                nulls_distinct=False,
                name="%(class)s_unique_name_per_city",
            ),
        ]
        indexes = [
            models.Index(fields=["name_folded"], name="%(class)s_name_folded_idx"),
            # The search page's words, answered from an index (see name_vector()).
            GinIndex(name_vector(), name="%(class)s_name_search_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold_name(self.name)
        super().save(*args, **kwargs)


class Person(NamedEntity):
    """One real person; the same name in two provinces is two people until an editor merges."""

    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False)
    city = models.ForeignKey(
        "meetings.City",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )

    history = HistoricalRecords()

    class Meta(NamedEntity.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def get_absolute_url(self):
        return reverse("meetings:person_detail", kwargs={"slug": self.slug})


class Organization(NamedEntity):
    """One real body (Ủy ban MTTQ, Liên đoàn Lao động …), scoped by its city."""

    name = models.CharField(_("name"), max_length=300)  # the full, expanded name
    name_folded = models.CharField(max_length=300, editable=False)
    abbreviation = models.CharField(_("abbreviation"), max_length=60, blank=True)
    city = models.ForeignKey(
        "meetings.City",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )

    history = HistoricalRecords()

    class Meta(NamedEntity.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def get_absolute_url(self):
        return reverse("meetings:organization_detail", kwargs={"slug": self.slug})


class Directive(Correctable):
    """One numbered document. Local numbers repeat across provinces: "24-CT/TU" of Hà Nội is
    not "24-CT/TU" of Hải Phòng, so a local document is scoped by its city; a national one
    ("/TW", Nghị định) has no city."""

    kind = models.CharField(_("kind"), max_length=60)  # "Chỉ thị", "Kế hoạch", …
    number = models.CharField(_("number"), max_length=80)  # "24-CT/TU"
    number_key = models.CharField(max_length=80, editable=False, db_index=True)
    issuer = models.CharField(_("issuer"), max_length=80, blank=True)  # "TU", "TW", …
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    city = models.ForeignKey(
        "meetings.City",
        verbose_name=_("city (local documents)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directives",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [
            models.UniqueConstraint(
                fields=["number_key", "city"],
                nulls_distinct=False,
                name="directive_unique_number_per_city",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.number}".strip()

    def save(self, *args, **kwargs):
        self.number_key = directive_number_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:directive_detail", kwargs={"slug": self.slug})
