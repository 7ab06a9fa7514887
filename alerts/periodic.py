"""The periodic checks besides the sweep: reminders, partner notices, shares that ran
out, and the daily trend.

Each is safe to run twice at once and as often as wanted: what it writes is
keyed by what it is about, and each email is claimed before it is sent.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from alerts.models import (
    DigestDelivery,
    EngagementSnapshot,
    Reminder,
    SweepLateWarning,
    SweepRun,
)
from alerts.notifications import claimed_once, send_pending_high_severity_emails
from alerts.snapshot import load_snapshots
from alerts.sweep import Rules, SweepReport, run_sweep
from cases.choices import CaseStatus, PocRole
from cases.models import Case, CaseEvent, ImportantDate, PointOfContact
from cases.services import end_expired_shares
from contacts import disengagement as dis
from partners.outbox import issue_tipping_point_notices

SNAPSHOT_BATCH = 1000


def _current_navigators(case_ids: list[int]) -> dict[int, int]:
    return dict(
        PointOfContact.objects.filter(
            case_id__in=case_ids, role=PocRole.NAVIGATOR, ended_at__isnull=True
        ).values_list("case_id", "person_id")
    )


def _occurrence(important: ImportantDate, today: date, last: date) -> date | None:
    """The day ``important`` next falls between today and ``last``, if it does."""
    if not important.every_year:
        return important.date if today <= important.date <= last else None
    for year in (today.year, today.year + 1):
        try:
            day = important.date.replace(year=year)
        except ValueError:  # 29 February in a common year: remember it on the 28th
            day = date(year, 2, 28)
        if today <= day <= last:
            return day
    return None


def record_reminders(*, now: datetime) -> list[Reminder]:
    """Create the reminders now due: important dates and case events coming up soon.

    Reminders go to the current navigator of each open case; each occurrence is
    keyed, so running this again creates nothing new.
    """
    today = timezone.localdate(now)
    date_horizon = today + timedelta(days=settings.REMINDER_DAYS_BEFORE_DATE)
    upcoming_days = [today + timedelta(days=n) for n in range((date_horizon - today).days + 1)]
    by_day = Q()
    for day in upcoming_days:
        by_day |= Q(every_year=True, date__month=day.month, date__day=day.day)
    if any(d.month == 2 and d.day == 28 for d in upcoming_days):
        by_day |= Q(every_year=True, date__month=2, date__day=29)
    by_day |= Q(every_year=False, date__range=(today, date_horizon))
    open_cases = Case.objects.filter(status=CaseStatus.OPEN)
    dates = list(ImportantDate.objects.filter(by_day, victim__cases__in=open_cases).distinct())
    cases_by_victim: dict[int, list[int]] = defaultdict(list)
    for case_id, victim_id in open_cases.filter(
        victim_id__in=[d.victim_id for d in dates]
    ).values_list("id", "victim_id"):
        cases_by_victim[victim_id].append(case_id)
    events = list(
        CaseEvent.objects.filter(
            case__status=CaseStatus.OPEN,
            at__gte=now,
            at__lte=now + timedelta(days=settings.REMINDER_DAYS_BEFORE_EVENT),
        )
    )
    navigators = _current_navigators(
        [case_id for cases in cases_by_victim.values() for case_id in cases]
        + [e.case_id for e in events]
    )
    wanted = []
    for important in dates:
        day = _occurrence(important, today, date_horizon)
        for case_id in cases_by_victim[important.victim_id]:
            if day is not None and case_id in navigators:
                wanted.append(
                    Reminder(
                        case_id=case_id,
                        key=f"date:{important.pk}:{day.isoformat()}:{case_id}",
                        about=important.label,
                        happens_on=day,
                        recipient_id=navigators[case_id],
                        created_at=now,
                    )
                )
    for event in events:
        if event.case_id in navigators:
            wanted.append(
                Reminder(
                    case_id=event.case_id,
                    key=f"event:{event.pk}:{event.at.isoformat()}",
                    about=event.get_kind_display(),
                    happens_on=timezone.localdate(event.at),
                    recipient_id=navigators[event.case_id],
                    created_at=now,
                )
            )
    existing = set(
        Reminder.objects.filter(key__in=[r.key for r in wanted]).values_list("key", flat=True)
    )
    new = [r for r in wanted if r.key not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent run may win a key
    return new


def send_reminders(*, now: datetime) -> int:
    """Email each unsent reminder once: claimed by a conditional update, then sent."""
    sent = 0
    for reminder in Reminder.objects.filter(sent_at__isnull=True).select_related(
        "case", "recipient"
    ):
        with claimed_once(
            Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True), sent_at=now
        ) as claimed:
            if claimed and reminder.recipient.email:
                # The label may be personal ("the day she got out"): it stays in the app.
                send_mail(
                    subject=(
                        f"Reminder: case {reminder.case.reference}, {reminder.happens_on:%A %d %B}"
                    ),
                    message=(
                        f"Something that matters for case {reminder.case.reference} is coming "
                        f"up on {reminder.happens_on:%A %d %B}. Sign in to Navigator to see it: "
                        f"{settings.SITE_URL}/\n"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[reminder.recipient.email],
                )
                sent += 1
    return sent


def record_engagement_snapshots(*, now: datetime) -> int:
    """Write today's score for each open case whose score or signals changed: the trend.

    Daily, over all open cases in batches; a row is written only on change, so
    a steady case costs nothing to keep.
    """
    rules = Rules.from_settings()
    today = timezone.localdate(now)
    written = 0
    last_id = 0
    while True:
        ids = list(
            Case.objects.filter(status=CaseStatus.OPEN, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:SNAPSHOT_BATCH]
        )
        if not ids:
            return written
        last_id = ids[-1]
        # Only changes are stored, so a case's rows are few; the newest per case wins.
        latest: dict[int, tuple[int, list[str]]] = {}
        for case_id, score, signals in (
            EngagementSnapshot.objects.filter(case_id__in=ids)
            .order_by("case_id", "-on")
            .values_list("case_id", "score", "signals")
        ):
            latest.setdefault(case_id, (score, signals))
        rows = []
        for snapshot in load_snapshots(ids, now=now, recent_days=rules.longest_window):
            assessment = dis.assess(
                snapshot.history, now=timezone.localtime(now), thresholds=rules.thresholds
            )
            codes = [s.code for s in assessment.signals]
            if latest.get(snapshot.case_id, (0, [])) != (assessment.score, codes):
                rows.append(
                    EngagementSnapshot(
                        case_id=snapshot.case_id,
                        on=today,
                        score=assessment.score,
                        level=str(assessment.level),
                        signals=codes,
                    )
                )
        EngagementSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["case", "on"],
            update_fields=["score", "level", "signals"],
        )
        written += len(rows)


# How long the records of runs, late-sweep warnings and digest claims are kept.
BOOKKEEPING_DAYS = 30


def forget_old_bookkeeping(*, now: datetime) -> int:
    """Delete the records of sweeps, warnings and digests older than BOOKKEEPING_DAYS."""
    before = now - timedelta(days=BOOKKEEPING_DAYS)
    return sum(
        rows.delete()[0]
        for rows in (
            SweepRun.objects.filter(started_at__lt=before),
            SweepLateWarning.objects.filter(noticed_at__lt=before, sent_at__isnull=False),
            DigestDelivery.objects.filter(day__lt=before.date()),
        )
    )


@dataclass
class PeriodicReport:
    sweep: SweepReport
    notices: int = 0
    shares_ended: int = 0
    reminders: int = 0
    reminders_sent: int = 0
    high_severity_emails: int = 0
    snapshots: int | None = None


def run_periodic_checks(*, now: datetime, daily: bool = False) -> PeriodicReport:
    """Every periodic check once, in the order that keeps the sweep's view current.

    1. Record the end of shares that ran out (access stopped when they did), telling
       each organisation.
    2. Issue advance notices to partners (so "partners told" is current).
    3. Record the reminders now due.
    4. Sweep the cases whose moment has come.
    5. Send the reminders not yet sent, and any high-severity email a lost nudge left
       unsent (the broker was down when the alert was raised, say).
    6. With ``daily``, write the engagement trend.
    7. Record that the run finished (``SweepRun``), for the health check.
    """
    # Recorded in real time, whatever ``now`` says: the health check asks how long ago the
    # last run finished. A run whose worker dies keeps an empty finished_at.
    run = SweepRun.objects.create(started_at=timezone.now())
    shares_ended = end_expired_shares(now=now)
    notices = issue_tipping_point_notices(now=now)
    reminders = record_reminders(now=now)
    sweep = run_sweep(now=now, batch_size=settings.SWEEP_BATCH_SIZE)
    report = PeriodicReport(sweep=sweep, notices=len(notices), shares_ended=shares_ended)
    report.reminders = len(reminders)
    report.reminders_sent = send_reminders(now=now)
    report.high_severity_emails = send_pending_high_severity_emails(now=now)
    if daily:
        report.snapshots = record_engagement_snapshots(now=now)
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        cases_checked=sweep.cases_checked,
        alerts_opened=len(sweep.opened),
        alerts_escalated=len(sweep.escalated),
        alerts_resolved=len(sweep.resolved),
    )
    return report
