"""Unacknowledged after HANDOVER_ACK_HOURS, a handover raises an alert on the case through
the case's next look and the sweep, like every other deadline; acknowledging clears it."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus, Severity
from alerts.models import Alert
from cases.choices import CaseStatus
from cases.models import Case
from cases.services import set_case_status
from handovers.services import accept_handover, acknowledge_handover
from tests.alerts.helpers import london
from tests.handovers.helpers import refer_to_haven
from tests.personas import World

pytestmark = pytest.mark.django_db

SENT = london(2026, 3, 2, 9)


def sweep_at(moment) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        call_command("sweep", "--at", moment.isoformat(), stdout=StringIO())


def live_alert(case: Case) -> Alert | None:
    return Alert.objects.filter(
        case=case, kind=AlertKind.HANDOVER_UNACKNOWLEDGED, status__in=LIVE_STATUSES
    ).first()


def send(world: World):  # type: ignore[no-untyped-def]
    with time_machine.travel(SENT, tick=False):
        return refer_to_haven(world, now=SENT)


def test_raised_at_the_deadline_and_cleared_by_acknowledging(world: World) -> None:
    handover = send(world)
    case = Case.objects.get(pk=world.case_a.pk)
    assert case.next_check_at is not None and case.next_check_at <= SENT + timedelta(hours=24)

    sweep_at(SENT + timedelta(hours=23, minutes=59))
    assert live_alert(case) is None

    sweep_at(SENT + timedelta(hours=24))
    alert = live_alert(case)
    assert alert is not None and alert.severity == Severity.MEDIUM
    assert alert.assigned_to == world.nadia
    assert alert.summary.startswith("Haven has not acknowledged the handover")
    assert "Afraid" not in alert.summary and "counselling" not in str(alert.reasons)

    sweep_at(SENT + timedelta(hours=48))
    alert.refresh_from_db()
    assert alert.severity == Severity.HIGH

    later = SENT + timedelta(hours=50)
    with time_machine.travel(later, tick=False):
        acknowledge_handover(handover=handover, acting_user=world.pat, now=later)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLEARED and alert.resolved_at == later
    sweep_at(SENT + timedelta(hours=72))
    assert live_alert(case) is None


def test_accepted_before_the_deadline_nothing_is_raised(world: World) -> None:
    handover = send(world)
    at = SENT + timedelta(hours=3)
    with time_machine.travel(at, tick=False):
        accept_handover(handover=handover, acting_user=world.pat, now=at)
    sweep_at(SENT + timedelta(hours=30))
    assert live_alert(Case.objects.get(pk=world.case_a.pk)) is None


@override_settings(HANDOVER_ACK_HOURS=4)
def test_the_deadline_follows_the_setting(world: World) -> None:
    send(world)
    sweep_at(SENT + timedelta(hours=4))
    assert live_alert(Case.objects.get(pk=world.case_a.pk)) is not None


def test_a_paused_case_still_waits_for_its_receiver(world: World) -> None:
    send(world)
    at = SENT + timedelta(hours=1)
    with time_machine.travel(at, tick=False):
        set_case_status(
            case=world.case_a,
            status=CaseStatus.PAUSED,
            reason="At the victim's request",
            acting_user=world.nadia,
            now=at,
        )
    sweep_at(SENT + timedelta(hours=25))
    assert live_alert(Case.objects.get(pk=world.case_a.pk)) is not None
