"""Source articles: the text every extracted value points into."""

from django.contrib.postgres.indexes import HashIndex
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Addresses are shown as links: only the web's own schemes (no javascript:, data:, file:).
URL_SCHEMES = ["http", "https"]


class Article(models.Model):
    """One version of one source text; a meeting has one or more articles as sources."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    url = models.URLField(
        _("address"), max_length=2000, blank=True, validators=[URLValidator(schemes=URL_SCHEMES)]
    )
    source_name = models.CharField(_("file name"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # The normalised text (NFC, \n newlines) that every evidence span indexes.
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("text SHA-256"), max_length=64, unique=True)
    # A newer text at the same address supersedes this one; only the current one is a source.
    is_current = models.BooleanField(_("current version"), default=True)
    extraction = models.JSONField(_("extractor output"), default=dict, blank=True)
    extractor_version = models.CharField(_("extractor version"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    ingested_at = models.DateTimeField(_("ingested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=models.Q(is_current=True) & ~models.Q(url=""),
                name="article_one_current_version_per_url",
            ),
            # Whatever writes the row (ingest, admin, a script): never a javascript: link.
            models.CheckConstraint(
                condition=models.Q(url="") | models.Q(url__iregex=r"^https?://"),
                name="article_url_http",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "is_current"], name="article_meeting_idx"),
            # Ingest looks every new text's address up among all versions (current or not):
            # without it, a sequential scan of every article (the top statement of a bulk ingest).
            # A hash index, since an address may be longer than a B-tree entry allows.
            HashIndex(fields=["url"], name="article_url_idx"),
        ]

    def __str__(self):
        return self.title or self.url or self.source_name or f"#{self.pk}"

    def excerpt(self, start: int | None, end: int | None, *, context: int = 160) -> tuple:
        """(before, evidence, after) around a span, for showing a value beside its sentence."""
        if start is None or end is None or not 0 <= start <= end <= len(self.text):
            return "", "", ""
        left = max(0, self.text.rfind("\n", 0, start) + 1, start - context)
        right = self.text.find("\n", end)
        right = min(len(self.text) if right == -1 else right, end + context)
        return self.text[left:start], self.text[start:end], self.text[end:right]
