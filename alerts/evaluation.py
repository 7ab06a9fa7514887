"""Which alerts a case should have live, from the rules' results: pure, no database."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alerts.choices import AlertKind, Severity
from contacts import sla
from handovers import rules as handover_rules

REVIEW_SUMMARY = "The communication agreement is past its review date: review it with the victim."


@dataclass(frozen=True)
class WantedAlert:
    kind: AlertKind
    severity: Severity
    summary: str
    condition_key: str  # the episode: a person's resolution holds until this changes
    reasons: dict[str, Any] = field(default_factory=dict)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def clock_alerts(clock: sla.Clock, *, terms: sla.Terms | None, now: datetime) -> list[WantedAlert]:
    """The alerts the update clock calls for at ``now``.

    - overdue on the agreed interval: medium; high once overdue by the interval again;
    - otherwise due (the interval has come, or a key decision waits to be told): low;
    - a key decision not told by its Victims' Code deadline: high;
    - the agreement past its review date: low.
    """
    wanted = []
    facts = {
        "state": str(clock.state),
        "last_update_at": _iso(clock.last_update_at),
        "due_at": _iso(clock.due_at),
        "overdue_at": _iso(clock.overdue_at),
        "interval_days": terms.interval_days if terms else None,
    }
    late_ids = {d.event_id for d in clock.late_decisions}
    decision_pending = clock.decision_deadline is not None and clock.decision_deadline > now
    if clock.overdue_at is not None and now >= clock.overdue_at:
        wanted.append(
            WantedAlert(
                kind=AlertKind.UPDATE_OVERDUE,
                severity=Severity.HIGH if clock.escalate else Severity.MEDIUM,
                summary=clock.sentence,
                condition_key=f"overdue:{_iso(clock.overdue_at)}",
                reasons={**facts, "overdue_hours": int(clock.overdue_by.total_seconds() // 3600)},
            )
        )
    elif (clock.due_at is not None and now >= clock.due_at) or decision_pending:
        wanted.append(
            WantedAlert(
                kind=AlertKind.UPDATE_DUE,
                severity=Severity.LOW,
                summary=clock.sentence,
                condition_key=f"due:{_iso(clock.due_at)}:{_iso(clock.decision_deadline)}",
                reasons={**facts, "decision_deadline": _iso(clock.decision_deadline)},
            )
        )
    if late_ids:
        wanted.append(
            WantedAlert(
                kind=AlertKind.KEY_DECISION_NOT_TOLD,
                severity=Severity.HIGH,
                summary=sla.untold_sentence(clock.late_decisions),
                condition_key="decisions:" + ",".join(str(i) for i in sorted(late_ids)),
                reasons={
                    "decisions": [
                        {"event_id": d.event_id, "label": d.label, "deadline": _iso(d.deadline)}
                        for d in clock.late_decisions
                    ]
                },
            )
        )
    if clock.review_overdue:
        wanted.append(
            WantedAlert(
                kind=AlertKind.AGREEMENT_REVIEW_DUE,
                severity=Severity.LOW,
                summary=REVIEW_SUMMARY,
                condition_key=f"review:{terms.review_by if terms else ''}",
            )
        )
    return wanted


def handover_alert(overdue: list[handover_rules.Overdue], *, hours: int) -> WantedAlert | None:
    """Handovers sent and not acknowledged in time: medium, high once twice as late.

    One episode per set of handovers waiting, so a person who resolved it is told again
    when another handover goes unacknowledged.
    """
    if not overdue:
        return None
    return WantedAlert(
        kind=AlertKind.HANDOVER_UNACKNOWLEDGED,
        severity=Severity.HIGH if any(o.urgent for o in overdue) else Severity.MEDIUM,
        summary=handover_rules.unacknowledged_sentence(overdue, hours=hours),
        condition_key="handovers:" + ",".join(str(o.handover.id) for o in overdue),
        reasons={
            "handovers": [
                {
                    "id": o.handover.id,
                    "kind": o.handover.kind,
                    "to_organisation": o.handover.to_organisation,
                    "sent_at": _iso(o.handover.sent_at),
                    "due_at": _iso(o.due_at),
                }
                for o in overdue
            ]
        },
    )
