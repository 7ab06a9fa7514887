"""Celery tasks: thin, idempotent, they take ids and call services."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from alerts import notifications
from alerts.sweep import run_sweep


@shared_task(name="alerts.tasks.sweep_task")
def sweep_task(at: str | None = None) -> dict[str, int]:
    now = datetime.fromisoformat(at) if at else timezone.now()
    report = run_sweep(now=now)
    return {
        "cases_checked": report.cases_checked,
        "opened": len(report.opened),
        "escalated": len(report.escalated),
        "resolved": len(report.resolved),
    }


@shared_task(name="alerts.tasks.notify_high_severity_task")
def notify_high_severity_task(alert_ids: list[int]) -> int:
    return notifications.send_high_severity_emails(alert_ids, now=timezone.now())


@shared_task(name="alerts.tasks.send_daily_digests_task")
def send_daily_digests_task() -> int:
    return notifications.send_daily_digests(now=timezone.now())
