"""A backup taken as docs/operations.md says (`pg_dump -Fc`) restores (`pg_restore`) into a
fresh database holding every contact, its history and the access log, with the encrypted
fields still decrypting with the key."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from django.db import connection

from audit.log import record_case_read
from audit.models import AccessChannel, AccessLogEntry
from cases.models import Victim
from contacts.models import CheckIn
from tests.factories import CheckInFactory
from tests.personas import World

pytestmark = pytest.mark.django_db(transaction=True)

NOTES = "Moved to the Leeds safe house on Tuesday"


def postgres_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        message = f"the backup test runs {name}: apt-get install postgresql-client"
        if os.environ.get("NAVIGATOR_REQUIRE_FAULT_TESTS"):
            pytest.fail(message)
        pytest.skip(message)
    return tool


def server_environment() -> dict[str, str]:
    """How the command-line tools reach the test's PostgreSQL (as `PG*` variables)."""
    settings = connection.settings_dict
    environment = dict(os.environ)
    environment.update(
        PGHOST=settings["HOST"] or "127.0.0.1",
        PGPORT=str(settings["PORT"] or 5432),
        PGUSER=settings["USER"] or "postgres",
    )
    if settings["PASSWORD"]:
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return environment


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored_{uuid4().hex[:8]}"
    yield name
    connection.close()
    subprocess.run(
        [postgres_tool("dropdb"), "--if-exists", name], env=server_environment(), check=True
    )


def test_a_backup_restores_every_contact_with_its_history_and_access_log(
    world: World, tmp_path: Path, restored_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts = [CheckInFactory(case=world.case_a, by=world.nadia, notes=NOTES) for _ in range(3)]
    record_case_read(reader=world.nadia, case=world.case_a, channel=AccessChannel.PAGE)
    victim = world.case_a.victim
    expected = {
        "contacts": sorted(contact.pk for contact in contacts),
        "history": CheckIn.history.count(),
        "access log": AccessLogEntry.objects.count(),
        "victim": (victim.full_name, victim.preferred_name),
    }
    environment = server_environment()
    backup = tmp_path / "navigator.dump"

    subprocess.run(
        [postgres_tool("pg_dump"), "-Fc", "-f", str(backup), connection.settings_dict["NAME"]],
        env=environment,
        check=True,
    )
    subprocess.run([postgres_tool("createdb"), restored_name], env=environment, check=True)
    subprocess.run(
        [postgres_tool("pg_restore"), "--no-owner", "-d", restored_name, str(backup)],
        env=environment,
        check=True,
    )

    connection.close()
    with monkeypatch.context() as patch:
        patch.setitem(connection.settings_dict, "NAME", restored_name)
        try:
            restored = {
                "contacts": sorted(CheckIn.objects.values_list("pk", flat=True)),
                "history": CheckIn.history.count(),
                "access log": AccessLogEntry.objects.count(),
                "victim": tuple(
                    Victim.objects.values_list("full_name", "preferred_name").get(pk=victim.pk)
                ),
            }
            notes = set(CheckIn.objects.values_list("notes", flat=True))
        finally:
            connection.close()

    assert restored == expected
    assert expected["history"] >= 3 and expected["access log"] >= 1
    assert notes == {NOTES}
