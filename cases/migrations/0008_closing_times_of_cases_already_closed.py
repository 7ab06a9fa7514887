"""Give each case already closed the moment it was closed, read from its history: the
first history row of its current closed spell. A case with no such row counts from now,
which keeps its data longer rather than shorter."""

from django.db import migrations
from django.utils import timezone


def closing_times_from_history(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    HistoricalCase = apps.get_model("cases", "HistoricalCase")
    now = timezone.now()
    for case in Case.objects.filter(status="closed", closed_at__isnull=True).only("pk"):
        closed_since = None
        for status, at in (
            HistoricalCase.objects.filter(id=case.pk)
            .order_by("-history_date", "-history_id")
            .values_list("status", "history_date")
        ):
            if status != "closed":
                break
            closed_since = at
        Case.objects.filter(pk=case.pk).update(closed_at=closed_since or now)


def forget_closing_times(apps, schema_editor):
    apps.get_model("cases", "Case").objects.update(closed_at=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_closing_and_anonymisation_times")]

    operations = [migrations.RunPython(closing_times_from_history, forget_closing_times)]
