"""manage.py export_meetings: every meeting as CSV and JSON files, served from disk.

List exports (/meetings/export.csv?…) stop at EXPORT_MAX_ROWS rows; these files hold every
meeting and are sent at /meetings/export/all.csv and /meetings/export/all.json without
touching the database. Run it after each ingest (see README: deploying).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.views.exports import FULL_EXPORT_FILES, write_full_export


class Command(BaseCommand):
    help = (
        "Write every meeting as meetings.csv and meetings.json into EXPORT_DIR, served at "
        "/meetings/export/all.csv and .json (list exports stop at EXPORT_MAX_ROWS rows)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            metavar="URL",
            help="start of the meeting addresses in the files, e.g. https://portal.example.org "
            "(default: site-relative addresses, /meetings/…)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be written, write nothing"
        )

    def handle(self, *args, base_url, dry_run, verbosity, **options):
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url: expected http(s)://host, got {base_url!r}")
        directory = settings.EXPORT_DIR
        names = ", ".join(FULL_EXPORT_FILES.values())
        if dry_run:
            count = Meeting.objects.count()
            self.stdout.write(f"Dry run: would write {count} meetings into {directory} ({names})")
            return
        count = write_full_export(base_url, directory)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Wrote {count} meetings into {directory} ({names})")
            )
