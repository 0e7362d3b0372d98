"""manage.py generate_demo_corpus --articles N --out DIR: synthetic articles (demo, bench).

The generator is a benchmark tool (bench/demo_corpus.py, beside manage.py): it is imported
when articles are written, so the portal itself never loads it.
"""

from django.core.management.base import BaseCommand, CommandError

from meetings.demo import DEMO_URL_PREFIX, mark_demo_data


class Command(BaseCommand):
    help = (
        "Write N synthetic Vietnamese meeting reports as .txt files with front matter (url on "
        f"{DEMO_URL_PREFIX}, published). The same --seed always gives the same files. With "
        "--ingest they also go through the real ingest and are marked as demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=0, metavar="N", help="how many")
        parser.add_argument("--out", metavar="DIR", help="folder to write the files into")
        parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
        parser.add_argument(
            "--start",
            type=int,
            default=0,
            help="index of the first article (to write a corpus in chunks)",
        )
        parser.add_argument(
            "--total",
            type=int,
            help="size of the whole corpus when writing one chunk of it (default: start+N)",
        )
        parser.add_argument(
            "--ingest",
            action="store_true",
            help="ingest the written files and mark them as demo data",
        )
        parser.add_argument(
            "--mark-only",
            action="store_true",
            help=f"write nothing: mark rows whose address is on {DEMO_URL_PREFIX} as demo data",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be written, write nothing"
        )

    def handle(
        self,
        *args,
        articles,
        out,
        seed,
        start,
        total,
        ingest,
        mark_only,
        dry_run,
        verbosity,
        **options,
    ):
        if mark_only:
            counts = mark_demo_data()
            if verbosity >= 1:
                self.stdout.write(f"Marked {counts[0]} articles and {counts[1]} meetings as demo.")
            return
        if articles <= 0:
            raise CommandError("--articles: give a positive number of articles")
        if not out:
            raise CommandError("--out: give the folder to write the articles into")
        if start < 0:
            raise CommandError("--start: must be 0 or more")
        from bench.demo_corpus import slot_space, write_corpus

        total = total or start + articles
        capacity, first_year = slot_space(total)
        if total > capacity:  # cannot happen with the automatic years, kept as a guard
            raise CommandError(f"at most {capacity} distinct meetings for this corpus")
        if dry_run:
            self.stdout.write(
                f"Would write {articles} articles ({start}…{start + articles - 1}) of seed {seed} "
                f"into {out} (periods {first_year}–2024)."
            )
            return
        paths = write_corpus(out, articles, seed=seed, start=start, total=total)
        if verbosity >= 1:
            self.stdout.write(f"Wrote {len(paths)} articles into {out} (seed {seed}).")
        if ingest:
            from meetings.ingest import ingest_paths

            report = ingest_paths(paths)
            for failure in report.failures:
                self.stderr.write(f"failed    {failure.path}: {failure.reason}")
            counts = mark_demo_data()
            if verbosity >= 1:
                self.stdout.write(report.summary())
                self.stdout.write(f"Marked {counts[0]} articles and {counts[1]} meetings as demo.")
            if not report.ok:
                raise CommandError(f"{len(report.failures)} file(s) failed", returncode=1)
