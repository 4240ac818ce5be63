"""The writing of the good rows: COPY on PostgreSQL (``bulk_create`` elsewhere), their ratings,
what they touched (agencies, years, the platform's own codes), the codes already seen in the
file (a temporary table: memory stays bounded) and the dossier-code counters moved past
imported codes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from tinhso.procedures.importing.checks import FIELDS, Checked
from tinhso.procedures.models import Dossier, DossierSequence, Rating
from tinhso.procedures.rating_keys import KEY

IMPORT_LOCK = "tinhso.procedures.dossiers_import"
_NATIVE_CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{1,9})$")
# COPY's text format: a backslash, a tab, a newline or a carriage return in a value escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """A value of a row in COPY's text format (written by the batch, not row by row through
    psycopg's adapters: the adapters cost more than the rest of the import's writing)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        special = "\\" in value or "\t" in value or "\n" in value or "\r" in value
        return value.translate(_ESCAPES) if special else value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class SeenCodes:
    """The codes of the file seen so far, in a temporary table of the database (memory stays
    bounded), and the check of each batch's codes against it and against the dossiers."""

    SEEN = "tinhso_import_seen_codes"
    BATCH = "tinhso_import_batch_codes"  # a batch's codes, but on PostgreSQL

    def __init__(self) -> None:
        self.tables = (self.SEEN,) if connection.vendor == "postgresql" else \
            (self.SEEN, self.BATCH)
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(f"CREATE TEMPORARY TABLE {table} "
                               "(code varchar(60) PRIMARY KEY, line integer NOT NULL)")

    def check(self, pairs: list[tuple[str, int]], raw: Any = None) -> tuple[dict[str, int],
                                                                         set[str]]:
        """For (code, line) pairs of distinct codes: {code: first line} of the codes seen
        earlier in the file, and the other codes already in the database. Records them.
        On PostgreSQL, one statement on ``raw`` (psycopg's connection, in the writer's
        thread), the codes and lines passed as two arrays: the SELECT sees the codes seen
        before the batch, not those its INSERT adds. Each code looked up in the indexes by a
        subquery (a join would be planned as a hash join reading every dossier once the
        arrays' length is known: a batch then costs as much as the table); OFFSET 0 keeps
        the subqueries to one run per code."""
        dossiers = connection.ops.quote_name(Dossier._meta.db_table)
        if raw is not None:
            from psycopg import Cursor  # PostgreSQL only

            with Cursor(raw) as cursor:  # the values bound by the server, not in the text
                cursor.execute(
                    f"WITH b (code, line) AS (SELECT * FROM unnest(%s::varchar(60)[], "
                    f"%s::integer[])), added AS (INSERT INTO {self.SEEN} (code, line) "
                    f"SELECT code, line FROM b ON CONFLICT (code) DO NOTHING) "
                    f"SELECT code, line FROM (SELECT b.code, (SELECT s.line FROM {self.SEEN} s "
                    f"WHERE s.code = b.code) AS line, (SELECT true FROM {dossiers} d "
                    f"WHERE d.code = b.code LIMIT 1) AS here FROM b OFFSET 0) x "
                    f"WHERE line IS NOT NULL OR here",
                    [[code for code, _line in pairs], [line for _code, line in pairs]],
                    prepare=False)
                found = cursor.fetchall()
            return ({code: line for code, line in found if line is not None},
                    {code for code, line in found if line is None})
        with connection.cursor() as cursor:
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
            for table in self.tables:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


def begin_import() -> int:
    """Takes the import's turn and returns an id below those of every dossier it will write:
    its dossiers are then those of its source above that id (``aggregate.add``). On
    PostgreSQL, one dossier import at a time (an advisory lock, held until the transaction
    ends: a second import waits), the id taken from the dossiers' sequence; elsewhere the
    database has one writer at a time, and the id is the highest there."""
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [IMPORT_LOCK])
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        return int(cursor.fetchone()[0])


def advance_sequences(highest: dict[tuple[str, date], int]) -> None:
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


@dataclass
class Duplicates:
    """A batch's codes met before: {code: first line} of those seen earlier in the file, and
    the others already in the database (``SeenCodes.check``), for the first line of each code
    in the batch (``first``)."""

    first: dict[str, int]
    earlier: dict[str, int]
    existing: set[str]

    def hit(self, row: Checked) -> bool:
        return self.first.get(row.code) == row.line and (
            row.code in self.earlier or row.code in self.existing)


@dataclass
class Written:
    duplicates: Duplicates
    rows: list[Checked]  # the rows written
    ratings: int


class DossierWriter:
    """Checks each batch's codes against those seen and writes its good rows, and keeps what
    the rows written touched: the agencies, the years (of their times received, resolved,
    withdrawn and rated) and, per agency and day, the highest number of the codes in the
    platform's own format."""

    def __init__(self, source: str, agency_codes: set[str], seen: SeenCodes):
        self.source, self.agency_codes, self.seen = source, agency_codes, seen
        self.units: set[int] = set()
        self.years: set[int] = set()
        self.highest: dict[tuple[str, date], int] = defaultdict(int)
        self.copy_sql = ""
        self.copy_tail = ""
        self.raw: Any = None  # psycopg's connection
        self.sender: ThreadPoolExecutor | None = None
        self.failed = False  # a batch's work in the writer's thread failed

    def start(self, checked: list[Checked], first: dict[str, int], *, write: bool,
              whole: bool) -> Callable[[], Written]:
        """Begins a batch's work in the database: its codes (``first``: {code: its first line
        in the batch}) checked against the codes seen earlier in the file and the dossiers;
        then, if ``write``, its good rows written (none of them, if ``whole``, when any row of
        the batch has a problem). The function returned waits for that, writes the ratings of
        the rows written and notes what they touched. On PostgreSQL the codes' check and the
        COPY are sent by a thread of the writer on the same connection (the same transaction)
        while the next batch is checked: the checking and the database's work overlap."""
        pairs = list(first.items())
        if connection.vendor != "postgresql":
            duplicates = Duplicates(first, *self.seen.check(pairs))
            rows = self._good(checked, duplicates, write, whole)
            dossiers = [Dossier(**dict(zip(FIELDS, row.values or (), strict=True)),
                                source=self.source) for row in rows]
            Dossier.objects.bulk_create(dossiers, batch_size=1000)
            rated = [row for row in rows if row.rating is not None]
            written = Written(duplicates, rows, self._rate(rated, {d.code: d.pk
                                                                   for d in dossiers}))
            self._note(rows)
            return lambda: written
        lines = self._copy_lines(checked) if write else {}
        self._prepare()
        sending = self._sender().submit(self._check_and_send, checked, first, lines, write,
                                        whole)

        def finish() -> Written:
            duplicates, rows, ratings = sending.result()
            self._note(rows)
            return Written(duplicates, rows, ratings)

        return finish

    @staticmethod
    def _good(checked: list[Checked], duplicates: Duplicates, write: bool,
              whole: bool) -> list[Checked]:
        """The rows to write: the good ones, unless nothing is written (or, if ``whole``, any
        row of the batch has a problem)."""
        if not write:
            return []
        good = [row for row in checked if not row.errors and row.values is not None
                and not duplicates.hit(row)]
        return [] if whole and len(good) < len(checked) else good

    def _check_and_send(self, checked: list[Checked], first: dict[str, int],
                        lines: dict[int, str], write: bool,
                        whole: bool) -> tuple[Duplicates, list[Checked], int]:
        """In the writer's thread: the batch's codes checked, then its good rows sent, then
        their ratings; the number of ratings written. Nothing once a batch before failed (its
        error ends the import when it is waited for, before this batch's)."""
        if self.failed:
            raise RuntimeError("not written: a batch before failed")
        try:
            return self._check_and_send_batch(checked, first, lines, write, whole)
        except BaseException:
            self.failed = True
            raise

    def _check_and_send_batch(self, checked: list[Checked], first: dict[str, int],
                              lines: dict[int, str], write: bool,
                              whole: bool) -> tuple[Duplicates, list[Checked], int]:
        duplicates = Duplicates(first, *self.seen.check(list(first.items()), self.raw))
        rows = self._good(checked, duplicates, write, whole)
        if not rows:
            return duplicates, rows, 0
        self._send("".join(lines[row.line] for row in rows))
        return duplicates, rows, self._send_ratings([row for row in rows if row.rating])

    def loaded(self) -> None:
        """After the last batch: the foreign keys checked at the commit again."""
        if self.raw is not None:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def close(self) -> None:
        """Waits for a COPY still being sent (before the transaction ends, either way)."""
        if self.sender is not None:
            self.sender.shutdown(wait=True)
            self.sender = None

    def _sender(self) -> ThreadPoolExecutor:
        if self.sender is None:
            self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-copy")
        return self.sender

    def _send(self, text: str) -> None:
        """In the writer's thread: the connection itself (psycopg's, thread-safe: its lock
        keeps any other statement waiting until the COPY ends), not Django's wrapper of
        it, which belongs to the importing thread."""
        with self.raw.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
            copy.write(text)

    def _send_ratings(self, rated: list[Checked]) -> int:
        """In the writer's thread, after its rows: the ratings of a batch, in one statement,
        each dossier found by its code (a look-up per rating: LATERAL keeps the planner from
        reading every dossier for a hash join)."""
        if not rated:
            return 0
        from psycopg import Cursor  # PostgreSQL only

        table = connection.ops.quote_name(Rating._meta.db_table)
        dossiers = connection.ops.quote_name(Dossier._meta.db_table)
        ratings = [row.rating for row in rated if row.rating is not None]
        mine = ", ".join(m for m, _theirs in KEY)  # the dossier's key, copied (rating_keys)
        theirs = ", ".join(t for _m, t in KEY)
        copied = ", ".join(f"d.{t}" for _m, t in KEY)
        with Cursor(self.raw) as cursor:
            cursor.execute(
                f"INSERT INTO {table} (dossier_id, level, comment, at, {mine}) "
                f"SELECT d.id, r.level, '', r.at, {copied} FROM unnest(%s::varchar(60)[], "
                f"%s::smallint[], %s::timestamptz[]) AS r (code, level, at) CROSS JOIN LATERAL "
                f"(SELECT id, {theirs} FROM {dossiers} WHERE code = r.code) d",
                [[row.code for row in rated], [level for level, _at in ratings],
                 [at for _level, at in ratings]],
                prepare=False)
            if cursor.rowcount != len(rated):  # never: the dossiers were just written
                raise RuntimeError(f"{len(rated)} ratings, {cursor.rowcount} written")
            return len(rated)

    @staticmethod
    def _rate(rated: list[Checked], ids: dict[str, int]) -> int:
        """The ratings, each with its dossier's key (rating_keys) from the row written."""
        at = {theirs: FIELDS.index(theirs) for _mine, theirs in KEY}
        ratings = [Rating(dossier_id=ids[row.code], level=row.rating[0], at=row.rating[1],
                          **{mine: row.values[at[theirs]] for mine, theirs in KEY})
                   for row in rated if row.rating is not None and row.values is not None]
        Rating.objects.bulk_create(ratings, batch_size=1000)
        return len(ratings)

    def _note(self, rows: list[Checked]) -> None:
        local = timezone.get_default_timezone()

        def year(moment: datetime) -> int:  # the times read are all in the one zone
            return moment.year if moment.tzinfo is local else \
                timezone.localtime(moment, local).year

        for row in rows:
            values = row.values or ()
            self.units.add(values[2])
            for moment in (values[7], values[9], values[11]):  # received, finished, withdrawn
                if moment is not None:
                    self.years.add(year(moment))
            self._note_code(values[0])
            if row.rating is not None:
                self.years.add(year(row.rating[1]))

    def _copy_lines(self, checked: list[Checked]) -> dict[int, str]:
        """PostgreSQL: {line: the row in COPY's text format} of the rows without a problem
        (the other columns as a new dossier has them)."""
        tail = self._prepare()
        return {row.line: "\t".join([*map(copy_text, row.values), tail]) + "\n"
                for row in checked if not row.errors and row.values is not None}

    def _prepare(self) -> str:
        """PostgreSQL, once: the COPY statement and the text of the columns the file does not
        give; the tail of each row's text."""
        if self.copy_sql:
            return self.copy_tail
        template = Dossier(source=self.source)
        meta = Dossier._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        others = [f for f in meta.concrete_fields
                  if f.attname not in FIELDS and not f.primary_key]
        columns = [str(by_attname[name].column) for name in FIELDS]
        columns += [str(f.column) for f in others]
        self.copy_sql = (f"COPY {connection.ops.quote_name(meta.db_table)} "
                         f"({', '.join(connection.ops.quote_name(c) for c in columns)}) "
                         "FROM STDIN")
        from psycopg.adapt import PyFormat, Transformer  # PostgreSQL only

        connection.ensure_connection()
        self.raw = connection.connection
        with connection.cursor() as cursor:
            # The dossiers' foreign keys checked at the end of each COPY, while the next
            # batch is checked, rather than all at the commit, after the loading.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        dumps = Transformer.from_context(connection.connection)
        prepared = [f.get_db_prep_save(f.pre_save(template, add=True), connection)
                    for f in others]
        self.copy_tail = "\t".join(
            "\\N" if v is None else copy_text(
                bytes(dumps.get_dumper(v, PyFormat.TEXT).dump(v) or b"").decode())
            for v in prepared)
        return self.copy_tail

    def _note_code(self, code: str) -> None:
        match = _NATIVE_CODE.match(code)
        if match is None or match["agency"] not in self.agency_codes:
            return
        try:
            day = datetime.strptime(match["day"], "%y%m%d").date()
        except ValueError:
            return
        key = (match["agency"], day)
        self.highest[key] = max(self.highest[key], int(match["number"]))
