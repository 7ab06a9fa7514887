"""A broker that is down never fails a request, and the work it would have carried is
found again from the database by the next periodic pass."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from alerts.periodic import run_periodic_checks
from contacts.models import CheckIn
from tests.alerts.helpers import agree
from tests.personas import World

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_a_contact_on_the_unsafe_channel_is_saved_and_emailed_later_with_the_broker_down(
    world: World, broker_down: str, django_capture_on_commit_callbacks, caplog
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    agree(world.case_a, world.nadia, at=now - timedelta(days=3), unsafe_channel="email")
    client = Client()
    client.force_login(world.nadia)
    form = {
        "submission_key": str(uuid4()),
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
    assert "Could not queue alerts.tasks.notify_high_severity_task" in caplog.text
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


def test_a_web_process_that_never_imported_the_tasks_still_queues_its_nudge() -> None:
    # A fresh interpreter, as gunicorn's: nothing has imported alerts.tasks, and nothing
    # needs to: the nudge is sent by name. (An in-memory broker stands in for Redis here;
    # tests/faults does the same against a real one.)
    script = (
        "import sys, django; django.setup()\n"
        "from navigator.celery import app\n"
        "from navigator.nudge import _send\n"
        "_send('alerts.tasks.notify_high_severity_task', {'alert_ids': [1]})\n"
        "assert 'alerts.tasks' not in sys.modules\n"
        "with app.connection_for_read() as connection:\n"
        "    message = connection.SimpleQueue('celery').get(timeout=5)\n"
        "print(message.headers['task'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    result = subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "navigator.settings",
            "CELERY_BROKER_URL": "memory://",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "alerts.tasks.notify_high_severity_task"
