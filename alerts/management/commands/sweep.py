"""Run every periodic check once, now or at a given moment, and say what changed."""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.periodic import run_periodic_checks
from alerts.sweep import AlertChange


def parse_moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at {value!r} is not a date and time like 2026-03-02T09:00") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # read as UK time, like everything shown
    return moment


class Command(BaseCommand):
    help = "Run the periodic checks once (the same code beat runs) and print what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            type=parse_moment,
            help="Run as if it were this moment (UK time unless an offset is given), "
            "e.g. 2026-03-02T09:00. For replaying scenarios.",
        )

    def handle(self, *args: Any, at: datetime | None = None, **options: Any) -> None:
        now = at or timezone.now()
        periodic = run_periodic_checks(now=now, daily=True)
        report = periodic.sweep
        self.stdout.write(
            f"Sweep at {timezone.localtime(now):%Y-%m-%d %H:%M %Z}: "
            f"{report.cases_checked} cases checked, {len(report.opened)} alerts opened, "
            f"{len(report.escalated)} escalated, {len(report.resolved)} resolved."
        )
        self.stdout.write(
            f"  {periodic.notices} partner notices issued, {periodic.shares_ended} shares ran "
            f"out, {periodic.reminders} reminders due "
            f"({periodic.reminders_sent} sent), {periodic.high_severity_emails} high-severity "
            f"emails caught up, {periodic.snapshots} engagement scores recorded."
        )
        for label, changes in (
            ("opened", report.opened),
            ("escalated", report.escalated),
            ("resolved", report.resolved),
        ):
            for change in changes:
                self.stdout.write(f"  {label:<9} {describe(change)}")


def describe(change: AlertChange) -> str:
    return (
        f"{change.case_reference}  {AlertKind(change.kind).label} "
        f"({Severity(change.severity).label.lower()})"
    )
