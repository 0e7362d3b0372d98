"""Pages read from the web by `fetch_articles`: what was asked, what answered, what it was."""

import gzip

from django.db import models
from django.utils.translation import gettext_lazy as _


class FetchKind(models.TextChoices):
    PAGE = "page", _("page")
    SITEMAP = "sitemap", _("sitemap")
    FEED = "feed", _("feed")


class FetchOutcome(models.TextChoices):
    NEW = "new", _("new article")
    UPDATED = "updated", _("updated article")
    UNCHANGED = "unchanged", _("unchanged")
    NOT_MEETING = "not_meeting", _("not a meeting report")
    LISTED = "listed", _("sitemap or feed read")
    FAILED = "failed", _("failed")


class FetchedPage(models.Model):
    """One address fetched from the web, with its validators and the body last received."""

    url = models.URLField(_("address"), max_length=2000, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=FetchKind, default=FetchKind.PAGE)
    site = models.CharField(_("site"), max_length=200, blank=True)
    # The province the site reports on (sources file): the city when the text names none.
    province = models.CharField(_("province"), max_length=100, blank=True)
    # Where the last answer came from after redirects, and the address the page calls its own.
    final_url = models.URLField(_("address answered"), max_length=2000, blank=True)
    canonical_url = models.URLField(_("canonical address"), max_length=2000, blank=True)
    # Sent back as If-None-Match / If-Modified-Since, so an unchanged page answers 304.
    etag = models.CharField(_("ETag"), max_length=500, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    # The bytes of the last 200 answer, gzip-compressed: re-read by `ingest_articles --reextract`.
    body = models.BinaryField(_("body (gzip)"), null=True, blank=True)
    body_sha256 = models.CharField(_("body SHA-256"), max_length=64, blank=True)
    fetched_at = models.DateTimeField(_("body fetched at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last asked at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=FetchOutcome, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    article = models.ForeignKey(
        "meetings.Article",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fetched_pages",
    )
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("fetched page")
        verbose_name_plural = _("fetched pages")
        indexes = [
            models.Index(fields=["kind", "outcome"], name="fetchedpage_kind_outcome_idx"),
        ]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return self.url

    @property
    def html(self) -> bytes | None:
        """The body as received (decompressed), or None if none was kept."""
        return gzip.decompress(bytes(self.body)) if self.body is not None else None

    def keep_body(self, data: bytes) -> None:
        self.body = gzip.compress(data, compresslevel=6)
