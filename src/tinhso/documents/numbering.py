"""Register numbers: outgoing documents numbered per issuing body and year, incoming ones by
arrival, each register from 1 on 1 January (Decree 30/2020, Article 15), without gaps or
duplicates.

One counter row per unit, register and year, incremented by a single upsert inside the
registering transaction (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, on PostgreSQL and
SQLite alike), as dossier codes are: concurrent registrations queue on the row, and one that
rolls back takes its number back with it. Call it late in the transaction.
"""

from __future__ import annotations

from django.db import connection

from tinhso.documents.models import RegisterSequence

SQL = (
    "INSERT INTO {table} (unit_id, direction, year, last) VALUES (%s, %s, %s, 1) "
    "ON CONFLICT (unit_id, direction, year) DO UPDATE SET last = {table}.last + 1 "
    "RETURNING last"
)


def next_number(unit_id: int, direction: str, year: int) -> int:
    table = connection.ops.quote_name(RegisterSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(table=table), [unit_id, direction, year])
        (number,) = cursor.fetchone()
    return int(number)
