"""Early warning of disengagement: which alerts the signals call for. Pure, no database."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from alerts.choices import AlertKind, Severity
from alerts.evaluation import WantedAlert
from contacts import disengagement as dis
from contacts.choices import PromiseStatus

LEVEL_SEVERITY = {dis.Level.WATCH: Severity.MEDIUM, dis.Level.HIGH: Severity.HIGH}


def thresholds_from(overrides: Mapping[str, Any]) -> dis.Thresholds:
    """Thresholds with the deployment's overrides; an unknown name stops the service."""
    known = set(dis.Thresholds.__dataclass_fields__)
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"Unknown early-warning thresholds: {', '.join(sorted(unknown))}")
    return dis.Thresholds(**overrides)


def disengagement_alert(assessment: dis.Assessment, *, now: datetime) -> WantedAlert | None:
    """One alert while the signals reach the watch level, with the reasons heaviest first."""
    severity = LEVEL_SEVERITY.get(assessment.level)
    if severity is None:
        return None
    return WantedAlert(
        kind=AlertKind.DISENGAGEMENT,
        severity=severity,
        summary=assessment.summary(),
        # One episode lasts until the alert clears; within it the level only rises, and a
        # person who resolved it is told again only if it gets worse.
        condition_key="disengagement",
        reasons={
            "score": assessment.score,
            "level": str(assessment.level),
            "signals": [
                {"code": s.code, "weight": s.weight, "reason": s.reason, "facts": dict(s.facts)}
                for s in assessment.signals
            ],
        },
    )


def promise_alert(promises: tuple[dis.PromiseFact, ...], *, now: datetime) -> WantedAlert | None:
    """An open promise past its due time: trust is built by keeping these."""
    overdue = sorted(
        (p for p in promises if p.status == PromiseStatus.OPEN and p.due_by < now),
        key=lambda p: p.due_by,
    )
    if not overdue:
        return None
    first = overdue[0]
    more = f" (and {len(overdue) - 1} more)" if len(overdue) > 1 else ""
    return WantedAlert(
        kind=AlertKind.PROMISE_OVERDUE,
        severity=Severity.MEDIUM,
        summary=(
            f"Promise overdue: “{first.description}”{more}. Keep it, or tell the victim why not."
        ),
        condition_key="promises:" + ",".join(str(p.id) for p in overdue),
        reasons={
            "promises": [
                {"id": p.id, "description": p.description, "due_by": p.due_by.isoformat()}
                for p in overdue
            ]
        },
    )


def quiet_until(reasons: dict[str, Any], *, now: datetime, settle: timedelta) -> datetime:
    """When a disengagement alert that no longer fires may clear: a settled period after the
    first look that found no signal. Marks that first look in ``reasons``."""
    quiet_since = reasons.setdefault("quiet_since", now.isoformat())
    return datetime.fromisoformat(quiet_since) + settle
