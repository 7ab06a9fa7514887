"""Keep each case's clock, its next look and its alerts up to date.

``refresh_cases`` is the one code path: services call it for the case they
just changed, inside their transaction; the periodic sweep calls it for the
cases whose moment has come. Its cost grows with the cases it is given, never
with the number of open cases.
"""

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus, Severity
from alerts.early_warning import disengagement_alert, promise_alert, quiet_until, thresholds_from
from alerts.evaluation import WantedAlert, clock_alerts, handover_alert
from alerts.models import Alert
from alerts.notifications import notify_high_severity_on_commit
from alerts.snapshot import CASE_FIELDS, CaseSnapshot, compute_clock, load_snapshots
from cases.choices import CaseStatus
from cases.models import Case
from contacts import disengagement as dis
from handovers import rules as handover_rules
from navigator.history import copy_rows_to_history, history_insert

# Kinds the sweep opens and clears by itself. An agreement broken is raised
# when the contact is logged and only a person can resolve it.
MANAGED_KINDS = frozenset(
    {
        AlertKind.UPDATE_DUE,
        AlertKind.UPDATE_OVERDUE,
        AlertKind.KEY_DECISION_NOT_TOLD,
        AlertKind.AGREEMENT_REVIEW_DUE,
        AlertKind.DISENGAGEMENT,
        AlertKind.PROMISE_OVERDUE,
        AlertKind.HANDOVER_UNACKNOWLEDGED,
    }
)
BATCH_SIZE = 1000
CLOCK_FIELDS = ("next_check_at", "clock_state", "update_due_at")
# A rule that answered "look again now" must not keep the sweep spinning.
MIN_RECHECK = timedelta(minutes=1)


@dataclass(frozen=True)
class AlertChange:
    case_reference: str
    kind: str
    severity: int
    alert_id: int


@dataclass
class SweepReport:
    cases_checked: int = 0
    opened: list[AlertChange] = field(default_factory=list)
    escalated: list[AlertChange] = field(default_factory=list)
    resolved: list[AlertChange] = field(default_factory=list)

    def merge(self, other: "SweepReport") -> None:
        self.cases_checked += other.cases_checked
        self.opened += other.opened
        self.escalated += other.escalated
        self.resolved += other.resolved


@dataclass(frozen=True)
class Evaluation:
    snapshot: CaseSnapshot
    state: str
    update_due_at: datetime | None
    next_look_at: datetime | None
    wanted: dict[str, WantedAlert]


@dataclass(frozen=True)
class Rules:
    """What the rules need from the settings, read once per refresh."""

    thresholds: dis.Thresholds
    settle: timedelta
    handover_ack_hours: int = handover_rules.DEFAULT_ACK_HOURS

    @property
    def longest_window(self) -> int:
        """Days of dated facts the signals may read back."""
        t = self.thresholds
        return (
            max(t.recent_days, t.poc_change_days, t.many_contacts_days, t.negative_outcome_days) + 1
        )

    @classmethod
    def from_settings(cls) -> "Rules":
        return cls(
            thresholds=thresholds_from(settings.DISENGAGEMENT_THRESHOLDS),
            settle=timedelta(days=settings.DISENGAGEMENT_SETTLE_DAYS),
            handover_ack_hours=settings.HANDOVER_ACK_HOURS,
        )


def evaluate(snapshot: CaseSnapshot, *, now: datetime, rules: Rules) -> Evaluation:
    """The clock and the early-warning signals of one case, and the alerts they call for."""
    clock = compute_clock(snapshot, now=now)
    wanted = clock_alerts(clock, terms=snapshot.terms, now=now)
    moments = [clock.next_look_at]
    if snapshot.status != CaseStatus.CLOSED:
        # A handover waits for its receiver whether or not the case is paused.
        hours = rules.handover_ack_hours
        overdue = handover_rules.overdue_acknowledgements(
            snapshot.pending_handovers, now=now, hours=hours
        )
        if (alert := handover_alert(overdue, hours=hours)) is not None:
            wanted.append(alert)
        moments.append(
            handover_rules.next_look_at(snapshot.pending_handovers, now=now, hours=hours)
        )
    if snapshot.status == CaseStatus.OPEN:
        # The signals word times and count days on the clock of the ``now`` they are given.
        local_now = timezone.localtime(now)
        assessment = dis.assess(snapshot.history, now=local_now, thresholds=rules.thresholds)
        wanted += [
            alert
            for alert in (
                disengagement_alert(assessment, now=now),
                promise_alert(snapshot.history.promises, now=now),
            )
            if alert is not None
        ]
        moments.append(
            dis.next_change_at(
                snapshot.history, now=local_now, thresholds=rules.thresholds, assessed=assessment
            )
        )
    return Evaluation(
        snapshot=snapshot,
        state=str(clock.state),
        update_due_at=clock.due_at,
        next_look_at=min((m for m in moments if m is not None), default=None),
        wanted={w.kind: w for w in wanted},
    )


def refresh_cases(
    case_ids: Sequence[int], *, now: datetime, locked: Sequence[Case] | None = None
) -> SweepReport:
    """Re-evaluate ``case_ids`` and bring their alerts and next look in line.

    1. Lock the cases (in id order), so a sweep and a person's change never
       evaluate the same case at once. A caller that has already locked and read
       them in this transaction (the sweep, logging a contact) passes them as
       ``locked``, read with at least ``CASE_FIELDS``, and saves two queries.
    2. Load everything the rules read, for all the cases at once.
    3. Evaluate each case with the pure rules.
    4. Open, escalate or clear alerts in bulk, keeping their history.
    5. Store each case's state and the moment it next needs looking at.
    """
    report = SweepReport()
    ids = sorted(case_ids) if locked is not None else Case.objects.filter(pk__in=case_ids).lock()
    if not ids:
        return report
    rules = Rules.from_settings()
    snapshots = load_snapshots(
        ids, now=now, recent_days=rules.longest_window, already_read=locked or ()
    )
    evaluations = [evaluate(s, now=now, rules=rules) for s in snapshots]
    if not evaluations:
        return report
    report.cases_checked = len(evaluations)
    settling = _apply_alerts(evaluations, now=now, rules=rules, report=report)
    rows = []
    for e in evaluations:
        moments = [m for m in (e.next_look_at, settling.get(e.snapshot.case_id)) if m]
        next_look = min(moments, default=None)
        next_check_at = max(next_look, now + MIN_RECHECK) if next_look else None
        rows.append((next_check_at, e.state, e.update_due_at, e.snapshot.case_id))
    _store_clocks(rows)
    return report


def _store_clocks(rows: list[tuple[datetime | None, str, datetime | None, int]]) -> None:
    """Write each case's next look and clock state.

    On PostgreSQL one UPDATE joined to the rows sent as one JSON document; elsewhere
    one parameterised statement run for every row. (A bulk_update's CASE WHEN over
    three columns costs several times more than either.)
    """
    table = connection.ops.quote_name(Case._meta.db_table)
    columns = [connection.ops.quote_name(Case._meta.get_field(f).column) for f in CLOCK_FIELDS]
    if connection.vendor == "postgresql":
        document = json.dumps(
            [
                [pk, nxt and nxt.isoformat(), state, due and due.isoformat()]
                for nxt, state, due, pk in rows
            ]
        )
        assignments = ", ".join(
            f"{column} = (row ->> {n})::{kind}"
            for n, (column, kind) in enumerate(
                zip(columns, ("timestamptz", "text", "timestamptz"), strict=True), start=1
            )
        )
        sql = (
            f"UPDATE {table} SET {assignments} FROM jsonb_array_elements(%s::jsonb) AS row "  # noqa: S608 - names from the model
            f"WHERE {table}.id = (row ->> 0)::bigint"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [document])
        return
    assignments = ", ".join(f"{c} = %s" for c in columns)
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 - names from the model
    adapt = connection.ops.adapt_datetimefield_value  # as the ORM stores them, per backend
    params = [(adapt(nxt), state, adapt(due), pk) for nxt, state, due, pk in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _apply_alerts(
    evaluations: list[Evaluation], *, now: datetime, rules: Rules, report: SweepReport
) -> dict[int, datetime]:
    """Open, revise and clear alerts; returns when settling disengagement alerts may clear."""
    case_ids = [e.snapshot.case_id for e in evaluations]
    # One read: the live alerts, and those people resolved in episodes that may still be
    # running (a resolved alert keeps its episode key until its condition is gone).
    managed = Alert.objects.filter(case_id__in=case_ids, kind__in=MANAGED_KINDS).filter(
        Q(status__in=LIVE_STATUSES) | Q(status=AlertStatus.RESOLVED) & ~Q(condition_key="")
    )
    live: dict[tuple[int, str], Alert] = {}
    # What people resolved in episodes that may still be running: (case, kind, episode)
    # -> severity. An episode whose condition is gone no longer holds anything back.
    resolved_by_hand: dict[tuple[int, str, str], int] = {}
    episodes_over = []
    wanted_kinds = {e.snapshot.case_id: set(e.wanted) for e in evaluations}
    for alert in managed:
        if alert.status != AlertStatus.RESOLVED:
            live[(alert.case_id, alert.kind)] = alert
        elif alert.kind not in wanted_kinds[alert.case_id]:
            episodes_over.append(alert.pk)
        else:
            key = (alert.case_id, alert.kind, alert.condition_key)
            resolved_by_hand[key] = max(alert.severity, resolved_by_hand.get(key, 0))
    references = {e.snapshot.case_id: e.snapshot.reference for e in evaluations}
    settling: dict[int, datetime] = {}
    to_create: list[NewAlert] = []
    to_update: list[Alert] = []
    for evaluation in evaluations:
        snapshot = evaluation.snapshot
        for kind, want in evaluation.wanted.items():
            alert = live.pop((snapshot.case_id, kind), None)
            if alert is None:
                # A person resolved this episode: say it again only if it has got worse.
                handled = resolved_by_hand.get((snapshot.case_id, kind, want.condition_key), 0)
                if want.severity > handled:
                    to_create.append(_new_alert(snapshot, want, now))
                continue
            severity_before = alert.severity
            if _revise(alert, want, navigator_id=snapshot.navigator_id):
                to_update.append(alert)
                if alert.severity > severity_before:
                    report.escalated.append(_change(references, alert))
    open_cases = {e.snapshot.case_id for e in evaluations if e.snapshot.status == CaseStatus.OPEN}
    for alert in live.values():
        if alert.kind == AlertKind.DISENGAGEMENT and alert.case_id in open_cases:
            first_quiet_look = "quiet_since" not in alert.reasons
            clears_at = quiet_until(alert.reasons, now=now, settle=rules.settle)
            if now < clears_at:
                # Quiet, but not for long enough to trust it: look again when it would settle.
                settling[alert.case_id] = clears_at
                if first_quiet_look:
                    to_update.append(alert)
                continue
        alert.status = AlertStatus.CLEARED
        alert.resolved_at = now
        to_update.append(alert)
        report.resolved.append(_change(references, alert))

    if to_create:
        _insert_alerts(to_create, now=now)
        report.opened += [_change(references, a) for a in to_create]
    if to_update:
        Alert.objects.bulk_update(
            to_update,
            [
                "severity",
                "summary",
                "reasons",
                "condition_key",
                "status",
                "resolved_at",
                "assigned_to",
            ],
        )
        copy_rows_to_history(
            Alert, [a.pk for a in to_update], history_type="~", date=now, example=to_update[0]
        )
    if episodes_over:
        # The resolved alerts keep everything but their episode key, so the next time the
        # condition arises it is a new episode and is raised again.
        Alert.objects.filter(pk__in=episodes_over).update(condition_key="")
    notify_high_severity_on_commit(
        [a.pk for a in to_create if a.severity == Severity.HIGH]
        + [c.alert_id for c in report.escalated if c.severity == Severity.HIGH]
    )
    return settling


# What a new alert sets, and the column types to read them as; every other column
# starts empty (NULL).
_NEW_ALERT_COLUMNS = {
    "case_id": "bigint",
    "kind": "text",
    "severity": "smallint",
    "summary": "text",
    "reasons": "jsonb",
    "condition_key": "text",
    "assigned_to_id": "bigint",
    "opened_at": "timestamptz",
}


@dataclass(slots=True)
class NewAlert:
    """An alert the sweep is about to open: only what it sets (the rest starts empty)."""

    case_id: int
    kind: str
    severity: int
    summary: str
    reasons: dict[str, Any]
    condition_key: str
    assigned_to_id: int | None
    opened_at: datetime
    pk: int = 0  # given when it is inserted


def _insert_alerts(alerts: list[NewAlert], *, now: datetime) -> None:
    """Insert new, open alerts with their history rows, and give each its id.

    On PostgreSQL, one statement whose rows travel as one JSON document and whose
    history rows are copied from the rows it inserts: several times cheaper than
    bulk_create_with_history, which builds every field of every row and of its history
    row in Python and sends each as a quoted literal.
    """
    if connection.vendor != "postgresql":
        created = Alert.objects.bulk_create(
            Alert(**{name: getattr(a, name) for name in _NEW_ALERT_COLUMNS}) for a in alerts
        )
        for alert, row in zip(alerts, created, strict=True):
            alert.pk = row.pk
        copy_rows_to_history(
            Alert, [a.pk for a in created], history_type="+", date=now, example=created[0]
        )
        return
    rows = json.dumps(
        [
            {
                "case_id": a.case_id,
                "kind": str(a.kind),  # the stored value, not the enum member
                "severity": int(a.severity),
                "summary": a.summary,
                "reasons": a.reasons,
                "condition_key": a.condition_key,
                "assigned_to_id": a.assigned_to_id,
                "opened_at": a.opened_at.isoformat(),
            }
            for a in alerts
        ]
    )
    names = ", ".join(_NEW_ALERT_COLUMNS)
    types = ", ".join(f"{name} {kind}" for name, kind in _NEW_ALERT_COLUMNS.items())
    insert = (
        f"INSERT INTO {Alert._meta.db_table} ({names}, status, resolution_note) "  # noqa: S608 - names from this module
        f"SELECT {names}, %s, '' FROM jsonb_to_recordset(%s::jsonb) AS new ({types}) "
        "RETURNING *"
    )
    params: list[Any] = [AlertStatus.OPEN.value, rows]
    history = history_insert(Alert, "new", history_type="+", date=now, example=alerts[0])
    writes = f"new AS ({insert})"
    if history is not None:
        writes += f", history AS ({history[0]})"
        params += history[1]
    sql = f"WITH {writes} SELECT id, case_id, kind FROM new"  # noqa: S608 - no values in it
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # New alerts are live, and a case has at most one live alert of a kind.
        ids = {(case_id, kind): pk for pk, case_id, kind in cursor.fetchall()}
    for alert in alerts:
        alert.pk = ids[(alert.case_id, str(alert.kind))]


def _new_alert(snapshot: CaseSnapshot, want: WantedAlert, now: datetime) -> NewAlert:
    return NewAlert(
        case_id=snapshot.case_id,
        kind=want.kind,
        severity=want.severity,
        summary=want.summary,
        reasons=want.reasons,
        condition_key=want.condition_key,
        assigned_to_id=snapshot.navigator_id,
        opened_at=now,
    )


def _revise(alert: Alert, want: WantedAlert, *, navigator_id: int | None) -> bool:
    """Bring a live alert in line with what is wanted; True if anything changed.

    Within one episode severity only rises: a case does not look better just
    because time passed. A new episode starts from the wanted severity. The
    alert follows the case's current navigator, unless a person gave it to someone.
    """
    if alert.assigned_by_id is not None:
        navigator_id = alert.assigned_to_id  # given to someone by hand: theirs until closed
    new_episode = alert.condition_key != want.condition_key
    severity = want.severity if new_episode else max(alert.severity, want.severity)
    changed = (
        severity != alert.severity
        or new_episode
        or alert.summary != want.summary
        or alert.reasons != want.reasons
        or alert.assigned_to_id != navigator_id
    )
    alert.assigned_to_id = navigator_id
    alert.severity = severity
    alert.summary = want.summary
    alert.reasons = want.reasons
    alert.condition_key = want.condition_key
    return changed


def _change(references: dict[int, str], alert: Alert | NewAlert) -> AlertChange:
    return AlertChange(references[alert.case_id], alert.kind, alert.severity, alert.pk)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector for one batch.

    A batch makes and drops a few hundred thousand small objects (rows, facts, the
    rules' answers), all freed by reference counting when it ends; the collector's
    passes over the whole heap, set off by the count of objects made, cost up to a
    fifth of the batch and free nothing. Anything cyclic a batch leaves behind is
    collected after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_sweep(*, now: datetime, batch_size: int = BATCH_SIZE) -> SweepReport:
    """Refresh every case whose moment has come, batch by batch.

    Each batch locks its cases with SKIP LOCKED, so two sweeps running at once
    share the work instead of doing it twice, and a case being changed by a
    person right now is left for the next sweep.
    """
    report = SweepReport()
    while True:
        with transaction.atomic(), _collector_paused():
            batch = list(
                Case.objects.filter(next_check_at__lte=now)
                .order_by("next_check_at")
                .select_for_update(skip_locked=True)
                .only(*CASE_FIELDS)[:batch_size]
            )
            if not batch:
                return report
            report.merge(refresh_cases([c.pk for c in batch], now=now, locked=batch))
