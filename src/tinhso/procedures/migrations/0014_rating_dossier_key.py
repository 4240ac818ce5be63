from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# The ratings' copy of their dossiers' statistics key (agency, procedure, channel: see
# procedures/rating_keys.py): added empty, filled from the dossiers in one UPDATE, then required.
KEY = (("dossier_unit_id", "unit_id"), ("dossier_procedure_id", "procedure_id"),
       ("dossier_channel", "channel"))


def fill(apps, schema_editor):
    Rating = apps.get_model("procedures", "Rating")
    Dossier = apps.get_model("procedures", "Dossier")
    Rating.objects.update(**{
        mine: Subquery(Dossier.objects.filter(pk=OuterRef("dossier_id")).values(theirs)[:1])
        for mine, theirs in KEY})


FIELDS = {
    "dossier_unit_id": lambda null: models.BigIntegerField(editable=False, null=null),
    "dossier_procedure_id": lambda null: models.BigIntegerField(editable=False, null=null),
    "dossier_channel": lambda null: models.CharField(
        choices=[("in_person", "In person"), ("online", "Online"), ("postal", "Postal")],
        editable=False, max_length=10, null=null),
}


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0013_dossierstat_derived'),
    ]

    operations = [
        *(migrations.AddField(model_name='rating', name=name, field=field(True))
          for name, field in FIELDS.items()),
        migrations.RunPython(fill, migrations.RunPython.noop),
        *(migrations.AlterField(model_name='rating', name=name, field=field(False))
          for name, field in FIELDS.items()),
    ]
