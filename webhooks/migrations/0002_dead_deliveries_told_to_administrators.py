"""A dead delivery is emailed to its organisation's partner administrators: the column a
worker claims to send that email once, and the partial index it finds them by. Deliveries
that died before this existed count as told (nobody is emailed about old failures)."""

from django.db import migrations, models
from django.db.models import F


def count_earlier_deaths_as_told(apps, schema_editor):
    WebhookDelivery = apps.get_model("webhooks", "WebhookDelivery")
    WebhookDelivery.objects.filter(status="dead").update(administrators_told_at=F("dead_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_endpoints_deliveries_and_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="administrators_told_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(
                condition=models.Q(("administrators_told_at__isnull", True), ("status", "dead")),
                fields=["dead_at"],
                name="webhook_dead_not_yet_told",
            ),
        ),
        migrations.RunPython(count_earlier_deaths_as_told, migrations.RunPython.noop),
    ]
