"""A subject access request answered from the record, its history and the access log."""

import json
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from audit.models import AccessChannel, AccessLogEntry
from cases.models import Case
from navigator.errors import PermissionDenied
from privacy.subject_access import export_subject_access
from tests.personas import World
from tests.records import IDENTIFYING, SECRETS, build_a_full_record

pytestmark = pytest.mark.django_db


def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.ada)
    return client


def test_the_export_holds_the_record_its_history_and_who_read_it(world: World) -> None:
    case = build_a_full_record(world)
    nadia = Client()
    nadia.force_login(world.noah)  # the case's navigator now
    nadia.get(reverse("case-detail", args=[case.reference]))

    document = export_subject_access(victim=case.victim, acting_user=world.ada)
    text = json.dumps(document, default=str)

    (victim,) = document["records"]["cases.Victim"]
    assert victim["reference"] == case.victim.reference
    assert victim["safe_phone"] == SECRETS["safe_phone"]  # decrypted, for the person
    (location,) = document["records"]["cases.VictimLocation"]
    assert location["address"] == SECRETS["address"]
    (checkin,) = document["records"]["contacts.CheckIn"]
    assert checkin["notes"] == SECRETS["checkin_notes"]
    for secret in (*SECRETS.values(), *IDENTIFYING.values()):
        assert secret in text, secret
    # History: every version, with who made it.
    versions = document["history"]["cases.Case"]
    assert [v["status"] for v in versions][-1] == "paused"
    assert {v["history_type"] for v in versions} == {"+", "~"}
    # The access log: the page read, and this export itself.
    channels = [(e["channel"], e["reader_id"]) for e in document["access_log"]]
    assert ("page", world.noah.pk) in channels
    assert ("export", world.ada.pk) in channels
    assert document["people"][str(world.noah.pk)]["role"] == "Navigator"
    assert str(world.force_a.pk) in document["organisations"]


def test_the_export_is_logged_as_a_read_through_the_export_channel(world: World) -> None:
    export_subject_access(victim=world.case_a.victim, acting_user=world.ada)
    entry = AccessLogEntry.objects.get(channel=AccessChannel.EXPORT)
    assert (entry.reader, entry.case_id) == (world.ada, world.case_a.pk)


@pytest.mark.parametrize("who", ["nadia", "sam", "olive", "pat", "nemo"])
def test_only_an_administrator_may_export(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        export_subject_access(victim=world.case_a.victim, acting_user=getattr(world, who))
    assert not AccessLogEntry.objects.exists()


def test_the_admin_action_downloads_the_file_and_keeps_no_copy(world: World) -> None:
    url = reverse("admin:privacy_victimrecord_changelist")
    response = admin_client(world).post(
        url,
        {"action": "export_subject_access", "_selected_action": [world.case_a.victim_id]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["victim_reference"] == world.case_a.victim.reference
    assert AccessLogEntry.objects.filter(channel=AccessChannel.EXPORT, reader=world.ada).exists()


def test_the_admin_action_answers_one_request_at_a_time(world: World) -> None:
    url = reverse("admin:privacy_victimrecord_changelist")
    both = [world.case_a.victim_id, world.case_b.victim_id]
    response = admin_client(world).post(
        url, {"action": "export_subject_access", "_selected_action": both}, follow=True
    )
    assert "exactly one victim" in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_nobody_but_an_administrator_reaches_the_privacy_admin(world: World) -> None:
    client = Client()
    client.force_login(world.nadia)
    url = reverse("admin:privacy_victimrecord_changelist")
    assert client.get(url).status_code == 302  # to the admin sign-in


def test_the_command_writes_a_new_file_only_its_owner_can_read(
    world: World, tmp_path: Path
) -> None:
    output = tmp_path / "request.json"
    reference = world.case_a.victim.reference
    call_command(
        "export_subject_access", reference, "--by", "ada", "--output", output, stdout=StringIO()
    )
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert json.loads(output.read_text())["victim_reference"] == reference
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "export_subject_access", reference, "--by", "ada", "--output", output, stdout=StringIO()
        )
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command(
            "export_subject_access",
            reference,
            "--by",
            "nadia",
            "--output",
            tmp_path / "other.json",
            stdout=StringIO(),
        )
    assert Case.objects.count() == 2
