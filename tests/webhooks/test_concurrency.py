"""Two dispatchers at once, each on its own database connection, never send a delivery
twice; a dispatcher passes over deliveries another holds; and a notice written with an
endpoint in place is sent on commit, with no beat pass needed."""

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from partners import outbox
from partners.models import NoticeKind, PartnerNotice
from tests.personas import World
from tests.webhooks.helpers import endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks import dispatch as dispatch_module
from webhooks.dispatch import dispatch
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)

NOTICES = 40


def write_notices(world: World, count: int = NOTICES) -> None:
    with transaction.atomic():
        outbox.record(
            [
                PartnerNotice(
                    case=world.case_a,
                    organisation=world.haven,
                    kind=NoticeKind.RELOCATION,
                    subject=f"The victim in case {world.case_a.reference} has moved",
                )
                for _ in range(count)
            ]
        )


@pytest.fixture
def no_nudge(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dispatchers here are run by the test alone (tasks run eagerly in tests)."""
    monkeypatch.setattr(dispatch_module, "nudge_on_commit", lambda *a, **k: None)


def test_two_dispatchers_at_once_send_each_delivery_once(
    world: World, receiver: Receiver, no_nudge: None
) -> None:
    endpoint_for(world.haven, receiver.url)
    write_notices(world)
    start = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(dispatch(batch=3))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Counter(receiver.ids()).most_common(1)[0][1] == 1
    assert len(receiver.ids()) == NOTICES
    assert sum(r.attempts for r in reports) == NOTICES
    assert min(r.attempts for r in reports) > 0  # both did work, side by side
    assert WebhookAttempt.objects.count() == NOTICES
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.DELIVERED
    }


def test_a_dispatcher_passes_over_deliveries_another_holds(
    world: World, receiver: Receiver, no_nudge: None
) -> None:
    endpoint_for(world.haven, receiver.url)
    write_notices(world, 6)
    dispatch_module.fan_out(now=timezone.now())
    held_ids = list(WebhookDelivery.objects.order_by("id").values_list("id", flat=True)[:2])
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                list(WebhookDelivery.objects.select_for_update().filter(id__in=held_ids))
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=30)
    try:
        first = dispatch()
    finally:
        release.set()
        holder.join()
    assert first.attempts == 4
    assert not WebhookAttempt.objects.filter(delivery_id__in=held_ids).exists()
    second = dispatch()
    assert second.attempts == 2
    assert sorted(Counter(receiver.ids()).values()) == [1] * 6
    # The connection is left as it was found (a worker's next task commits to disk).
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_a_notice_is_sent_on_commit(world: World, receiver: Receiver) -> None:
    """The nudge (run in-process here; a worker in production) sends it at once."""
    endpoint_for(world.haven, receiver.url)
    write_notices(world, 1)
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert connection.in_atomic_block is False
