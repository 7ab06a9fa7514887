"""Two sweeps at once on PostgreSQL: no duplicate alert, none lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert
from alerts.sweep import SweepReport, run_sweep
from cases.choices import PocRole
from cases.models import Case, PointOfContact
from contacts.models import CommunicationAgreement
from tests.alerts.helpers import london
from tests.factories import CaseFactory, PoliceForceFactory, StaffFactory

CASES = 120


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_each_alert_exactly_once() -> None:
    assert connection.vendor == "postgresql"
    navigator = StaffFactory(username="concurrent-navigator")
    force = PoliceForceFactory(name="Concurrent Constabulary")
    agreed = london(2026, 3, 2, 9)
    cases = [CaseFactory(police_force=force) for _ in range(CASES)]
    PointOfContact.objects.bulk_create(
        PointOfContact(case=c, role=PocRole.NAVIGATOR, person=navigator, started_at=agreed)
        for c in cases
    )
    CommunicationAgreement.objects.bulk_create(
        CommunicationAgreement(
            case=c,
            version=1,
            channels=["text"],
            update_interval_days=1,
            agreed_on=agreed.date(),
            created_by=navigator,
            created_at=agreed,
        )
        for c in cases
    )
    Case.objects.update(next_check_at=agreed)  # every case's moment has come

    now = agreed + timedelta(days=3)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sweep() -> None:
        try:
            start.wait()
            # Small batches, so the two sweeps interleave many times.
            reports.append(run_sweep(now=now, batch_size=10))
        except BaseException as error:  # the main thread reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sum(r.cases_checked for r in reports) == CASES  # none lost, none done twice
    assert all(r.cases_checked > 0 for r in reports)  # the work was shared
    live = Alert.objects.filter(status__in=LIVE_STATUSES, kind=AlertKind.UPDATE_OVERDUE)
    assert live.count() == CASES
    assert live.values("case").distinct().count() == CASES
    assert not Case.objects.filter(next_check_at__lte=now).exists()
