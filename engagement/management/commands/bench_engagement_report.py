"""Measure the engagement report at scale, in a throwaway database of its own.

    python manage.py bench_engagement_report                  # 100,000 records, 5,000 cases
    python manage.py bench_engagement_report --records 20000 --cases 1000 --repeat 5

1. Write a fictional file of police records (engagement.synthetic) over four forces and
   import it through the import command's service, timing the import and a second,
   unchanged import of the same file.
2. Add Navigator's own cases (with victims), some of them the same cases as police records.
3. Time the report, in-process, for each cohort (police records, Navigator's cases, both
   side by side), for all forces and for one, comparing before and from 2021, and for a
   small cohort (one force, one quarter): the median of several runs, its queries, and
   how much of it was the database.

It creates a fresh database (``<name>_report_benchmark``), so it never touches real data,
and drops it afterwards. Needs PostgreSQL for figures that mean anything.
"""

import io
import random
import statistics
import time
from datetime import date, datetime
from datetime import time as clock
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from cases.choices import Answer, Engagement, ExploitationType, OrganisationKind
from cases.models import Case, Victim
from engagement.counting import Period
from engagement.models import PoliceRecord
from engagement.report import CohortChoice
from engagement.selectors import report_for_operator
from engagement.services import import_police_records
from engagement.synthetic import police_records, write_csv

FORCES = ["Benchmark North", "Benchmark South", "Benchmark East", "Benchmark West"]
CHUNK = 5000


class Command(BaseCommand):
    help = "Benchmark the engagement report over many records in a throwaway database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--cases", type=int, default=5_000)
        parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(
        self, *args: Any, records: int, cases: int, repeat: int, keep_db: bool, **options: Any
    ) -> None:
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        # A name of its own: never the test database, never the real one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_report_benchmark"
        self.stdout.write(f"Database: {connection.vendor}; creating a throwaway copy...")
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self.bench(records, cases, repeat)
        finally:
            if not keep_db:
                creation.destroy_test_db(old_name, verbosity=0)

    def bench(self, records: int, cases: int, repeat: int) -> None:
        forces = [
            Organisation.objects.create(name=name, kind=OrganisationKind.POLICE_FORCE)
            for name in FORCES
        ]
        file = io.StringIO()
        write_csv(file, police_records(records, forces=FORCES, seed=2026))
        for label in ("import", "import again, unchanged"):
            file.seek(0)
            started = time.perf_counter()
            result = import_police_records(file)
            self.stdout.write(
                f"{label:<28} {time.perf_counter() - started:8.2f} s   {result.rows:,} rows: "
                f"{result.created:,} new, {result.updated:,} updated, {result.unchanged:,} same"
            )
        seed_cases(cases, forces)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"\n{records:,} police records, {cases:,} Navigator cases")
        self.stdout.write(f"{'report':<44}{'median':>9}{'min':>9}{'queries':>9}{'database':>10}")
        period = Period(compare_at=date(2021, 1, 1))
        # Once unmeasured, so the figures are not the first import of scipy.
        report_for_operator(cohorts=CohortChoice.BOTH, force=None, period=period)
        for cohorts in CohortChoice:
            for force in (None, forces[0]):
                where = "all forces" if force is None else "one force"
                self.measure(f"{cohorts.label}, {where}", cohorts, force, period, repeat)
        # A small cohort, where most numbers are withheld and the audit does the most work.
        month = Period(since=date(2024, 1, 1), until=date(2024, 3, 31))
        self.measure("Both, one force, one quarter", CohortChoice.BOTH, forces[0], month, repeat)

    def measure(
        self,
        label: str,
        cohorts: CohortChoice,
        force: Organisation | None,
        period: Period,
        repeat: int,
    ) -> None:
        times, database, queries = [], [], 0
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report_for_operator(cohorts=cohorts, force=force, period=period)
                times.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
            database.append(sum(float(q["time"]) for q in captured.captured_queries))
        self.stdout.write(
            f"{label:<44}{statistics.median(times) * 1000:7.0f} ms{min(times) * 1000:6.0f} ms"
            f"{queries:9d}{statistics.median(database) * 1000:7.0f} ms"
        )


def seed_cases(count: int, forces: list[Organisation]) -> None:
    """Navigator's own cases, with the measures recorded; every tenth is a police record too."""
    rng = random.Random(7)
    opened = timezone.make_aware(datetime.combine(date(2019, 1, 1), clock(9)))
    shared = {
        force.pk: iter(
            PoliceRecord.objects.filter(force=force)
            .order_by("pk")
            .values_list("crime_reference", flat=True)[: count // 10 // len(forces) + 1]
        )
        for force in forces
    }
    for start in range(0, count, CHUNK):
        numbers = range(start, min(start + CHUNK, count))
        victims = Victim.objects.bulk_create(
            Victim(
                reference=f"V-R{n:07d}",
                full_name=f"Benchmark {n}",
                age_band=rng.choice(["under_18", "18_24", "25_34", "35_44", "45_54"]),
                sex=rng.choice(["female", "male", "male"]),
                nationality_group=rng.choice(["uk", "non_uk", ""]),
            )
            for n in numbers
        )
        Case.objects.bulk_create(
            Case(
                reference=f"C-R{n:07d}",
                victim=victim,
                police_force=(force := forces[n % len(forces)]),
                # Every tenth is also a police record of its force.
                crime_reference=next(shared[force.pk], "") if n % 10 == 0 else "",
                opened_at=opened + (timezone.now() - opened) * rng.random(),
                referral_route=rng.choice(["nrm", "ms1", "none"]),
                referring_agency=rng.choice(["police", "external"]),
                exploitation_types=rng.sample(ExploitationType.values, k=rng.choice([1, 1, 2])),
                exploitation_location=rng.choice(["uk_only", "overseas_only", "both"]),
                county_lines=rng.random() < 0.2,
                offender_identified=rng.choice([True, False, None]),
                support_offered_on=date(2024, 1, 1) if (offered := rng.random() < 0.6) else None,
                support_accepted=rng.choice([Answer.YES, Answer.NO, Answer.UNKNOWN])
                if offered
                else Answer.UNKNOWN,
                investigation_engagement=rng.choice(list(Engagement)),
            )
            for n, victim in zip(numbers, victims, strict=True)
        )
