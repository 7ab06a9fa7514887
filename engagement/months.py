"""The report's periods run in whole months.

A date given anywhere inside a month stands for that month. Whole months keep any two
reports from differing by a handful of days, which could otherwise single out the few
cases recorded on those days.
"""

import calendar
import re
from datetime import date

_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def parse_month(text: str) -> date:
    """The first day of the month named by YYYY-MM or any YYYY-MM-DD within it."""
    found = _MONTH.fullmatch(text.strip())
    if not found:
        raise ValueError(f'"{text}" is not a month (YYYY-MM) or a date (YYYY-MM-DD)')
    year, month, day = int(found[1]), int(found[2]), int(found[3] or 1)
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f'"{text}" is not a real date') from None
    return date(year, month, 1)


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def period_problem(since: date | None, until: date | None, compare_at: date | None) -> str:
    """What is wrong with a period, in words; empty when nothing is."""
    if since and until and since > until:
        return "The first month is after the last."
    if compare_at and ((since and compare_at <= since) or (until and compare_at > until)):
        return "The month to compare at must fall after the first month and by the last."
    return ""
