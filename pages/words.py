"""Dates and times as people in the UK read them: "today at 15:00", "Friday 13 November".

Pure: every function takes the moment to word and, where the words depend on it, ``now``.
Moments are shown on UK clocks (Europe/London) whatever zone they arrive in.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def day_words(day: date, *, today: date) -> str:
    """ "today", "tomorrow", "yesterday", "Friday 13 November", with the year when not this one."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day == today - timedelta(days=1):
        return "yesterday"
    words = f"{day:%A} {day.day} {day:%B}"
    return words if day.year == today.year else f"{words} {day.year}"


def when_words(moment: datetime, *, now: datetime) -> str:
    """ "today at 15:00", "Friday 13 November at 09:30"; midnight is the end of the day before."""
    at = local(moment)
    today = local(now).date()
    if at.hour == 0 and at.minute == 0:
        return f"the end of {day_words(at.date() - timedelta(days=1), today=today)}"
    return f"{day_words(at.date(), today=today)} at {at:%H:%M}"


def full_date(day: date) -> str:
    """ "13 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """ "13 Nov"."""
    return f"{day.day} {day:%b}"


def full_moment(moment: datetime) -> str:
    """ "Friday 13 November 2026, 14:05"."""
    at = local(moment)
    return f"{at:%A} {at.day} {at:%B %Y}, {at:%H:%M}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def start_of_day(day: date) -> datetime:
    """The first moment of ``day`` on UK clocks."""
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON)


# A point of contact's role mid-sentence: "the NGO caseworker point of contact".
_POC_ROLE_WORDS = {"police": "police", "navigator": "navigator", "ngo_caseworker": "NGO caseworker"}


def poc_role_words(role: str) -> str:
    return _POC_ROLE_WORDS.get(role, role.replace("_", " "))
