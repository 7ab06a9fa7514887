"""Shares made before consent was recorded with its recorder: the person who shared the
case recorded the consent then (share_case required it), so they are its recorder."""

from django.db import migrations
from django.db.models import F


def recorder_is_who_shared(apps, schema_editor):
    CaseShare = apps.get_model("cases", "CaseShare")
    CaseShare.objects.filter(consent_recorded_by=None).update(consent_recorded_by=F("shared_by"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_share_consent_scope_and_end"),
    ]

    operations = [
        migrations.RunPython(recorder_is_who_shared, migrations.RunPython.noop),
    ]
