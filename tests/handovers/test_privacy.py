"""What a sender wrote about the victim goes with the rest of the record: anonymised after
the retention period (history included), exported on a subject access request, erased."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.choices import CaseStatus
from cases.services import set_case_status
from handovers.models import Handover
from handovers.services import decline_handover
from privacy.erasure import erase_victim
from privacy.retention import REMOVED, anonymise_closed_cases
from tests.handovers.helpers import refer_to_haven
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_anonymising_removes_what_was_written_history_included(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = 30
    handover = refer_to_haven(world)
    decline_handover(handover=handover, reason="She said no to us", acting_user=world.pat)
    set_case_status(
        case=world.case_a, status=CaseStatus.CLOSED, reason="Concluded", acting_user=world.ada
    )
    anonymise_closed_cases(now=timezone.now() + timedelta(days=31))
    handover.refresh_from_db()
    assert (handover.reason, handover.needs_and_risks, handover.decline_reason) == (
        REMOVED,
        REMOVED,
        REMOVED,
    )
    for version in Handover.history.filter(id=handover.pk):
        assert version.needs_and_risks == REMOVED and version.decline_reason in ("", REMOVED)
    assert handover.kind == "support_referral" and handover.state == "declined"


def test_erasure_takes_handovers_and_their_history(world: World) -> None:
    handover = refer_to_haven(world)
    erase_victim(victim=world.case_a.victim, acting_user=world.ada)
    assert not Handover.objects.filter(pk=handover.pk).exists()
    assert not Handover.history.filter(id=handover.pk).exists()
