"""What the ingest and fetch commands print while they run and when they finish."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError


class ProgressBar:
    """A one-line carriage-return bar on a terminal."""

    def __init__(self, stream, width=30):
        self.stream, self.width = stream, width

    def show(self, done, total, name):
        filled = self.width * done // max(total, 1)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {name}"
        self.stream.write("\r" + line[:120].ljust(120))
        self.stream.flush()

    def clear(self):
        self.stream.write("\r" + " " * 120 + "\r")
        self.stream.flush()


def progress_bar(verbosity: int) -> ProgressBar | None:
    """A bar on standard error when it is a terminal and the command is not quiet."""
    return ProgressBar(sys.stderr) if verbosity >= 1 and sys.stderr.isatty() else None


def print_report(command: BaseCommand, report, where: Callable, verbosity: int) -> None:
    """Each failure with its file or address (`where`) and reason, then the summary."""
    for failure in report.failures:
        command.stderr.write(f"failed    {where(failure)}: {failure.reason}")
    if verbosity >= 1:
        style = command.style.SUCCESS if report.ok else command.style.WARNING
        command.stdout.write(style(report.summary()))


def fail_if_any_failed(report, things: str) -> None:
    """A non-zero exit naming how many failed ("3 file(s) failed")."""
    if not report.ok:
        raise CommandError(f"{len(report.failures)} {things} failed", returncode=1)
