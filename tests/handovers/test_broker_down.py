"""Nothing about a handover depends on the broker: with it down, a handover is sent from the
page, its notice written, declined, and its deadline alert raised (high, so it wants an
email) and every request is answered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from alerts.sweep import run_sweep
from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover
from partners.models import PartnerNotice
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_with_the_broker_down_nothing_is_lost(
    world: World,
    broker_down: str,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    nadia, pat = client_for(world.nadia), client_for(world.pat)
    with django_capture_on_commit_callbacks(execute=True):
        sent = nadia.post(
            reverse("handover-send", args=[world.case_a.reference]),
            {
                "kind": HandoverKind.SUPPORT_REFERRAL,
                "to_organisation": world.haven.pk,
                "reason": "Counselling",
                "needs_and_risks": "Prefers women staff.",
            },
        )
    assert sent.status_code == 302
    handover = Handover.objects.get()
    assert PartnerNotice.objects.filter(kind="handover", organisation=world.haven).count() == 1

    # Two days on, nobody has acknowledged it: the sweep raises it, high, with no broker.
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(now=timezone.now() + timedelta(hours=49))
    alert = Alert.objects.get(kind=AlertKind.HANDOVER_UNACKNOWLEDGED)
    assert alert.severity == Severity.HIGH and alert.high_notified_at is None

    with django_capture_on_commit_callbacks(execute=True):
        declined = pat.post(
            reverse("handover-detail", args=[handover.pk]),
            {"action": "decline", "decline_reason": "No space"},
        )
    assert declined.status_code == 302
    handover.refresh_from_db()
    assert handover.state == HandoverState.DECLINED
    assert Alert.objects.filter(kind=AlertKind.HANDOVER_DECLINED).count() == 1
