"""Celery tasks: thin, idempotent, they take ids and call services.

Each may run twice (a task whose worker died is delivered again) and two may run at
once: what they do is claimed in the database (SKIP LOCKED batches, conditional
updates, unique keys), never assumed from having been called once.
"""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from alerts import notifications
from alerts.periodic import (
    forget_old_bookkeeping,
    record_engagement_snapshots,
    run_periodic_checks,
)
from alerts.watchdog import warn_if_sweep_late


@shared_task(name="alerts.tasks.sweep_task")
def sweep_task(at: str | None = None) -> dict[str, int]:
    now = datetime.fromisoformat(at) if at else timezone.now()
    report = run_periodic_checks(now=now)
    return {
        "cases_checked": report.sweep.cases_checked,
        "opened": len(report.sweep.opened),
        "escalated": len(report.sweep.escalated),
        "resolved": len(report.sweep.resolved),
        "notices": report.notices,
        "reminders": report.reminders,
    }


@shared_task(name="alerts.tasks.snapshot_scores_task")
def snapshot_scores_task() -> int:
    """Daily: the engagement trend, and the old bookkeeping rows let go."""
    now = timezone.now()
    forget_old_bookkeeping(now=now)
    return record_engagement_snapshots(now=now)


@shared_task(name="alerts.tasks.notify_high_severity_task")
def notify_high_severity_task(alert_ids: list[int]) -> int:
    return notifications.send_high_severity_emails(alert_ids, now=timezone.now())


@shared_task(name="alerts.tasks.send_daily_digests_task")
def send_daily_digests_task() -> int:
    return notifications.send_daily_digests(now=timezone.now())


@shared_task(name="alerts.tasks.warn_if_sweep_late_task")
def warn_if_sweep_late_task() -> bool:
    return warn_if_sweep_late(now=timezone.now())
