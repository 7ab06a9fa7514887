"""A task through a real Celery worker on the real Redis broker."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from alerts.choices import AlertKind
from alerts.models import Alert
from alerts.tasks import sweep_task
from navigator.celery import app
from tests.alerts.helpers import agree, london, update
from tests.personas import World


@pytest.fixture
def real_broker():  # type: ignore[no-untyped-def]
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = True


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_sweep_task_runs_through_a_worker_on_redis(world: World, real_broker) -> None:  # type: ignore[no-untyped-def]
    monday = london(2026, 3, 2, 11)
    agree(world.case_a, world.nadia, at=monday - timedelta(days=7))
    update(world.case_a, world.nadia, at=monday)

    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        sweep_task.delay(at=london(2026, 3, 5, 1).isoformat())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if Alert.objects.filter(case=world.case_a, kind=AlertKind.UPDATE_OVERDUE).exists():
                break
            time.sleep(0.1)
    assert Alert.objects.filter(case=world.case_a, kind=AlertKind.UPDATE_OVERDUE).exists()
