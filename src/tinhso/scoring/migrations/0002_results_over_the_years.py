from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def field_sizes(apps, schema_editor):
    """The results imported before: each year's field is the number of units it ranked."""
    result = apps.get_model("scoring", "PublishedResult")
    for row in result.objects.values("framework", "year").annotate(n=Count("id")):
        result.objects.filter(framework=row["framework"], year=row["year"]).update(
            field_size=row["n"])


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0001_initial"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedresult",
            name="field_size",
            field=models.PositiveSmallIntegerField(
                default=63, help_text="How many units the ranking compared (63, 34).",
                verbose_name="field size"),
            preserve_default=False,
        ),
        migrations.RunPython(field_sizes, migrations.RunPython.noop),
        migrations.AddField(
            model_name="publishedresult",
            name="rank_to",
            field=models.PositiveSmallIntegerField(blank=True, null=True,
                                                   verbose_name="rank (worst of a range)"),
        ),
        migrations.AddField(
            model_name="publishedresult",
            name="rank_basis",
            field=models.CharField(choices=[("published", "Published"), ("inferred", "Inferred"),
                                            ("derived", "Derived")],
                                   default="published", max_length=10,
                                   verbose_name="rank basis"),
        ),
        migrations.AddField(
            model_name="publishedresult",
            name="rank_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="rank note"),
        ),
        migrations.AddField(
            model_name="publishedresult",
            name="total_note",
            field=models.CharField(blank=True,
                                   help_text="An index published only as a range or in words.",
                                   max_length=200, verbose_name="index note"),
        ),
        migrations.RemoveConstraint(
            model_name="publishedresult",
            name="published_result_unique",
        ),
        migrations.AlterModelOptions(
            name="publishedresult",
            options={"ordering": ["framework", "year", "field_size", "rank", "unit__code"],
                     "verbose_name": "published result"},
        ),
        migrations.AddConstraint(
            model_name="publishedresult",
            constraint=models.UniqueConstraint(fields=("framework", "year", "field_size", "unit"),
                                               name="published_result_unique_in_field"),
        ),
        migrations.AddConstraint(
            model_name="publishedresult",
            constraint=models.CheckConstraint(
                condition=models.Q(("rank_to__isnull", True), ("rank_to__gt", models.F("rank")),
                                   _connector="OR"),
                name="published_result_range_ordered"),
        ),
        migrations.CreateModel(
            name="FrameworkPoints",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("framework", models.CharField(db_index=True, max_length=60,
                                               verbose_name="framework")),
                ("points", models.JSONField(verbose_name="points per main indicator")),
                ("basis", models.CharField(help_text="The document that publishes these points.",
                                           max_length=300, verbose_name="basis")),
                ("entered_at", models.DateTimeField(auto_now_add=True)),
                ("entered_by", models.ForeignKey(null=True, on_delete=models.deletion.SET_NULL,
                                                 related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "framework points", "verbose_name_plural": "framework points",
                     "ordering": ["framework", "-entered_at", "-id"]},
        ),
    ]
