"""Erasure at the victim's request: everything goes, history included; a record that it
happened stays, and so does the access log, which names only references."""

from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry, RemovalKind, RemovalRecord
from cases.models import Victim
from navigator.errors import PermissionDenied
from privacy.erasure import erase_victim
from privacy.records import collect
from tests.personas import World
from tests.records import IDENTIFYING, build_a_full_record, tables_containing

pytestmark = pytest.mark.django_db

EVIDENCE = {"audit_accesslogentry", "audit_removalrecord"}


def test_erasure_removes_the_record_and_its_history_and_leaves_the_evidence(
    world: World,
) -> None:
    case = build_a_full_record(world)
    victim = case.victim
    page = Client()
    page.force_login(world.noah)
    page.get(reverse("case-detail", args=[case.reference]))
    LogEntry.objects.create(
        user=world.ada,
        content_type=ContentType.objects.get_for_model(Victim),
        object_id=str(victim.pk),
        object_repr=IDENTIFYING["full_name"],
        action_flag=CHANGE,
    )
    record = collect(victim)
    histories = [record.history(m) for m in record.models()]
    assert sum(h.count() for h in histories if h is not None) >= 20

    removal = erase_victim(victim=victim, acting_user=world.ada)

    for model in record.models():
        assert not model._base_manager.filter(pk__in=record.ids(model)).exists(), model
    assert sum(h.count() for h in histories if h is not None) == 0
    for text in IDENTIFYING.values():
        assert tables_containing(text) == [], text
    # Only the evidence still names the references, and it holds nothing else.
    assert set(tables_containing(victim.reference)) == EVIDENCE
    assert set(tables_containing(case.reference)) == EVIDENCE
    assert AccessLogEntry.objects.filter(case_id=case.pk).count() == 1
    assert (removal.kind, removal.performed_by, removal.case_references) == (
        RemovalKind.ERASED,
        world.ada,
        [case.reference],
    )
    assert removal.removed["deleted"]["contacts.CheckIn"] == 1
    assert removal.removed["deleted"]["cases.VictimLocation"] == 1
    assert removal.removed["history_rows_deleted"]["cases.Case"] >= 3
    # The other victims are untouched.
    assert Victim.objects.filter(pk=world.case_b.victim_id).exists()


@pytest.mark.parametrize("who", ["nadia", "sam", "olive", "nemo"])
def test_only_an_administrator_may_erase(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        erase_victim(victim=world.case_a.victim, acting_user=getattr(world, who))
    assert Victim.objects.filter(pk=world.case_a.victim_id).exists()


def test_the_removal_record_cannot_be_changed_or_deleted(world: World) -> None:
    removal = erase_victim(victim=world.case_a.victim, acting_user=world.ada)
    rows = RemovalRecord.objects.filter(pk=removal.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(victim_reference="ALTERED")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.delete()


def test_the_admin_asks_for_the_reference_before_erasing(world: World) -> None:
    client = Client()
    client.force_login(world.ada)
    url = reverse("admin:privacy_victimrecord_changelist")
    victim = world.case_a.victim
    chosen = {"action": "erase", "_selected_action": [victim.pk]}

    confirm = client.post(url, chosen)
    assert confirm.status_code == 200
    assert f"Erase {victim.reference}" in confirm.content.decode()
    assert Victim.objects.filter(pk=victim.pk).exists()

    client.post(url, {**chosen, "confirm_reference": "V-WRONG"})
    assert Victim.objects.filter(pk=victim.pk).exists()

    done = client.post(url, {**chosen, "confirm_reference": victim.reference}, follow=True)
    assert f"Erased {victim.reference}" in done.content.decode()
    assert not Victim.objects.filter(pk=victim.pk).exists()
    assert RemovalRecord.objects.get().performed_by == world.ada


def test_the_command_needs_the_reference_twice(world: World) -> None:
    reference = world.case_a.victim.reference
    with pytest.raises(CommandError, match="does not match"):
        call_command("erase_victim", reference, "--by", "ada", "--confirm", "V-OTHER")
    assert Victim.objects.filter(reference=reference).exists()
    out = StringIO()
    call_command("erase_victim", reference, "--by", "ada", "--confirm", reference, stdout=out)
    assert f"Erased {reference}" in out.getvalue()
    assert not Victim.objects.filter(reference=reference).exists()
