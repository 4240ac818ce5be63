"""The value blocks' binary columns compressed with LZ4 on PostgreSQL (issue 17).

Writing 12,000 blocks of 32 KB (24,000,000 values) spent most of its time in PostgreSQL's
default pglz compression of the TOASTed columns: 1.6 s against 0.12 s with LZ4 for 600 blocks
(11.4 MB stored against 12.9 MB). LZ4 needs PostgreSQL 14 built with it (Debian's and the
official images are); without it the columns keep pglz. Blocks already stored keep their
compression until they are rebuilt. SQLite has no such setting."""

from django.db import migrations

COLUMNS = ("unit_ids", "values")


def _set(schema_editor, method: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
                       "AND %s = ANY(enumvals)", [method])
        if cursor.fetchone() is None:
            return
    quote = connection.ops.quote_name
    schema_editor.execute("ALTER TABLE indicators_valueblock " + ", ".join(
        f"ALTER COLUMN {quote(c)} SET COMPRESSION {method}" for c in COLUMNS))


def lz4(apps, schema_editor):
    _set(schema_editor, "lz4")


def pglz(apps, schema_editor):
    _set(schema_editor, "pglz")


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0004_target_kinds"),
    ]

    operations = [
        migrations.RunPython(lz4, pglz),
    ]
