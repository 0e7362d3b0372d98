"""Ingesting files: collect them, read and extract each, write each in its own transaction.

One bad file never stops the others: its failure (with the reason) goes into the report and
the next file is read. A file is written in one transaction, so a crash or a kill at any
moment leaves every article either fully in the database or not at all, and running the same
command again completes the work (finished articles report "unchanged").
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import wait
from pathlib import Path

from django.db import IntegrityError, OperationalError, connections, transaction

from meetings.extraction.reader import (
    ExtractionInputError,
    check_published,
    check_url,
    max_bytes,
    read_article,
)
from meetings.ingest.resolve import Resolver
from meetings.ingest.settle import settle
from meetings.ingest.values import parse_date
from meetings.ingest.write import (
    FAILED,
    INGEST_RULES,
    UNCHANGED,
    Prepared,
    Written,
    write_article,
)
from meetings.models import Article
from meetings.search import refresh_stale_search_documents

ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm"})
RETRIES = 3  # for a unique row another process inserted at the same moment, or a deadlock


@dataclass
class FileResult:
    path: str
    status: str  # new, updated, unchanged or failed
    reason: str = ""
    article_id: int | None = None
    meeting_id: int | None = None
    merged: bool = False


@dataclass
class Report:
    results: list[FileResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    @property
    def failures(self) -> list[FileResult]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        c = self.counts
        head = "Dry run, nothing written: " if self.dry_run else ""
        return (
            f"{head}{len(self.results)} files: {c['new']} new, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['failed']} failed"
        )


def collect_paths(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[FileResult]]:
    """Article files under the given files and folders (recursively), and the ones refused.

    Folders contribute their .txt/.html/.htm entries, hidden ones excepted, whatever their
    kind: a named pipe or a device is then refused by its reader with its reason, not skipped
    in silence. A symbolic link in a folder whose target lies outside that folder is
    refused (an article folder is not a way to read other files); symbolic links to folders
    are not followed. A file named explicitly is taken whatever its suffix or target.
    """
    files: list[Path] = []
    refused: list[FileResult] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, outside = _walk(path)
            refused += outside
        elif path.exists():
            found = [path]
        else:
            refused.append(FileResult(str(path), FAILED, "no such file or folder"))
            continue
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                files.append(p)
    return files, refused


def _walk(root: Path) -> tuple[list[Path], list[FileResult]]:
    """The article entries under a folder (sorted), and its links that lead out of it."""
    base = root.resolve()
    found: list[Path] = []
    outside: list[FileResult] = []

    def leaves(link: Path) -> bool:
        target = link.resolve()
        if target == base or base in target.parents:
            return False
        outside.append(
            FileResult(
                str(link),
                FAILED,
                f"symbolic link to {target}, outside the folder given ({root}); not read",
            )
        )
        return True

    for dirpath, dirnames, filenames in os.walk(root):  # links to folders are not entered
        folder = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in dirnames:
            if (folder / name).is_symlink():
                leaves(folder / name)
        for name in filenames:
            entry = folder / name
            if name.startswith(".") or entry.suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            if entry.is_symlink() and leaves(entry):
                continue
            found.append(entry)
    return sorted(found), sorted(outside, key=lambda r: r.path)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The extractor's declared version plus a hash of its code and data, then the version of
    the ingest rules (write.INGEST_RULES, after the last ".").

    Any change to either changes this, so re-ingesting an unchanged text after the extractor
    or the rules improved applies them again, while no change finds nothing to do.
    """
    import meetings.extraction as package

    root = Path(package.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".txt", ".tsv", ".csv") and "__pycache__" not in str(
            path
        ):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    declared = ""
    for name in ("__version__", "EXTRACTOR_VERSION", "VERSION"):
        value = getattr(package, name, None)
        if isinstance(value, str) and value:
            declared = value[:24]
            break
    base = f"{declared}+{digest.hexdigest()[:12]}" if declared else digest.hexdigest()[:16]
    return f"{base}.{INGEST_RULES}"


def prepare(path: Path, *, url: str | None = None, published: str | None = None) -> Prepared:
    """Read and extract one file (no database access)."""
    from meetings.extraction import ExtractionInputError, extract
    from meetings.extraction.reader import read_article

    text, file_url, file_published = read_article(path)
    url = url or file_url
    published = published or file_published
    result = extract(text, url=url, published=published)
    if not result.is_meeting_report:
        # A ceremony, a plan, a notice, an error page: stored as nothing (the extractor says
        # what it is instead); a meeting report lacking a date or a place is still stored.
        raise ExtractionInputError(f"{path}: {result.not_meeting_reason}")
    return _prepared(result, result.to_dict(), path.name, url, published)


def _prepared(result, data: dict, source_name: str, url, published) -> Prepared:
    """An extraction ready to write: its text, hash, JSON form, address and date."""
    return Prepared(
        source_name=source_name,
        text=result.text,
        sha256=data.get("text_sha256") or hashlib.sha256(result.text.encode()).hexdigest(),
        data=data,
        url=(url or data.get("url") or "")[:2000],
        published=parse_date(published or data.get("published")),
        extractor_version=extractor_version(),
    )


def _read_or_skip(path: Path, url, published, known: Known | None) -> Prepared | Written:
    """Prepare a file, unless its text is stored already by this extractor version, in which
    case extraction is skipped. `known` (see Known) is preloaded by big runs; without it one
    indexed query asks."""
    if not (url or published):
        from meetings.extraction.reader import read_article

        text, _, _ = read_article(path)
        sha = hashlib.sha256(text.encode()).hexdigest()
        if known is not None:
            stored = known.texts.get(sha)
            current = stored is not None and stored[2] == extractor_version()[:40]
            ids = stored[:2] if stored is not None and current else None
        else:
            ids = (
                Article.objects.filter(sha256=sha, extractor_version=extractor_version()[:40])
                .values_list("pk", "meeting_id")
                .first()
            )
        if ids:
            return Written(UNCHANGED, *ids)
    return prepare(path, url=url, published=published)


@dataclass
class Known:
    """What was stored when the run started, and what it stored since: text hash → (article
    id, meeting id, extractor version), and the address of every article (its versions
    included). A text or an address not in it is written without looking it up first (see
    _write_one)."""

    texts: dict[str, tuple]
    urls: set[str]

    @classmethod
    def read(cls) -> Known:
        rows = Article.objects.order_by().values_list(
            "sha256", "pk", "meeting_id", "extractor_version", "url"
        )
        texts, urls = {}, set()
        for sha, pk, mid, version, url in rows:
            texts[sha] = (pk, mid, version)
            urls.add(url)
        return cls(texts, urls)


@contextmanager
def relaxed_commits():
    """Do not wait for the WAL flush at COMMIT, for this connection until the block ends.

    A crash of the database server may then lose the last few committed articles, but never
    leaves a partial one (each is one transaction); ingest is re-run after any crash anyway,
    and rewrites what was lost. Set once per run (or worker) instead of once per article.
    """
    set_commit_mode("off")
    try:
        yield
    finally:
        set_commit_mode(None)


def set_commit_mode(value: str | None) -> None:
    """SET synchronous_commit for the session (None: back to the server's default)."""
    with connections["default"].cursor() as cursor:
        if value is None:
            cursor.execute("RESET synchronous_commit")
        else:
            cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [value])


# Set in the parent before forking workers; they inherit it.
_WORK: dict = {}


def _work(path: Path) -> FileResult:
    """In a worker process: read, extract and write one file, on the worker's own connection
    (which lives as long as the worker: it is not reset at the end)."""
    if "resolver" not in _WORK:
        _WORK["resolver"] = Resolver()
        set_commit_mode("off")
    if _WORK.get("before_file"):
        _WORK["before_file"](path)
    outcome: Prepared | Written | str
    try:
        outcome = _read_or_skip(path, None, None, _WORK["known"])
    except Exception as exc:
        outcome = _reason(exc, path)
    return _write_one(path, outcome, _WORK["resolver"], _WORK["known"])


def _results(
    files: list[Path], url, published, known, jobs: int, resolver: Resolver, before_file=None
):
    """The FileResult of each file: in order with one process, as they finish with more.

    With jobs > 1, files are read, extracted and written by that many forked worker
    processes, each with its own database connection and one transaction per article (the
    identity lock and row locks in write.py make concurrent sources of one meeting take turns).
    A worker that dies (the out-of-memory killer, kill -9) fails the file it was ingesting,
    with the reason, and is replaced: the run goes on (see _Workers).
    """
    if jobs <= 1 or len(files) < 2 or "fork" not in mp.get_all_start_methods():
        with relaxed_commits():
            for path in files:
                if before_file:
                    before_file(path)
                outcome: Prepared | Written | str
                try:
                    outcome = _read_or_skip(path, url, published, known)
                except Exception as exc:
                    outcome = _reason(exc, path)
                yield _write_one(path, outcome, resolver, known)
        return
    _WORK.update(known=known, before_file=before_file)
    warm_extractor()
    try:
        with _Workers(jobs) as workers:
            for path, result in workers.map(_work, files):
                if isinstance(result, WorkerDied):
                    result = _died(path, result)
                elif isinstance(result, TaskFailed):
                    result = FileResult(str(path), FAILED, result.reason)
                yield result
    finally:
        _WORK.clear()


# A short report, enough to make the extractor load what it loads on first use.
WARM_UP_TEXT = (
    "Ngày 23/10, Thành ủy Hà Nội tổ chức Hội nghị giao ban quý III/2023. Đồng chí Nguyễn Thị "
    "Tuyến, Phó Bí thư Thường trực Thành ủy chủ trì. Liên đoàn Lao động Thành phố đã tiếp nhận "
    "55 tỷ đồng, thực hiện Chỉ thị số 24-CT/TU."
)


def warm_extractor() -> None:
    """Load the extractor's data (the gazetteer, its compiled patterns) before forking
    workers, which then share it: each worker loading it for itself cost about 0.35 s of
    both cores at the start of every run."""
    from meetings.extraction import extract

    try:
        extract(WARM_UP_TEXT)
    except Exception:  # only a head start: each worker then loads what it needs itself
        return


def _died(path: Path, death: WorkerDied) -> FileResult:
    return FileResult(
        str(path),
        FAILED,
        f"the worker process ingesting it died ({death.how}: the out-of-memory killer, or "
        "kill -9?); run the command again to retry it (if it was stored before the worker "
        "died, it reports unchanged)",
    )


@dataclass
class TaskFailed:
    """What a worker sends back when its function raised."""

    reason: str


@dataclass
class WorkerDied:
    """What a worker process left instead of a result: how it ended."""

    exitcode: int | None

    @property
    def how(self) -> str:
        if self.exitcode is not None and self.exitcode < 0:
            try:
                name = signal.Signals(-self.exitcode).name
            except ValueError:
                name = "an unknown signal"
            return f"killed by signal {-self.exitcode}, {name}"
        return f"exited with status {self.exitcode}"


class _Workers:
    """Forked worker processes, each given one task at a time over its own pipe.

    multiprocessing.Pool replaces a worker that dies (the out-of-memory killer, kill -9) but
    loses its task, and waits for that task's result forever: the run hung. Here the parent
    waits on each busy worker's pipe and on the process itself, so a death is seen at once,
    with the task the worker held; map() yields a WorkerDied for it, and a new worker takes
    the next task.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.context = mp.get_context("fork")
        self.idle: list[tuple] = []  # (process, pipe) ready for a task
        self.all: list[tuple] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _start(self) -> tuple:
        connections.close_all()  # each worker opens its own; none may share the parent's socket
        mine, theirs = self.context.Pipe()
        inherited = [pipe for _, pipe in self.all] + [mine]  # the parent's ends, to close
        process = self.context.Process(target=_serve, args=(theirs, inherited), daemon=True)
        process.start()
        theirs.close()
        self.all.append((process, mine))
        return process, mine

    def map(self, function, items: Iterable):
        """(item, function(item), TaskFailed or WorkerDied) for each item, in the order they
        finish."""
        pending = deque(items)
        busy: dict = {}  # pipe → (process, item)
        while pending or busy:
            while pending and (self.idle or len(busy) < self.jobs):
                process, pipe = self.idle.pop() if self.idle else self._start()
                item = pending.popleft()
                pipe.send((function, item))
                busy[pipe] = (process, item)
            sentinels = {process.sentinel: pipe for pipe, (process, _) in busy.items()}
            ready = wait([*busy, *sentinels])
            for pipe in [r for r in ready if r in busy] + [
                sentinels[r] for r in ready if r in sentinels
            ]:
                if pipe not in busy:
                    continue  # its result was read above
                process, item = busy.pop(pipe)
                try:
                    outcome = pipe.recv()
                except (EOFError, OSError):  # the worker died before it answered
                    process.join()
                    pipe.close()
                    self.all.remove((process, pipe))
                    yield item, WorkerDied(process.exitcode)
                    continue
                self.idle.append((process, pipe))
                yield item, outcome

    def close(self) -> None:
        for _process, pipe in self.all:
            with suppress(OSError):  # a worker that died has closed its end
                pipe.send(None)
        for process, pipe in self.all:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
            pipe.close()
        self.all.clear()
        self.idle.clear()


def _serve(pipe, inherited: list) -> None:
    """A worker's loop: (function, item) in, function(item) out, until told to stop.

    The parent's ends of the pipes, inherited by the fork, are closed first: should the
    parent die, this worker's pipe then reads end-of-file and the worker ends too."""
    for end in inherited:
        end.close()
    while True:
        try:
            task = pipe.recv()
        except EOFError:  # the parent is gone
            return
        if task is None:
            return
        function, item = task
        try:
            outcome = function(item)
        except Exception as exc:  # reported with its item; the worker goes on
            outcome = TaskFailed(f"{type(exc).__name__}: {exc}")
        pipe.send(outcome)


def _write_one(path: str | Path, outcome, resolver: Resolver, known: Known | None) -> FileResult:
    """Write a prepared article, retrying after a clash with a concurrent writer.

    A text absent from `known` (all stored texts, read at the start of the run) is written
    without looking its hash up first, and an address absent from it without looking up its
    versions; should another process have stored the same text, or a version at the same
    address, in the meantime, the insert fails on the unique hash or on the unique current
    address, and the retry looks both up.
    """
    if isinstance(outcome, str):
        return FileResult(str(path), FAILED, outcome)
    try:
        written = outcome
        if isinstance(outcome, Prepared):
            new_text = known is not None and outcome.sha256 not in known.texts
            new_url = known is not None and outcome.url not in known.urls
            for attempt in range(RETRIES):
                try:
                    written = write_article(
                        outcome,
                        resolver,
                        new_text=new_text and not attempt,
                        new_url=new_url and not attempt,
                    )
                    break
                except (IntegrityError, OperationalError) as exc:
                    if isinstance(exc, OperationalError) and not _retryable(exc):
                        raise
                    if attempt == RETRIES - 1:
                        raise
    except Exception as exc:  # one bad file must not stop the others
        return FileResult(str(path), FAILED, _reason(exc, path))
    if known is not None and isinstance(outcome, Prepared):
        known.texts[outcome.sha256] = (
            written.article_id,
            written.meeting_id,
            outcome.extractor_version,
        )
        known.urls.add(outcome.url)
    return FileResult(
        str(path),
        written.status,
        article_id=written.article_id,
        meeting_id=written.meeting_id,
        merged=written.merged,
    )


def ingest_file(
    path: str | os.PathLike,
    *,
    url: str | None = None,
    published: str | None = None,
    resolver: Resolver | None = None,
) -> FileResult:
    """Ingest one file; errors are returned as a failed result naming the reason."""
    path = Path(path)
    outcome: Prepared | Written | str
    try:
        if url:
            try:
                url = check_url(url, "url")
            except ValueError as exc:
                raise ExtractionInputError(f"{path}: {exc}") from None
        outcome = _read_or_skip(path, url, published, None)
    except Exception as exc:
        outcome = _reason(exc, path)
    resolver = resolver or Resolver()
    with relaxed_commits():
        result = _write_one(path, outcome, resolver, None)
    settle(resolver)
    refresh_stale_search_documents()
    return result


def ingest_paths(
    paths: Iterable[str | os.PathLike],
    *,
    url: str | None = None,
    published: str | None = None,
    dry_run: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int, FileResult], None] | None = None,
    before_file: Callable[[Path], None] | None = None,
) -> Report:
    """Ingest files and folders; `url`/`published` apply when exactly one file is given.

    `jobs` > 1 reads, extracts and writes in that many worker processes (0: one per CPU for
    runs of 50 files or more). With
    `dry_run` everything is done inside one transaction that is rolled back at the end, so the
    report says exactly what a real run would do and the database is left untouched.
    `before_file` is called with each file's path in the process that ingests it, before it
    is read (the seam through which tests kill a worker).
    """
    max_bytes()  # a bad ARTICLE_MAX_BYTES stops the run here, not every file
    files, refused = collect_paths(paths)
    if (url or published) and len(files) != 1:
        raise ValueError("--url and --published apply to a single file")
    if url:
        url = check_url(url, "--url")
    if published:
        published = _given_published(files[0], published)
    if dry_run:
        jobs = 1  # one transaction to roll back, so one connection
    elif jobs <= 0:
        jobs = min(os.cpu_count() or 1, 8) if len(files) >= 50 else 1
    report = Report(results=list(refused), dry_run=dry_run)
    resolver = Resolver()
    with transaction.atomic() if dry_run else nullcontext():
        known = Known.read()
        results = _results(files, url, published, known, jobs, resolver, before_file)
        for n, result in enumerate(results, 1):
            report.results.append(result)
            if progress:
                progress(n, len(files), result)
        settle(resolver)  # what needed the whole run: see meetings/ingest/settle.py
        # Documents of meetings settle() changed, and any a database from before documents
        # were written with their article still lacks.
        refresh_stale_search_documents()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _given_published(path: Path, published: str) -> str:
    """--published, checked as a file's own date is: a real date, not in the future, not
    decades before the dates its text gives (ValueError names --published)."""
    try:
        text, _, _ = read_article(path)
    except ExtractionInputError:
        text = ""  # the file's own failure is reported with it
    return check_published(published, "--published", text)


def _retryable(exc: OperationalError) -> bool:
    """A deadlock or serialization failure between concurrent ingests."""
    return getattr(exc.__cause__, "pgcode", None) in ("40P01", "40001")


def _reason(exc: Exception, path: str | Path) -> str:
    message = str(exc).strip() or type(exc).__name__
    prefix = f"{path}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    if isinstance(exc, ValueError) and type(exc).__name__ == "ExtractionInputError":
        return message
    return f"{type(exc).__name__}: {message}"


# --- articles given as text (pages fetched from the web: meetings/fetch/) ----------------------


def prepare_text(
    text: str,
    *,
    url: str | None = None,
    published: str | None = None,
    source_name: str = "",
    province: str | None = None,
) -> Prepared:
    """What prepare() does for a file, for an article given as text (no database access).

    `province` (the province a site reports on, from a sources file) fills the city when
    the extractor finds none. Raises ExtractionInputError for a text that is not a meeting
    report, with the extractor's reason.
    """
    from meetings.extraction import ExtractionInputError, extract

    result = extract(text, url=url, published=published)
    if not result.is_meeting_report:
        raise ExtractionInputError(result.not_meeting_reason or "not a meeting report")
    data = result.to_dict()
    if province and not data.get("city"):
        data["city"] = province
        data.setdefault("sources", {})["city"] = "site"
    return _prepared(result, data, source_name or (url or "")[-300:], url, published)


def ingest_text(
    text: str,
    *,
    url: str | None = None,
    published: str | None = None,
    source_name: str = "",
    province: str | None = None,
    resolver: Resolver | None = None,
) -> FileResult:
    """Extract and write one article given as text, in one transaction (see write_article).

    A text stored already by this extractor version is not extracted again. A text that is
    not a meeting report raises ExtractionInputError with the extractor's reason (as
    prepare() does) and nothing is written; any other error is a failed result with its
    reason. The caller refreshes the search documents (refresh_stale_search_documents()).
    """
    from meetings.extraction import ExtractionInputError
    from meetings.extraction.text import normalize

    name = url or source_name or "<text>"
    sha = hashlib.sha256(normalize(text or "").encode()).hexdigest()
    stored = (
        Article.objects.filter(sha256=sha, extractor_version=extractor_version()[:40])
        .values_list("pk", "meeting_id")
        .first()
    )
    if stored:
        return FileResult(name, UNCHANGED, article_id=stored[0], meeting_id=stored[1])
    outcome: Prepared | str
    try:
        outcome = prepare_text(
            text, url=url, published=published, source_name=source_name, province=province
        )
    except ExtractionInputError:
        raise
    except Exception as exc:
        outcome = _reason(exc, name)
    return _write_one(name, outcome, resolver or Resolver(), None)
