"""Dossier codes ``{agency code}-{yymmdd}-{sequence}``: unique, and without gaps.

The sequence is one counter row per agency and day, incremented by a single upsert statement
inside the submission's transaction (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, on
PostgreSQL and SQLite alike). Concurrent submissions queue on that row; a submission that rolls
back rolls its number back too, so the acknowledged codes have no gaps. Call it as late as
possible in the transaction: the row stays locked until commit.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from tinhso.procedures.models import DossierSequence

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


def format_code(agency: str, day: date, number: int) -> str:
    return f"{agency}-{day:%y%m%d}-{number:04d}"
