"""Dossiers kept by another one-stop system, imported from a CSV of the national
synchronisation fields (``tinhso dossiers import``; columns in docs/operations/dossier-import.md).

The file is streamed: rows are read with the csv module, checked and written in batches
(``bulk_create``), so memory stays bounded whatever the file's length. Codes already seen in the
file are kept in a temporary table of the database, not in memory.

Two modes:

- all or nothing (the default): any bad row and nothing is written; the first
  :data:`MAX_ERRORS` problems are reported (``ImportRejected``), each with its line and column;
- ``skip_bad``: the good rows are imported, every bad row is written with its line number and
  its problems to ``FILE.rejects.csv`` (which can be corrected and imported again: its ``line``
  and ``errors`` columns are ignored).

Imported dossiers get ``source = "import:<file name>"``. ``on_time`` is computed as for the
platform's own dossiers: resolved by the due time, with at most one supplement request; the due
time is taken as the source system gives it (it already counts the paused time). After loading,
in the same transaction, the statistics aggregate of the agencies touched is rebuilt, their
count indicators are published, dossier-code counters are moved past imported codes of the
platform's own format, and one audit event records the counts.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.audit.models import AuditAction
from tinhso.audit.services import audit_record
from tinhso.core.imports import ImportRejected, RowError
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import codes as dossier_codes
from tinhso.procedures import formschema, stats
from tinhso.procedures.models import (
    FINISHED_STATUSES,
    Channel,
    Dossier,
    DossierSequence,
    DossierStatus,
    Procedure,
    Rating,
    fold,
)
from tinhso.units.models import Unit

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
REQUIRED = ("code", "procedure", "agency", "channel", "applicant_name", "applicant_phone",
            "received", "due", "status")
OPTIONAL = ("finished", "returned", "supplement_periods", "fee_payable", "paid_online",
            "digitised", "result_file", "rating", "withdrawn", "rated")
COLUMNS = REQUIRED + OPTIONAL
ANNOTATIONS = ("line", "errors")  # the columns a rejects file adds; ignored on import
MAX_ERRORS = 50
BATCH_SIZE = 5000
SOURCE_PREFIX = "import:"

CHANNELS = {
    "in_person": Channel.IN_PERSON, "online": Channel.ONLINE, "postal": Channel.POSTAL,
    "truc_tiep": Channel.IN_PERSON, "truc_tuyen": Channel.ONLINE, "buu_chinh": Channel.POSTAL,
}
OPEN = (DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT)
# An unanswered supplement request may end the story: waiting, refused or withdrawn.
MAY_END_WAITING = (DossierStatus.SUPPLEMENT, DossierStatus.REFUSED, DossierStatus.WITHDRAWN)
TRUE = frozenset({"1", "true", "yes", "y", "x", "co", "có"})
FALSE = frozenset({"", "0", "false", "no", "n", "khong", "không"})

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_NATIVE_CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{1,9})$")


# --- values -----------------------------------------------------------------------------------


def parse_moment(text: str) -> datetime:
    """ISO 8601 (``2026-03-02T09:00``, with or without seconds and offset) or
    ``DD/MM/YYYY HH:MM[:SS]``; without an offset the time is Vietnam's. ValueError otherwise."""
    text = text.strip()
    if match := _DMY.match(text):
        day, month, year, hour, minute, second = match.groups()
        value = datetime(int(year), int(month), int(day), int(hour), int(minute),
                         int(second or 0))
    elif _ISO.match(text):
        value = datetime.fromisoformat(text)
    else:
        raise ValueError(text)
    # All in the one zone (Vietnam has kept UTC+7 since 1975): comparing datetimes with the
    # same tzinfo is the quick comparison of their fields.
    return value.replace(tzinfo=LOCAL) if value.tzinfo is None else value.astimezone(LOCAL)


def parse_periods(text: str) -> list[tuple[datetime, datetime | None]]:
    """``start/end;start/end;...`` (the end empty while the supplement is awaited)."""
    periods: list[tuple[datetime, datetime | None]] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        # The separator is a slash, and DD/MM/YYYY has slashes too: take the split whose two
        # halves are both times (or the right half empty).
        for position in (i for i, c in enumerate(part) if c == "/"):
            left, right = part[:position].strip(), part[position + 1:].strip()
            try:
                start = parse_moment(left)
                end = parse_moment(right) if right else None
            except ValueError:
                continue
            periods.append((start, end))
            break
        else:
            raise ValueError(part)
    return periods


def parse_flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(text)


def source_for(path: Path) -> str:
    return SOURCE_PREFIX + path.name


# --- results ----------------------------------------------------------------------------------


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

    def __init__(self, errors: list[RowError], *, rows: int, truncated: bool):
        super().__init__(errors)
        self.rows = rows
        self.truncated = truncated


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


# --- checking one row -------------------------------------------------------------------------


# The dossier fields a row gives, in the order of Checked.values.
FIELDS = ("code", "procedure_id", "unit_id", "channel", "status", "applicant_name",
          "applicant_phone", "received_at", "due_at", "finished_at", "returned_at",
          "withdrawn_at", "paused_at", "remaining_seconds", "supplement_count", "on_time",
          "fee_payable", "paid_online", "digitised", "electronic_result")
STATUSES = frozenset(DossierStatus.values)
LEVELS = frozenset(Rating.Level.values)


@dataclass
class Checked:
    line: int
    record: list[str]
    code: str
    errors: list[RowError]
    values: tuple[Any, ...] | None = None  # FIELDS, when the row is good
    rating: tuple[int, datetime] | None = None


class RowChecker:
    """Checks rows against the catalogue and the agencies (loaded once per file)."""

    def __init__(self, header: Sequence[str], now: datetime):
        self.header = list(header)
        self.width = len(header)
        self.now = now.astimezone(LOCAL)
        catalogue = list(Procedure.objects.only("id", "code", "national_code", "fee_payable"))
        # By national code, and by code (which wins when the two meet).
        self.procedures = {p.national_code: p for p in catalogue if p.national_code}
        self.procedures.update({p.code: p for p in catalogue})
        home = Unit.objects.filter(code=settings.TINHSO_HOME_UNIT).first()
        agencies = Unit.objects.only("id", "code", "attributes")
        if home is not None:
            agencies = agencies.within(home).exclude(pk=home.pk)
        self.units: dict[str, int] = {}
        self.agency_codes: set[str] = set()
        for unit in agencies:
            self.units[unit.code] = unit.pk
            national = dossier_codes.agency_code(unit)
            self.units.setdefault(national, unit.pk)
            self.agency_codes.add(national)
        self.calendars: dict[int, WorkCalendar] = {}

    def _calendar(self, moment: datetime) -> WorkCalendar:
        from tinhso.procedures.services import calendar_for

        if moment.year not in self.calendars:
            self.calendars[moment.year] = calendar_for(moment)
        return self.calendars[moment.year]

    def check(self, line: int, record: list[str]) -> Checked:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        cells = dict(zip(self.header, record, strict=False))
        code = cells.get("code", "").strip()
        out = Checked(line, record, code, errors)
        if len(record) != self.width:
            error(_("fields"), _("%(found)d fields where the header has %(expected)d")
                  % {"found": len(record), "expected": self.width})
            return out
        if not code:
            error("code", _("the dossier code is missing"))
        elif len(code) > 60:
            error("code", _("longer than 60 characters"))
        def get(name: str) -> str:
            return cells.get(name, "").strip()

        procedure = self.procedures.get(get("procedure"))
        if procedure is None:
            error("procedure", _("'%s' is not a procedure code or national code of the "
                                 "catalogue") % get("procedure"))
        unit_id = self.units.get(get("agency"))
        if unit_id is None:
            error("agency", _("'%s' is not the code of an agency of the province")
                  % get("agency"))
        channel = CHANNELS.get(get("channel").lower()) \
            or CHANNELS.get(fold(get("channel")).replace(" ", "_"))
        if channel is None:
            error("channel", _("'%s' is not a channel (in_person, online, postal)")
                  % get("channel"))
        name = get("applicant_name")
        if not name:
            error("applicant_name", _("the applicant's name is missing"))
        elif len(name) > 200:
            error("applicant_name", _("longer than 200 characters"))
        phone = formschema.normalise_phone(get("applicant_phone"))
        if not formschema._PHONE.match(phone):
            error("applicant_phone", _("'%s' is not a Vietnamese phone number")
                  % get("applicant_phone"))
        status = get("status").lower()
        if status not in STATUSES:
            error("status", _("'%s' is not a status (%s)")
                  % (get("status"), ", ".join(DossierStatus.values)))

        moments: dict[str, datetime | None] = {}
        for column in ("received", "due", "finished", "returned", "withdrawn", "rated"):
            text = get(column)
            moments[column] = None
            if not text:
                if column in REQUIRED:
                    error(column, _("this time is missing"))
                continue
            try:
                moments[column] = parse_moment(text)
            except ValueError:
                error(column, _("'%s' is not a date and time (2026-03-02T09:00 or "
                                "02/03/2026 09:00)") % text)
        received, due = moments["received"], moments["due"]
        finished, returned = moments["finished"], moments["returned"]
        withdrawn, rated = moments["withdrawn"], moments["rated"]
        for column, moment in moments.items():
            if moment is not None and column != "due" and moment > self.now:
                error(column, _("in the future"))
        if received is not None:
            if due is not None and due < received:
                error("due", _("before the time received"))
            if finished is not None and finished < received:
                error("finished", _("before the time received"))
            if withdrawn is not None and withdrawn < received:
                error("withdrawn", _("before the time received"))
        if finished is not None and returned is not None and returned < finished:
            error("returned", _("before the time resolved"))
        result_at = returned or finished
        if rated is not None and result_at is not None and rated < result_at:
            error("rated", _("before the result"))
        if status in STATUSES:
            if (status in FINISHED_STATUSES and finished is None
                    and "finished" not in _columns(errors)):
                error("finished", _("a %s dossier needs the time it was resolved") % status)
            if status not in FINISHED_STATUSES and finished is not None:
                error("finished", _("a %s dossier has no time resolved") % status)
            if status == DossierStatus.RETURNED and returned is None \
                    and "returned" not in _columns(errors):
                error("returned", _("a returned dossier needs the time of the return"))
            if status != DossierStatus.RETURNED and returned is not None:
                error("returned", _("only a returned dossier has a time of return"))
            if status == DossierStatus.WITHDRAWN and withdrawn is None \
                    and "withdrawn" not in _columns(errors):
                error("withdrawn", _("a withdrawn dossier needs the time it was withdrawn"))
            if status != DossierStatus.WITHDRAWN and withdrawn is not None:
                error("withdrawn", _("only a withdrawn dossier has a time withdrawn"))

        periods: list[tuple[datetime, datetime | None]] = []
        try:
            periods = parse_periods(get("supplement_periods"))
        except ValueError as exc:
            error("supplement_periods", _("'%s' is not a period start/end") % exc)
        previous_end = received
        ended = finished or withdrawn
        for position, (start, end) in enumerate(periods):
            if previous_end is not None and start < previous_end:
                error("supplement_periods", _("period %d starts before the time received or "
                                              "the previous period's end") % (position + 1))
            if end is not None and end < start:
                error("supplement_periods", _("period %d ends before it starts")
                      % (position + 1))
            if ended is not None and (end or start) > ended:
                error("supplement_periods", _("period %d goes past the dossier's end")
                      % (position + 1))
            if (end or start) > self.now:
                error("supplement_periods", _("period %d is in the future") % (position + 1))
            if end is None and (position != len(periods) - 1 or status not in MAY_END_WAITING):
                error("supplement_periods", _("period %d has no end: only the last period of "
                                              "a dossier waiting for a supplement (or refused "
                                              "or withdrawn while waiting) may be open")
                      % (position + 1))
            previous_end = end or start
        waiting = bool(periods) and periods[-1][1] is None
        if status == DossierStatus.SUPPLEMENT and not waiting:
            error("supplement_periods", _("a dossier waiting for a supplement needs an open "
                                          "last period (start/)"))

        flags: dict[str, bool] = {}
        for column in ("fee_payable", "paid_online", "digitised"):
            try:
                flags[column] = parse_flag(get(column))
            except ValueError:
                error(column, _("'%s' is not 0/1 or true/false") % get(column))
        if not get("fee_payable") and procedure is not None:
            flags["fee_payable"] = procedure.fee_payable
        if flags.get("paid_online") and not flags.get("fee_payable", True):
            error("paid_online", _("paid online, but no fee is payable"))

        rating: tuple[int, datetime] | None = None
        if text := get("rating"):
            level = int(text) if text.isdigit() else 0
            rated_at = rated or returned or finished
            if level not in LEVELS:
                error("rating", _("'%s' is not a level from 1 to 5") % text)
            elif status not in FINISHED_STATUSES:
                error("rating", _("only a resolved dossier is rated"))
            elif rated_at is not None:
                rating = (level, rated_at)
        elif rated is not None:
            error("rated", _("a time rated without a rating"))

        if errors or procedure is None or unit_id is None or received is None or due is None \
                or channel is None:
            return out
        paused_at, remaining = None, None
        if status == DossierStatus.SUPPLEMENT:
            paused_at = timezone.localtime(periods[-1][0], LOCAL)
            local_due = timezone.localtime(due, LOCAL)
            calendar = self._calendar(paused_at)
            if paused_at <= local_due:
                left = calendar.working_time_between(paused_at, local_due)
            else:
                left = -calendar.working_time_between(local_due, paused_at)
            remaining = int(left.total_seconds())
        on_time = None
        if status in FINISHED_STATUSES and finished is not None:
            # As for the platform's own dossiers (services._finish).
            on_time = finished <= due and len(periods) <= 1
        out.values = (code, procedure.pk, unit_id, channel, status, name, phone, received, due,
                      finished, returned, withdrawn, paused_at, remaining, len(periods), on_time,
                      flags["fee_payable"], flags["paid_online"], flags["digitised"],
                      bool(get("result_file")))
        out.rating = rating
        return out


def _columns(errors: list[RowError]) -> set[str]:
    return {e.column for e in errors}


# --- reading the file -------------------------------------------------------------------------


def _records(text: io.TextIOWrapper) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (lowercased) and the (line, fields) of each non-empty record after it."""
    first = text.readline()
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    header = [h.strip().lower() for h in next(csv.reader([first], dialect), [])]
    reader = csv.reader(text, dialect)

    def records() -> Iterator[tuple[int, list[str]]]:
        last = 1  # the header's line
        for record in reader:
            line, last = last + 1, reader.line_num + 1
            if record and any(f.strip() for f in record):
                yield line, record

    return header, records()


def _check_header(header: list[str]) -> None:
    problems = [RowError(1, c, _("this column is missing")) for c in REQUIRED
                if c not in header]
    problems += [RowError(1, c or "?", _("unknown column (the columns are: %s)")
                          % ", ".join(COLUMNS))
                 for c in header if c not in COLUMNS and c not in ANNOTATIONS]
    seen: set[str] = set()
    for c in header:
        if c in seen:
            problems.append(RowError(1, c, _("this column appears twice")))
        seen.add(c)
    if problems:
        raise DossiersRejected(problems, rows=0, truncated=False)


# --- the codes already seen -------------------------------------------------------------------


class SeenCodes:
    """The codes of the file seen so far, in a temporary table of the database (memory stays
    bounded), and the check of each batch's codes against it and against the dossiers."""

    SEEN = "tinhso_import_seen_codes"
    BATCH = "tinhso_import_batch_codes"

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            for table in (self.SEEN, self.BATCH):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(f"CREATE TEMPORARY TABLE {table} "
                               "(code varchar(60) PRIMARY KEY, line integer NOT NULL)")

    def check(self, pairs: list[tuple[str, int]]) -> tuple[dict[str, int], set[str]]:
        """For (code, line) pairs of distinct codes: {code: first line} of the codes seen
        earlier in the file, and the other codes already in the database. Records them."""
        dossiers = connection.ops.quote_name(Dossier._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {self.BATCH}")
                with cursor.cursor.copy(f"COPY {self.BATCH} (code, line) FROM STDIN") as copy:
                    for pair in pairs:
                        copy.write_row(pair)
            else:
                cursor.execute(f"DELETE FROM {self.BATCH}")
                cursor.executemany(f"INSERT INTO {self.BATCH} (code, line) VALUES (%s, %s)",
                                   pairs)
            cursor.execute(f"INSERT INTO {self.SEEN} (code, line) SELECT code, line "
                           f"FROM {self.BATCH} WHERE true ON CONFLICT (code) DO NOTHING "
                           "RETURNING code")
            new = {row[0] for row in cursor.fetchall()}
            earlier: dict[str, int] = {}
            again = [code for code, _line in pairs if code not in new]
            for start in range(0, len(again), 500):
                chunk = again[start:start + 500]
                cursor.execute(f"SELECT code, line FROM {self.SEEN} WHERE code IN "
                               f"({', '.join(['%s'] * len(chunk))})", chunk)
                earlier.update(cursor.fetchall())
            cursor.execute(f"SELECT code FROM {dossiers} WHERE code IN "
                           f"(SELECT code FROM {self.BATCH})")
            existing = {row[0] for row in cursor.fetchall()} - earlier.keys()
        return earlier, existing

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in (self.SEEN, self.BATCH):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _advance_sequences(highest: dict[tuple[str, date], int]) -> None:
    """Move the dossier-code counters past imported codes in the platform's own format, so
    that the platform never gives a code an imported dossier already has."""
    if not highest:
        return
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    sql = (f"INSERT INTO {table} (agency_code, day, last) VALUES (%s, %s, %s) "
           f"ON CONFLICT (agency_code, day) DO UPDATE SET last = CASE WHEN "
           f"excluded.last > {table}.last THEN excluded.last ELSE {table}.last END")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a, d, n) for (a, d), n in sorted(highest.items())])


# --- the import -------------------------------------------------------------------------------


class _Run:
    """One import's state: the batches' checks and writes, what they touched."""

    def __init__(self, checker: RowChecker, result: ImportResult, skip_bad: bool,
                 rejects: Any, kept: list[int]):
        self.checker, self.result, self.skip_bad = checker, result, skip_bad
        self.rejects, self.kept = rejects, kept  # the file's columns a reject repeats
        self.seen = SeenCodes()
        self.writing = True
        self.units: set[int] = set()
        self.years: set[int] = set()
        self.highest: dict[tuple[str, date], int] = defaultdict(int)
        self.copy_sql: str | None = None
        self.copy_tail: tuple[Any, ...] = ()

    def batch(self, rows: list[tuple[int, list[str]]]) -> None:
        checked = [self.checker.check(line, record) for line, record in rows]
        # Duplicate codes: earlier in the file (this batch or before), then in the database.
        first: dict[str, int] = {}
        for row in checked:
            if row.code and len(row.code) <= 60:
                if row.code in first:
                    row.errors.append(RowError(row.line, "code", _(
                        "the same code as line %d") % first[row.code]))
                else:
                    first[row.code] = row.line
        earlier, existing = self.seen.check(list(first.items()))
        for row in checked:
            if first.get(row.code) != row.line:
                continue
            if row.code in earlier:
                row.errors.append(RowError(row.line, "code", _("the same code as line %d")
                                           % earlier[row.code]))
            elif row.code in existing:
                row.errors.append(RowError(row.line, "code", _(
                    "a dossier with this code is already in the database")))
        for row in checked:
            if row.errors:
                self.reject(row)
        if self.result.errors and not self.skip_bad:
            self.writing = False  # all or nothing: only checking from now on
        good = [row for row in checked if not row.errors and row.values is not None]
        if self.writing and good:
            self.write(good)

    def reject(self, row: Checked) -> None:
        self.result.rejected += 1
        self.result.problems += len(row.errors)
        room = MAX_ERRORS - len(self.result.errors)
        self.result.errors.extend(row.errors[:max(room, 0)])
        if self.rejects is not None:
            described = "; ".join(f"{e.column}: {e.message}" for e in row.errors)
            record = row.record
            self.rejects.writerow([row.line, described,
                                   *(record[i] if i < len(record) else "" for i in self.kept)])

    def write(self, good: list[Checked]) -> None:
        rows = [row.values for row in good if row.values is not None]
        for values in rows:
            self.units.add(values[2])
            for moment in (values[7], values[9], values[11]):  # received, finished, withdrawn
                if moment is not None:
                    self.years.add(timezone.localtime(moment, LOCAL).year)
            self._note_code(values[0])
        rated = [row for row in good if row.rating is not None]
        for row in rated:
            assert row.rating is not None
            self.years.add(timezone.localtime(row.rating[1], LOCAL).year)
        if connection.vendor == "postgresql":
            self._copy(rows)
            ids = dict(Dossier.objects.filter(code__in=[row.code for row in rated])
                       .values_list("code", "pk")) if rated else {}
        else:
            dossiers = [Dossier(**dict(zip(FIELDS, values, strict=True)),
                                source=self.result.source) for values in rows]
            Dossier.objects.bulk_create(dossiers, batch_size=1000)
            ids = {d.code: d.pk for d in dossiers}
        ratings = [Rating(dossier_id=ids[row.code], level=row.rating[0], at=row.rating[1])
                   for row in rated if row.rating is not None]
        Rating.objects.bulk_create(ratings, batch_size=1000)
        self.result.imported += len(rows)
        self.result.ratings += len(ratings)

    def _copy(self, rows: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: the rows through COPY (the other columns as a new dossier has them)."""
        if self.copy_sql is None:
            template = Dossier(source=self.result.source)
            meta = Dossier._meta
            by_attname = {f.attname: f for f in meta.concrete_fields}
            others = [f for f in meta.concrete_fields
                      if f.attname not in FIELDS and not f.primary_key]
            columns = [str(by_attname[name].column) for name in FIELDS]
            columns += [str(f.column) for f in others]
            self.copy_sql = (f"COPY {connection.ops.quote_name(meta.db_table)} "
                             f"({', '.join(connection.ops.quote_name(c) for c in columns)}) "
                             "FROM STDIN")
            self.copy_tail = tuple(f.get_db_prep_save(f.pre_save(template, add=True),
                                                      connection) for f in others)
        tail = self.copy_tail
        with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
            for values in rows:
                copy.write_row(values + tail)

    def _note_code(self, code: str) -> None:
        match = _NATIVE_CODE.match(code)
        if match is None or match["agency"] not in self.checker.agency_codes:
            return
        try:
            day = datetime.strptime(match["day"], "%y%m%d").date()
        except ValueError:
            return
        key = (match["agency"], day)
        self.highest[key] = max(self.highest[key], int(match["number"]))


def dossiers_import(path: Path, *, actor: Any, skip_bad: bool = False,
                    batch_size: int = BATCH_SIZE, progress: Progress | None = None,
                    now: datetime | None = None) -> ImportResult:
    """Import the dossiers of a CSV file (see the module's docstring). All or nothing unless
    ``skip_bad``; raises :class:`DossiersRejected` when the file is refused."""
    started = time.monotonic()
    path = Path(path)
    source = source_for(path)
    if len(source) > Dossier._meta.get_field("source").max_length:  # type: ignore[operator]
        raise DossiersRejected([RowError(0, _("file"), _(
            "the file name is too long to name the dossiers' source: rename the file"))],
            rows=0, truncated=False)
    result = ImportResult(source=source)
    now = now or timezone.now()
    total = path.stat().st_size
    rejects_path = Path(f"{path}.rejects.csv") if skip_bad else None
    with path.open("rb") as raw, transaction.atomic():
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            header, records = _records(text)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DossiersRejected([RowError(1, _("file"), _(
                "the file cannot be read (not UTF-8 CSV?): %s") % exc)], rows=0,
                truncated=False) from exc
        _check_header(header)
        checker = RowChecker(header, now)
        rejects_file = rejects_path.open("w", encoding="utf-8", newline="") \
            if rejects_path else None
        try:
            kept = [i for i, h in enumerate(header) if h not in ANNOTATIONS]
            rejects = csv.writer(rejects_file) if rejects_file else None
            if rejects is not None:
                rejects.writerow([*ANNOTATIONS, *(header[i] for i in kept)])
            run = _Run(checker, result, skip_bad, rejects, kept)
            batch: list[tuple[int, list[str]]] = []
            line, stopped = 1, False
            try:
                for line, record in records:
                    batch.append((line, record))
                    result.rows += 1
                    if len(batch) >= batch_size:
                        run.batch(batch)
                        batch = []
                        if progress is not None:
                            progress.update(result.rows, raw.raw.tell())
                        if not skip_bad and len(result.errors) >= MAX_ERRORS:
                            stopped = True
                            break
                else:
                    if batch:
                        run.batch(batch)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise DossiersRejected([*result.errors, RowError(line + 1, _("file"), _(
                    "the file cannot be read from here (not UTF-8 CSV?): %s") % exc)],
                    rows=result.rows, truncated=True) from exc
            if progress is not None:
                progress.update(result.rows, total, force=True)
            if result.errors and not skip_bad:
                raise DossiersRejected(result.errors, rows=result.rows,
                                       truncated=stopped or result.problems > MAX_ERRORS)
            run.seen.drop()
            if progress is not None:
                progress.say(_("Rebuilding the statistics of %d agencies...") % len(run.units))
            _advance_sequences(run.highest)
            if result.imported:
                from tinhso.procedures import statistics

                result.aggregate_rows = stats.rebuild(Dossier.objects.filter(source=source))
                result.indicator_values = statistics.publish(run.units, run.years)
            result.agencies = len(run.units)
            result.rejects_path = rejects_path
            home = Unit.objects.filter(code=settings.TINHSO_HOME_UNIT).first()
            audit_record(actor=actor, action=AuditAction.DOSSIERS_IMPORTED, unit=home,
                         details={"file": path.name, "source": source, "rows": result.rows,
                                  "imported": result.imported, "rejected": result.rejected,
                                  "ratings": result.ratings, "agencies": result.agencies,
                                  "aggregate_rows": result.aggregate_rows,
                                  "skip_bad": skip_bad})
        finally:
            if rejects_file is not None:
                rejects_file.close()
    result.seconds = time.monotonic() - started
    return result
