"""What every file import reports when it refuses a file: each problem by row and column; and
the progress line of a long import on the command line."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


class ImportRejected(Exception):
    """The file was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


class Progress:
    """A one-line progress report (``\\r`` updates): rows, share of the file, rows per second."""

    def __init__(self, write: Callable[[str], None], total_bytes: int, every: float = 0.5):
        self.write, self.total, self.every = write, total_bytes, every
        self.start = self.last = time.monotonic()
        self.shown = False

    def update(self, rows: int, done_bytes: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.every:
            return
        self.last = now
        share = f" {min(100.0, 100 * done_bytes / self.total):5.1f}%" if self.total else ""
        rate = rows / max(now - self.start, 1e-9)
        self.write(f"\r{rows:>12,} rows{share}  {rate:>9,.0f} rows/s")
        self.shown = True

    def say(self, message: str) -> None:
        self.write(("\n" if self.shown else "") + message + "\n")
        self.shown = False
