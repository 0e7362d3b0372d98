"""What admins corrected: locked fields on extracted rows, and rows they deleted."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Correctable(models.Model):
    """Mixin for extracted rows: `corrected_fields` lists fields that re-ingest must not touch."""

    corrected_fields = models.JSONField(
        _("corrected fields"),
        default=list,
        blank=True,
        help_text=_("Fields corrected by an editor; ingest never overwrites them."),
    )

    class Meta:
        abstract = True

    def is_locked(self, field: str) -> bool:
        return field in self.corrected_fields

    def lock(self, *fields: str) -> None:
        self.corrected_fields = sorted(set(self.corrected_fields) | set(fields))

    def unlock(self, *fields: str) -> None:
        self.corrected_fields = sorted(set(self.corrected_fields) - set(fields))


class Tombstone(models.Model):
    """An extracted row an admin deleted, so that re-ingest does not recreate it."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="tombstones",
    )
    # The deleted row's model name ("participation", "organizationmention",
    # "directivecitation", "metric") and its `tombstone_key`, the natural key ingest matches.
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=400)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "kind", "key"]
        verbose_name = _("deleted extracted row")
        verbose_name_plural = _("deleted extracted rows")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "key"], name="tombstone_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.meeting_id})"
