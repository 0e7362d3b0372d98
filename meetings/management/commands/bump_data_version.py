"""manage.py bump_data_version: a new data version, so every cached page is rendered afresh.

Writes bump it by themselves (migration 0016). A deploy that changes templates or code does
not write: run this after it, or cached pages keep the old look until the next write, at most
PAGE_CACHE_SECONDS, and browsers and CDNs would keep revalidating them as unchanged.
"""

from django.core.management.base import BaseCommand

from meetings import data_version


class Command(BaseCommand):
    help = (
        "Start a new data version: every cached page (Redis, proxies, CDNs revalidating by "
        "ETag) is rendered afresh. Run it after a deploy that changes how pages look."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what the version is, change nothing"
        )

    def handle(self, *args, dry_run, verbosity, **options):
        before = data_version.current("default")
        if dry_run:
            self.stdout.write(f"Dry run: the data version is {before.number}")
            return
        after = data_version.bump()
        if verbosity:
            self.stdout.write(f"Data version {before.number} → {after.number}")
