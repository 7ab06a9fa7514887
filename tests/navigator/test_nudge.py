"""A broker that is down never fails a request, and the work it would have carried is
found again from the database by the next periodic pass."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from alerts.periodic import run_periodic_checks
from contacts.models import CheckIn
from navigator.celery import app
from tests.alerts.helpers import agree
from tests.personas import World

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Point the Celery app at a broker that refuses connections, as a new user would
    with CELERY_BROKER_URL naming a Redis that is not running."""
    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool)
    app.conf.broker_url = DEAD_BROKER
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved[0], saved[1]
        app._pool, app.amqp._producer_pool = saved[2], saved[3]


def test_a_contact_on_the_unsafe_channel_is_saved_and_emailed_later_with_the_broker_down(
    world: World, broker_down: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    agree(world.case_a, world.nadia, at=now - timedelta(days=3), unsafe_channel="email")
    client = Client()
    client.force_login(world.nadia)
    form = {
        "at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
        "direction": "outbound",
        "channel": "email",
        "outcome": "message_left",
        "update_given": "news",
        "place": "remote",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkin-create", args=[world.case_a.reference]), form)

    assert response.status_code == 302  # the navigator is told it was logged, not an error
    assert CheckIn.objects.filter(case=world.case_a).count() == 1
    alert = Alert.objects.get(case=world.case_a, kind=AlertKind.AGREEMENT_BROKEN)
    assert (alert.severity, alert.high_notified_at) == (Severity.HIGH, None)
    assert mail.outbox == []

    run_periodic_checks(now=timezone.now())  # beat's next pass, broker or not
    assert len(mail.outbox) == 1
    assert world.case_a.reference in mail.outbox[0].subject
    alert.refresh_from_db()
    assert alert.high_notified_at is not None

    run_periodic_checks(now=timezone.now())
    assert len(mail.outbox) == 1  # sent once


def test_a_web_process_that_never_imported_the_tasks_still_finds_them() -> None:
    # A fresh interpreter, as gunicorn's: nothing has imported alerts.tasks yet.
    script = (
        "import django; django.setup()\n"
        "import sys; assert 'alerts.tasks' not in sys.modules\n"
        "from navigator.nudge import registered_task\n"
        "print(registered_task('alerts.tasks.notify_high_severity_task').name)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "navigator.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "alerts.tasks.notify_high_severity_task"
