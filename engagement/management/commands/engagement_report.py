"""The engagement report on the command line.

    python manage.py engagement_report
    python manage.py engagement_report --cohort both --since 2019-01 --until 2023-12 \\
        --compare-at 2021-01 --police-force "Northshire Constabulary" --format csv

Periods are whole months (a date stands for its month). Numbers under
ENGAGEMENT_REPORT_MIN_COUNT are withheld, with any that would give one away, exactly as
on the page. Run by an operator: every force is open to it.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from cases.choices import OrganisationKind
from engagement import export
from engagement.counting import Period
from engagement.months import last_day, parse_month, period_problem
from engagement.records import force_key
from engagement.report import CohortChoice
from engagement.selectors import report_for_operator

FORMATS = {"text": export.as_text, "csv": export.as_csv, "json": export.as_json}


class Command(BaseCommand):
    help = "Print the engagement report (support offered, accepted, engagement) by factor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", choices=CohortChoice.values, default=CohortChoice.BOTH)
        parser.add_argument("--since", help="first month, YYYY-MM (or a date in it)")
        parser.add_argument("--until", help="last month, YYYY-MM (or a date in it)")
        parser.add_argument(
            "--compare-at", help="compare before and from this month, YYYY-MM (or a date in it)"
        )
        parser.add_argument("--police-force", help="one force, by name (default: all forces)")
        parser.add_argument("--format", choices=list(FORMATS), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = options["since"] and parse_month(options["since"])
            until = options["until"] and last_day(parse_month(options["until"]))
            compare_at = options["compare_at"] and parse_month(options["compare_at"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if problem := period_problem(since or None, until or None, compare_at or None):
            raise CommandError(problem)
        force = None
        if name := options["police_force"]:
            forces = {
                force_key(f.name): f
                for f in Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE)
            }
            force = forces.get(force_key(name))
            if force is None:
                known = ", ".join(sorted(f.name for f in forces.values())) or "none yet"
                raise CommandError(f'No police force called "{name}". Known: {known}.')
        report = report_for_operator(
            cohorts=CohortChoice(options["cohort"]),
            force=force,
            period=Period(since or None, until or None, compare_at or None),
        )
        self.stdout.write(FORMATS[options["format"]](report), ending="")
