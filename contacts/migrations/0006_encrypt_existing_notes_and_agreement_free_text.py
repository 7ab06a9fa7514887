"""Encrypt what was stored in plain text before these fields were encrypted, history included."""

from django.db import migrations

from navigator.encryption import decrypt_to_plain_values, encrypt_plain_values

AGREEMENT = ["avoid_notes", "unsafe_channel_note"]
FIELDS = {
    "contacts.CheckIn": ["notes"],
    "contacts.HistoricalCheckIn": ["notes"],
    "contacts.CommunicationAgreement": AGREEMENT,
    "contacts.HistoricalCommunicationAgreement": AGREEMENT,
    "contacts.ConcernResponse": ["action"],
    "contacts.HistoricalConcernResponse": ["action"],
}


def encrypt(apps, schema_editor):
    encrypt_plain_values(apps, schema_editor, FIELDS)


def decrypt(apps, schema_editor):
    decrypt_to_plain_values(apps, schema_editor, FIELDS)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_encrypt_notes_and_agreement_free_text")]

    operations = [migrations.RunPython(encrypt, decrypt)]
