"""What every file import reports when it refuses a file: each problem by row and column, at
most ``MAX_ERRORS`` of them (a file wrong on every row is refused after the first ones, not
listed whole); and the progress line of a long import on the command line."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
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


MAX_ERRORS = 50  # problems listed before a file is refused without reading further


class ImportRejected(Exception):
    """The file was refused; ``errors`` lists the problems found (``stopped``: reading stopped
    at ``MAX_ERRORS`` of them, there may be more)."""

    def __init__(self, errors: list[RowError], *, stopped: bool = False):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors
        self.stopped = stopped

    def lines(self, shown: int = MAX_ERRORS) -> list[str]:
        """At most ``shown`` problems, one a line, then a line saying what was left out."""
        lines = [str(error) for error in self.errors[:shown]]
        if self.stopped:
            lines.append(_("… and more; stopped after %(n)d errors") % {"n": len(self.errors)})
        elif len(self.errors) > shown:
            lines.append(_("… and %(n)d more") % {"n": len(self.errors) - shown})
        return lines


class Problems(list[RowError]):
    """The problems of a file as they are found: a list that refuses the file (raises
    ``ImportRejected`` with ``stopped``) once it holds ``limit`` of them."""

    def __init__(self, limit: int = MAX_ERRORS):
        super().__init__()
        self.limit = limit

    def append(self, error: RowError) -> None:
        super().append(error)
        if len(self) >= self.limit:
            raise ImportRejected(list(self), stopped=True)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def raise_if_any(self) -> None:
        if self:
            raise ImportRejected(list(self))


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
