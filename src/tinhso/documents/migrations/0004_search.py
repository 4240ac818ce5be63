"""The document search at 1,000,000 rows on PostgreSQL: the pg_trgm and unaccent extensions
(as the catalogue's search, procedures 0008), a trigram GIN index on the folded text (every
search word is a ``LIKE '%word%'`` on it), and b-tree indexes for newest first (by date issued, also within a year) and the number.
The GIN index is PostgreSQL's only; SQLite scans."""

from django.db import migrations, models

INDEX = "document_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document "
            "USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    # the extensions stay: the catalogue's search needs them too
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0003_document_is_illustrative"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["issued_on", "created_at", "id"], name="document_dated"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["year", "issued_on", "created_at", "id"],
                               name="document_year_dated"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["number"], name="document_number"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
