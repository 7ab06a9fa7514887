"""Reads of alerts, scoped by the access rules."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from alerts.choices import LIVE_STATUSES
from alerts.models import Alert
from alerts.snapshot import compute_clock, load_snapshots
from cases import access
from cases.models import Case
from contacts import sla


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    """Alerts on the cases ``user`` may see; partners see none (they get notices instead)."""
    if not access.may_log_contacts(getattr(user, "role", "")):
        return Alert.objects.none()
    return Alert.objects.filter(case__in=access.visible_cases(user))


def live_alerts(user: Any) -> QuerySet[Alert]:
    return (
        alerts_visible_to(user)
        .filter(status__in=LIVE_STATUSES)
        .select_related("case", "assigned_to")
        .order_by("-severity", "opened_at")
    )


def case_clock(case: Case, *, now: datetime) -> sla.Clock:
    """The update clock of one case the caller has already been allowed to see."""
    (snapshot,) = load_snapshots([case.pk], now=now)
    return compute_clock(snapshot, now=now)
