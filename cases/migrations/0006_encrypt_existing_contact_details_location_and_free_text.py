"""Encrypt what was stored in plain text before these fields were encrypted, history included."""

from django.db import migrations

from navigator.encryption import decrypt_to_plain_values, encrypt_plain_values

VICTIM = ["safe_phone", "safe_email", "safe_contact_notes", "needs", "vulnerabilities"]
LOCATION = ["address", "postcode", "notes"]
FIELDS = {
    "cases.Victim": VICTIM,
    "cases.HistoricalVictim": VICTIM,
    "cases.VictimLocation": LOCATION,
    "cases.HistoricalVictimLocation": LOCATION,
    "cases.Case": ["status_reason"],
    "cases.HistoricalCase": ["status_reason"],
    "cases.CaseEvent": ["notes"],
    "cases.HistoricalCaseEvent": ["notes"],
}


def encrypt(apps, schema_editor):
    encrypt_plain_values(apps, schema_editor, FIELDS)


def decrypt(apps, schema_editor):
    decrypt_to_plain_values(apps, schema_editor, FIELDS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_encrypt_contact_details_location_and_free_text")]

    operations = [migrations.RunPython(encrypt, decrypt)]
