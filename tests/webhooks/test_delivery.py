"""Deliveries to a real HTTP receiver on 127.0.0.1, with time frozen and moved on between
dispatcher runs: retries with the same webhook-id, signatures the standardwebhooks package
verifies, 410, 429 with Retry-After, the last attempt, and redelivery."""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks import Webhook

from alerts.choices import AlertKind
from alerts.models import Alert
from alerts.selectors import alerts_visible_to
from cases.choices import CaseStatus
from partners.models import PartnerNotice
from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from tests.webhooks.receiver import Answer, Receiver
from webhooks import addresses
from webhooks.dispatch import dispatch, forget_old_deliveries
from webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from webhooks.schedule import MAX_ATTEMPTS
from webhooks.services import redeliver, rotate_secret, update_endpoint

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def verified(receiver: Receiver, secret: str, index: int = -1) -> dict:  # type: ignore[type-arg]
    got = receiver.received[index]
    return Webhook(secret).verify(got.body, got.headers)  # type: ignore[no-any-return]


def test_fails_twice_then_succeeds_in_exactly_three_attempts_with_one_id(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    receiver.answer_with(500, 503, 200)
    made = endpoint_for(world.haven, receiver.url)
    notice = a_notice(world.case_a, world.nadia)

    dispatch()
    assert verified(receiver, made.secret)["data"]["id"] == notice.pk
    dispatch()  # nothing due yet: the retry is 5 seconds (give or take a tenth) away
    assert len(receiver.received) == 1
    clock.shift(timedelta(seconds=6))
    dispatch()
    verified(receiver, made.secret)
    clock.shift(timedelta(minutes=4))
    dispatch()  # the second retry is 5 minutes away
    assert len(receiver.received) == 2
    clock.shift(timedelta(minutes=2))
    dispatch()
    verified(receiver, made.secret)
    clock.shift(timedelta(days=4))
    dispatch()

    assert len(receiver.received) == 3
    assert len(set(receiver.ids())) == 1
    assert len({r.body for r in receiver.received}) == 1  # the same message each time
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) == 3
    delivery = WebhookDelivery.objects.get()
    assert delivery.message_id == receiver.ids()[0]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    attempts = list(delivery.attempt_log.all())
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert [a.outcome for a in attempts] == ["failed", "failed", "delivered"]
    assert all(a.finished_at and a.duration_ms is not None for a in attempts)
    assert [a.error for a in attempts] == ["HTTP 500", "HTTP 503", ""]


def test_the_payload_is_thin_and_signed_as_the_specification_says(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    made = endpoint_for(world.haven, receiver.url)
    notice = a_notice(world.case_a, world.nadia)
    dispatch()
    got = receiver.received[0]
    assert got.path == "/navigator/hooks"
    assert got.headers["webhook-id"].startswith("msg_")
    assert got.headers["webhook-timestamp"] == str(int(START.timestamp()))
    assert got.headers["webhook-signature"].startswith("v1,")
    assert got.headers["content-type"] == "application/json"
    assert (
        verified(receiver, made.secret)
        == json.loads(got.body)
        == {
            "type": "notice.case_status_changed",
            "timestamp": "2026-03-02T09:00:00Z",
            "data": {
                "id": notice.pk,
                "kind": "case_status_changed",
                "case": world.case_a.reference,
                "created_at": "2026-03-02T09:00:00Z",
                "happens_at": None,
                "url": f"http://127.0.0.1:8000/api/v1/notices/{notice.pk}/",
            },
        }
    )
    victim = world.case_a.victim
    for private in (victim.preferred_name, notice.subject):
        assert private not in got.body.decode()
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint_for(world.haven, receiver.url).secret).verify(got.body, got.headers)


def test_during_a_rotation_both_secrets_verify_and_after_it_only_the_new(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    made = endpoint_for(world.haven, receiver.url)
    rotated = rotate_secret(endpoint=made.endpoint, acting_user=None, overlap=timedelta(hours=2))
    assert rotated.secret != made.secret and rotated.secret.startswith("whsec_")
    a_notice(world.case_a, world.nadia)
    dispatch()
    assert len(receiver.received[-1].headers["webhook-signature"].split(" ")) == 2
    verified(receiver, made.secret)
    verified(receiver, rotated.secret)

    clock.shift(timedelta(hours=2))
    a_notice(world.case_a, world.nadia, status=CaseStatus.OPEN)
    dispatch()
    assert len(receiver.received[-1].headers["webhook-signature"].split(" ")) == 1
    verified(receiver, rotated.secret)
    with pytest.raises(Exception, match="signature"):
        verified(receiver, made.secret)


def test_a_410_turns_the_endpoint_off_and_nothing_more_is_sent(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    receiver.answer_with(410)
    made = endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    dispatch()
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.enabled
    assert endpoint.disabled_reason == DisabledReason.GONE
    assert endpoint.disabled_at == START

    clock.shift(timedelta(days=1))
    a_notice(world.case_a, world.nadia, status=CaseStatus.OPEN)
    dispatch()
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.count() == 1  # the later notice waits in the feed

    # Turned on again, it carries on: the one it refused, and the one written meanwhile.
    receiver.answer_with(200)
    update_endpoint(endpoint=made.endpoint, acting_user=None, enabled=True)
    dispatch()
    assert len(receiver.received) == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_429_with_retry_after_waits_that_long(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    receiver.answer_with(Answer(429, {"Retry-After": "120"}), 200)
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    dispatch()
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at == START + timedelta(seconds=120)
    assert delivery.attempt_log.get().outcome == "throttled"
    clock.shift(timedelta(seconds=119))
    dispatch()
    assert len(receiver.received) == 1
    clock.shift(timedelta(seconds=1))
    dispatch()
    assert len(receiver.received) == 2
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_after_the_last_attempt_the_delivery_is_dead_and_the_team_is_alerted(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    receiver.answer_with(500)
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    for _ in range(MAX_ATTEMPTS + 2):
        dispatch()
        clock.shift(timedelta(hours=27))
    assert len(receiver.received) == MAX_ATTEMPTS == 10
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.next_attempt_at is None

    alert = Alert.objects.get(kind=AlertKind.WEBHOOK_FAILED)
    assert alert.case == world.case_a
    assert alert.assigned_to == world.nadia  # her supervisor sees it with the team's
    assert "Haven" in alert.summary
    assert alert.reasons["deliveries"][0]["webhook_id"] == delivery.message_id
    assert alerts_visible_to(world.sam).filter(pk=alert.pk).exists()
    assert not alerts_visible_to(world.sue).filter(pk=alert.pk).exists()
    assert not alerts_visible_to(world.pat).exists()

    # An administrator redelivers it: the same message, from the start of the schedule.
    receiver.answer_with(200)
    redeliver(delivery=delivery, acting_user=world.ada)
    dispatch()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.redelivered_by == world.ada
    assert receiver.ids() == [delivery.message_id] * (MAX_ATTEMPTS + 1)
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == MAX_ATTEMPTS + 1


def test_only_administrators_redeliver(world: World, receiver: Receiver) -> None:
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    dispatch()
    for who in (world.sam, world.nadia, world.pat):
        with pytest.raises(Exception, match="administrators"):
            redeliver(delivery=WebhookDelivery.objects.get(), acting_user=who)


def test_an_endpoint_is_sent_only_what_is_written_after_it_was_made(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    a_notice(world.case_a, world.nadia)  # before: it is in the feed
    endpoint_for(world.haven, receiver.url)
    endpoint_for(world.other_ngo, receiver.url)  # not shared: never told of case A
    after = a_notice(world.case_a, world.nadia, status=CaseStatus.OPEN)
    dispatch()
    assert [json.loads(r.body)["data"]["id"] for r in receiver.received] == [after.pk]


def test_the_address_is_checked_again_at_delivery(
    world: World,
    receiver: Receiver,
    clock: time_machine.Traveller,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name that resolved to an allowed address when saved, and to a private one when
    sent (DNS rebinding), is not called."""
    port = receiver.server.server_address[1]
    endpoint_for(world.haven, f"http://localhost:{port}/navigator/hooks")
    a_notice(world.case_a, world.nadia)
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["10.0.0.7"])
    dispatch()
    assert receiver.received == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.outcome == "refused"
    assert "private address" in attempt.error
    assert attempt.status_code is None

    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["127.0.0.1"])
    clock.shift(timedelta(seconds=6))
    dispatch()
    assert len(receiver.received) == 1
    assert receiver.received[0].headers["host"] == f"localhost:{port}"


def test_no_endpoint_no_work(world: World) -> None:
    a_notice(world.case_a, world.nadia)
    report = dispatch()
    assert (report.fanned_out, report.attempts) == (0, 0)


def test_deliveries_done_with_for_a_month_are_let_go(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    dispatch()  # delivered now
    receiver.answer_with(500)
    clock.shift(timedelta(days=20))
    a_notice(world.case_a, world.nadia, status=CaseStatus.OPEN)
    dispatch()  # failing, still pending
    clock.shift(timedelta(days=10, seconds=1))
    assert forget_old_deliveries(now=timezone.now()) == 1
    remaining = WebhookDelivery.objects.get()
    assert remaining.status == DeliveryStatus.PENDING
    assert WebhookAttempt.objects.filter(delivery=remaining).count() == 1
    assert WebhookAttempt.objects.count() == 1
    assert PartnerNotice.objects.count() == 2  # the notices stay in the feed


def test_a_dead_delivery_nobody_was_told_of_yet_is_kept(
    world: World, receiver: Receiver, clock: time_machine.Traveller
) -> None:
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    dispatch()
    delivery = WebhookDelivery.objects.get()
    # Dead long ago, but its organisation's administrators have not been told (mail down).
    long_ago = timezone.now() - timedelta(days=40)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DEAD, delivered_at=None, dead_at=long_ago
    )
    assert forget_old_deliveries(now=timezone.now()) == 0
    WebhookDelivery.objects.filter(pk=delivery.pk).update(administrators_told_at=long_ago)
    assert forget_old_deliveries(now=timezone.now()) == 1
