"""Celery is set up so that a lost worker loses no work, a slow broker holds no request,
and every task can run twice without doing anything twice."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils.module_loading import autodiscover_modules
from kombu import Connection

from alerts.models import DigestDelivery
from alerts.notifications import send_daily_digests
from alerts.sweep import run_sweep
from navigator.celery import app
from navigator.nudge import _send
from tests.alerts.helpers import agree, london, update
from tests.personas import World


def test_a_task_is_acknowledged_only_when_done_and_requeued_if_its_worker_dies() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_redis_hands_a_task_on_only_after_the_longest_task_could_have_finished() -> None:
    visibility = settings.REDIS_VISIBILITY_TIMEOUT
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit
    assert visibility > app.conf.task_time_limit
    assert app.conf.broker_transport_options["visibility_timeout"] == visibility


def test_publishing_gives_up_on_a_silent_broker_within_seconds() -> None:
    options = app.conf.broker_transport_options
    assert app.conf.broker_connection_timeout <= 2
    assert options["socket_connect_timeout"] <= 2
    assert options["socket_timeout"] <= 5


def test_a_nudge_tries_a_broker_that_is_down_once_and_gives_up(
    broker_down: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts = []
    connect = Connection._connection_factory

    def counted(self: Connection) -> object:
        attempts.append(self.as_uri())
        return connect(self)

    monkeypatch.setattr(Connection, "_connection_factory", counted)
    _send("alerts.tasks.sweep_task", {})
    assert len(attempts) == 1  # no retries holding the request that nudged
    assert "Could not queue alerts.tasks.sweep_task (OperationalError)" in caplog.text


def test_the_beat_schedule_is_in_code_and_names_registered_tasks() -> None:
    autodiscover_modules("tasks")
    schedule = settings.CELERY_BEAT_SCHEDULE
    expected = {"sweep", "sweep-watchdog", "daily-digest", "daily-snapshot", "daily-retention"}
    assert expected <= set(schedule)
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
    # A sweep that could not start before the next is due is dropped, not stacked up.
    assert schedule["sweep"]["options"]["expires"] == schedule["sweep"]["schedule"]


@pytest.mark.django_db
def test_the_daily_digest_is_sent_once_a_day_however_often_its_task_runs(world: World) -> None:
    monday = london(2026, 3, 2, 9)
    agree(world.case_a, world.nadia, at=monday - timedelta(days=7))
    update(world.case_a, world.nadia, at=monday)
    run_sweep(now=london(2026, 3, 5, 1))

    assert send_daily_digests(now=london(2026, 3, 5, 8)) == 1
    assert send_daily_digests(now=london(2026, 3, 5, 8, 1)) == 0  # delivered again: sent once
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get(supervisor=world.sam).sent_at is not None
    assert send_daily_digests(now=london(2026, 3, 6, 8)) == 1  # the next day's
    assert len(mail.outbox) == 2
