"""manage.py ingest_articles PATH...: article files into the database (see meetings/ingest/)."""

from django.core.management.base import BaseCommand, CommandError

from meetings.ingest import FAILED, ingest_paths, parse_date
from meetings.management.reports import fail_if_any_failed, print_report, progress_bar


class Command(BaseCommand):
    help = (
        "Ingest article files (.txt, .html; folders recursively). Re-running is safe: unchanged "
        "texts are skipped, editors' corrections are kept. Exits non-zero if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
        parser.add_argument("--url", help="source address of the article (a single file only)")
        parser.add_argument("--published", help="publication date YYYY-MM-DD (a single file only)")
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="extraction processes (default: one per CPU for 50 files or more)",
        )
        parser.add_argument(
            "--reextract",
            action="store_true",
            help="instead of files, read again the HTML that fetch_articles kept (no fetching): "
            "each page through the current HTML reader, extractor and ingest",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="do everything, report it, then roll it all back",
        )

    def handle(self, *args, paths, url, published, jobs, dry_run, verbosity, **options):
        if options.get("reextract"):
            if paths or url or published:
                raise CommandError(
                    "--reextract reads the kept pages: give no PATH, --url or --published"
                )
            return self._reextract(dry_run, verbosity)
        if not paths:
            raise CommandError("give at least one PATH (or --reextract)")
        if published and parse_date(published) is None:
            raise CommandError(f"--published: expected YYYY-MM-DD, got {published!r}")
        bar = progress_bar(verbosity)

        def progress(done, total, result):
            if bar:
                bar.show(done, total, result.path)
            if verbosity >= 2 and result.status != FAILED:
                if bar:
                    bar.clear()
                merged = " (merged into an existing meeting)" if result.merged else ""
                self.stdout.write(f"{result.status:9} {result.path}{merged}")

        try:
            report = ingest_paths(
                paths,
                url=url,
                published=published,
                jobs=jobs,
                dry_run=dry_run,
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if bar:
                bar.clear()

        print_report(self, report, lambda failure: failure.path, verbosity)
        fail_if_any_failed(report, "file(s)")

    def _reextract(self, dry_run, verbosity):
        from meetings.fetch.run import reextract

        bar = progress_bar(verbosity)

        def progress(done, total, result):
            if bar:
                bar.show(done, total, result.url)
            if verbosity >= 2 and result.status != FAILED:
                if bar:
                    bar.clear()
                self.stdout.write(f"{result.label:9} {result.url}")

        try:
            report = reextract(dry_run=dry_run, progress=progress)
        finally:
            if bar:
                bar.clear()
        print_report(self, report, lambda failure: failure.url, verbosity)
        fail_if_any_failed(report, "page(s)")
