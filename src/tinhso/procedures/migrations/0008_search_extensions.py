"""The catalogue's search on PostgreSQL: the unaccent and pg_trgm extensions, and a trigram GIN
index on the folded text (every search word is a LIKE '%word%' filter on it). Nothing on SQLite,
where the search folds with a function of its own (procedures/search.py)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

INDEX = "procedure_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON procedures_procedure "
            "USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0007_dossier_lookup_indexes"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
