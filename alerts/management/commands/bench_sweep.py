"""Measure the sweep at scale, in a throwaway database of its own.

    python manage.py bench_sweep                 # 10,000 and 100,000 open cases, 5% due
    python manage.py bench_sweep --cases 20000 --due 0.1

For each size it seeds open cases with agreements and recent contacts, makes
a fraction of them due (their last update long past, three calls unanswered
since: an update-overdue and a disengagement alert each), then reports:

- the sweep with nothing due (the cost of asking);
- the sweep over the due cases: time, queries, alerts written;
- the sweep right after, with nothing left to do;
- the sweep of a fixed 500 cases made due again, whose query count must be the
  same at every size.

It creates a fresh database (``<name>_sweep_benchmark``), so it never
touches real data, and drops it afterwards. Needs PostgreSQL for figures that
mean anything.
"""

import time
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.models import Alert
from alerts.sweep import run_sweep
from cases.choices import OrganisationKind, PocRole
from cases.models import Case, PointOfContact, Victim
from contacts.models import CheckIn, CommunicationAgreement
from navigator.celery import app

CHUNK = 5000
FIXED_DUE = 500


class Command(BaseCommand):
    help = "Benchmark the sweep over many open cases in a throwaway database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--due", type=float, default=0.05, help="fraction of cases due")
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(
        self, *args: Any, cases: list[int], due: float, keep_db: bool, **options: Any
    ) -> None:
        app.conf.task_always_eager = True  # emails, if any, go to the console backend inline
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        # A name of its own: never the test database, never the real one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_sweep_benchmark"
        self.stdout.write(f"Database: {connection.vendor}; creating a throwaway copy...")
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            for total in cases:
                self.bench(total, due)
        finally:
            if not keep_db:
                creation.destroy_test_db(old_name, verbosity=0)

    def bench(self, total: int, due_fraction: float) -> None:
        now = timezone.now().replace(microsecond=0)
        due_count = int(total * due_fraction)
        self.stdout.write(f"\n{total:,} open cases, {due_count:,} due")
        started = time.perf_counter()
        seed(total, due_count, now)
        self.stdout.write(f"  seeded in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        self.measure("sweep, nothing due", now - timedelta(hours=1))
        self.measure("sweep, due cases", now)
        self.measure("sweep again, nothing left", now)
        # The same 500 cases due again at every size: the queries must not move with it.
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[:FIXED_DUE])
        Case.objects.filter(pk__in=ids).update(next_check_at=now)
        self.measure(f"sweep, {FIXED_DUE} due again", now + timedelta(minutes=1))

    def measure(self, label: str, at: datetime) -> None:
        alerts_before = Alert.objects.count()
        reset_queries()  # the debug query log holds 9,000 queries; seeding filled it
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = run_sweep(now=at)
            elapsed = time.perf_counter() - started
        self.stdout.write(
            f"  {label:<28} {elapsed * 1000:9.1f} ms  {len(queries.captured_queries):4d} queries  "
            f"{report.cases_checked:6,} cases  {Alert.objects.count() - alerts_before:6,} alerts"
        )


def seed(total: int, due_count: int, now: datetime) -> None:
    """Open cases with a navigator, an agreement and a recent update; the due ones went silent."""
    Alert.objects.all().delete()
    CheckIn.objects.all().delete()
    CommunicationAgreement.objects.all().delete()
    PointOfContact.objects.all().delete()
    Case.objects.all().delete()
    Victim.objects.all().delete()
    force, _ = Organisation.objects.get_or_create(
        name="Benchmark Constabulary", kind=OrganisationKind.POLICE_FORCE
    )
    service, _ = Organisation.objects.get_or_create(
        name="Benchmark Navigators", kind=OrganisationKind.NAVIGATOR_SERVICE
    )
    navigator, _ = Staff.objects.get_or_create(
        username="bench-navigator", defaults={"role": Role.NAVIGATOR, "organisation": service}
    )
    agreed = now - timedelta(days=60)
    for start in range(0, total, CHUNK):
        numbers = range(start, min(start + CHUNK, total))
        victims = Victim.objects.bulk_create(
            Victim(reference=f"V-B{n:07d}", full_name=f"Bench {n}", age_band="25_34")
            for n in numbers
        )
        cases = Case.objects.bulk_create(
            Case(
                reference=f"C-B{n:07d}",
                victim=victim,
                police_force=force,
                opened_at=agreed,
                clock_state="on_track",
            )
            for n, victim in zip(numbers, victims, strict=True)
        )
        PointOfContact.objects.bulk_create(
            PointOfContact(case=c, role=PocRole.NAVIGATOR, person=navigator, started_at=agreed)
            for c in cases
        )
        CommunicationAgreement.objects.bulk_create(
            CommunicationAgreement(
                case=c,
                version=1,
                channels=["text", "phone_call"],
                update_interval_days=7,
                agreed_on=agreed.date(),
                created_by=navigator,
                created_at=agreed,
            )
            for c in cases
        )
        checkins = []
        for n, case in zip(numbers, cases, strict=True):
            is_due = n < due_count
            last = now - timedelta(days=10 if is_due else 2)
            if is_due:  # gone quiet: three calls unanswered since the last update
                checkins += [
                    CheckIn(
                        case=case,
                        by=navigator,
                        at=now - timedelta(days=days_ago),
                        direction="outbound",
                        channel="phone_call",
                        outcome="no_answer",
                        update_given="none",
                    )
                    for days_ago in (5, 3, 1)
                ]
            checkins += [
                CheckIn(
                    case=case,
                    by=navigator,
                    at=last - timedelta(days=7 * week),
                    direction="outbound",
                    channel="phone_call",
                    outcome="reached",
                    update_given="no_news_active",
                    wellbeing=4,
                    trust=4,
                )
                for week in range(3)
            ]
            case.next_check_at = now - timedelta(minutes=1) if is_due else now + timedelta(days=5)
        CheckIn.objects.bulk_create(checkins)
        Case.objects.bulk_update(cases, ["next_check_at"])
