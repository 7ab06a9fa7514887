"""When a webhook is tried again, and what an answer means: plain rules over plain values.

Facts in: how many attempts a delivery has had, how the last one ended, the
``Retry-After`` it was given, a random number for jitter, and ``now``. Out: the
next attempt's time, or None when the delivery is dead (or done).

The schedule follows the Standard Webhooks specification's example: the first
attempt at once, then retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and
24 h after each failure (about three days in all), each moved by up to a tenth
either way so that many deliveries failing together do not all come back at once.
"""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
# The first attempt and one after each delay.
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Each delay is moved by up to this fraction of itself, earlier or later.
JITTER = 0.1
# A Retry-After is honoured up to the longest delay of the schedule, no further.
LONGEST_RETRY_AFTER = RETRY_DELAYS[-1]


class Outcome(StrEnum):
    DELIVERED = "delivered"  # 2xx: the only success
    FAILED = "failed"  # any other answer, or none (timeout, refused, error)
    GONE = "gone"  # 410: the receiver says the endpoint is gone; it is disabled
    THROTTLED = "throttled"  # 429: tried again when Retry-After says, if it says
    REFUSED = "refused"  # the address is not one we may call (SSRF rules); not sent


def outcome_of(status_code: int | None) -> Outcome:
    """What an answer means. None: no answer at all."""
    if status_code is None:
        return Outcome.FAILED
    if 200 <= status_code < 300:
        return Outcome.DELIVERED
    if status_code == 410:
        return Outcome.GONE
    if status_code == 429:
        return Outcome.THROTTLED
    return Outcome.FAILED


def parse_retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    """A ``Retry-After`` header (seconds, or an HTTP date) as a wait from ``now``.

    Nothing usable gives None (the schedule applies); a wait is never negative and
    never longer than ``LONGEST_RETRY_AFTER``.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        wait = timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        wait = when - now
    return max(timedelta(0), min(wait, LONGEST_RETRY_AFTER))


def retry_delay(failures: int, *, jitter: float) -> timedelta | None:
    """The wait after the ``failures``-th failed attempt, or None if that was the last.

    ``jitter`` is a number in [0, 1): 0.5 gives the delay as scheduled, 0 a tenth
    earlier, nearly 1 a tenth later.
    """
    if failures < 1:
        raise ValueError("A retry follows a failed attempt.")
    if failures >= MAX_ATTEMPTS:
        return None
    base = RETRY_DELAYS[failures - 1]
    return base * (1 + JITTER * (2 * jitter - 1))


def next_attempt_at(
    *,
    outcome: Outcome,
    attempts: int,
    now: datetime,
    jitter: float,
    retry_after: timedelta | None = None,
) -> datetime | None:
    """When to try again after attempt number ``attempts`` ended in ``outcome``; None when
    there is nothing more to do (delivered) or nothing more to try (dead).

    A 429 with a ``Retry-After`` waits exactly that long (it still counts as an
    attempt, so a receiver that always says "later" cannot keep a delivery alive
    for ever). A 410 keeps its place in the schedule: its endpoint is disabled,
    and the delivery goes on from there if a person enables it again.
    """
    if outcome == Outcome.DELIVERED:
        return None
    delay = retry_delay(attempts, jitter=jitter)
    if delay is None:
        return None
    if outcome == Outcome.THROTTLED and retry_after is not None:
        delay = retry_after
    return now + delay
