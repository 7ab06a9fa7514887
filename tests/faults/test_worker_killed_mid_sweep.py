"""A worker killed in the middle of a sweep: after the next sweep no alert is lost and
none is doubled, and each high-severity email is sent exactly once."""

from collections import Counter
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.models import Alert, SweepRun
from alerts.tasks import sweep_task
from cases.models import Case
from tests.alerts.helpers import agree, update
from tests.brokers import celery_broker
from tests.factories import CaseFactory, PointOfContactFactory
from tests.faults.servers import PrivateRedis, Workers, the_test_database_url, wait_for
from tests.personas import World

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

CASES = 30
BATCH = 10  # so the kill lands in the second of three batches


def overdue_cases(world: World) -> list[Case]:
    """Cases whose last update was ten days ago on a daily agreement: each is due now, and
    overdue long enough for a high-severity alert. Due in a fixed order, a second apart."""
    long_ago = timezone.now() - timedelta(days=12)
    cases = []
    for _ in range(CASES):
        case = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=case, person=world.nadia, started_at=long_ago)
        agree(case, world.nadia, at=long_ago, interval=1)
        update(case, world.nadia, at=long_ago + timedelta(days=2))
        cases.append(case)
    first_due = timezone.now() - timedelta(hours=1)
    for position, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            next_check_at=first_due + timedelta(seconds=position)
        )
    return cases


def blocked_backend(blocker_pid: int) -> int | None:
    """The worker's database session, once it waits on the row our session holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [blocker_pid]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


def test_a_worker_killed_mid_sweep_loses_no_alert_and_doubles_none(
    world: World, private_redis: PrivateRedis, workers: Workers
) -> None:
    cases = overdue_cases(world)
    workers.extra_env["SWEEP_BATCH_SIZE"] = str(BATCH)
    doomed = workers.start()

    # Hold the second batch up: our own session inserts, uncommitted, the very alert the
    # sweep is about to open for one of its cases, so the sweep's insert waits on ours.
    held = cases[BATCH + 5]
    with psycopg.connect(the_test_database_url()) as blocker:
        blocker.execute(
            "INSERT INTO alerts_alert (case_id, kind, severity, status, summary, reasons, "
            "condition_key, opened_at, resolution_note) "
            "VALUES (%s, %s, 1, 'open', 'held', '{}', '', now(), '')",
            [held.pk, AlertKind.UPDATE_OVERDUE],
        )
        with celery_broker(private_redis.url):
            sweep_task.delay()  # as beat would
        worker_session = wait_for(
            lambda: blocked_backend(blocker.info.backend_pid), "the sweep to reach batch two"
        )
        workers.kill(doomed)
        blocker.rollback()
    wait_for(lambda: backend_gone(worker_session), "the killed worker's transaction to end")

    # Mid-sweep: the first batch was committed, the second rolled back with the worker.
    overdue = Alert.objects.filter(kind=AlertKind.UPDATE_OVERDUE)
    assert set(overdue.values_list("case_id", flat=True)) == {c.pk for c in cases[:BATCH]}
    assert SweepRun.objects.get().finished_at is None

    # The next sweep, on a new worker (and the nudges the first batch left queued).
    workers.start()
    with celery_broker(private_redis.url):
        sweep_task.delay()
    wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists(), "the next sweep")
    high = Alert.objects.filter(severity=Severity.HIGH)
    wait_for(
        lambda: (
            not high.filter(high_notified_at__isnull=True).exists()
            and len(workers.emails()) >= high.count()
        ),
        "every high-severity email",
    )
    workers.stop_all()  # let any nudge still queued run, then look

    # Every case has its one overdue alert, opened once (one "+" in its history).
    assert sorted(overdue.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    created = Counter(
        Alert.history.filter(history_type="+", kind=AlertKind.UPDATE_OVERDUE).values_list(
            "case_id", flat=True
        )
    )
    assert set(created.values()) == {1}
    assert len(created) == CASES
    # Each high-severity alert was emailed exactly once.
    subjects = Counter(workers.emails())
    assert all(count == 1 for count in subjects.values()), subjects
    references = {a.case.reference for a in high.select_related("case")}
    assert set(subjects) == {f"High-severity alert on case {r}" for r in references}
    assert len(subjects) == CASES
