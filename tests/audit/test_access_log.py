"""The access log: every read of a victim's record is kept, and cannot be changed."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AccessChannel, AccessLogEntry
from tests.personas import World

pytestmark = pytest.mark.django_db


def read_case_page(world: World) -> AccessLogEntry:
    client = Client()
    client.force_login(world.nadia)
    assert client.get(reverse("case-detail", args=[world.case_a.reference])).status_code == 200
    return AccessLogEntry.objects.get(reader=world.nadia)


def test_a_page_read_is_logged_with_who_what_when_and_how(world: World) -> None:
    entry = read_case_page(world)
    assert entry.channel == AccessChannel.PAGE
    assert entry.organisation_id == world.nadia.organisation_id
    assert (entry.case_id, entry.case_reference) == (world.case_a.pk, world.case_a.reference)
    assert entry.victim_reference == world.case_a.victim.reference


def test_a_page_that_refuses_the_reader_logs_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.nemo)
    assert client.get(reverse("case-detail", args=[world.case_a.reference])).status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: rows.update(case_reference="ALTERED"),
        lambda rows: rows.delete(),
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(world: World, change) -> None:  # type: ignore[no-untyped-def]
    entry = read_case_page(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change(AccessLogEntry.objects.filter(pk=entry.pk))
    entry.refresh_from_db()
    assert entry.case_reference == world.case_a.reference


def test_raw_sql_cannot_change_it_either(world: World) -> None:
    entry = read_case_page(world)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_accesslogentry SET reader_id = NULL WHERE id = %s", [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk, reader=world.nadia).exists()
