"""When a sign-in ends: after a spell without activity, and at its maximum age however active.

A navigator's phone may be shared or lost. A sign-in left alone ends after
``SESSION_IDLE_MINUTES``; an active one still ends ``SESSION_COOKIE_AGE`` after it began.
Pure: the middleware passes the times it keeps in the session and ``now`` (seconds).
"""

from dataclasses import dataclass
from enum import StrEnum

# Session keys: when the person signed in, and when they were last seen doing something.
SIGNED_IN_AT = "navigator.signed_in_at"
LAST_SEEN_AT = "navigator.last_seen_at"
# Why the last sign-in on this browser ended, for the sign-in page to say.
ENDED_BECAUSE = "navigator.ended_because"
# Activity is written to the session at most this often: a write per page would cost a
# query on every request, and a minute is nothing against a 30-minute limit.
ACTIVITY_GRANULARITY_SECONDS = 60


class Ending(StrEnum):
    IDLE = "idle"
    MAX_AGE = "max_age"


@dataclass(frozen=True)
class Limits:
    idle_seconds: int
    max_age_seconds: int


def ending(
    *, signed_in_at: float, last_seen_at: float, now: float, limits: Limits
) -> Ending | None:
    """Why the sign-in has ended at ``now``, or None while it lasts."""
    if now - signed_in_at >= limits.max_age_seconds:
        return Ending.MAX_AGE
    if now - last_seen_at >= limits.idle_seconds:
        return Ending.IDLE
    return None


def worth_recording(*, last_seen_at: float, now: float) -> bool:
    """Whether to write ``now`` as the latest activity."""
    return now - last_seen_at >= ACTIVITY_GRANULARITY_SECONDS


def ending_words(why: str, limits: Limits) -> str:
    """What the sign-in page says about a sign-in that ended."""
    if why == Ending.MAX_AGE:
        hours = limits.max_age_seconds / 3600
        span = f"{hours:g} hours" if hours != 1 else "1 hour"
        return f"You were signed out because a sign-in lasts at most {span}."
    minutes = limits.idle_seconds // 60
    span = f"{minutes} minutes" if minutes != 1 else "1 minute"
    return f"You were signed out after {span} without activity, to keep victims' details safe."
