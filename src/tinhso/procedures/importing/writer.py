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
            self._load_batch(cursor, pairs)
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

    def _load_batch(self, cursor: Any, pairs: list[tuple[str, int]]) -> None:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {self.BATCH}")
            with cursor.cursor.copy(f"COPY {self.BATCH} (code, line) FROM STDIN") as copy:
                copy.write("".join(f"{copy_text(code)}\t{line}\n" for code, line in pairs))
        else:
            cursor.execute(f"DELETE FROM {self.BATCH}")
            cursor.executemany(f"INSERT INTO {self.BATCH} (code, line) VALUES (%s, %s)", pairs)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in (self.SEEN, self.BATCH):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


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
class Written:
    dossiers: int
    ratings: int


class DossierWriter:
    """Writes the good rows of each batch, and keeps what they touched: the agencies, the
    years (of their times received, resolved, withdrawn and rated) and, per agency and day,
    the highest number of the codes in the platform's own format."""

    def __init__(self, source: str, agency_codes: set[str]):
        self.source, self.agency_codes = source, agency_codes
        self.units: set[int] = set()
        self.years: set[int] = set()
        self.highest: dict[tuple[str, date], int] = defaultdict(int)
        self.copy_sql = ""
        self.copy_tail = ""
        self.raw: Any = None  # psycopg's connection
        self.sender: ThreadPoolExecutor | None = None

    def start(self, good: list[Checked]) -> Callable[[], Written]:
        """Begins writing the good rows of a batch; the function returned waits for their
        dossiers, then writes their ratings. On PostgreSQL the COPY is sent by a thread of
        the writer on the same connection (in the same transaction) while the next batch is
        checked: the checking and the database's inserting overlap."""
        rows = [row.values for row in good if row.values is not None]
        rated = [row for row in good if row.rating is not None]
        self._note(rows, rated)
        if connection.vendor != "postgresql":
            dossiers = [Dossier(**dict(zip(FIELDS, values, strict=True)), source=self.source)
                        for values in rows]
            Dossier.objects.bulk_create(dossiers, batch_size=1000)
            written = Written(len(rows), self._rate(rated, {d.code: d.pk for d in dossiers}))
            return lambda: written
        sending = self._sender().submit(self._send, self._copy_text(rows))

        def finish() -> Written:
            sending.result()
            ids = dict(Dossier.objects.filter(code__in=[row.code for row in rated])
                       .values_list("code", "pk")) if rated else {}
            return Written(len(rows), self._rate(rated, ids))

        return finish

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

    @staticmethod
    def _rate(rated: list[Checked], ids: dict[str, int]) -> int:
        ratings = [Rating(dossier_id=ids[row.code], level=row.rating[0], at=row.rating[1])
                   for row in rated if row.rating is not None]
        Rating.objects.bulk_create(ratings, batch_size=1000)
        return len(ratings)

    def _note(self, rows: list[tuple[Any, ...]], rated: list[Checked]) -> None:
        local = timezone.get_default_timezone()

        def year(moment: datetime) -> int:  # the times read are all in the one zone
            return moment.year if moment.tzinfo is local else \
                timezone.localtime(moment, local).year

        for values in rows:
            self.units.add(values[2])
            for moment in (values[7], values[9], values[11]):  # received, finished, withdrawn
                if moment is not None:
                    self.years.add(year(moment))
            self._note_code(values[0])
        for row in rated:
            if row.rating is not None:
                self.years.add(year(row.rating[1]))

    def _copy_text(self, rows: list[tuple[Any, ...]]) -> str:
        """PostgreSQL: the rows in COPY's text format (the other columns as a new dossier
        has them)."""
        if not self.copy_sql:
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
        tail = self.copy_tail
        return "".join("\t".join([*map(copy_text, values), tail]) + "\n" for values in rows)

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
