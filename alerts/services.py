"""What people do with alerts, and the alert a broken agreement raises at once."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts import selectors
from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus, Severity
from alerts.models import Alert
from alerts.notifications import notify_high_severity_on_commit
from cases import access
from cases.choices import PocRole
from cases.models import Case, PointOfContact
from navigator.errors import PermissionDenied, ValidationError, field_error
from navigator.history import save_as


def _live_alert_for_update(alert: Alert, acting_user: Any) -> Alert:
    """Lock the case, then the alert: the sweep holds case locks, so a person's decision
    and a sweep's revision of the same alert never interleave."""
    if not access.may_manage_cases(getattr(acting_user, "role", "")):
        raise PermissionDenied("Alerts are acknowledged and resolved by the navigation team.")
    Case.objects.filter(pk=alert.case_id).lock()
    alert = selectors.alerts_visible_to(acting_user).select_for_update().get(pk=alert.pk)
    if not alert.is_live:
        raise field_error("status", f"This alert is already {alert.get_status_display().lower()}.")
    return alert


@transaction.atomic
def acknowledge_alert(*, alert: Alert, acting_user: Any, now: datetime | None = None) -> Alert:
    """Say "I have seen this and I am on it": the alert stays live until its condition clears."""
    alert = _live_alert_for_update(alert, acting_user)
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return alert
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now or timezone.now()
    alert.acknowledged_by = acting_user
    save_as(alert, acting_user, update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return alert


@transaction.atomic
def resolve_alert(
    *, alert: Alert, note: str, acting_user: Any, now: datetime | None = None
) -> Alert:
    """Close an alert by hand. The note says what was done; it is kept in the history."""
    if not note.strip():
        raise field_error("resolution_note", "Say what was done about this alert.")
    alert = _live_alert_for_update(alert, acting_user)
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at = now or timezone.now()
    alert.resolved_by = acting_user
    alert.resolution_note = note.strip()
    save_as(
        alert,
        acting_user,
        update_fields=["status", "resolved_at", "resolved_by", "resolution_note"],
    )
    return alert


@transaction.atomic
def assign_alert(
    *, alert: Alert, assignee: Any, acting_user: Any, now: datetime | None = None
) -> Alert:
    """Give a live alert to a navigator of the acting person's team to act on.

    The alert then stays with them (the sweep no longer moves it to the case's navigator)
    until it is resolved or clears.
    """
    if not access.may_oversee_team(getattr(acting_user, "role", "")):
        raise PermissionDenied("Alerts are given to someone by their supervisor.")
    if assignee is None or not access.team_of(acting_user).filter(pk=assignee.pk).exists():
        raise field_error("assignee", "Choose a navigator in your team.")
    alert = _live_alert_for_update(alert, acting_user)
    if alert.assigned_to_id == assignee.pk and alert.assigned_by_id is not None:
        return alert
    alert.assigned_to = assignee
    alert.assigned_by = acting_user
    alert.assigned_at = now or timezone.now()
    save_as(alert, acting_user, update_fields=["assigned_to", "assigned_by", "assigned_at"])
    return alert


class AlertAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class Refusal:
    """An alert a bulk action could not be applied to, and why in words."""

    alert: Alert
    reason: str


@dataclass(frozen=True)
class BulkResult:
    tried: int
    done: tuple[Alert, ...]  # empty when any was refused: the lot was undone
    refused: tuple[Refusal, ...]

    @property
    def ok(self) -> bool:
        return not self.refused


def act_on_alerts(
    *,
    alerts: Sequence[Alert],
    action: AlertAction,
    acting_user: Any,
    note: str = "",
    assignee: Any = None,
    now: datetime | None = None,
) -> BulkResult:
    """Acknowledge, assign or resolve several alerts at once: all of them, or none.

    1. Take the alerts in the order of their cases (the order the sweep locks them in),
       so a bulk action and a sweep never wait on each other in a circle.
    2. Put each through its own service, noting every refusal and why.
    3. If any was refused, undo the lot and say which and why; otherwise keep them all.

    A refusal of the person themselves (``PermissionDenied``) is not noted: it ends the
    whole action.
    """
    now = now or timezone.now()
    done: list[Alert] = []
    refused: list[Refusal] = []
    with transaction.atomic():
        for alert in sorted(alerts, key=lambda a: (a.case_id, a.pk)):
            try:
                if action == AlertAction.ACKNOWLEDGE:
                    done.append(acknowledge_alert(alert=alert, acting_user=acting_user, now=now))
                elif action == AlertAction.ASSIGN:
                    done.append(
                        assign_alert(
                            alert=alert, assignee=assignee, acting_user=acting_user, now=now
                        )
                    )
                else:
                    done.append(
                        resolve_alert(alert=alert, note=note, acting_user=acting_user, now=now)
                    )
            except ValidationError as error:
                refused.append(Refusal(alert=alert, reason=" ".join(error.messages)))
        if refused:
            transaction.set_rollback(True)
            done = []
    return BulkResult(tried=len(alerts), done=tuple(done), refused=tuple(refused))


def raise_breach_alert(
    *,
    case: Case,
    breaches: Sequence[str],
    unsafe_channel_used: bool,
    acting_user: Any,
    now: datetime,
) -> Alert:
    """Record that a contact broke the victim's agreement: the agreement is a promise to them.

    Called inside the service that logged the contact. A live breach alert on
    the case gathers the new reasons rather than opening a second one.
    """
    severity = Severity.HIGH if unsafe_channel_used else Severity.MEDIUM
    entry = {"at": now.isoformat(), "breaches": list(breaches)}
    summary = "A contact broke the communication agreement: " + "; ".join(breaches) + "."
    alert = (
        Alert.objects.select_for_update()
        .filter(case=case, kind=AlertKind.AGREEMENT_BROKEN, status__in=LIVE_STATUSES)
        .first()
    )
    navigator_id = (
        PointOfContact.objects.filter(case=case, role=PocRole.NAVIGATOR, ended_at__isnull=True)
        .values_list("person_id", flat=True)
        .first()
    )
    if alert is None:
        alert = Alert(
            case=case,
            kind=AlertKind.AGREEMENT_BROKEN,
            severity=severity,
            summary=summary,
            reasons={"contacts": [entry]},
            assigned_to_id=navigator_id,
            opened_at=now,
        )
    else:
        if alert.assigned_by_id is None:  # one given to someone by hand stays theirs
            alert.assigned_to_id = navigator_id
        alert.severity = max(alert.severity, severity)
        alert.summary = summary
        alert.reasons = {"contacts": [*alert.reasons.get("contacts", []), entry]}
    try:
        with transaction.atomic():
            save_as(alert, acting_user)
    except IntegrityError as error:  # pragma: no cover - guarded by the lock above
        raise ValidationError("Another breach alert was raised at the same moment.") from error
    if alert.severity == Severity.HIGH:
        notify_high_severity_on_commit([alert.pk])
    return alert


def raise_partner_report_alert(
    *,
    case: Case,
    severity: Severity,
    summary: str,
    entry: dict[str, Any],
    acting_user: Any,
    now: datetime,
) -> Alert:
    """Bring what a partner reported to the case's points of contact, in the partner's
    transaction: the navigator it is assigned to, and the officers who see the case.

    A live report alert on the case gathers each new report (its severity only rises);
    a person resolves it once they have acted on it.
    """
    Case.objects.filter(pk=case.pk).lock()
    alert = (
        Alert.objects.select_for_update()
        .filter(case=case, kind=AlertKind.PARTNER_REPORT, status__in=LIVE_STATUSES)
        .first()
    )
    navigator_id = (
        PointOfContact.objects.filter(case=case, role=PocRole.NAVIGATOR, ended_at__isnull=True)
        .values_list("person_id", flat=True)
        .first()
    )
    if alert is None:
        alert = Alert(
            case=case,
            kind=AlertKind.PARTNER_REPORT,
            severity=severity,
            summary=summary,
            reasons={"reports": [entry]},
            assigned_to_id=navigator_id,
            opened_at=now,
        )
    else:
        if alert.assigned_by_id is None:  # one given to someone by hand stays theirs
            alert.assigned_to_id = navigator_id
        alert.severity = max(alert.severity, severity)
        alert.summary = summary
        alert.reasons = {"reports": [*alert.reasons.get("reports", []), entry]}
    save_as(alert, acting_user)
    if alert.severity == Severity.HIGH:
        notify_high_severity_on_commit([alert.pk])
    return alert


def raise_handover_declined_alert(
    *,
    case: Case,
    sender_id: int,
    summary: str,
    entry: dict[str, Any],
    acting_user: Any,
    now: datetime,
) -> Alert:
    """Tell whoever sent a handover that it was declined: the responsibility is still theirs.

    Raised in the receiver's transaction and assigned to the sender. A live alert of this
    kind on the case gathers each new refusal; a person resolves it once they have
    found someone else.
    """
    Case.objects.filter(pk=case.pk).lock()
    alert = (
        Alert.objects.select_for_update()
        .filter(case=case, kind=AlertKind.HANDOVER_DECLINED, status__in=LIVE_STATUSES)
        .first()
    )
    if alert is None:
        alert = Alert(
            case=case,
            kind=AlertKind.HANDOVER_DECLINED,
            severity=Severity.MEDIUM,
            summary=summary,
            reasons={"handovers": [entry]},
            assigned_to_id=sender_id,
            opened_at=now,
        )
    else:
        alert.assigned_to_id = sender_id
        alert.summary = summary
        alert.reasons = {"handovers": [*alert.reasons.get("handovers", []), entry]}
    save_as(alert, acting_user)
    return alert


def raise_webhook_failed_alert(
    *, case: Case, organisation_name: str, entry: dict[str, Any], now: datetime
) -> Alert:
    """A notice about the case could not be pushed to a partner: every attempt failed.

    Raised in the dispatcher's transaction. It is assigned to the case's navigator,
    so their supervisor sees it in the team's queue and daily digest: the partner
    may not know what the notice said (it can still read it in its feed), and
    someone should make sure it does. A live one on the case gathers each failure.
    """
    Case.objects.filter(pk=case.pk).lock()
    alert = (
        Alert.objects.select_for_update()
        .filter(case=case, kind=AlertKind.WEBHOOK_FAILED, status__in=LIVE_STATUSES)
        .first()
    )
    navigator_id = (
        PointOfContact.objects.filter(case=case, role=PocRole.NAVIGATOR, ended_at__isnull=True)
        .values_list("person_id", flat=True)
        .first()
    )
    summary = (
        f"A notice could not be delivered to {organisation_name}'s system after every "
        "attempt. Make sure they know what it said."
    )
    if alert is None:
        alert = Alert(
            case=case,
            kind=AlertKind.WEBHOOK_FAILED,
            severity=Severity.MEDIUM,
            summary=summary,
            reasons={"deliveries": [entry]},
            assigned_to_id=navigator_id,
            opened_at=now,
        )
    else:
        alert.assigned_to_id = navigator_id
        alert.summary = summary
        alert.reasons = {"deliveries": [*alert.reasons.get("deliveries", []), entry]}
    save_as(alert, None)
    return alert
