"""The retry schedule and what answers mean, as tables: no database."""

from datetime import UTC, datetime, timedelta

import pytest

from webhooks.schedule import (
    MAX_ATTEMPTS,
    Outcome,
    next_attempt_at,
    outcome_of,
    parse_retry_after,
    retry_delay,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S, M, H = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        (1, 5 * S),
        (2, 5 * M),
        (3, 30 * M),
        (4, 2 * H),
        (5, 5 * H),
        (6, 10 * H),
        (7, 14 * H),
        (8, 20 * H),
        (9, 24 * H),
        (10, None),
        (11, None),
    ],
)
def test_the_schedule_without_jitter(failures: int, expected: timedelta | None) -> None:
    assert retry_delay(failures, jitter=0.5) == expected


@pytest.mark.parametrize("failures", range(1, MAX_ATTEMPTS))
@pytest.mark.parametrize(("jitter", "factor"), [(0.0, 0.9), (0.25, 0.95), (0.75, 1.05)])
def test_jitter_moves_each_delay_by_up_to_a_tenth(
    failures: int, jitter: float, factor: float
) -> None:
    base = retry_delay(failures, jitter=0.5)
    assert base is not None
    assert retry_delay(failures, jitter=jitter) == base * factor


def test_the_whole_schedule_spans_about_three_days() -> None:
    total = sum((retry_delay(n, jitter=0.5) for n in range(1, MAX_ATTEMPTS)), timedelta())
    assert total == timedelta(days=3, hours=3, minutes=35, seconds=5)
    assert MAX_ATTEMPTS == 10


def test_a_retry_follows_a_failure() -> None:
    with pytest.raises(ValueError):
        retry_delay(0, jitter=0.5)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (201, Outcome.DELIVERED),
        (204, Outcome.DELIVERED),
        (299, Outcome.DELIVERED),
        (None, Outcome.FAILED),
        (199, Outcome.FAILED),
        (301, Outcome.FAILED),  # redirects are not followed: not a success
        (400, Outcome.FAILED),
        (404, Outcome.FAILED),
        (410, Outcome.GONE),
        (429, Outcome.THROTTLED),
        (500, Outcome.FAILED),
        (503, Outcome.FAILED),
    ],
)
def test_only_2xx_is_success(status: int | None, outcome: Outcome) -> None:
    assert outcome_of(status) == outcome


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        (None, None),
        ("", None),
        ("120", 120 * S),
        (" 30 ", 30 * S),
        ("0", timedelta(0)),
        ("999999", 24 * H),  # capped at the schedule's longest step
        ("Mon, 02 Mar 2026 09:10:00 GMT", 10 * M),
        ("Mon, 02 Mar 2026 08:00:00 GMT", timedelta(0)),  # a date passed: at once
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_as_seconds_or_a_date(header: str | None, wait: timedelta | None) -> None:
    assert parse_retry_after(header, now=NOW) == wait


@pytest.mark.parametrize(
    ("outcome", "attempts", "retry_after", "expected"),
    [
        (Outcome.DELIVERED, 1, None, None),
        (Outcome.FAILED, 1, None, NOW + 5 * S),
        (Outcome.FAILED, 3, None, NOW + 30 * M),
        (Outcome.FAILED, 10, None, None),  # the last: dead
        (Outcome.REFUSED, 2, None, NOW + 5 * M),
        (Outcome.GONE, 1, None, NOW + 5 * S),  # kept in its place for when it is on again
        (Outcome.THROTTLED, 1, 90 * S, NOW + 90 * S),  # Retry-After wins, longer or shorter
        (Outcome.THROTTLED, 4, 90 * S, NOW + 90 * S),
        (Outcome.THROTTLED, 2, None, NOW + 5 * M),  # without one, the schedule
        (Outcome.THROTTLED, 10, 90 * S, None),  # still counts: it cannot keep it alive
        (Outcome.FAILED, 1, 90 * S, NOW + 5 * S),  # Retry-After only on a 429
    ],
)
def test_when_next(
    outcome: Outcome, attempts: int, retry_after: timedelta | None, expected: datetime | None
) -> None:
    assert (
        next_attempt_at(
            outcome=outcome, attempts=attempts, now=NOW, jitter=0.5, retry_after=retry_after
        )
        == expected
    )
