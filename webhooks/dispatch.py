"""Sending webhooks: from notices to deliveries, and from deliveries to partners' systems.

Why a cursor, not a row written with the notice. Every notice is written by
``partners.outbox`` in the transaction of its change; a delivery row written there
too would make partners import webhooks, and every change that tells a partner
would pay for the endpoints' rows. Instead each endpoint keeps ``notice_cursor``,
its place in its organisation's notices, and the dispatcher fans out: it gives a
delivery to every notice past the cursor and moves the cursor on, in one
transaction. This loses nothing because notice ids follow commit order (the
outbox takes the feed's lock): once the dispatcher sees a notice, every notice
with a smaller id is already visible. And it depends on nothing but the database:
the notice is the record of the work, a nudge on commit only makes the dispatcher
come sooner, and the beat pass (``WEBHOOK_DISPATCH_EVERY_SECONDS``) comes anyway.

One run of the dispatcher:

1. Fan out: for each enabled endpoint (locked, skipping those another run holds),
   a delivery per new notice, and the cursor moved on.
2. Claim a batch of due deliveries (``select_for_update(skip_locked=True)``):
   each gets an attempt row and its due time moved on by the claim's length,
   then the claim commits. Two dispatchers never hold the same delivery.
3. Send each outside any transaction: check the endpoint's address again (DNS
   rebinding) and connect to that very address; sign; post with the timeout.
4. Record how it went, on the attempt and the delivery, with a conditional
   update (only if the claim is still ours): delivered; tried again on the
   schedule; 410 disables the endpoint; after the last attempt the delivery is
   dead and the case's team is alerted.
5. Again from 2 while deliveries are due and the run has time left.

A worker that dies between 2 and 4 leaves an attempt with no end; the delivery
is due again when its claim runs out, with the same ``webhook-id``.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from alerts.services import raise_webhook_failed_alert
from navigator.nudge import nudge_on_commit
from partners.models import PartnerNotice
from webhooks import addresses, signing
from webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from webhooks.schedule import Outcome, next_attempt_at, outcome_of, parse_retry_after

TASK = "webhooks.tasks.dispatch_task"
TELL_ADMINISTRATORS = "webhooks.tasks.tell_administrators_task"
FAN_OUT_BATCH = 1000
# Beyond the timeouts, for the work around each request.
CLAIM_MARGIN = timedelta(seconds=30)
# Bytes of an answer's body read (and thrown away) so its connection can be used again.
ANSWER_READ_LIMIT = 64 * 1024
# One run stops claiming after this long; the next picks up where it stopped.
RUN_BUDGET = timedelta(minutes=4)


def nudge_dispatcher(sender: Any = None, **kwargs: Any) -> None:
    """Ask for a dispatcher run once the transaction that wrote notices commits."""
    nudge_on_commit(TASK)


def claim_length(batch: int | None = None) -> timedelta:
    """How long a claim of ``batch`` deliveries lasts: long enough to send them all at the
    timeout."""
    batch = batch or settings.WEBHOOK_BATCH_SIZE
    return batch * timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) + CLAIM_MARGIN


def newest_notice_id(organisation_id: int) -> int:
    """Where a new endpoint's cursor starts: notices written before it are in the feed."""
    found = PartnerNotice.objects.filter(organisation_id=organisation_id).aggregate(
        newest=Max("id")
    )
    return int(found["newest"] or 0)


def fan_out(*, now: datetime, batch: int = FAN_OUT_BATCH) -> int:
    """Give each enabled endpoint a delivery for every notice past its cursor."""
    made = 0
    with transaction.atomic():
        endpoints = list(
            WebhookEndpoint.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .only("id", "organisation_id", "notice_cursor")
        )
        for endpoint in endpoints:
            notice_ids = list(
                PartnerNotice.objects.filter(
                    organisation_id=endpoint.organisation_id, id__gt=endpoint.notice_cursor
                )
                .order_by("id")
                .values_list("id", flat=True)[:batch]
            )
            if not notice_ids:
                continue
            WebhookDelivery.objects.bulk_create(
                [
                    WebhookDelivery(
                        endpoint_id=endpoint.pk,
                        notice_id=notice_id,
                        message_id=signing.new_message_id(),
                        next_attempt_at=now,
                        created_at=now,
                    )
                    for notice_id in notice_ids
                ],
                ignore_conflicts=True,  # a redelivery of the cursor's past changes nothing
            )
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(notice_cursor=notice_ids[-1])
            made += len(notice_ids)
    return made


@dataclass(frozen=True)
class Claim:
    """A delivery claimed for one attempt, with what it takes to send it."""

    delivery_id: int
    attempt_id: int
    attempt: int
    message_id: str
    endpoint_id: int
    url: str
    secrets: tuple[str, ...]
    text: str
    case_id: int
    organisation_name: str
    notice_id: int


def notice_url(notice_id: int) -> str:
    return settings.SITE_URL + reverse("api-notice-detail", kwargs={"pk": notice_id})


def secrets_in_use(endpoint: WebhookEndpoint, *, now: datetime) -> tuple[str, ...]:
    """The endpoint's secret, and during a rotation's overlap the previous one after it."""
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and now < until:
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


def claim_due(*, now: datetime, limit: int) -> list[Claim]:
    """Claim up to ``limit`` due deliveries of enabled endpoints, soonest due first."""
    with transaction.atomic():
        deliveries = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__enabled=True)
            .select_related("endpoint__organisation", "notice__case")
            .order_by("next_attempt_at")[:limit]
        )
        if not deliveries:
            return []
        until = now + claim_length(limit)
        attempts = WebhookAttempt.objects.bulk_create(
            [WebhookAttempt(delivery=d, started_at=now) for d in deliveries]
        )
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            attempts=F("attempts") + 1, next_attempt_at=until
        )
        for delivery in deliveries:
            delivery.attempts += 1
    claims = []
    for delivery, attempt in zip(deliveries, attempts, strict=True):
        notice = delivery.notice
        envelope = signing.payload(
            notice_id=notice.pk,
            kind=notice.kind,
            case_reference=notice.case.reference,
            created_at=notice.created_at,
            happens_at=notice.happens_at,
            url=notice_url(notice.pk),
        )
        claims.append(
            Claim(
                delivery_id=delivery.pk,
                attempt_id=attempt.pk,
                attempt=delivery.attempts,
                message_id=delivery.message_id,
                endpoint_id=delivery.endpoint_id,
                url=delivery.endpoint.url,
                secrets=secrets_in_use(delivery.endpoint, now=now),
                text=signing.body(envelope),
                case_id=notice.case_id,
                organisation_name=delivery.endpoint.organisation.name,
                notice_id=notice.pk,
            )
        )
    return claims


@dataclass
class Result:
    outcome: Outcome
    status_code: int | None = None
    duration_ms: int | None = None
    error: str = ""
    retry_after: str | None = None


class Clients:
    """An HTTP client per endpoint host, for one dispatcher run. Connections are kept
    alive, and pooled by the address connected to; a client per host keeps a TLS
    connection made (and its certificate checked) for one host name from carrying
    another's requests, should two names resolve to the same address."""

    def __init__(self) -> None:
        self.by_host: dict[str, httpx.Client] = {}

    def __enter__(self) -> "Clients":
        return self

    def __exit__(self, *exc: object) -> None:
        for client in self.by_host.values():
            client.close()

    def for_host(self, host: str) -> httpx.Client:
        if host not in self.by_host:
            self.by_host[host] = httpx.Client(
                timeout=httpx.Timeout(settings.WEBHOOK_TIMEOUT_SECONDS),
                follow_redirects=False,  # a redirect could lead anywhere, past the address check
                trust_env=False,  # no proxy from the environment: the checked address is called
            )
        return self.by_host[host]


def send(claim: Claim, *, clients: Clients, now: datetime) -> Result:
    """One attempt: check where the URL leads, then post to that checked address."""
    try:
        target = addresses.check_url(
            claim.url, allow_http_loopback=settings.WEBHOOK_ALLOW_HTTP_LOOPBACK
        )
    except addresses.AddressRefused as refused:
        return Result(outcome=Outcome.REFUSED, error=str(refused)[:200])
    client = clients.for_host(target.host)
    url = httpx.URL(claim.url)
    pinned = url.copy_with(host=target.address)
    request = client.build_request(
        "POST",
        pinned,
        content=claim.text.encode(),
        headers={
            **signing.headers(
                message_id=claim.message_id,
                at=now,
                text=claim.text,
                secrets_in_use=claim.secrets,
            ),
            "host": url.netloc.decode("ascii"),
            "user-agent": "Navigator-Webhooks/1.0",
        },
        extensions={"sni_hostname": target.host},
    )
    started = time.perf_counter()
    try:
        response = client.send(request, stream=True)
        try:
            # The answer's body is never kept (it could say anything): a short one is read
            # to its end so the connection can be used again; a long one is not read.
            read = 0
            for chunk in response.iter_raw():
                read += len(chunk)
                if read > ANSWER_READ_LIMIT:
                    break
        finally:
            response.close()
    except httpx.HTTPError as error:
        return Result(
            outcome=Outcome.FAILED,
            duration_ms=_since(started),
            error=type(error).__name__,
        )
    return Result(
        outcome=outcome_of(response.status_code),
        status_code=response.status_code,
        duration_ms=_since(started),
        error="" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}",
        retry_after=response.headers.get("retry-after"),
    )


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def record(claim: Claim, result: Result, *, now: datetime, jitter: float) -> DeliveryStatus | None:
    """Record one attempt and what follows from it; None if the claim had run out and
    another dispatcher has the delivery now (the attempt is still recorded).

    1. The attempt, as it went.
    2. The delivery: delivered, or due again on the schedule. Conditional on the claim
       still being this one (pending, at the attempt count it was claimed at), so a
       dispatcher whose claim ran out never overwrites what the next one did.
    3. A 410, or the last attempt failed: the endpoint is turned off, or the delivery
       is dead and the case's team alerted, in one transaction with step 2.

    Steps 1 and 2 are two statements, each committed alone: a worker that dies between
    them leaves the attempt recorded and the delivery claimed, so it is sent again after
    the claim (with the same ``webhook-id``), which is what would happen had it died a
    moment earlier. The common case thus costs two round trips to the database.
    """
    WebhookAttempt.objects.filter(pk=claim.attempt_id).update(
        finished_at=now,
        outcome=result.outcome.value,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        error=result.error,
    )
    ours = WebhookDelivery.objects.filter(
        pk=claim.delivery_id, status=DeliveryStatus.PENDING, attempts=claim.attempt
    )
    if result.outcome == Outcome.DELIVERED:
        changed = ours.update(
            status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None
        )
        return DeliveryStatus.DELIVERED if changed else None
    due = next_attempt_at(
        outcome=result.outcome,
        attempts=claim.attempt,
        now=now,
        jitter=jitter,
        retry_after=parse_retry_after(result.retry_after, now=now),
    )
    with transaction.atomic():
        if result.outcome == Outcome.GONE:
            # The receiver's own word, whoever holds the delivery now.
            WebhookEndpoint.objects.filter(pk=claim.endpoint_id, enabled=True).update(
                enabled=False, disabled_reason=DisabledReason.GONE, disabled_at=now
            )
        if due is not None:
            return DeliveryStatus.PENDING if ours.update(next_attempt_at=due) else None
        if not ours.update(status=DeliveryStatus.DEAD, dead_at=now, next_attempt_at=None):
            return None
        case = PartnerNotice.objects.select_related("case").get(pk=claim.notice_id).case
        raise_webhook_failed_alert(
            case=case,
            organisation_name=claim.organisation_name,
            entry={
                "delivery": claim.delivery_id,
                "webhook_id": claim.message_id,
                "notice": claim.notice_id,
                "attempts": claim.attempt,
                "at": now.isoformat(),
            },
            now=now,
        )
        # The organisation's partner administrators are emailed (webhooks.notifications).
        nudge_on_commit(TELL_ADMINISTRATORS)
        return DeliveryStatus.DEAD


# How long the record of a delivery that got through, or was given up on, is kept.
KEEP_DELIVERIES_DAYS = 30
FORGET_BATCH = 1000


def forget_old_deliveries(*, now: datetime) -> int:
    """Delete the deliveries (and their attempts) delivered or given up on more than
    ``KEEP_DELIVERIES_DAYS`` ago, in batches: they are bookkeeping, and the notices
    themselves stay in the feed. Pending ones are never deleted, nor dead ones whose
    organisation's administrators have not been told yet (webhooks.notifications)."""
    before = now - timedelta(days=KEEP_DELIVERIES_DAYS)
    old = WebhookDelivery.objects.filter(
        Q(status=DeliveryStatus.DELIVERED, delivered_at__lt=before)
        | Q(status=DeliveryStatus.DEAD, dead_at__lt=before, administrators_told_at__isnull=False)
    )
    deleted = 0
    while ids := list(old.values_list("id", flat=True)[:FORGET_BATCH]):
        with transaction.atomic():
            WebhookAttempt.objects.filter(delivery_id__in=ids).delete()
            deleted += WebhookDelivery.objects.filter(id__in=ids).delete()[0]
    return deleted


@dataclass
class RunReport:
    fanned_out: int = 0
    attempts: int = 0
    delivered: int = 0
    dead: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def dispatch(
    *,
    now: datetime | None = None,
    batch: int | None = None,
    rng: random.Random | None = None,
    budget: timedelta = RUN_BUDGET,
) -> RunReport:
    """One dispatcher run (see the module docstring). ``now`` fixed (a task given ``at``)
    decides what is due and when it is due again; otherwise each batch reads the clock.
    Deliveries are always signed with the clock's time."""
    fixed_now = now
    with commits_not_waiting_for_disk():
        return _dispatch(fixed_now, batch=batch, rng=rng, budget=budget)


@contextmanager
def commits_not_waiting_for_disk() -> Iterator[None]:
    """While the dispatcher runs, its commits do not wait for the database's disk
    (``synchronous_commit`` off, for this connection until the run ends): a commit per
    delivery at disk speed was most of a worker's time. What that risks is small and
    safe: only if the database server itself crashes can the last fraction of a second
    of claims and records be lost, and every connection dies with it, so no worker
    goes on with a claim; those deliveries are sent again, with the same
    ``webhook-id`` (which the specification tells receivers to expect)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _dispatch(
    fixed_now: datetime | None,
    *,
    batch: int | None,
    rng: random.Random | None,
    budget: timedelta,
) -> RunReport:
    rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
    batch = batch or settings.WEBHOOK_BATCH_SIZE
    report = RunReport()
    report.fanned_out = fan_out(now=fixed_now or timezone.now())
    deadline = time.monotonic() + budget.total_seconds()
    with Clients() as clients:
        while time.monotonic() < deadline:
            claims = claim_due(now=fixed_now or timezone.now(), limit=batch)
            for claim in claims:
                # Signed with the clock's time, whatever ``now`` says: receivers refuse a
                # timestamp more than a few minutes from their own clock.
                result = send(claim, clients=clients, now=timezone.now())
                status = record(claim, result, now=fixed_now or timezone.now(), jitter=rng.random())
                report.attempts += 1
                report.outcomes[result.outcome] = report.outcomes.get(result.outcome, 0) + 1
                if status == DeliveryStatus.DELIVERED:
                    report.delivered += 1
                elif status == DeliveryStatus.DEAD:
                    report.dead += 1
            if len(claims) < batch:
                break
    return report
