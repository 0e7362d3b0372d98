"""What joins a meeting to people, organisations, directives and figures.

Every row here was extracted from one article and keeps the span of its evidence in that
article's text (`article.text[evidence_start:evidence_end]`).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.corrections import Correctable


class Role(models.TextChoices):
    PRESIDING = "presiding", _("presiding")
    ATTENDING = "attending", _("attending")
    REPORTING = "reporting", _("reporting")
    SPEAKING = "speaking", _("speaking")
    CONCLUDING = "concluding", _("concluding")
    AUTHOR = "author", _("author")
    PHOTOGRAPHER = "photographer", _("photographer")


# Bylines: the people credited with the report, not participants of the meeting.
CREDIT_ROLES = frozenset({Role.AUTHOR, Role.PHOTOGRAPHER})


class ParticipationQuerySet(models.QuerySet):
    def credits(self):
        """The report's authors and photographers (roles only among CREDIT_ROLES)."""
        return self.filter(credit_only())

    def attendees(self):
        """Everyone else: the people who took part in the meeting."""
        return self.exclude(credit_only())


def credit_only(prefix: str = "") -> models.Q:
    """Rows whose roles are all credits (and at least one): `prefix` for a related lookup."""
    return models.Q(**{f"{prefix}roles__contained_by": sorted(CREDIT_ROLES)}) & ~models.Q(
        **{f"{prefix}roles": []}
    )


class Evidence(Correctable):
    """Mixin: the source article and the span of the words a value came from."""

    article = models.ForeignKey(
        "meetings.Article",
        verbose_name=_("source article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_start = models.PositiveIntegerField(_("evidence start"), null=True, blank=True)
    evidence_end = models.PositiveIntegerField(_("evidence end"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def evidence_text(self) -> str:
        if self.article is None or self.evidence_start is None or self.evidence_end is None:
            return ""
        return self.article.text[self.evidence_start : self.evidence_end]


def _span_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(evidence_start__isnull=True)
        | models.Q(evidence_end__gte=models.F("evidence_start")),
        name=name,
    )


class Participation(Evidence):
    """A person at a meeting, with roles and the title as written in that article."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        "meetings.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    title = models.CharField(_("title as written"), max_length=500, blank=True)
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices),
        verbose_name=_("roles"),
        default=list,
        blank=True,
    )

    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participation_unique"),
            _span_check("participation_span_valid"),
        ]
        indexes = [
            models.Index(fields=["person", "meeting"], name="participation_person_idx"),
            # Serves the "presiding official" filter and its facet counts.
            models.Index(
                fields=["person", "meeting"],
                condition=models.Q(roles__contains=["presiding"]),
                name="participation_presiding_idx",
            ),
            # The other way round: the presiding officials of a set of meetings (the facet
            # under filters, the officials shown on a page of meetings).
            models.Index(
                fields=["meeting", "person"],
                condition=models.Q(roles__contains=["presiding"]),
                name="participation_presiding_m_idx",
            ),
        ]

    def __str__(self):
        return str(self.person)

    @property
    def tombstone_key(self) -> str:
        """What re-ingest matches a deleted row by (see Tombstone)."""
        return self.person.name_folded

    @property
    def is_presiding(self) -> bool:
        return Role.PRESIDING in self.roles

    @property
    def is_credit(self) -> bool:
        """A byline (author, photographer), shown as the report's credits."""
        return bool(self.roles) and set(self.roles) <= CREDIT_ROLES


class OrganizationMention(Evidence):
    """An organisation named in a meeting's report, with the name as written."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    organization = models.ForeignKey(
        "meetings.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    name_as_written = models.CharField(_("name as written"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("organisation mention")
        verbose_name_plural = _("organisation mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="organization_mention_unique"
            ),
            _span_check("organization_mention_span_valid"),
        ]
        indexes = [models.Index(fields=["organization", "meeting"], name="mention_org_idx")]

    def __str__(self):
        return str(self.organization)

    @property
    def tombstone_key(self) -> str:
        return self.organization.name_folded


class DirectiveCitation(Evidence):
    """A directive cited in a meeting's report."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="citations",
    )
    directive = models.ForeignKey(
        "meetings.Directive",
        verbose_name=_("directive"),
        on_delete=models.CASCADE,
        related_name="citations",
    )
    text_as_written = models.CharField(_("as written"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("directive citation")
        verbose_name_plural = _("directive citations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "directive"], name="directive_citation_unique"
            ),
            _span_check("directive_citation_span_valid"),
        ]
        indexes = [models.Index(fields=["directive", "meeting"], name="citation_directive_idx")]

    def __str__(self):
        return str(self.directive)

    @property
    def tombstone_key(self) -> str:
        return self.directive.number_key


class Metric(Evidence):
    """A figure reported at a meeting: 55 tỷ đồng raised, 328 of 400 unions founded …"""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    organization = models.ForeignKey(
        "meetings.Organization",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=60, blank=True)  # "VND", "percent", "Chi hội"
    qualifier = models.CharField(_("qualifier"), max_length=30, blank=True)  # "over", "about"
    target = models.DecimalField(
        _("target"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    label = models.CharField(_("label"), max_length=500, blank=True)
    # Identifies the figure across re-ingests of its article; set by ingest (metric_key in
    # meetings/ingest/write.py).
    extraction_key = models.CharField(_("extraction key"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "evidence_start", "id"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "extraction_key"], name="metric_unique_key"),
            _span_check("metric_span_valid"),
        ]
        indexes = [models.Index(fields=["organization", "meeting"], name="metric_org_idx")]

    def __str__(self):
        return f"{self.value} {self.unit}".strip()

    @property
    def tombstone_key(self) -> str:
        return self.extraction_key
