"""One import of a file: who may run it, the reading in batches, the duplicate codes, the
rejects, the result; then, in the same transaction, the statistics of the agencies touched,
the dossier-code counters and the audit event."""

from __future__ import annotations

import csv
import io
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.imports import ImportRejected, Progress, RowError
from tinhso.procedures import aggregate, audit_events, catalogue, publication
from tinhso.procedures.importing.checks import Checked, RowChecker
from tinhso.procedures.importing.columns import (
    ANNOTATIONS,
    header_problems,
    read_records,
    source_for,
)
from tinhso.procedures.importing.writer import (
    DossierWriter,
    Duplicates,
    SeenCodes,
    Written,
    advance_sequences,
    begin_import,
)
from tinhso.procedures.models import Dossier, Rating
from tinhso.procedures.permissions import IMPORT_DOSSIERS
from tinhso.units.models import Unit

MAX_ERRORS = 50
BATCH_SIZE = 5000
# Batches given to the database before the oldest is waited for: the checking and the
# database's work overlap even when a batch takes one of them longer than the other.
IN_FLIGHT = 2
Records = Iterator[tuple[int, list[str]]]


@dataclass
class ImportResult:
    source: str
    rows: int = 0
    imported: int = 0
    rejected: int = 0
    ratings: int = 0
    agencies: int = 0
    aggregate_rows: int = 0
    indicator_values: int = 0
    problems: int = 0  # every problem of the rows read
    seconds: float = 0.0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS
    rejects_path: Path | None = None


class DossiersRejected(ImportRejected):
    """All or nothing: the file was refused. ``errors`` holds the first problems;
    ``truncated`` says whether there were more (or the reading stopped at
    :data:`MAX_ERRORS`)."""

    def __init__(self, errors: list[RowError], *, rows: int = 0, truncated: bool = False):
        super().__init__(errors)
        self.rows = rows
        self.truncated = truncated


class Rejects:
    """``FILE.rejects.csv`` (skip-bad mode): each bad row's line, its problems and its cells,
    so that it can be corrected and imported again; nothing without a path."""

    def __init__(self, path: Path | None, header: list[str]):
        self.path = path
        self.kept = [i for i, h in enumerate(header) if h not in ANNOTATIONS]
        self.file: IO[str] | None = None
        self.writer: Any = None
        if path is not None:
            self.file = path.open("w", encoding="utf-8", newline="")
            self.writer = csv.writer(self.file)
            self.writer.writerow([*ANNOTATIONS, *(header[i] for i in self.kept)])

    def write(self, row: Checked) -> None:
        if self.writer is not None:
            described = "; ".join(f"{e.column}: {e.message}" for e in row.errors)
            record = row.record
            self.writer.writerow([row.line, described,
                                  *(record[i] if i < len(record) else "" for i in self.kept)])

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class Run:
    """One import's state: each batch's checks (duplicate codes included), rejects and
    writes. A batch is checked while the database checks the codes of the ones before and
    writes them (up to :data:`IN_FLIGHT` batches); its rejects are counted when that is done
    (``settle``), in the order of the lines."""

    def __init__(self, checker: RowChecker, result: ImportResult, skip_bad: bool,
                 rejects: Rejects):
        self.checker, self.result, self.skip_bad = checker, result, skip_bad
        self.rejects = rejects
        self.seen = SeenCodes()
        self.writer = DossierWriter(result.source, checker.agency_codes, self.seen)
        self.writing = True
        self.pending: deque[tuple[list[Checked], Callable[[], Written]]] = deque()

    def batch(self, rows: list[tuple[int, list[str]]]) -> bool:
        """Checks a batch and begins its work in the database; False when a batch before
        stopped the reading (all or nothing, :data:`MAX_ERRORS` problems): this one is not
        counted."""
        checked = [self.checker.check(line, record) for line, record in rows]
        first = self._within(checked)
        while len(self.pending) >= IN_FLIGHT:
            self._settle_oldest()
        if self._full():
            return False
        bad = any(row.errors for row in checked)
        self.pending.append((checked, self.writer.start(checked, first, write=self.writing,
                                                        whole=not self.skip_bad)))
        if not self.writing or (bad and not self.skip_bad):
            self.settle()  # only checking from now on: nothing to overlap
        return True

    def _full(self) -> bool:
        return not self.skip_bad and len(self.result.errors) >= MAX_ERRORS

    def settle(self) -> None:
        """Waits for the batches being checked and written by the database, and counts them."""
        while self.pending:
            self._settle_oldest()

    def _settle_oldest(self) -> None:
        checked, finish = self.pending.popleft()
        written = finish()
        self._duplicates(checked, written.duplicates)
        for row in checked:
            if row.errors:
                self.reject(row)
        if self.result.errors and not self.skip_bad:
            self.writing = False  # all or nothing: only checking from now on
        self.result.imported += len(written.rows)
        self.result.ratings += written.ratings

    @staticmethod
    def _within(checked: list[Checked]) -> dict[str, int]:
        """Duplicate codes within the batch; {code: its first line in the batch}."""
        first: dict[str, int] = {}
        for row in checked:
            if row.code and len(row.code) <= 60:
                if row.code in first:
                    row.errors.append(RowError(row.line, "code", _(
                        "the same code as line %d") % first[row.code]))
                else:
                    first[row.code] = row.line
        return first

    @staticmethod
    def _duplicates(checked: list[Checked], found: Duplicates) -> None:
        """The codes of a batch met earlier in the file (before the batch) or already in the
        database."""
        for row in checked:
            if not found.hit(row):
                continue
            if row.code in found.earlier:
                row.errors.append(RowError(row.line, "code", _("the same code as line %d")
                                           % found.earlier[row.code]))
            else:
                row.errors.append(RowError(row.line, "code", _(
                    "a dossier with this code is already in the database")))

    def reject(self, row: Checked) -> None:
        self.result.rejected += 1
        self.result.problems += len(row.errors)
        room = MAX_ERRORS - len(self.result.errors)
        self.result.errors.extend(row.errors[:max(room, 0)])
        self.rejects.write(row)

    def read(self, records: Records, batch_size: int, progress: Progress | None,
             position: Callable[[], int], total: int) -> None:
        """Every record, by batches; all or nothing: stops after :data:`MAX_ERRORS` problems
        and refuses the file when there was any."""
        result, batch = self.result, []
        line, stopped = 1, False
        try:
            for line, record in records:
                batch.append((line, record))
                result.rows += 1
                if len(batch) >= batch_size:
                    if not self.batch(batch):
                        result.rows -= len(batch)
                        stopped = True
                        break
                    batch = []
                    if progress is not None:
                        progress.update(result.rows, position())
                    if self._full():
                        stopped = True
                        break
            else:
                if batch and not self.batch(batch):
                    result.rows -= len(batch)
                    stopped = True
            self.settle()
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DossiersRejected([*result.errors, RowError(line + 1, _("file"), _(
                "the file cannot be read from here (not UTF-8 CSV?): %s") % exc)],
                rows=result.rows, truncated=True) from exc
        if progress is not None:
            progress.update(result.rows, total, force=True)
        if result.errors and not self.skip_bad:
            raise DossiersRejected(result.errors, rows=result.rows,
                                   truncated=stopped or result.problems > MAX_ERRORS)


def dossiers_import(path: Path, *, actor: Any, skip_bad: bool = False,
                    batch_size: int = BATCH_SIZE, progress: Progress | None = None,
                    now: datetime | None = None) -> ImportResult:
    """Import the dossiers of a CSV file (see the package's docstring). All or nothing unless
    ``skip_bad``; raises :class:`DossiersRejected` when the file is refused.

    The actor needs ``dossiers.import`` at the province (the home unit), not at each agency
    of the file: the file is the feed of another one-stop system for the whole province, and
    the import writes at the province's level (its statistics and count indicators, the
    dossier-code counters, the audit event); the check is made once, before anything is
    read, so a refused actor (PermissionDenied) is told at once."""
    started = time.monotonic()
    path = Path(path)
    home = catalogue.home_unit()
    require(actor, IMPORT_DOSSIERS, home)
    result = ImportResult(source=_source(path))
    rejects_path = Path(f"{path}.rejects.csv") if skip_bad else None
    with path.open("rb") as raw, transaction.atomic():
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        header, records = _header_and_records(text)
        below = begin_import()
        checker = RowChecker(header, now or timezone.now())
        rejects = Rejects(rejects_path, header)
        try:
            run = Run(checker, result, skip_bad, rejects)
            try:
                run.read(records, batch_size, progress, raw.raw.tell, path.stat().st_size)
            finally:
                run.writer.close()
            run.writer.loaded()
            run.seen.drop()
            if progress is not None:
                progress.say(_("Adding the dossiers to the statistics of %d agencies...")
                             % len(run.writer.units))
            _conclude(run, actor=actor, home=home, path=path, below=below)
        finally:
            rejects.close()
    result.rejects_path = rejects_path
    result.seconds = time.monotonic() - started
    return result


def _source(path: Path) -> str:
    source = source_for(path)
    if len(source) > Dossier._meta.get_field("source").max_length:  # type: ignore[operator]
        raise DossiersRejected([RowError(0, _("file"), _(
            "the file name is too long to name the dossiers' source: rename the file"))])
    return source


def _header_and_records(text: io.TextIOWrapper) -> tuple[list[str], Records]:
    try:
        header, records = read_records(text)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DossiersRejected([RowError(1, _("file"), _(
            "the file cannot be read (not UTF-8 CSV?): %s") % exc)]) from exc
    problems = header_problems(header)
    if problems:
        raise DossiersRejected(problems)
    return header, records


def _conclude(run: Run, *, actor: Any, home: Unit | None, path: Path, below: int) -> None:
    """After the rows: the code counters, the statistics of the agencies touched (the
    dossiers written, those of the source above the id ``below``, added to the aggregate; then
    published), and one audit event with the counts."""
    result, writer = run.result, run.writer
    advance_sequences(writer.highest)
    if result.imported:
        # A rating has its dossier's id: the import's are those above ``below`` too.
        result.aggregate_rows = aggregate.add(
            Dossier.objects.filter(pk__gt=below, source=result.source),
            Rating.objects.filter(dossier_id__gt=below, dossier__source=result.source))
        result.indicator_values = publication.publish(writer.units, writer.years)
    result.agencies = len(writer.units)
    audit_record(actor=actor, action=audit_events.DOSSIERS_IMPORTED, unit=home,
                 details={"file": path.name, "source": result.source, "rows": result.rows,
                          "imported": result.imported, "rejected": result.rejected,
                          "ratings": result.ratings, "agencies": result.agencies,
                          "aggregate_rows": result.aggregate_rows,
                          "skip_bad": run.skip_bad})
