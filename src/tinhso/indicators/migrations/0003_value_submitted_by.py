# Who submitted a value, so that neither they nor its author approve it (four eyes). Values
# waiting for approval or approved already take it from their latest "value.submitted" event.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def submitters_from_the_audit_log(apps, schema_editor):
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    latest = {}  # value id -> the actor of its latest submission
    for object_id, actor_id in (AuditEvent.objects.filter(
            action="value.submitted", object_type="indicators.indicatorvalue",
            actor__isnull=False).order_by("id").values_list("object_id", "actor_id")):
        if object_id.isdigit():
            latest[int(object_id)] = actor_id
    for pk, actor_id in latest.items():
        IndicatorValue.objects.filter(pk=pk, status__in=["submitted", "approved"]).update(
            submitted_by_id=actor_id)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_target_rank_field'),
        ('audit', '0004_action_registered_by_domains'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='indicatorvalue',
            name='submitted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(submitters_from_the_audit_log, migrations.RunPython.noop),
    ]
