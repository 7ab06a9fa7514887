"""Anonymise the closed cases past their retention period now (beat runs it daily)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from privacy.retention import anonymise_closed_cases, due_cases


class Command(BaseCommand):
    help = (
        "Anonymise every case closed more than RETENTION_CLOSED_CASE_DAYS "
        f"({settings.RETENTION_CLOSED_CASE_DAYS}) days ago, history included, and report "
        "what was removed. The same job runs daily under beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the cases due, change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        now = timezone.now()
        if dry_run:
            due = list(due_cases(now=now).values_list("reference", "closed_at"))
            self.stdout.write(f"{len(due)} cases are due to be anonymised:")
            for reference, closed_at in due:
                self.stdout.write(f"  {reference}  closed {timezone.localtime(closed_at):%d %B %Y}")
            return
        report = anonymise_closed_cases(now=now)
        self.stdout.write(report.summary() + ".")
        for record in report.records:
            self.stdout.write(f"  {record.victim_reference} {', '.join(record.case_references)}")
