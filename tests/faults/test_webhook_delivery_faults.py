"""Webhooks through faults: a worker killed in the middle of a delivery, and the broker
stopped while a notice is saved. Nothing is lost, and the receiver accepts each message
once, once things are back."""

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from cases.choices import CaseStatus
from cases.services import set_case_status
from partners import outbox
from partners.models import NoticeKind, PartnerNotice
from tests.brokers import celery_broker
from tests.faults.servers import PrivateRedis, Workers, wait_for
from tests.personas import World
from webhooks.dispatch import claim_length
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import create_endpoint
from webhooks.tasks import dispatch_task

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

TIMEOUT_SECONDS = 60  # the killed worker must still be waiting for its answer


@dataclass
class Receiver:
    """Accepts every request with 200, except that it holds the first one it is told to
    hold without answering until released, then drops it unanswered."""

    server: ThreadingHTTPServer | None = None
    hold_first: bool = False
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    seen: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            message_id = self.headers["webhook-id"]
            with state.lock:
                state.seen.append(message_id)
                hold = state.hold_first and not state.holding.is_set()
                if hold:
                    state.holding.set()
            if hold:
                state.release.wait(timeout=120)
                self.close_connection = True
                return  # never answered: its sender is gone
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()
            with state.lock:
                state.accepted.append(message_id)

        def log_message(self, format: str, *args: object) -> None:
            pass

    state.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=state.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        yield state
    finally:
        state.release.set()
        state.server.shutdown()
        state.server.server_close()


def write_notices(world: World, count: int) -> list[PartnerNotice]:
    with transaction.atomic():
        return outbox.record(
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


def all_delivered(count: int) -> bool:
    return (
        WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == count
        and WebhookDelivery.objects.count() == count
    )


def test_a_worker_killed_mid_delivery_loses_nothing_and_the_receiver_accepts_each_once(
    world: World, private_redis: PrivateRedis, workers: Workers, receiver: Receiver
) -> None:
    workers.extra_env.update(
        {"WEBHOOK_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS), "WEBHOOK_BATCH_SIZE": "1"}
    )
    create_endpoint(organisation=world.haven, url=receiver.url, acting_user=None)
    receiver.hold_first = True
    doomed = workers.start()
    with celery_broker(private_redis.url):
        notices = write_notices(world, 3)  # the nudge goes to the worker on commit
    assert receiver.holding.wait(timeout=90), "the worker never sent the first delivery"
    workers.kill(doomed)
    receiver.release.set()

    # The delivery in hand was claimed (its attempt has no end); the other two wait.
    interrupted = WebhookAttempt.objects.get()
    assert interrupted.finished_at is None
    held = interrupted.delivery
    assert held.status == DeliveryStatus.PENDING
    assert WebhookDelivery.objects.count() == 3

    # A new worker, and beat's next pass: it sends the two; the one in hand waits out its
    # claim (the dead worker might still have been sending it), and a pass after that sends it.
    workers.start()
    with celery_broker(private_redis.url):
        dispatch_task.delay()
    wait_for(lambda: len(receiver.accepted) == 2, "the two deliveries not in hand")
    assert WebhookDelivery.objects.get(pk=held.pk).status == DeliveryStatus.PENDING
    later = timezone.now() + claim_length() + timedelta(seconds=1)
    with celery_broker(private_redis.url):
        dispatch_task.delay(at=later.isoformat())
        dispatch_task.delay(at=later.isoformat())  # twice: beat and a late nudge
    wait_for(lambda: all_delivered(3), "every delivery")
    workers.stop_all()

    assert Counter(receiver.accepted) == Counter(
        WebhookDelivery.objects.values_list("message_id", flat=True)
    )
    assert set(Counter(receiver.accepted).values()) == {1}
    assert receiver.seen.count(held.message_id) == 2  # the same webhook-id, sent again
    assert {d.notice_id for d in WebhookDelivery.objects.all()} == {n.pk for n in notices}
    assert WebhookAttempt.objects.filter(finished_at__isnull=False).count() == 3


def test_a_notice_saved_while_the_broker_is_down_is_delivered_once_it_is_back(
    world: World, private_redis: PrivateRedis, workers: Workers, receiver: Receiver, caplog
) -> None:  # type: ignore[no-untyped-def]
    create_endpoint(organisation=world.haven, url=receiver.url, acting_user=None)
    workers.start()
    with celery_broker(private_redis.url):
        private_redis.stop()
        # A navigator pauses the case: saved, and its partner's notice with it.
        set_case_status(
            case=world.case_a,
            status=CaseStatus.PAUSED,
            reason="At her request",
            acting_user=world.nadia,
        )
        notice = PartnerNotice.objects.get(organisation=world.haven)
        assert "Could not queue webhooks.tasks.dispatch_task" in caplog.text
        assert receiver.seen == []

        # The broker comes back, empty; beat's next pass (twice, as if a nudge came late).
        private_redis.start()
        dispatch_task.delay()
        dispatch_task.delay()
    wait_for(lambda: all_delivered(1), "the delivery after the broker returned")
    workers.stop_all()

    delivery = WebhookDelivery.objects.get()
    assert delivery.notice_id == notice.pk
    assert receiver.accepted == receiver.seen == [delivery.message_id]
