"""Who may see a document, in one column (``Document.reach``: the units it reaches, or the named
readers of a confidential one as negative user ids), filled for the documents already kept; and
on PostgreSQL one GIN index over the folded text and the reach together, in place of the text's
own (0004), so that a search within a narrow scope is answered by the index from both sides
(a department's clerk: the documents holding the words that reach the department)."""

from django.db import migrations

import tinhso.documents.fields

OLD_INDEX = "document_search_trgm"
INDEX = "document_search"


def fill_reach(apps, schema_editor):
    """As ``access.reach_of`` at the time of this migration."""
    Document = apps.get_model("documents", "Document")
    Assignment = apps.get_model("documents", "Assignment")
    for document in Document.objects.using(schema_editor.connection.alias).iterator():
        if document.confidential:
            reach = {-pk for pk in document.readers.values_list("pk", flat=True)}
        else:
            reach = {document.unit_id}
            reach |= set(document.recipients.filter(unit__isnull=False)
                         .values_list("unit_id", flat=True))
            slip = Assignment.objects.filter(document=document).first()
            if slip is not None:
                reach |= {slip.lead_unit_id, *slip.support_units.values_list("pk", flat=True)}
        Document.objects.filter(pk=document.pk).update(reach=sorted(reach))


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document "
            "USING gin (search_text gin_trgm_ops, reach)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON documents_document "
            "USING gin (search_text gin_trgm_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0004_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="reach",
            field=tinhso.documents.fields.IdSet(default=list, editable=False),
        ),
        migrations.RunPython(fill_reach, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
