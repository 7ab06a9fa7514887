# Through whom the victim agreed: free text naming people, encrypted at rest.

import navigator.encryption
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_checkin_submission_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="communicationagreement",
            name="agreed_through",
            field=navigator.encryption.EncryptedCharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalcommunicationagreement",
            name="agreed_through",
            field=navigator.encryption.EncryptedCharField(blank=True, max_length=300),
        ),
    ]
