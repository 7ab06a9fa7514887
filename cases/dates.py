"""Which dates a case can have: the one rule every form and service applies to a date.

Something that happened (a contact, a hand-over, consent given, support offered) happened
on or after the day the case was opened and not in the future. Something planned (a
promise, an event, a review) falls on or after the day the case was opened and within a
horizon no real plan reaches. A case itself opens in this century, not in the future.

Pure: callers pass ``now`` and the case's opening. Each check compares aware values and
never converts the value it is given, so no date in Python's whole range can overflow
here, and nothing outside these bounds reaches the rules that add days to dates.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Navigator keeps no case opened before this day (the National Referral Mechanism began in
# 2009); anything earlier is a typing mistake.
EARLIEST_CASE_DAY = date(2000, 1, 1)
# The years the clock itself may read: every rule adds or takes days and years from now,
# which only a clock inside Python's range with room to spare can bear. A clock outside them
# (a broken server clock, a test travelling too far) is refused before any rule runs.
EARLIEST_CLOCK_YEAR = 2000
LATEST_CLOCK_YEAR = 9000
# Nobody we support was born, or moved, before this day.
EARLIEST_PERSONAL_DAY = date(1900, 1, 1)
# A device clock a few minutes fast must not stop a navigator logging a call.
FUTURE_TOLERANCE = timedelta(minutes=5)
# Far enough for the longest trial; near enough that rules adding days never overflow.
PLANNING_HORIZON_DAYS = 3660


def day_words(day: date) -> str:
    """A day as people read it in the UK: "3 March 2026"."""
    return f"{day.day} {day:%B %Y}"


def start_of_day(day: date) -> datetime:
    """The first moment of ``day`` on UK clocks."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def opened_on(opened_at: datetime) -> date:
    """The UK day a case was opened: contacts that day count even if logged before the case."""
    return opened_at.astimezone(LONDON).date()


def clock_problem(now: object) -> str | None:
    """Why ``now`` cannot be the moment a service runs at, or None if it can."""
    if not isinstance(now, datetime):
        return "The clock must give a date and time."
    if now.tzinfo is None or now.utcoffset() is None:
        return "The clock must give its time zone."
    if not EARLIEST_CLOCK_YEAR <= now.year <= LATEST_CLOCK_YEAR:
        return (
            f"The clock reads the year {now.year}: Navigator works between "
            f"{EARLIEST_CLOCK_YEAR} and {LATEST_CLOCK_YEAR}."
        )
    return None


def past_moment_problem(
    value: object, *, noun: str, opened_at: datetime, now: datetime
) -> str | None:
    """Why ``value`` cannot be when something on the case happened, or None if it can."""
    if not isinstance(value, datetime):
        return "Give a date and time."
    if value.tzinfo is None or value.utcoffset() is None:
        return "Give the time with its time zone."
    if value > now + FUTURE_TOLERANCE:
        return f"{noun} cannot be in the future."
    first_day = opened_on(opened_at)
    if value < start_of_day(first_day):
        return f"{noun} cannot be before the case was opened on {day_words(first_day)}."
    return None


def planned_moment_problem(
    value: object, *, noun: str, opened_at: datetime, now: datetime
) -> str | None:
    """Why ``value`` cannot be when something planned on the case falls, or None if it can."""
    if not isinstance(value, datetime):
        return "Give a date and time."
    if value.tzinfo is None or value.utcoffset() is None:
        return "Give the time with its time zone."
    first_day = opened_on(opened_at)
    if value < start_of_day(first_day):
        return f"{noun} cannot be before the case was opened on {day_words(first_day)}."
    if value > now + timedelta(days=PLANNING_HORIZON_DAYS):
        return f"{noun} cannot be more than ten years ahead."
    return None


def past_day_problem(value: object, *, noun: str, opened_at: datetime, today: date) -> str | None:
    """Why ``value`` cannot be the day something on the case happened, or None if it can."""
    if not isinstance(value, date) or isinstance(value, datetime):
        return "Give a date."
    if value > today:
        return f"{noun} cannot be in the future."
    first_day = opened_on(opened_at)
    if value < first_day:
        return f"{noun} cannot be before the case was opened on {day_words(first_day)}."
    return None


def planned_day_problem(
    value: object, *, noun: str, not_before: date, not_before_words: str, today: date
) -> str | None:
    """Why ``value`` cannot be a planned day (a review, say), or None if it can."""
    if not isinstance(value, date) or isinstance(value, datetime):
        return "Give a date."
    if value < not_before:
        return f"{noun} cannot be before {not_before_words}."
    if value > today + timedelta(days=PLANNING_HORIZON_DAYS):
        return f"{noun} cannot be more than ten years ahead."
    return None


def important_day_problem(value: object, *, every_year: bool, today: date) -> str | None:
    """Why ``value`` cannot be a date that matters to the victim, or None if it can.

    One that comes round every year (a birthday, the day they got out) may be long before
    the case; a one-off date is remembered only while it is still to come.
    """
    if not isinstance(value, date) or isinstance(value, datetime):
        return "Give a date."
    if value > today + timedelta(days=PLANNING_HORIZON_DAYS):
        return "A date cannot be more than ten years ahead."
    if every_year and value < EARLIEST_PERSONAL_DAY:
        return f"A date cannot be before {day_words(EARLIEST_PERSONAL_DAY)}."
    if not every_year and value < today:
        return (
            "A date that does not come round every year must still be to come: "
            "for an anniversary, say it comes round every year."
        )
    return None


def victim_day_problem(value: object, *, noun: str, today: date) -> str | None:
    """Why ``value`` cannot be the day something happened in the victim's life (a move,
    say: it may be before any case was opened), or None if it can."""
    if not isinstance(value, date) or isinstance(value, datetime):
        return "Give a date."
    if value > today:
        return f"{noun} cannot be in the future."
    if value < EARLIEST_PERSONAL_DAY:
        return f"{noun} cannot be before {day_words(EARLIEST_PERSONAL_DAY)}."
    return None


def case_opening_problem(value: object, *, now: datetime) -> str | None:
    """Why ``value`` cannot be when a case was opened, or None if it can."""
    if not isinstance(value, datetime):
        return "Give a date and time."
    if value.tzinfo is None or value.utcoffset() is None:
        return "Give the time with its time zone."
    if value > now + FUTURE_TOLERANCE:
        return "A case cannot be opened in the future."
    if value < start_of_day(EARLIEST_CASE_DAY):
        return f"A case cannot be opened before {day_words(EARLIEST_CASE_DAY)}."
    return None


def birth_day_problem(value: object, *, today: date) -> str | None:
    """Why ``value`` cannot be a victim's date of birth, or None if it can."""
    if not isinstance(value, date) or isinstance(value, datetime):
        return "Give a date."
    if value > today:
        return "A date of birth cannot be in the future."
    if value < EARLIEST_PERSONAL_DAY:
        return "A date of birth cannot be before 1900."
    return None
