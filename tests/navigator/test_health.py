"""The health endpoint: the database, the broker, and how long ago the sweep finished."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import SweepRun
from tests.personas import World

# The checks run in threads of their own, on their own connections: the data is committed.
pytestmark = pytest.mark.django_db(transaction=True)


def probe() -> tuple[int, dict[str, object]]:
    response = Client().get(reverse("health"), HTTP_ACCEPT="application/json")
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthy_when_the_database_and_broker_answer_and_the_sweep_is_recent(
    world: World,
) -> None:
    SweepRun.objects.create(
        started_at=timezone.now() - timedelta(minutes=2),
        finished_at=timezone.now() - timedelta(minutes=2),
    )
    status, body = probe()  # no sign-in needed
    assert status == 200, body
    assert body["Database(alias='default')"] == "OK"
    assert body["Broker()"] == "OK"
    assert body["Sweep()"] == "OK"
    assert body["sweep_minutes_since_last_finished"] == 2
    assert mail.outbox == []


def test_a_late_sweep_fails_the_check_and_emails_the_administrators_once(world: World) -> None:
    SweepRun.objects.create(
        started_at=timezone.now() - timedelta(hours=2),
        finished_at=timezone.now() - timedelta(hours=2),
    )
    status, body = probe()
    assert status == 500
    assert "The last sweep finished 120 minutes ago" in str(body["Sweep()"])
    probe()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.ada.email]


def test_a_broker_that_is_down_fails_the_check_without_showing_its_address(
    world: World, broker_down: str
) -> None:
    SweepRun.objects.create(started_at=timezone.now(), finished_at=timezone.now())
    status, body = probe()
    assert status == 500
    assert str(body["Broker()"]).startswith("Unavailable: Cannot reach the broker")
    assert "127.0.0.1" not in str(body)
