"""The data version: one number that changes with every committed write a public page shows."""

from django.db import models


class DataVersion(models.Model):
    """The one row whose `version` PostgreSQL triggers bump when public data is committed.

    Written only by the triggers of migration 0016 (see meetings/data_version.py): no write
    path of the application can forget it.
    """

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
