"""The dates a case can have, as a table: no database, no clock."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cases.dates import (
    birth_day_problem,
    case_opening_problem,
    past_day_problem,
    past_moment_problem,
    planned_day_problem,
    planned_moment_problem,
)
from tests.alerts.helpers import london

OPENED = london(2026, 3, 3, 15, 30)  # Tuesday 3 March 2026, mid-afternoon
NOW = london(2026, 11, 20, 12, 0)
TODAY = date(2026, 11, 20)
FAR_EAST = timezone(timedelta(hours=23, minutes=59))
FAR_WEST = timezone(timedelta(hours=-23, minutes=-59))
NAIVE = datetime(2026, 6, 1, 12, 0)  # noqa: DTZ001 - naive on purpose
CONTACT_BEFORE = "A contact cannot be before the case was opened on 3 March 2026."
PROMISE_BEFORE = "A promise cannot be before the case was opened on 3 March 2026."
CASE_TOO_EARLY = "A case cannot be opened before 1 January 2000."


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (london(2026, 3, 3, 9, 0), None),  # the day it was opened, before the case was keyed in
        (london(2026, 3, 2, 23, 59), CONTACT_BEFORE),
        (datetime(1900, 1, 1, tzinfo=UTC), CONTACT_BEFORE),
        (datetime.min.replace(tzinfo=FAR_EAST), CONTACT_BEFORE),
        (NOW, None),
        (NOW + timedelta(minutes=5), None),  # a phone clock a little fast
        (NOW + timedelta(minutes=6), "A contact cannot be in the future."),
        (datetime.max.replace(tzinfo=FAR_WEST), "A contact cannot be in the future."),
        (NAIVE, "Give the time with its time zone."),
        (date(2026, 6, 1), "Give a date and time."),
        ("2026-06-01T12:00", "Give a date and time."),
    ],
    ids=[
        "opening-day", "day-before", "1900", "year-1", "now", "five-minutes-fast",
        "future", "year-9999", "naive", "a-date", "a-string",
    ],
)  # fmt: skip
def test_something_that_happened(value: object, problem: str | None) -> None:
    assert past_moment_problem(value, noun="A contact", opened_at=OPENED, now=NOW) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (NOW + timedelta(days=400), None),
        (london(2026, 3, 3, 0, 0), None),
        (london(2026, 3, 2, 12, 0), PROMISE_BEFORE),
        (NOW + timedelta(days=3661), "A promise cannot be more than ten years ahead."),
        (datetime.max.replace(tzinfo=FAR_WEST), "A promise cannot be more than ten years ahead."),
        (datetime.min.replace(tzinfo=FAR_EAST), PROMISE_BEFORE),
        (NAIVE, "Give the time with its time zone."),
    ],
    ids=["next-year", "opening-day", "before-opening", "too-far", "year-9999", "year-1", "naive"],
)  # fmt: skip
def test_something_planned(value: object, problem: str | None) -> None:
    assert planned_moment_problem(value, noun="A promise", opened_at=OPENED, now=NOW) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (date(2026, 3, 3), None),
        (TODAY, None),
        (date(2026, 11, 21), "Consent cannot be in the future."),
        (date(2026, 3, 2), "Consent cannot be before the case was opened on 3 March 2026."),
        (date.min, "Consent cannot be before the case was opened on 3 March 2026."),
        (date.max, "Consent cannot be in the future."),
        (datetime(2026, 6, 1, tzinfo=UTC), "Give a date."),
    ],
    ids=["opening-day", "today", "tomorrow", "day-before", "year-1", "year-9999", "a-datetime"],
)
def test_a_day_something_happened(value: object, problem: str | None) -> None:
    assert past_day_problem(value, noun="Consent", opened_at=OPENED, today=TODAY) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (date(2026, 3, 3), None),
        (date(2026, 3, 2), "The review date cannot be before the agreement was made."),
        (date(2036, 11, 20), None),
        (date.max, "The review date cannot be more than ten years ahead."),
    ],
    ids=["same-day", "before", "ten-years", "year-9999"],
)
def test_a_planned_day(value: object, problem: str | None) -> None:
    words = "the agreement was made"
    assert (
        planned_day_problem(
            value,
            noun="The review date",
            not_before=date(2026, 3, 3),
            not_before_words=words,
            today=TODAY,
        )
        == problem
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (OPENED, None),
        (datetime(1999, 12, 31, 23, 0, tzinfo=UTC), CASE_TOO_EARLY),
        (NOW + timedelta(hours=1), "A case cannot be opened in the future."),
        (datetime.min.replace(tzinfo=FAR_EAST), CASE_TOO_EARLY),
    ],
    ids=["ordinary", "last-century", "future", "year-1"],
)  # fmt: skip
def test_when_a_case_opens(value: object, problem: str | None) -> None:
    assert case_opening_problem(value, now=NOW) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (date(1990, 5, 17), None),
        (date(1899, 12, 31), "A date of birth cannot be before 1900."),
        (date(2026, 11, 21), "A date of birth cannot be in the future."),
    ],
)
def test_a_date_of_birth(value: object, problem: str | None) -> None:
    assert birth_day_problem(value, today=TODAY) == problem
