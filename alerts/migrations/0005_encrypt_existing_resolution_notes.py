"""Encrypt the resolution notes stored before the field was encrypted, history included."""

from django.db import migrations

from navigator.encryption import decrypt_to_plain_values, encrypt_plain_values

FIELDS = {
    "alerts.Alert": ["resolution_note"],
    "alerts.HistoricalAlert": ["resolution_note"],
}


def encrypt(apps, schema_editor):
    encrypt_plain_values(apps, schema_editor, FIELDS)


def decrypt(apps, schema_editor):
    decrypt_to_plain_values(apps, schema_editor, FIELDS)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0004_encrypt_resolution_notes")]

    operations = [migrations.RunPython(encrypt, decrypt)]
