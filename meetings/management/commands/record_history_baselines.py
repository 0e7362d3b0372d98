"""Give every meeting its "As ingested" history record (meetings/history.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from meetings.history import record_baselines


class Command(BaseCommand):
    help = (
        'Give every meeting without one its "As ingested" history record, so that the first '
        "change an editor makes has a before. Ingest runs do this at their end; migration 0013 "
        "did it for the meetings ingested before; this is for anything else (a database "
        "restored from an old dump, meetings written by fetch_articles between runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be recorded; record nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        with transaction.atomic():
            counts = record_baselines()
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            done = "would be recorded" if dry_run else "recorded"
            self.stdout.write(
                f"{counts['as they are']} meetings never changed and "
                f"{counts['from the first change']} changed before they had one: "
                f"{sum(counts.values())} as-ingested records {done}."
            )
