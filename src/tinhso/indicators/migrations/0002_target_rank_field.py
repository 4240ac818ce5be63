"""A rank target records the field it was set in (``Target.rank_of``): two documents may set
targets for the same year in different fields (top 25 of 63 in 2021, top 20 of 34 in 2025)."""

from django.db import migrations, models


def fields_of_the_2021_resolution(apps, schema_editor):
    """The targets of Resolution 16-NQ/TU (2021) were set among the 63 provinces."""
    Target = apps.get_model("indicators", "Target")
    Target.objects.filter(indicator__measure="rank", rank_of__isnull=True,
                          source__contains="16-NQ/TU").update(rank_of=63)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0001_initial'),
        ('units', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='target',
            options={'ordering': ['indicator', 'unit', 'year', 'rank_of'], 'verbose_name': 'target'},
        ),
        migrations.RemoveConstraint(
            model_name='target',
            name='target_unique',
        ),
        migrations.AddField(
            model_name='target',
            name='rank_of',
            field=models.PositiveSmallIntegerField(blank=True, help_text='For a rank target: how many units were ranked when it was set.', null=True, verbose_name='out of'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('rank_of__isnull', True)), fields=('indicator', 'unit', 'year'), name='target_unique'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('rank_of__isnull', False)), fields=('indicator', 'unit', 'year', 'rank_of'), name='target_unique_in_field'),
        ),
        migrations.RunPython(fields_of_the_2021_resolution, migrations.RunPython.noop),
    ]
