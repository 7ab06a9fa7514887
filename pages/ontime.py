"""Updates on time, week by week: how well a team keeps the updates its victims agreed.

Each case's updates are replayed against the update clock (``contacts.sla``): after each
update (or the start of the clock) the next one falls due, and it was **on time** if it
came before the clock would have called it overdue. If it had not come by then, that
update was **late**, and so is one more for each further interval that passes without
one (a victim who agreed weekly updates and heard nothing for three weeks missed three);
the update that at last comes ends the wait, and is not counted on time. Each is counted
in the week it was settled: an update on time in the week it was given, a late one in the
week it became overdue. Weeks run Monday to Sunday, UK time; the last is the current week
so far.

What counts as an update, and when one is overdue, are the clock's own rules: a contact
counts under the agreement in force when it was made, and a deadline is reckoned under
the agreement in force when the next update came (or now, if none has).

Pure: plain facts and ``now`` in, the weeks out; ``pages.selectors.dashboard_facts`` reads
the facts.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from contacts import sla

WEEKS = 12
# How far before the first week the contacts are read: the update before the first week
# starts the chain. A case whose agreed interval is longer is judged from its first update
# read, and the episode before it is not counted.
LOOKBACK_DAYS = 56


@dataclass(frozen=True)
class AgreementSpell:
    """One version of the agreement, from when it took effect."""

    since: datetime
    terms: sla.Terms


@dataclass(frozen=True)
class CaseRecord:
    clock_started_at: datetime
    agreements: tuple[AgreementSpell, ...]  # any order
    contacts: tuple[sla.Contact, ...]  # any order


@dataclass(frozen=True)
class Week:
    starts_on: date
    on_time: int
    late: int

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> int | None:
        """The share on time, as a whole percentage (rounded down, so 99.6% is not 100%)."""
        return None if not self.total else self.on_time * 100 // self.total


def _terms_at(spells: Sequence[AgreementSpell], moment: datetime) -> sla.Terms | None:
    """The agreement in force at ``moment``: the latest to take effect by then."""
    current = None
    for spell in spells:
        if spell.since <= moment:
            current = spell.terms
    return current


def settled(
    case: CaseRecord, *, now: datetime, since: datetime | None = None
) -> list[tuple[datetime, bool]]:
    """Each update due on ``case`` that is settled by ``now``: (when, on time).

    Those settled before ``since`` may be left out (a long silence is not walked through
    interval by interval where nobody will count it).
    """
    spells = sorted(case.agreements, key=lambda spell: spell.since)
    updates = sorted(
        contact.at
        for contact in case.contacts
        if contact.at <= now
        and (terms := _terms_at(spells, contact.at)) is not None
        and sla.counts_as_update(contact, terms)
    )
    results: list[tuple[datetime, bool]] = []
    base = case.clock_started_at
    position = 0
    while True:
        while position < len(updates) and updates[position] <= base:
            position += 1
        following = updates[position] if position < len(updates) else None
        # Judged by the agreement in force when the next update came (or now, if none has),
        # as the clock judged it then.
        terms = _terms_at(spells, following or now)
        if terms is None:
            break
        due_at, overdue_at = sla.update_deadlines(base, terms)
        if following is not None and following < overdue_at:
            results.append((following, True))
            base = following
            continue
        # Missed: one update late for each interval that passes without one, until one
        # comes. That one ends the wait; it was late, so it is not counted on time.
        while overdue_at <= now and (following is None or following >= overdue_at):
            if since is not None and overdue_at < since - timedelta(days=terms.interval_days):
                due_at, overdue_at = _skip_to(due_at, since, terms)
                continue
            results.append((overdue_at, False))
            due_at, overdue_at = sla.update_deadlines(due_at, terms)
        if following is None:
            break
        base = following
    return [result for result in results if since is None or result[0] >= since]


def _skip_to(due_at: datetime, since: datetime, terms: sla.Terms) -> tuple[datetime, datetime]:
    """The missed update due last before ``since``, reached in one step, not interval by
    interval (the deadlines are the clock's, so windows and clock changes still hold)."""
    intervals = max(1, (since - due_at).days // terms.interval_days - 1)
    return sla.update_deadlines(
        due_at, replace(terms, interval_days=terms.interval_days * intervals)
    )


def first_week(now: datetime, weeks: int = WEEKS) -> date:
    """The Monday the first of ``weeks`` weeks begins, the last being the current one."""
    today = sla.local_date(now)
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


def weekly(cases: Iterable[CaseRecord], *, now: datetime, weeks: int = WEEKS) -> tuple[Week, ...]:
    """Updates on time and late in each of the last ``weeks`` weeks, oldest first."""
    start = first_week(now, weeks)
    since = sla.start_of_local_day(start)
    on_time = [0] * weeks
    late = [0] * weeks
    for case in cases:
        for at, kept in settled(case, now=now, since=since):
            index = (sla.local_date(at) - start).days // 7
            if 0 <= index < weeks:
                if kept:
                    on_time[index] += 1
                else:
                    late[index] += 1
    return tuple(
        Week(starts_on=start + timedelta(days=7 * i), on_time=on_time[i], late=late[i])
        for i in range(weeks)
    )
