"""A delivery that dies reaches the organisation's partner administrators by email, once,
naming the endpoint and the notice, never the case or the victim; written down in the
database first, so a broker that is down only delays it."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import Role, Staff
from tests.factories import StaffFactory
from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.dispatch import dispatch, fan_out
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.notifications import tell_administrators
from webhooks.schedule import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(0))
PUBLIC = "https://93.184.216.34/navigator/webhooks"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def administrators(world: World) -> list[Staff]:
    """Two partner administrators at Haven; one at the other NGO; a Haven caseworker who is
    not one; and one who left."""
    world.pat.is_partner_administrator = True
    world.pat.save(update_fields=["is_partner_administrator"])
    world.pia.is_partner_administrator = True
    world.pia.save(update_fields=["is_partner_administrator"])
    second = StaffFactory(
        role=Role.PARTNER_CASEWORKER, organisation=world.haven, is_partner_administrator=True
    )
    StaffFactory(role=Role.PARTNER_CASEWORKER, organisation=world.haven)
    StaffFactory(
        role=Role.PARTNER_CASEWORKER,
        organisation=world.haven,
        is_partner_administrator=True,
        is_active=False,
    )
    return [world.pat, second]


def killed(endpoint: WebhookEndpoint, notices: int, world: World) -> list[WebhookDelivery]:
    for n in range(notices):
        a_notice(world.case_a, world.nadia, status="paused" if n % 2 == 0 else "open")
    fan_out(now=timezone.now())
    WebhookDelivery.objects.filter(endpoint=endpoint).update(
        status=DeliveryStatus.DEAD,
        attempts=MAX_ATTEMPTS,
        dead_at=timezone.now(),
        next_attempt_at=None,
    )
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("notice_id"))


def test_when_a_delivery_dies_its_organisations_administrators_are_emailed(
    world: World,
    administrators: list[Staff],
    receiver: Receiver,
    clock: time_machine.Traveller,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    receiver.answer_with(500)
    made = endpoint_for(world.haven, receiver.url)
    notice = a_notice(world.case_a, world.nadia)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(MAX_ATTEMPTS + 2):
            dispatch()
            clock.shift(timedelta(hours=27))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.administrators_told_at is not None

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == sorted(a.email for a in administrators)
    assert "could not deliver" in email.subject
    assert made.endpoint.url in email.body
    assert f"Notice ids: {notice.pk}." in email.body
    assert delivery.message_id in email.body
    assert "/partner/webhook-endpoints/" in email.body
    # Nothing about the case or the victim.
    assert world.case_a.reference not in email.body + email.subject
    assert world.case_a.victim.preferred_name not in email.body


def test_the_email_is_written_down_first_and_sent_by_the_next_pass_without_a_broker(
    world: World, administrators: list[Staff]
) -> None:
    """No nudge ran (on-commit callbacks are not run here, as when the broker is down):
    the delivery waits in the database for the periodic pass, which sends it once."""
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    deliveries = killed(endpoint, 3, world)
    assert mail.outbox == []
    now = timezone.now()
    assert tell_administrators(now=now) == 1
    assert tell_administrators(now=now) == 0  # nothing twice
    assert len(mail.outbox) == 1
    ids = ", ".join(str(d.notice_id) for d in deliveries)
    assert f"Navigator could not deliver 3 notices to your webhook endpoint {PUBLIC}" in (
        mail.outbox[0].body
    )
    assert f"Notice ids: {ids}." in mail.outbox[0].body
    assert set(WebhookDelivery.objects.values_list("administrators_told_at", flat=True)) == {now}


def test_each_endpoint_has_its_own_email_and_each_organisation_its_own_administrators(
    world: World, administrators: list[Staff]
) -> None:
    first = endpoint_for(world.haven, PUBLIC).endpoint
    second = endpoint_for(world.haven, "https://93.184.216.35/second").endpoint
    killed(first, 1, world)
    WebhookDelivery.objects.filter(endpoint=second).update(
        status=DeliveryStatus.DEAD, dead_at=timezone.now(), next_attempt_at=None
    )
    assert tell_administrators(now=timezone.now()) == 2
    assert {tuple(sorted(m.to)) for m in mail.outbox} == {
        tuple(sorted(a.email for a in administrators))
    }
    assert world.pia.email not in {address for m in mail.outbox for address in m.to}


def test_a_failed_send_is_tried_again_on_the_next_pass(
    world: World, administrators: list[Staff]
) -> None:
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    killed(endpoint, 1, world)
    with mock.patch("webhooks.notifications.send_mail", side_effect=SMTPException("down")):
        assert tell_administrators(now=timezone.now()) == 0
    assert WebhookDelivery.objects.get().administrators_told_at is None
    assert tell_administrators(now=timezone.now()) == 1
    assert len(mail.outbox) == 1


def test_an_organisation_with_no_administrator_is_not_emailed_and_not_asked_again(
    world: World,
) -> None:
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    killed(endpoint, 1, world)
    assert tell_administrators(now=timezone.now()) == 0
    assert mail.outbox == []
    assert WebhookDelivery.objects.get().administrators_told_at is not None
