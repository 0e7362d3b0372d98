from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meeting reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects connection_created before any connection opens: a worker's first query
        # is the page cache's, before any view (and so this module) is imported.
        from meetings import collation  # noqa: F401
