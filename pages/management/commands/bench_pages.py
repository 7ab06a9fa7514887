"""Measure the pages' server time and queries, in a throwaway database of its own.

    python manage.py bench_pages                      # every page, 200 requests each
    python manage.py bench_pages --pages dashboard alerts --requests 500

It seeds a supervisor's team (20 navigators with 60 open cases each, 1,200 cases; a few
over their capacity) and another supervisor's team of one navigator with 6, with six
weeks of contacts, agreements, events, promises and dates that matter; makes a fifth of
the cases overdue and some drift away; runs the sweep so the
clocks and alerts are as they would be; then asks for each page through Django's test
client (every middleware, the view, the template, the database), signed in as its reader,
and reports the median and 95th-percentile time, the median CPU time of this process
alone (the Python side: less moved by other work on a shared machine, PostgreSQL not
counted) and the queries per request. Today, the dashboard and the alert queue are
measured for the small caseload too: their queries must be the same.

Pages are a table (``PAGES``): a page added later is a name, a reader and an address.

It creates a fresh database (``<name>_pages_benchmark``), so it never touches real data,
and drops it afterwards. Needs PostgreSQL for figures that mean anything.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.sweep import run_sweep
from cases.choices import EventKind, OrganisationKind, PocRole
from cases.models import Case, CaseEvent, ImportantDate, PointOfContact, Victim
from contacts.models import CheckIn, CommunicationAgreement, Promise
from navigator.celery import app

NAVIGATORS = 20
CASES_EACH = 60
SMALL_CASELOAD = 6
WARM_UP = 10


@dataclass(frozen=True)
class Team:
    supervisor: Staff  # of the 20 navigators with the full caseload
    small_supervisor: Staff  # of the one navigator with a small one
    busy: Staff  # a navigator with the full caseload
    light: Staff  # a navigator with a small one
    busy_case: str  # a reference on the busy navigator's caseload


@dataclass(frozen=True)
class Reading:
    """One way to read a page: its label, its reader and its address."""

    label: str
    reader: Callable[[Team], Staff]
    url: Callable[[Team], str]
    # Empty the cache before each request: what a page costs when nothing is kept.
    cold: bool = False


# Each page, read the ways that should cost the same number of queries.
PAGES: dict[str, list[Reading]] = {
    "today": [
        Reading(f"Today, {CASES_EACH} cases", lambda t: t.busy, lambda t: reverse("today")),
        Reading(f"Today, {SMALL_CASELOAD} cases", lambda t: t.light, lambda t: reverse("today")),
    ],
    "case page": [
        Reading(
            "case page, 6 weeks of contacts",
            lambda t: t.busy,
            lambda t: reverse("case-detail", args=[t.busy_case]),
        ),
    ],
    "dashboard": [
        Reading(
            f"dashboard, {NAVIGATORS * CASES_EACH:,} cases",
            lambda t: t.supervisor,
            lambda t: reverse("dashboard"),
        ),
        Reading(
            f"dashboard, {NAVIGATORS * CASES_EACH:,}, worked afresh",
            lambda t: t.supervisor,
            lambda t: reverse("dashboard"),
            cold=True,
        ),
        Reading(
            f"dashboard, {SMALL_CASELOAD} cases",
            lambda t: t.small_supervisor,
            lambda t: reverse("dashboard"),
        ),
    ],
    "alerts": [
        Reading(
            f"alert queue, {NAVIGATORS * CASES_EACH:,} cases",
            lambda t: t.supervisor,
            lambda t: reverse("alert-list"),
        ),
        Reading(
            f"alert queue, {SMALL_CASELOAD} cases",
            lambda t: t.small_supervisor,
            lambda t: reverse("alert-list"),
        ),
    ],
}


class Command(BaseCommand):
    help = "Benchmark the pages' server time and queries in a throwaway database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--navigators", type=int, default=NAVIGATORS)
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(
        self,
        *args: Any,
        pages: list[str],
        requests: int,
        navigators: int,
        keep_db: bool,
        **options: Any,
    ) -> None:
        app.conf.task_always_eager = True  # emails, if any, go to the console backend inline
        app.loader.import_default_modules()  # the tasks a sweep nudges are registered
        # The test client's host; and, as in production, no query log kept on every request
        # (counting forces one). Not setup_test_environment: it slows templates down.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.DEBUG = False
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        # A name of its own: never the test database, never the real one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_pages_benchmark"
        self.stdout.write(f"Database: {connection.vendor}; creating a throwaway copy...")
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            now = timezone.now().replace(microsecond=0)
            started = time.perf_counter()
            team = seed(navigators, CASES_EACH, now)
            self.stdout.write(
                f"Seeded {navigators * CASES_EACH + SMALL_CASELOAD:,} open cases for "
                f"{navigators + 1} navigators in {time.perf_counter() - started:.1f} s"
            )
            started = time.perf_counter()
            run_sweep(now=now)
            self.stdout.write(f"Swept them in {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(
                f"\n{'page':<32} {'median':>9} {'95th pct':>9} {'our CPU':>9} {'queries':>8}"
                "   requests"
            )
            for name in pages:
                for reading in PAGES[name]:
                    self.measure(reading, team, requests)
        finally:
            if not keep_db:
                creation.destroy_test_db(old_name, verbosity=0)

    def measure(self, reading: Reading, team: Team, requests: int) -> None:
        client = Client()
        client.force_login(reading.reader(team))
        url = reading.url(team)
        for _ in range(WARM_UP):
            assert client.get(url).status_code == 200
        timings, cpu = [], []
        for _ in range(requests):
            if reading.cold:
                cache.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200
        reset_queries()
        if reading.cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(timings, n=20)[18]
        self.stdout.write(
            f"{reading.label:<32} {statistics.median(timings):7.1f} ms {p95:7.1f} ms "
            f"{statistics.median(cpu):7.1f} ms {len(queries.captured_queries):8d}   {requests}"
        )


def seed(navigators: int, cases_each: int, now: datetime) -> Team:
    """A supervisor's team with a realistic spread of cases, through bulk inserts."""
    rng = random.Random(2026)
    force = Organisation.objects.create(
        name="Benchmark Constabulary", kind=OrganisationKind.POLICE_FORCE
    )
    service = Organisation.objects.create(
        name="Benchmark Navigators", kind=OrganisationKind.NAVIGATOR_SERVICE
    )
    supervisor = Staff.objects.create(
        username="bench-supervisor", role=Role.SUPERVISOR, organisation=service
    )
    small_supervisor = Staff.objects.create(
        username="bench-supervisor-small", role=Role.SUPERVISOR, organisation=service
    )
    team = [
        Staff.objects.create(
            username=f"bench-navigator-{n}",
            first_name=f"Navigator {n}",
            role=Role.NAVIGATOR,
            organisation=service,
            # The navigator with the small caseload is a team of their own.
            supervisor=supervisor if n < navigators else small_supervisor,
            # Every fourth a little over capacity (never below none: a small seed too).
            caseload_capacity=cases_each if n % 4 else max(cases_each - 5, 1),
        )
        for n in range(navigators + 1)
    ]
    caseloads = [(person, cases_each) for person in team[:-1]] + [(team[-1], SMALL_CASELOAD)]
    opened = now - timedelta(days=120)
    number = 0
    busy_case = ""
    for person, count in caseloads:
        numbers = range(number, number + count)
        number += count
        victims = Victim.objects.bulk_create(
            Victim(
                reference=f"V-P{n:07d}",
                full_name=f"Bench Person {n}",
                preferred_name=f"Person {n}",
                age_band="25_34",
            )
            for n in numbers
        )
        cases = Case.objects.bulk_create(
            Case(reference=f"C-P{n:07d}", victim=victim, police_force=force, opened_at=opened)
            for n, victim in zip(numbers, victims, strict=True)
        )
        busy_case = busy_case or cases[0].reference
        PointOfContact.objects.bulk_create(
            PointOfContact(case=case, role=PocRole.NAVIGATOR, person=person, started_at=opened)
            for case in cases
        )
        CommunicationAgreement.objects.bulk_create(
            CommunicationAgreement(
                case=case,
                version=1,
                channels=["text", "phone_call"],
                update_interval_days=7,
                level_of_detail="headline",
                contact_windows=[{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "18:00"}]
                if index % 2
                else [],
                avoid_flags=["no_withheld_number"],
                agreed_on=opened.date(),
                preferred_contact=person,
                created_by=person,
                created_at=opened,
            )
            for index, case in enumerate(cases)
        )
        checkins, events, promises, dates = [], [], [], []
        for index, case in enumerate(cases):
            overdue = index % 5 == 0
            drifting = index % 7 == 0
            last = now - timedelta(days=10 if overdue else rng.randint(0, 5), hours=2)
            for week in range(6):
                checkins.append(
                    CheckIn(
                        case=case,
                        by=person,
                        at=last - timedelta(days=7 * week),
                        direction="outbound",
                        channel="text",
                        outcome="reached",
                        update_given="no_news_active",
                        wellbeing=rng.randint(2, 5),
                        trust=rng.randint(2, 5),
                        notes="Benchmark note",
                    )
                )
            if drifting:  # three unanswered calls since: an early warning
                checkins += [
                    CheckIn(
                        case=case,
                        by=person,
                        at=now - timedelta(days=days, hours=3),
                        direction="outbound",
                        channel="phone_call",
                        outcome="no_answer",
                        update_given="none",
                    )
                    for days in (3, 2, 1)
                ]
            if index % 4 == 0:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.INTERVIEW,
                        at=now + timedelta(days=rng.randint(1, 20), hours=3),
                        created_by=person,
                        victim_prepared=True,
                    )
                )
            if index % 9 == 0:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.ARREST,
                        at=now - timedelta(hours=rng.randint(2, 40)),
                        is_key_decision=True,
                        created_by=person,
                    )
                )
            if index % 3 == 0:
                promises.append(
                    Promise(
                        case=case,
                        made_by=person,
                        description="Call back with news of the file",
                        due_by=now + timedelta(days=rng.randint(-2, 6)),
                    )
                )
            if index % 6 == 0:
                dates.append(
                    ImportantDate(
                        victim=case.victim,
                        label="Birthday",
                        date=(now + timedelta(days=rng.randint(0, 30))).date().replace(year=1990),
                    )
                )
        CheckIn.objects.bulk_create(checkins)
        CaseEvent.objects.bulk_create(events)
        Promise.objects.bulk_create(promises)
        ImportantDate.objects.bulk_create(dates)
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(next_check_at=now)
    return Team(
        supervisor=supervisor,
        small_supervisor=small_supervisor,
        busy=team[0],
        light=team[-1],
        busy_case=busy_case,
    )
