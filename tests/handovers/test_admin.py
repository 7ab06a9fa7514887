"""In the admin a handover is read, with its history, never written around the services;
opening one is a logged read of the case."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessChannel, AccessLogEntry
from tests.handovers.helpers import refer_to_haven
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_read_only_with_history_and_logged(world: World) -> None:
    handover = refer_to_haven(world)
    ada = Client()
    ada.force_login(world.ada)
    listing = ada.get(reverse("admin:handovers_handover_changelist"), {"q": "Haven"})
    assert listing.status_code == 200 and world.case_a.reference in listing.content.decode()
    assert (
        ada.get(reverse("admin:handovers_handover_change", args=[handover.pk])).status_code == 200
    )
    history = ada.get(reverse("admin:handovers_handover_history", args=[handover.pk]))
    assert history.status_code == 200
    assert (
        AccessLogEntry.objects.filter(
            reader=world.ada, case_id=world.case_a.pk, channel=AccessChannel.ADMIN
        ).count()
        == 2
    )
    change = ada.post(
        reverse("admin:handovers_handover_change", args=[handover.pk]), {"state": "accepted"}
    )
    assert change.status_code == 403
    assert ada.get(reverse("admin:handovers_handover_add")).status_code == 403
    nadia = Client()
    nadia.force_login(world.nadia)
    assert nadia.get(reverse("admin:handovers_handover_changelist")).status_code in (302, 403)
