"""Writing the statistics aggregate (DossierStat) from the rows one SELECT computes
(``aggregate._rebuild_select``): added to what is there (an import's new dossiers), or put in
place of the rows of the agencies rebuilt.

PostgreSQL never runs the SELECT of an INSERT ... SELECT in parallel, so there the SELECT fills a
temporary table (CREATE TABLE ... AS may run in parallel workers) that the writes read, in the
same transaction. A rebuild there first locks the table against other writers (readers go on):
every dossier action adds its difference to the aggregate, and one committed while the rebuild
reads the dossiers would otherwise be overwritten by counts that do not include it. It then
writes only the rows whose counts differ and deletes the rows no dossier has any more: a
rebuild of a right aggregate writes nothing, and never meets its own deleted rows in the
unique index (which made deleting everything then inserting it again cost 0.5 s more).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from tinhso.procedures.models import DossierStat

# PostgreSQL, for the rebuild's statement only (SET LOCAL): hash aggregation in memory (never a
# sort of every dossier), the dossiers scanned and summed in parallel workers. JIT compiles the
# expressions and the reading of the dossiers' wide rows, as the direct GROUP BY gets by default
# (~5-10 % less CPU for the statement); not inlining, whose compilation in each worker costs
# more than it saves.
PLANNER = ("jit = on", "jit_inline_above_cost = -1", "work_mem = '256MB'", "enable_sort = off",
           "parallel_tuple_cost = 0")
TEMPORARY = "tinhso_dossierstat_rebuild"
KEY = ("unit_id", "procedure_id", "month", "channel")


def _computed(cursor: Any, select: str, params: tuple[Any, ...]) -> int:
    """PostgreSQL: the rows of ``select`` in the temporary table; their number. The
    :data:`PLANNER` settings hold for that statement only: they are put back as they were
    after it (SET LOCAL alone would keep them to the end of the transaction, where an
    import's publication or a test's next queries, their sorts disabled, would each be
    compiled by JIT)."""
    names = [setting.split("=")[0].strip() for setting in PLANNER]
    cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names), names)
    before = cursor.fetchone()
    for setting in PLANNER:
        cursor.execute(f"SET LOCAL {setting}")
    cursor.execute(f"CREATE TEMPORARY TABLE {TEMPORARY} AS {select}", params)
    rows = int(cursor.rowcount)
    for name, value in zip(names, before, strict=True):
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    return rows


def write(select: str, params: tuple[Any, ...], counts: tuple[str, ...], *, add: bool) -> int:
    """Writes the rows of ``select`` into the aggregate: as new rows, or (``add``) added to the
    rows of the same key, in key order (as ``aggregate.apply``: concurrent writers queue rather
    than deadlock). Returns the rows written or added to."""
    table = connection.ops.quote_name(DossierStat._meta.db_table)
    key = ", ".join(KEY)
    insert = f"INSERT INTO {table} ({key}, {', '.join(counts)}) "
    upsert = (f" ORDER BY {key} ON CONFLICT ({key}) DO UPDATE SET "
              + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)) if add else ""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"{insert} SELECT * FROM ({select}) computed WHERE true{upsert}",
                           params)
            return int(cursor.rowcount)
        _computed(cursor, select, params)
        cursor.execute(f"{insert} SELECT * FROM {TEMPORARY}{upsert}")
        written = int(cursor.rowcount)
        cursor.execute(f"DROP TABLE {TEMPORARY}")
        return written


def replace(stale: QuerySet[DossierStat], select: str, params: tuple[Any, ...],
            counts: tuple[str, ...]) -> int:
    """Puts the rows of ``select`` in place of the ``stale`` rows (those of the agencies
    rebuilt); returns the rows of the rebuilt aggregate. Elsewhere than on PostgreSQL: the stale
    rows deleted, then the new ones written."""
    if connection.vendor != "postgresql":
        stale.delete()
        return write(select, params, counts, add=False)
    table = connection.ops.quote_name(DossierStat._meta.db_table)
    key, same_key = ", ".join(KEY), " AND ".join(f"t.{k} = s.{k}" for k in KEY)
    stale_ids, stale_params = stale.values("pk").query.get_compiler(
        connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        rows = _computed(cursor, select, params)
        cursor.execute(
            f"INSERT INTO {table} AS s ({key}, {', '.join(counts)}) SELECT * FROM {TEMPORARY} "
            f"ORDER BY {key} ON CONFLICT ({key}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in counts)
            + f" WHERE ({', '.join(f's.{c}' for c in counts)}) IS DISTINCT FROM "
            f"({', '.join(f'excluded.{c}' for c in counts)})")
        cursor.execute(f"DELETE FROM {table} s WHERE s.id IN ({stale_ids}) AND NOT EXISTS "
                       f"(SELECT 1 FROM {TEMPORARY} t WHERE {same_key})", stale_params)
        cursor.execute(f"DROP TABLE {TEMPORARY}")
        return rows
