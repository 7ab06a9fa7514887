"""Is the sweep running? A late sweep means overdue updates and signs of disengagement go
unflagged and high-severity emails wait, so the administrators are told, once per late spell.

Asked by the health check (so a monitor polling it notices even when no worker runs) and
by a beat task (so a worker whose sweeps keep failing notices too).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from accounts.models import Role, Staff
from alerts.models import SweepLateWarning, SweepRun
from alerts.notifications import claimed_once

logger = logging.getLogger(__name__)


def is_late(last_finished_at: datetime | None, *, now: datetime, allowed: timedelta) -> bool:
    """The rule: late when no run has finished within ``allowed``, or none ever has."""
    return last_finished_at is None or now - last_finished_at > allowed


@dataclass(frozen=True)
class SweepFreshness:
    last_run_id: int  # 0 when no run has ever finished
    last_finished_at: datetime | None
    allowed: timedelta
    late: bool

    def minutes_since(self, now: datetime) -> int | None:
        if self.last_finished_at is None:
            return None
        return int((now - self.last_finished_at).total_seconds() // 60)

    def describe(self, now: datetime) -> str:
        if self.last_finished_at is None:
            return "No sweep has finished yet"
        when = timezone.localtime(self.last_finished_at)
        return (
            f"The last sweep finished {self.minutes_since(now)} minutes ago "
            f"({when:%H:%M on %d %B}); it should finish at least every "
            f"{int(self.allowed.total_seconds() // 60)} minutes"
        )


def sweep_freshness(*, now: datetime) -> SweepFreshness:
    last = (
        SweepRun.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("pk", "finished_at")
        .first()
    )
    run_id, finished_at = last if last else (0, None)
    allowed = timedelta(minutes=settings.SWEEP_LATE_AFTER_MINUTES)
    return SweepFreshness(
        last_run_id=run_id,
        last_finished_at=finished_at,
        allowed=allowed,
        late=is_late(finished_at, now=now, allowed=allowed),
    )


def administrators_emails() -> list[str]:
    staff = Staff.objects.filter(role=Role.ADMIN, is_active=True).exclude(email="")
    emails = [*staff.values_list("email", flat=True), *(email for _, email in settings.ADMINS)]
    return sorted(set(emails))


def warn_if_sweep_late(*, now: datetime) -> bool:
    """Email the administrators if the sweep is late; True if this call sent the email.

    The spell is claimed with a conditional update, so two checks noticing at once
    send one email; a failed send releases the claim and the next check tries again.
    """
    freshness = sweep_freshness(now=now)
    if not freshness.late:
        return False
    recipients = administrators_emails()
    if not recipients:
        logger.error("The sweep is late and no administrator has an email address to tell")
        return False
    SweepLateWarning.objects.bulk_create(
        [SweepLateWarning(after_run=freshness.last_run_id, noticed_at=now)], ignore_conflicts=True
    )
    sent = False
    with claimed_once(
        SweepLateWarning.objects.filter(after_run=freshness.last_run_id, sent_at__isnull=True),
        sent_at=now,
    ) as claimed:
        if claimed:
            send_mail(
                subject="Navigator: the sweep is late",
                message=(
                    f"{freshness.describe(now)}.\n\n"
                    "Until it runs again, overdue updates and signs of disengagement are not "
                    "flagged, and high-severity emails wait. Check that the Celery worker and "
                    "beat are running and can reach the database and the broker (see 'The "
                    f"sweep is late' in docs/operations.md). Health: {settings.SITE_URL}/health/\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
            sent = True
            logger.warning("The sweep is late; the administrators were emailed")
    return sent
