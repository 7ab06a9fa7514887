"""Encryption at rest: what a copy of the database shows, key rotation, and the search
that still works."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.contrib import admin
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from alerts.choices import AlertKind
from alerts.models import Alert
from cases.choices import CaseStatus
from cases.models import Case, Victim
from contacts.models import CheckIn
from navigator.encryption import DecryptionError, EncryptedFieldMixin
from tests.personas import World
from tests.records import IDENTIFYING, SECRETS, build_a_full_record, tables_containing

pytestmark = pytest.mark.django_db


def raw(table: str, column: str, pk: int, pk_column: str = "id") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608 - test constants
        return cursor.fetchone()[0]


def test_no_table_holds_any_secret_in_plain_text_history_included(world: World) -> None:
    build_a_full_record(world)
    for name, secret in SECRETS.items():
        assert tables_containing(secret) == [], name
    # The check would have found them: the victim's name is stored in plain text on purpose.
    assert "cases_victim" in tables_containing(IDENTIFYING["full_name"])
    assert "cases_historicalvictim" in tables_containing(IDENTIFYING["full_name"])


def test_the_services_read_back_what_was_written(world: World) -> None:
    case = build_a_full_record(world)
    victim = Victim.objects.get(pk=case.victim_id)
    assert (victim.safe_phone, victim.safe_email) == (SECRETS["safe_phone"], SECRETS["safe_email"])
    assert victim.location.address == SECRETS["address"]
    assert Case.objects.get(pk=case.pk).status_reason == SECRETS["status_reason"]
    assert CheckIn.objects.get(case=case).notes == SECRETS["checkin_notes"]
    # History rows decrypt too: what the admin's history pages show.
    (first,) = victim.history.filter(history_type="+")
    assert first.safe_contact_notes == SECRETS["safe_contact_notes"]


def test_the_raw_column_holds_ciphertext_under_the_configured_key(world: World) -> None:
    victim = world.case_a.victim
    victim.safe_phone = SECRETS["safe_phone"]
    victim.save()
    stored = raw("cases_victim", "safe_phone", victim.pk)
    assert stored != SECRETS["safe_phone"]
    assert stored.startswith("gAAAAA")  # a Fernet token
    from django.conf import settings

    key = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    assert key.decrypt(stored.encode()).decode() == SECRETS["safe_phone"]
    history = raw(
        "cases_historicalvictim", "safe_phone", victim.history.latest().history_id, "history_id"
    )
    assert key.decrypt(history.encode()).decode() == SECRETS["safe_phone"]


def test_empty_values_stay_empty_so_the_constraints_still_ask_for_a_reason(world: World) -> None:
    case = world.case_a
    assert raw("cases_case", "status_reason", case.pk) == ""
    assert Case.objects.filter(status_reason="").filter(pk=case.pk).exists()
    case.status = CaseStatus.CLOSED  # without a reason: the database still refuses it
    case.closed_at = timezone.now()
    refused = pytest.raises(IntegrityError, match="paused_or_closed_case_has_a_reason")
    with refused, transaction.atomic():
        case.save()


def test_a_search_inside_an_encrypted_field_fails_loudly_instead_of_finding_nothing(
    world: World,
) -> None:
    for lookup in ("safe_phone__icontains", "safe_phone__startswith", "safe_phone__lower"):
        with pytest.raises(FieldError):
            list(Victim.objects.filter(**{lookup: "07700"}))
    with pytest.raises(FieldError, match="encrypted"):
        list(Victim.objects.filter(safe_phone="07700 900000"))


def test_no_admin_search_reaches_into_an_encrypted_field() -> None:
    for model, model_admin in admin.site._registry.items():
        for path in model_admin.search_fields:
            field_model = model
            parts = path.lstrip("=^@").split("__")
            for part in parts:
                field = field_model._meta.get_field(part)
                assert not isinstance(field, EncryptedFieldMixin), f"{model.__name__}: {path}"
                if field.is_relation:
                    field_model = field.related_model


def rotate_to(settings, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    settings.FIELD_ENCRYPTION_KEYS = keys


def test_keys_rotate_old_key_still_decrypts_and_the_command_moves_every_row_to_the_new(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    # The personas were written under the demo key; it stays until the command has run.
    rotate_to(settings, [old, *settings.FIELD_ENCRYPTION_KEYS])
    older = settings.FIELD_ENCRYPTION_KEYS
    case = build_a_full_record(world)
    victim_id = case.victim_id

    # The new key first, the old one kept: everything still reads, new values use the new key.
    rotate_to(settings, [new, *older])
    assert Victim.objects.get(pk=victim_id).safe_phone == SECRETS["safe_phone"]
    Victim.objects.filter(pk=victim_id).update(needs="Fictional: new needs")
    Fernet(new.encode()).decrypt(raw("cases_victim", "needs", victim_id).encode())

    call_command("reencrypt", "--batch-size", "2", stdout=StringIO())

    # Only the new key now: every value, every history row, reads.
    rotate_to(settings, [new])
    victim = Victim.objects.get(pk=victim_id)
    assert victim.safe_phone == SECRETS["safe_phone"]
    assert victim.location.address == SECRETS["address"]
    assert CheckIn.objects.get(case=case).notes == SECRETS["checkin_notes"]
    assert Alert.objects.get(case=case, kind=AlertKind.AGREEMENT_BROKEN).resolution_note
    for row in Victim.history.filter(id=victim_id):
        assert row.safe_contact_notes == SECRETS["safe_contact_notes"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM contacts_historicalcheckin WHERE notes <> ''")
        for (token,) in cursor.fetchall():
            Fernet(new.encode()).decrypt(token.encode())

    # And the old key alone no longer reads anything.
    rotate_to(settings, [old])
    with pytest.raises(DecryptionError):
        Victim.objects.get(pk=victim_id)


def test_reencrypt_refuses_to_finish_while_a_value_needs_a_missing_key(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    lost = Fernet.generate_key()
    victim = world.case_a.victim
    token = Fernet(lost).encrypt(b"07700 900999").decode()
    Victim.objects.filter(pk=victim.pk).update(safe_phone="")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_victim SET safe_phone = %s WHERE id = %s", [token, victim.pk])

    with pytest.raises(DecryptionError) as reading:
        Victim.objects.get(pk=victim.pk)
    assert "07700" not in str(reading.value)
    with pytest.raises(CommandError, match="1 values could not be decrypted"):
        call_command("reencrypt", stdout=StringIO())
    assert raw("cases_victim", "safe_phone", victim.pk) == token  # left as it was

    rotate_to(settings, [*settings.FIELD_ENCRYPTION_KEYS, lost.decode()])
    call_command("reencrypt", stdout=StringIO())
    assert Victim.objects.get(pk=victim.pk).safe_phone == "07700 900999"
