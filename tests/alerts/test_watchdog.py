"""A late sweep is noticed, and the administrators are told once per late spell."""

from datetime import UTC, datetime, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail

from alerts import watchdog
from alerts.models import SweepRun
from alerts.periodic import run_periodic_checks
from alerts.watchdog import is_late, sweep_freshness, warn_if_sweep_late
from tests.personas import World

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALLOWED = timedelta(minutes=15)


@pytest.mark.parametrize(
    ("last_finished", "now", "late"),
    [
        (None, T, True),  # no sweep has ever finished
        (T, T, False),
        (T, T + ALLOWED, False),  # on the limit is still in time
        (T, T + ALLOWED + timedelta(seconds=1), True),
        (T, T + timedelta(hours=6), True),
    ],
)
def test_when_the_sweep_counts_as_late(last_finished, now, late) -> None:  # type: ignore[no-untyped-def]
    assert is_late(last_finished, now=now, allowed=ALLOWED) is late


def finished_run(at: datetime) -> SweepRun:
    return SweepRun.objects.create(started_at=at - timedelta(seconds=5), finished_at=at)


@pytest.mark.django_db
def test_administrators_are_emailed_once_per_late_spell(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SWEEP_LATE_AFTER_MINUTES = 15
    finished_run(T)
    SweepRun.objects.create(started_at=T + timedelta(minutes=5))  # died: never finished

    assert warn_if_sweep_late(now=T + timedelta(minutes=10)) is False
    assert mail.outbox == []

    assert warn_if_sweep_late(now=T + timedelta(minutes=20)) is True
    (warning,) = mail.outbox
    assert warning.to == [world.ada.email]  # the administrators, and nobody else
    assert "late" in warning.subject
    assert "20 minutes ago" in warning.body

    assert warn_if_sweep_late(now=T + timedelta(minutes=25)) is False  # same spell
    assert len(mail.outbox) == 1

    finished_run(T + timedelta(minutes=30))  # it recovered ...
    assert warn_if_sweep_late(now=T + timedelta(minutes=40)) is False
    assert warn_if_sweep_late(now=T + timedelta(minutes=50)) is True  # ... and stopped again
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_sweep_that_never_finished_is_late_and_the_site_admins_hear_of_it(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ADMINS = [("On call", "oncall@example.org")]
    assert sweep_freshness(now=T).late
    assert warn_if_sweep_late(now=T)
    assert mail.outbox[0].to == [world.ada.email, "oncall@example.org"]
    assert "No sweep has finished yet" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_warning_that_failed_to_send_is_sent_by_the_next_check(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    finished_run(T)

    def broken(**_: object) -> None:
        raise SMTPException("mail server down")

    monkeypatch.setattr(watchdog, "send_mail", broken)
    assert warn_if_sweep_late(now=T + timedelta(hours=1)) is False
    monkeypatch.undo()
    assert warn_if_sweep_late(now=T + timedelta(hours=1, minutes=5)) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_each_periodic_run_is_recorded_and_one_that_dies_stays_unfinished(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_periodic_checks(now=T)
    (run,) = SweepRun.objects.all()
    assert run.finished_at is not None and run.finished_at >= run.started_at

    def dies(**_: object) -> None:
        raise RuntimeError("worker lost")

    monkeypatch.setattr("alerts.periodic.run_sweep", dies)
    with pytest.raises(RuntimeError):
        run_periodic_checks(now=T)
    assert SweepRun.objects.filter(finished_at__isnull=True).count() == 1
    assert sweep_freshness(now=run.finished_at).last_run_id == run.pk
