"""A hard moment coming, told to the partner through the API: the partner reads its feed
with its key, acknowledges the notice, and the case's "partners not told" signal clears at
the next sweep. Replayed through ``manage.py sweep --at``, as production runs it."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus
from alerts.models import Alert
from alerts.snapshot import load_snapshots
from alerts.sweep import Rules
from cases.choices import EventKind
from cases.services import record_case_event
from contacts import disengagement as dis
from tests.alerts.helpers import agree, london, update
from tests.partners.helpers import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


def sweep_at(moment) -> None:  # type: ignore[no-untyped-def]
    call_command("sweep", "--at", moment.isoformat(), stdout=StringIO())


def firing(case, moment) -> list[str]:  # type: ignore[no-untyped-def]
    (snapshot,) = load_snapshots([case.pk], now=moment)
    assessment = dis.assess(
        snapshot.history, now=moment, thresholds=Rules.from_settings().thresholds
    )
    return [s.code for s in assessment.signals]


def live_disengagement(case) -> Alert | None:  # type: ignore[no-untyped-def]
    return Alert.objects.filter(
        case=case, kind=AlertKind.DISENGAGEMENT, status__in=LIVE_STATUSES
    ).first()


def test_acknowledging_the_notice_through_the_api_clears_partners_not_told(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=london(2026, 2, 23, 9), interval=7)
    update(case, nadia, at=london(2026, 2, 27, 11))
    interview = record_case_event(
        case=case,
        kind=EventKind.INTERVIEW,
        at=london(2026, 3, 6, 10),
        acting_user=nadia,
        victim_prepared=True,  # the navigator has prepared her; only the partner is missing
        now=london(2026, 3, 2, 8),
    )
    partner = client_for(world.haven)

    # Monday 09:00: the sweep issues the advance notice; the partner has not seen it yet.
    sweep_at(london(2026, 3, 2, 9))
    assert firing(case, london(2026, 3, 2, 9)) == ["tipping_point_unprepared"]
    alert = live_disengagement(case)
    assert alert is not None and "partners not told" in alert.summary

    # 09:30, the partner's system polls its feed and finds the notice.
    with time_machine.travel(london(2026, 3, 2, 9, 30), tick=False):
        feed = partner.get("/api/v1/notices/?acknowledged=false").json()["results"]
    assert [(n["kind"], n["case"]) for n in feed] == [("tipping_point", case.reference)]
    assert "Interview" in feed[0]["subject"] and feed[0]["happens_at"] is not None
    sweep_at(london(2026, 3, 2, 9, 45))
    assert firing(case, london(2026, 3, 2, 9, 45)) == ["tipping_point_unprepared"]

    # 10:00, a caseworker has arranged to be there: the system acknowledges the notice.
    with time_machine.travel(london(2026, 3, 2, 10), tick=False):
        response = partner.post(f"/api/v1/notices/{feed[0]['id']}/acknowledge/")
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.partners_told_at == london(2026, 3, 2, 10)

    # The next sweep finds the case quiet; the alert clears once it has stayed quiet.
    sweep_at(london(2026, 3, 2, 10, 5))
    assert firing(case, london(2026, 3, 2, 10, 5)) == []
    alert = live_disengagement(case)
    assert alert is not None and "quiet_since" in alert.reasons
    for day in (3, 4, 5, 6):  # weekly updates keep the clock happy meanwhile
        sweep_at(london(2026, 3, day, 12))
    update(case, nadia, at=london(2026, 3, 6, 9))
    sweep_at(london(2026, 3, 9, 10, 5))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLEARED


def test_without_the_acknowledgement_the_signal_stays_on(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=london(2026, 2, 23, 9), interval=7)
    update(case, nadia, at=london(2026, 2, 27, 11))
    record_case_event(
        case=case,
        kind=EventKind.INTERVIEW,
        at=london(2026, 3, 6, 10),
        acting_user=nadia,
        victim_prepared=True,
        now=london(2026, 3, 2, 8),
    )
    for hour in (9, 10, 14):
        sweep_at(london(2026, 3, 2, hour))
        assert firing(case, london(2026, 3, 2, hour)) == ["tipping_point_unprepared"]
    alert = live_disengagement(case)
    assert alert is not None and "quiet_since" not in alert.reasons
