"""Dossiers kept by another one-stop system, imported from a CSV of the national
synchronisation fields (``tinhso dossiers import``; columns in docs/operations/dossier-import.md).

The file is streamed: rows are read with the csv module, checked and written in batches (COPY
on PostgreSQL, ``bulk_create`` elsewhere), so memory stays bounded whatever the file's length.
Codes already seen in the file are kept in a temporary table of the database, not in memory.
On PostgreSQL a thread on the same connection (the same transaction) checks a batch's codes
against those seen and the dossiers (one statement) and sends the batch's COPY while the next
batch is checked; the batch's rejects are counted after that, in the order of the lines.
The checks do once what can be done once: the catalogue and the agencies are read once per
file, a row's cells are stripped once, a phone number or channel text is checked once per
distinct text (bounded caches), the common time formats are read without a regular
expression's groups, and the working time of the whole days between two moments is counted
once per pair of days (``times.DaySpans``); the rows' values are written in COPY's text format
by the batch (``writer.copy_text``), not through psycopg's adapters.

Two modes:

- all or nothing (the default): any bad row and nothing is written; the first
  :data:`MAX_ERRORS` problems are reported (``DossiersRejected``), each with its line and
  column;
- ``skip_bad``: the good rows are imported, every bad row is written with its line number and
  its problems to ``FILE.rejects.csv`` (which can be corrected and imported again: its ``line``
  and ``errors`` columns are ignored).

Imported dossiers get ``source = "import:<file name>"``. "On time" and the working time left
to a dossier waiting for a supplement are the platform's own rules (``procedures.rules``); the
due time is taken as the source system gives it (it already counts the paused time). After
loading, in the same transaction, the dossiers written are added to the statistics aggregate
(their contributions only: the agencies' other dossiers are not read again; one import at a
time, ``writer.begin_import``), the agencies' count indicators are published, the
dossier-code counters are moved past imported codes of the platform's own format, and one
audit event records the counts. The actor needs
``dossiers.import`` at the province.

The modules: ``columns`` (the file's layout and value parsers), ``checks`` and ``times`` (one
row's checks), ``writer`` (the writes), ``run`` (one import).
"""

from tinhso.procedures.importing.columns import (
    ANNOTATIONS,
    COLUMNS,
    OPTIONAL,
    REQUIRED,
    parse_flag,
    parse_moment,
    parse_periods,
    source_for,
)
from tinhso.procedures.importing.run import (
    BATCH_SIZE,
    MAX_ERRORS,
    DossiersRejected,
    ImportResult,
    dossiers_import,
)

__all__ = [
    "ANNOTATIONS", "BATCH_SIZE", "COLUMNS", "MAX_ERRORS", "OPTIONAL", "REQUIRED",
    "DossiersRejected", "ImportResult", "dossiers_import", "parse_flag", "parse_moment",
    "parse_periods", "source_for",
]
