"""Measure logging one contact against the floor of any way of logging it, in one run.

    python manage.py bench_log_contact                  # 300 contacts on the demo data
    python manage.py bench_log_contact --contacts 1000

It loads the demo data into a throwaway database of its own, then logs contacts one at a
time on the demo's open cases, each as the case's navigator would, through
``contacts.services.log_checkin``: the access check, the case lock, every check, the
contact and its history, the clock and the early-warning signals re-run, alerts brought
in line. Between every two of those it runs the floor: a bare transaction that inserts a
contact and its history row and moves the case's clock, in plain SQL, with nothing checked
and nothing re-run. Interleaving the two keeps a shared machine's noise out of the ratio.

It reports the median and 95th-percentile time of each, the ratio of the medians, and the
queries per contact (the ceiling the tests hold is in tests/contacts/test_log_contact_queries.py).

The database is ``<name>_log_contact_benchmark``, created fresh and dropped afterwards.
Needs PostgreSQL for figures that mean anything.
"""

import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Staff
from cases.choices import CaseStatus, PocRole
from cases.management.commands.seed_demo import Seeder
from cases.models import Case, PointOfContact
from contacts.choices import Direction, Outcome, UpdateGiven
from contacts.models import CheckIn, CommunicationAgreement
from contacts.services import log_checkin
from navigator.celery import app

WARM_UP = 20
# Not counted as queries: the transaction around them (the bare insert has one too).
TRANSACTION = {"BEGIN", "COMMIT"}


class Command(BaseCommand):
    help = "Benchmark logging a contact against a bare insert, on the demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=300)
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(self, *args: Any, contacts: int, keep_db: bool, **options: Any) -> None:
        app.conf.task_always_eager = True  # notifications, if any, run inline
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        # A name of its own: never the test database, never the real one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            f"{old_name}_log_contact_benchmark"
        )
        self.stdout.write(f"Database: {connection.vendor}; creating a throwaway copy...")
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self.bench(contacts)
        finally:
            if not keep_db:
                creation.destroy_test_db(old_name, verbosity=0)

    def bench(self, count: int, profile: bool = False) -> None:
        start = timezone.now().replace(microsecond=0)
        with transaction.atomic():
            Seeder(now=start - timedelta(hours=1)).run()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        pairs = list(
            PointOfContact.objects.filter(
                role=PocRole.NAVIGATOR, ended_at__isnull=True, case__status=CaseStatus.OPEN
            ).values_list("case_id", "person_id")
        )
        navigators = {s.pk: s for s in Staff.objects.filter(pk__in={p for _, p in pairs})}
        channels = {
            a.case_id: a.channels[0]
            for a in CommunicationAgreement.objects.filter(superseded_at__isnull=True)
        }
        cases = {c.pk: c for c in Case.objects.filter(pk__in=[c for c, _ in pairs])}
        self.stdout.write(f"Demo data: {len(cases)} open cases, {len(navigators)} navigators")

        service_times: list[float] = []
        floor_times: list[float] = []
        query_counts: list[int] = []
        for n in range(count + WARM_UP):
            case_id, person_id = pairs[n % len(pairs)]
            # Contacts a second apart, all in the past and in order.
            at = start - timedelta(seconds=count + WARM_UP - n)
            floor = time_floor(case_id, person_id, at)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                log_checkin(
                    case=cases[case_id],
                    acting_user=navigators[person_id],
                    at=at,
                    direction=Direction.OUTBOUND,
                    channel=channels.get(case_id, "phone_call"),
                    outcome=Outcome.REACHED,
                    update_given=UpdateGiven.NO_NEWS_ACTIVE,
                    wellbeing=4,
                    trust=4,
                    notes="Checked in; nothing new from the police this week.",
                    now=start,
                )
                elapsed = time.perf_counter() - began
            if n >= WARM_UP:
                service_times.append(elapsed)
                floor_times.append(floor)
                query_counts.append(
                    sum(1 for q in queries.captured_queries if q["sql"] not in TRANSACTION)
                )

        service, bare = statistics.median(service_times), statistics.median(floor_times)
        self.stdout.write(f"{count} contacts, each followed by a bare insert, interleaved:")
        self.stdout.write(f"  log_checkin   {describe(service_times)}")
        self.stdout.write(f"  bare insert   {describe(floor_times)}")
        self.stdout.write(f"  ratio of the medians: {service / bare:.1f}")
        self.stdout.write(
            f"  queries per contact: median {statistics.median(query_counts):.0f}, "
            f"most {max(query_counts)} (the bare insert: 3)"
        )


def describe(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"median {statistics.median(ordered) * 1000:6.2f} ms   95th percentile {p95 * 1000:6.2f} ms"
    )


def time_floor(case_id: int, person_id: int, at: datetime) -> float:
    """One contact written with nothing around it: its row, its history row, the case's clock."""
    checkin_table = CheckIn._meta.db_table
    history_table = CheckIn.history.model._meta.db_table  # type: ignore[attr-defined]
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {checkin_table} (case_id, by_id, at, direction, channel, outcome,"  # noqa: S608 - names from the model
            " update_given, place, number_withheld, interpreter_used, interpreter_name,"
            " concerns, notes, breaches, created_at)"
            " VALUES (%s, %s, %s, 'outbound', 'phone_call', 'reached', 'no_news_active',"
            " 'remote', false, false, '', '[]', '', '[]', %s) RETURNING id",
            [case_id, person_id, at, at],
        )
        (checkin_id,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {history_table} (id, case_id, by_id, at, direction, channel, outcome,"  # noqa: S608 - names from the model
            " update_given, place, number_withheld, interpreter_used, interpreter_name,"
            " concerns, notes, breaches, created_at, history_date, history_type,"
            " history_user_id, history_change_reason)"
            " VALUES (%s, %s, %s, %s, 'outbound', 'phone_call', 'reached', 'no_news_active',"
            " 'remote', false, false, '', '[]', '', '[]', %s, %s, '+', %s, NULL)",
            [checkin_id, case_id, person_id, at, at, at, person_id],
        )
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET next_check_at = %s, update_due_at = %s"  # noqa: S608 - names from the model
            " WHERE id = %s",
            [at + timedelta(days=1), at + timedelta(days=7), case_id],
        )
    return time.perf_counter() - began
