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
  same at every size;
- side by side on the same due cases, repeated and interleaved: the sweep against
  the floor of any sweep, bare SQL doing the same work with no rules and no ORM
  (select the due rows through the index, read their agreements and 50 newest
  contacts, write the same alerts with their history rows, move the clocks), and
  the ratio of the two. Each run is rolled back, so every run does the same work.
  The machine may be shared and noisy: the ratio, measured side by side, is what counts.

It creates a fresh database (``<name>_sweep_benchmark``), so it never
touches real data, and drops it afterwards. Needs PostgreSQL for figures that
mean anything.
"""

import cProfile
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.models import Alert
from alerts.snapshot import RECENT_CONTACTS
from alerts.sweep import BATCH_SIZE, run_sweep
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
        parser.add_argument(
            "--repeat", type=int, default=3, help="pairs of runs of the sweep and the floor"
        )
        parser.add_argument(
            "--profile", metavar="FILE", help="write a cProfile of the sweep's side-by-side runs"
        )
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(
        self,
        *args: Any,
        cases: list[int],
        due: float,
        repeat: int,
        profile: str | None,
        keep_db: bool,
        **options: Any,
    ) -> None:
        self.repeat = repeat
        self.profile = profile
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
        self.side_by_side(now)
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

    def side_by_side(self, now: datetime) -> None:
        """The sweep against the bare-SQL floor on the same due cases, interleaved."""
        work = capture_work(now)
        self.stdout.write(
            f"  side by side ({self.repeat} pairs, each run rolled back, "
            f"{len(work.clocks):,} cases, {len(work.alerts):,} alerts):"
        )
        profiler = cProfile.Profile() if self.profile else None
        times: dict[str, list[float]] = {"sweep": [], "bare SQL": []}
        runs: dict[str, Callable[[], None]] = {
            "sweep": lambda: _run_sweep(now, profiler),
            "bare SQL": lambda: bare_sweep(now, work),
        }
        # Without the debug query log, as the sweep runs for real.
        with override_settings(DEBUG=False):
            for n in range(self.repeat):
                # Take turns going first, so neither always runs on a warmer cache.
                for name in sorted(runs, reverse=n % 2 == 1):
                    with transaction.atomic():
                        started = time.perf_counter()
                        runs[name]()
                        times[name].append(time.perf_counter() - started)
                        transaction.set_rollback(True)
                    # The rolled-back rows are dead but still in the indexes: clear them,
                    # so every run starts from the same tables as the first.
                    with connection.cursor() as cursor:
                        cursor.execute(VACUUM)
        if profiler is not None and self.profile:
            profiler.dump_stats(self.profile)
        for name, measured in times.items():
            self.stdout.write(
                f"    {name:<10} median {statistics.median(measured) * 1000:8.1f} ms  "
                f"(runs: {', '.join(f'{t * 1000:.0f}' for t in measured)} ms)"
            )
        ratios = [s / b for s, b in zip(times["sweep"], times["bare SQL"], strict=True)]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        ratio = statistics.median(times["sweep"]) / statistics.median(times["bare SQL"])
        self.stdout.write(
            f"    ratio of the medians {ratio:.2f}"
            f"  (pairs: {', '.join(f'{r:.2f}' for r in ratios)}; load average {load})"
        )


def _run_sweep(now: datetime, profiler: cProfile.Profile | None) -> None:
    if profiler is None:
        run_sweep(now=now)
    else:
        profiler.runcall(run_sweep, now=now)


@dataclass(frozen=True)
class SweepWork:
    """What the sweep wrote for the due cases: the floor writes the same."""

    alerts: list[dict[str, Any]]
    clocks: list[tuple[int, datetime | None, str, datetime | None]]


VACUUM = "VACUUM cases_case, alerts_alert, alerts_historicalalert"
ALERT_COLUMNS = [
    "case_id",
    "kind",
    "severity",
    "status",
    "summary",
    "reasons",
    "condition_key",
    "assigned_to_id",
    "opened_at",
    "resolution_note",
]


def capture_work(now: datetime) -> SweepWork:
    """Run the sweep once, rolled back, and keep what it wrote (it also warms the caches)."""
    with transaction.atomic():
        before = set(Alert.objects.values_list("pk", flat=True))
        due = list(Case.objects.filter(next_check_at__lte=now).values_list("pk", flat=True))
        run_sweep(now=now)
        alerts = [
            a
            for a in Alert.objects.order_by("pk").values("pk", *ALERT_COLUMNS)
            if a["pk"] not in before
        ]
        clocks = list(
            Case.objects.filter(pk__in=due).values_list(
                "pk", "next_check_at", "clock_state", "update_due_at"
            )
        )
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(VACUUM)
    return SweepWork(alerts=alerts, clocks=clocks)


def bare_sweep(now: datetime, work: SweepWork) -> None:
    """The floor of any sweep: the same reads and writes in plain SQL, nothing decided.

    Batch by batch as the sweep goes: lock the due cases through the index, read their
    current agreements and their 50 newest contacts, insert the alerts the sweep wrote
    for them and a history row each, and move their clocks.
    """
    alerts_by_case: dict[int, list[dict[str, Any]]] = {}
    for alert in work.alerts:
        alerts_by_case.setdefault(alert["case_id"], []).append(alert)
    clocks = {pk: (nxt, state, due) for pk, nxt, state, due in work.clocks}
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id FROM cases_case WHERE next_check_at <= %s ORDER BY next_check_at "
                "LIMIT %s FOR UPDATE SKIP LOCKED",
                [now, BATCH_SIZE],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            cursor.execute(
                "SELECT case_id, update_interval_days, channels, contact_windows, avoid_flags, "
                "unsafe_channel, review_by, created_at FROM contacts_communicationagreement "
                "WHERE case_id = ANY(%s) AND superseded_at IS NULL",
                [ids],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT * FROM (SELECT id, case_id, by_id, at, direction, channel, outcome, "
                "update_given, place, number_withheld, interpreter_name, wellbeing, trust, "
                "concerns, row_number() OVER (PARTITION BY case_id ORDER BY at DESC) AS newest "
                "FROM contacts_checkin WHERE case_id = ANY(%s)) recent WHERE newest <= %s",
                [ids, RECENT_CONTACTS],
            )
            cursor.fetchall()
            batch = [a for pk in ids for a in alerts_by_case.get(pk, ())]
            if batch:
                # The rows travel as one JSON document; the alerts and their history rows
                # are written by one statement.
                document = json.dumps(
                    [
                        {**{c: a[c] for c in ALERT_COLUMNS}, "opened_at": str(a["opened_at"])}
                        for a in batch
                    ]
                )
                cursor.execute(
                    "WITH new AS (INSERT INTO alerts_alert (case_id, kind, severity, status, "
                    "summary, reasons, condition_key, assigned_to_id, opened_at, resolution_note) "
                    "SELECT * FROM jsonb_to_recordset(%s::jsonb) AS t(case_id bigint, kind text, "
                    "severity smallint, status text, summary text, reasons jsonb, "
                    "condition_key text, assigned_to_id bigint, opened_at timestamptz, "
                    "resolution_note text) RETURNING *) "
                    "INSERT INTO alerts_historicalalert (id, case_id, kind, severity, status, "
                    "summary, reasons, condition_key, assigned_to_id, opened_at, resolution_note, "
                    "history_date, history_type, history_change_reason) "
                    "SELECT id, case_id, kind, severity, status, summary, reasons, condition_key, "
                    "assigned_to_id, opened_at, resolution_note, %s, '+', NULL FROM new",
                    [document, now],
                )
            document = json.dumps(
                [
                    [pk, nxt and nxt.isoformat(), state, due and due.isoformat()]
                    for pk, (nxt, state, due) in ((pk, clocks[pk]) for pk in ids)
                ]
            )
            cursor.execute(
                "UPDATE cases_case SET next_check_at = (row ->> 1)::timestamptz, "
                "clock_state = row ->> 2, update_due_at = (row ->> 3)::timestamptz "
                "FROM jsonb_array_elements(%s::jsonb) AS row "
                "WHERE cases_case.id = (row ->> 0)::bigint",
                [document],
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
