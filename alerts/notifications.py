"""Emails about alerts. They carry case references and alert kinds, never case details:
a person signs in to see more."""

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Staff
from alerts.choices import LIVE_STATUSES, AlertStatus, Severity
from alerts.models import Alert, DigestDelivery
from navigator.nudge import nudge_on_commit

logger = logging.getLogger(__name__)


def alerts_url() -> str:
    return f"{settings.SITE_URL}{reverse('alert-list')}"


def notify_high_severity_on_commit(alert_ids: Sequence[int]) -> None:
    """Ask a worker to email these high-severity alerts once their transaction commits.

    The alert itself is the record of the work: a live high alert whose
    ``high_notified_at`` is empty is still to be emailed, and every periodic pass
    sends those (``send_pending_high_severity_emails``), so a lost nudge only
    delays the email until the next pass.
    """
    if alert_ids:
        nudge_on_commit("alerts.tasks.notify_high_severity_task", alert_ids=list(alert_ids))


def pending_high_severity_alert_ids() -> list[int]:
    """Live high-severity alerts not yet emailed (through the partial index below)."""
    return list(
        Alert.objects.filter(
            severity=Severity.HIGH, status__in=LIVE_STATUSES, high_notified_at__isnull=True
        )
        .order_by("opened_at")
        .values_list("pk", flat=True)
    )


def send_pending_high_severity_emails(*, now: datetime) -> int:
    """Send every high-severity email that a nudge did not (the broker was down, say)."""
    return send_high_severity_emails(pending_high_severity_alert_ids(), now=now)


def _recipients(alert: Alert) -> list[str]:
    navigator = alert.assigned_to
    people = [navigator] if navigator else []
    if navigator is not None and navigator.supervisor is not None:
        people.append(navigator.supervisor)
    return [p.email for p in people if p.email and p.is_active]


def send_high_severity_emails(alert_ids: Sequence[int], *, now: datetime) -> int:
    """Email each high-severity alert once, however many workers try.

    Each alert is claimed with a conditional update: only the worker whose
    update changed the row sends the email.
    """
    sent = 0
    alerts = Alert.objects.filter(pk__in=alert_ids).select_related(
        "case", "assigned_to__supervisor"
    )
    for alert in alerts:
        recipients = _recipients(alert)
        if not recipients:
            continue
        with claimed_once(
            Alert.objects.filter(
                pk=alert.pk,
                high_notified_at__isnull=True,
                severity=Severity.HIGH,
                status__in=LIVE_STATUSES,
            ),
            high_notified_at=now,
        ) as claimed:
            if claimed:
                send_mail(
                    subject=f"High-severity alert on case {alert.case.reference}",
                    message=(
                        f"{alert.get_kind_display()} on case {alert.case.reference}.\n"
                        f"Sign in to Navigator to see it: {alerts_url()}\n"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
                sent += 1
    return sent


@contextmanager
def claimed_once(rows: QuerySet[Any], **claim: Any) -> Iterator[bool]:
    """Claim one row with a conditional update and send inside the same transaction.

    Only the worker whose update changed the row goes on (yields True); if the
    sending fails, the claim rolls back with it and the next run tries again,
    and the failure is logged (without the message) instead of stopping the run.
    """
    try:
        with transaction.atomic():
            yield rows.update(**claim) == 1
    except (OSError, SMTPException):
        logger.exception("Sending failed; it will be tried again on the next run")


def send_daily_digests(*, now: datetime) -> int:
    """Each supervisor gets one email a day listing their team's live alerts, most severe first.

    Each day's digest is claimed before it is sent, so running this twice (a worker
    lost mid-task runs it again) sends nothing twice.
    """
    alerts = (
        Alert.objects.filter(
            status__in=LIVE_STATUSES,
            assigned_to__supervisor__isnull=False,
            assigned_to__supervisor__is_active=True,
        )
        .select_related("case", "assigned_to")
        .order_by("-severity", "opened_at")
    )
    by_supervisor: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_supervisor[alert.assigned_to.supervisor_id].append(alert)  # type: ignore[union-attr]
    supervisors = [
        s for s in Staff.objects.filter(pk__in=by_supervisor, role=Role.SUPERVISOR) if s.email
    ]
    day = timezone.localdate(now)
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(supervisor=s, day=day) for s in supervisors], ignore_conflicts=True
    )
    sent = 0
    for supervisor in supervisors:
        team_alerts = by_supervisor[supervisor.pk]
        lines = [
            f"- [{Severity(a.severity).label}] {a.case.reference}: {a.get_kind_display()}"
            f"{' (acknowledged)' if a.status == AlertStatus.ACKNOWLEDGED else ''}"
            f", {a.assigned_to}"
            for a in team_alerts
        ]
        with claimed_once(
            DigestDelivery.objects.filter(supervisor=supervisor, day=day, sent_at__isnull=True),
            sent_at=now,
        ) as claimed:
            if claimed:
                send_mail(
                    subject=f"Navigator: {len(team_alerts)} live alerts for your team",
                    message=(
                        f"Live alerts for your team on {day:%A %d %B}:\n\n"
                        + "\n".join(lines)
                        + f"\n\nSign in to Navigator to act on them: {alerts_url()}\n"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[supervisor.email],
                )
                sent += 1
    return sent
