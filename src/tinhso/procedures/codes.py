"""Dossier codes ``{agency code}-{yymmdd}-{sequence}``: unique, and without gaps.

The sequence is one counter row per agency and day, incremented by a single upsert statement
inside the submission's transaction (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, on
PostgreSQL and SQLite alike; on PostgreSQL the dossier's insert is in the same statement,
``insert_numbered``). Concurrent submissions queue on that row; a submission that rolls
back rolls its number back too, so the acknowledged codes have no gaps. Call it as late as
possible in the transaction: the row stays locked until commit.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models.expressions import RawSQL

from tinhso.core.batch import insert_sql
from tinhso.core.db import bound_cursor
from tinhso.procedures.models import Dossier, DossierSequence

SQL = (
    "INSERT INTO {table} (agency_code, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_code, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
)


def agency_code(unit: object) -> str:
    """The national agency code when the unit has one (attributes.agency_code), else its code."""
    return str(unit.agency_code)  # type: ignore[attr-defined]


def next_code(agency: str, day: date) -> str:
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(table=table), [agency, day])
        (number,) = cursor.fetchone()
    return format_code(agency, day, number)


def insert_numbered(dossier: Dossier, agency: str, day: date) -> None:
    """Save the new ``dossier`` with the next code of ``agency`` on ``day``: on PostgreSQL the
    counter's upsert and the dossier's insert in one statement (one round trip), elsewhere one
    after the other. The code is ``format_code``'s, written in SQL."""
    if connection.vendor != "postgresql":
        dossier.code = next_code(agency, day)
        dossier.save(force_insert=True)
        return
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    # format_code: the number with at least four digits
    dossier.code = RawSQL("(SELECT %s || lpad(last::text, greatest(4, length(last::text)), "
                          "'0') FROM tinhso_sequence)", [f"{agency}-{day:%y%m%d}-"])
    sql, params = insert_sql(dossier, connection, returning=("code",))
    with bound_cursor(connection) as cursor:
        cursor.execute(f"WITH tinhso_sequence AS ({SQL.format(table=table)}) {sql}",
                       [agency, day, *params])
        dossier.pk, dossier.code = cursor.fetchone()
    dossier._state.adding = False
    dossier._state.db = connection.alias


def format_code(agency: str, day: date, number: int) -> str:
    return f"{agency}-{day:%y%m%d}-{number:04d}"
