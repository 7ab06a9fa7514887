"""Celery tasks for webhooks: thin; the work is claimed in the database (webhooks.dispatch)."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from webhooks.dispatch import dispatch, forget_old_deliveries
from webhooks.notifications import tell_administrators


@shared_task(name="webhooks.tasks.dispatch_task")
def dispatch_task(at: str | None = None) -> dict[str, int]:
    """Beat's pass, and the nudge after a notice is written. ``at`` runs it as of that
    moment (for tests and for catching up by hand)."""
    report = dispatch(now=datetime.fromisoformat(at) if at else None)
    return {
        "fanned_out": report.fanned_out,
        "attempts": report.attempts,
        "delivered": report.delivered,
        "dead": report.dead,
    }


@shared_task(name="webhooks.tasks.tell_administrators_task")
def tell_administrators_task() -> int:
    """Email partner administrators of deliveries that died: beat's pass, and the nudge
    on the commit that kills one (webhooks.notifications)."""
    return tell_administrators(now=timezone.now())


@shared_task(name="webhooks.tasks.forget_old_deliveries_task")
def forget_old_deliveries_task() -> int:
    """Daily: the records of deliveries done with for a month let go."""
    return forget_old_deliveries(now=timezone.now())
