"""The update clock: is a victim due, or overdue, the update they asked for?

A pure function over plain data and an explicit ``now``. Nothing here touches the database
or reads the system clock, so the same inputs always give the same answer and a sweep can
recompute any case at any moment. All datetimes must be aware; results are returned in UTC
so that callers never hit Python's same-tzinfo "wall clock" subtraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from cases.choices import CaseStatus
from contacts.choices import (
    WRITTEN_CHANNELS,
    AvoidFlag,
    Channel,
    Direction,
    Outcome,
    Place,
    UpdateGiven,
)

LONDON = ZoneInfo("Europe/London")

# Victims' Code: enhanced-rights victims must be told of key decisions within one working
# day, everyone else within five.
ENHANCED_WORKING_DAYS = 1
STANDARD_WORKING_DAYS = 5

_TWO_WAY = frozenset({Outcome.REACHED, Outcome.VICTIM_GOT_IN_TOUCH})
_REAL_UPDATES = frozenset({UpdateGiven.NEWS, UpdateGiven.NO_NEWS_ACTIVE})
# Agreed windows repeat weekly, so two weeks always reaches an opening, even when a window
# vanishes into the spring-forward gap on one Sunday.
_WINDOW_SEARCH_DAYS = 15


@dataclass(frozen=True)
class Window:
    """One agreed contact window, in Europe/London wall-clock time."""

    weekdays: frozenset[int]  # 0 = Monday ... 6 = Sunday
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("a window needs weekdays between 0 (Monday) and 6 (Sunday)")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("window times are London wall-clock times, without a tzinfo")
        if self.end <= self.start:
            raise ValueError("a window must end after it starts; overnight windows are split")


@dataclass(frozen=True)
class Terms:
    """The case's current communication agreement, as the clock needs it."""

    interval_days: int
    channels: tuple[Channel, ...]  # in order of preference, first = preferred
    windows: tuple[Window, ...] = ()  # empty = any time of any day
    avoid: frozenset[AvoidFlag] = frozenset()
    unsafe_channel: Channel | None = None
    review_by: date | None = None

    def __post_init__(self) -> None:
        if self.interval_days < 1:
            raise ValueError("the update interval must be at least one day")


@dataclass(frozen=True)
class Contact:
    """One logged check-in."""

    at: datetime
    channel: Channel
    direction: Direction
    outcome: Outcome
    update_given: UpdateGiven
    place: Place = Place.REMOTE
    number_withheld: bool = False


@dataclass(frozen=True)
class KeyDecision:
    """A case event marked as a key decision the victim must be told of."""

    event_id: int
    label: str
    at: datetime
    told_at: datetime | None


class ClockState(StrEnum):
    ON_TRACK = "on_track"
    DUE = "due"
    OVERDUE = "overdue"
    PAUSED = "paused"
    CLOSED = "closed"
    NO_AGREEMENT = "no_agreement"


@dataclass(frozen=True)
class LateDecision:
    event_id: int
    label: str
    deadline: datetime


@dataclass(frozen=True)
class Clock:
    state: ClockState
    last_update_at: datetime | None
    due_at: datetime | None
    overdue_at: datetime | None
    overdue_by: timedelta
    escalate: bool
    decision_deadline: datetime | None
    late_decisions: tuple[LateDecision, ...]
    review_overdue: bool
    next_look_at: datetime | None
    sentence: str


# --- London time -------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    # Normalising to UTC up front sidesteps PEP 495's inter-zone equality quirk for times in
    # the autumn fold, and makes subtraction mean elapsed time.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the update clock needs aware datetimes")
    return moment.astimezone(UTC)


def _london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


# Pure, and asked again and again for the same days and windows (every case's window opens
# and closes at the same few times, every deadline ends at a midnight): worth remembering.
@lru_cache(maxsize=16384)
def _london_instant(day: date, wall: time) -> datetime:
    """The UTC instant at which London clocks show ``wall`` on ``day``.

    An ambiguous time (clocks going back) means its first occurrence, so nothing is ever
    late. A time that does not exist (clocks going forward) means the first instant after
    the gap, i.e. the moment the clocks jump.
    """
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    after = naive.replace(tzinfo=LONDON).astimezone(UTC)
    if after.astimezone(LONDON).replace(tzinfo=None) == naive:
        return after
    # In a gap zoneinfo reads fold=0 with the old offset (landing after the jump) and fold=1
    # with the new one (landing before it), so the jump lies between the two.
    before = naive.replace(tzinfo=LONDON, fold=1).astimezone(UTC)
    new_offset = after.astimezone(LONDON).utcoffset()
    lo, hi = int(before.timestamp()), int(after.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, LONDON).utcoffset() == new_offset:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def _add_london_days(moment: datetime, days: int) -> datetime:
    # "Every 2 days" means the same time on the London clock, whatever DST did meanwhile.
    local = moment.astimezone(LONDON)
    return _london_instant(local.date() + timedelta(days=days), local.time())


def _end_of_london_day(day: date) -> datetime:
    return _london_instant(day + timedelta(days=1), time(0))


def _day_spans(day: date, windows: Iterable[Window]) -> tuple[tuple[datetime, datetime], ...]:
    """The day's windows as UTC [open, close) spans, overlapping or touching ones merged."""
    return _day_spans_of(day, tuple(windows))


@lru_cache(maxsize=4096)
def _day_spans_of(day: date, windows: tuple[Window, ...]) -> tuple[tuple[datetime, datetime], ...]:
    spans = sorted(
        (_london_instant(day, w.start), _london_instant(day, w.end))
        for w in windows
        if day.weekday() in w.weekdays
    )
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes in spans:
        if opens >= closes:  # swallowed whole by the spring-forward gap
            continue
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


def is_within_windows(moment: datetime, windows: Sequence[Window]) -> bool:
    """Whether ``moment`` falls in an agreed window; no windows means any time is fine."""
    if not windows:
        return True
    at = _utc(moment)
    return any(opens <= at < closes for opens, closes in _day_spans(_london_date(at), windows))


def _due_and_overdue(target: datetime, windows: Sequence[Window]) -> tuple[datetime, datetime]:
    if not windows:
        return target, _end_of_london_day(_london_date(target))
    first_day = _london_date(target)
    for offset in range(_WINDOW_SEARCH_DAYS):
        for opens, closes in _day_spans(first_day + timedelta(days=offset), windows):
            if closes > target:
                return max(opens, target), closes
    raise RuntimeError("no contact window opens within two weeks")  # pragma: no cover


def local_date(moment: datetime) -> date:
    """The UK calendar date of ``moment``."""
    return _london_date(_utc(moment))


def start_of_local_day(day: date) -> datetime:
    """The first moment of ``day`` on UK clocks, in UTC."""
    return _london_instant(day, time(0))


def update_deadlines(last_update_at: datetime, terms: Terms) -> tuple[datetime, datetime]:
    """When the next update is due after one given at ``last_update_at`` (or, with none yet,
    after the clock started), and when it is overdue, as the clock reckons them."""
    return _due_and_overdue(
        _add_london_days(_utc(last_update_at), terms.interval_days), terms.windows
    )


# --- Working days --------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_day_deadline(at: datetime, working_days: int) -> datetime:
    """The end (London midnight) of the ``working_days``-th working day after ``at``."""
    if working_days < 1:
        raise ValueError("a deadline needs at least one working day")
    day = _london_date(_utc(at))
    remaining = working_days
    while remaining:
        day += timedelta(days=1)
        if _is_working_day(day):
            remaining -= 1
    return _end_of_london_day(day)


# --- What the victim agreed ----------------------------------------------------------------


def _on_agreed_safe_channel(contact: Contact, terms: Terms) -> bool:
    return contact.channel in terms.channels and contact.channel != terms.unsafe_channel


def counts_as_update(contact: Contact, terms: Terms) -> bool:
    """Whether this contact gave the victim the update the agreement promises."""
    if contact.outcome in _TWO_WAY:
        # "No news, but we are still working on it" is exactly what the victim asked for.
        return contact.update_given in _REAL_UPDATES
    if contact.outcome != Outcome.MESSAGE_LEFT or contact.update_given == UpdateGiven.NONE:
        return False
    if contact.channel in WRITTEN_CHANNELS:
        return _on_agreed_safe_channel(contact, terms)
    if contact.channel == Channel.PHONE_CALL:
        return AvoidFlag.NO_VOICEMAIL not in terms.avoid and _on_agreed_safe_channel(contact, terms)
    return False


def _channel_words(channel: Channel) -> str:
    return str(Channel(channel).label).lower()


def _weekday_time(moment: datetime) -> str:
    """A moment as people read it: "Friday 6 November 11:20"; midnight is the end of a day.

    The date is always given: a weekday alone reads as this week's.
    """
    local = moment.astimezone(LONDON)
    if local.time() == time(0, 0):
        day = local.date() - timedelta(days=1)
        return f"the end of {day:%A} {day.day} {day:%B}"
    return f"{local:%A} {local.day} {local:%B %H:%M}"


def _day(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B}"


def agreement_breaches(contact: Contact, terms: Terms) -> tuple[str, ...]:
    """Plain reasons this contact went against the agreement; empty if it did not."""
    if contact.direction != Direction.OUTBOUND:
        return ()  # the victim may reach us however and whenever they choose
    reasons: list[str] = []
    if terms.unsafe_channel is not None and contact.channel == terms.unsafe_channel:
        reasons.append(f"used the channel marked unsafe: {_channel_words(contact.channel)}")
    if contact.channel not in terms.channels:
        reasons.append(f"used a channel not in the agreement: {_channel_words(contact.channel)}")
    if terms.windows and not is_within_windows(contact.at, terms.windows):
        reasons.append(f"outside the agreed contact windows ({_weekday_time(contact.at)})")
    if contact.place == Place.POLICE_STATION and AvoidFlag.NOT_AT_POLICE_STATION in terms.avoid:
        reasons.append("met at a police station, which the victim ruled out")
    if (
        contact.outcome == Outcome.MESSAGE_LEFT
        and contact.channel == Channel.PHONE_CALL
        and AvoidFlag.NO_VOICEMAIL in terms.avoid
    ):
        reasons.append("left a voicemail, which the victim ruled out")
    if contact.number_withheld and AvoidFlag.NO_WITHHELD_NUMBER in terms.avoid:
        reasons.append("called from a withheld number, which the victim ruled out")
    return tuple(reasons)


# --- The clock -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Untold:
    event_id: int
    label: str
    deadline: datetime


def _untold_decisions(
    key_decisions: Sequence[KeyDecision], working_days: int, now: datetime
) -> list[_Untold]:
    untold = [
        _Untold(d.event_id, d.label, working_day_deadline(d.at, working_days))
        for d in key_decisions
        # A decision dated after now has not happened yet; a "told" after now has not either.
        if _utc(d.at) <= now and (d.told_at is None or _utc(d.told_at) > now)
    ]
    return sorted(untold, key=lambda d: (d.deadline, d.event_id))


def _future_inputs(
    terms: Terms | None, contacts: Sequence[Contact], key_decisions: Sequence[KeyDecision]
) -> list[datetime]:
    # Inputs dated after now take effect when now reaches them, so they are change points too.
    moments: list[datetime] = []
    for d in key_decisions:
        at = _utc(d.at)
        if d.told_at is None:
            moments.append(at)
        elif _utc(d.told_at) > at:  # told at once, it never shows as untold
            moments += [at, _utc(d.told_at)]
    if terms is not None:
        moments += [_utc(c.at) for c in contacts if counts_as_update(c, terms)]
    return moments


def _decisions_noun(decisions: Sequence[object]) -> str:
    return "a key decision" if len(decisions) == 1 else "key decisions"


def _end_of(deadline: datetime) -> str:
    day = _london_date(deadline) - timedelta(days=1)
    return f"the end of {day:%A} {day.day} {day:%B}"


def _late_words(late: Sequence[_Untold] | Sequence[LateDecision]) -> str:
    items = " and ".join(f"{d.label.lower()} (due by {_end_of(d.deadline)})" for d in late)
    return f"the victim has not been told of {_decisions_noun(late)}: {items}"


def untold_sentence(late: Sequence[LateDecision]) -> str:
    """One sentence naming the key decisions the victim has not been told of, and by when."""
    words = _late_words(late)
    return f"{words[0].upper()}{words[1:]}."


def _decision_words(decisions: Sequence[_Untold], now: datetime) -> str:
    late = [d for d in decisions if d.deadline <= now]
    pending = [d for d in decisions if d.deadline > now]
    parts: list[str] = []
    if late:
        parts.append(_late_words(late))
    if pending:
        items = " and ".join(f"{d.label.lower()} by {_end_of(d.deadline)}" for d in pending)
        parts.append(f"the victim must be told of {_decisions_noun(pending)}: {items}")
    return "; ".join(parts)


# Channels whose label already reads as a route ("through the navigator") take no "by".
_ROUTE_CHANNELS = frozenset({Channel.VIA_NAVIGATOR, Channel.VIA_NGO})


def _terms_words(terms: Terms) -> str:
    every = "every day" if terms.interval_days == 1 else f"every {terms.interval_days} days"
    if not terms.channels:
        return every
    channel = terms.channels[0]
    words = _channel_words(channel).replace("ngo", "NGO")
    return f"{every} {words}" if channel in _ROUTE_CHANNELS else f"{every} by {words}"


def _sentence(
    state: ClockState,
    terms: Terms | None,
    last_update_at: datetime | None,
    due_at: datetime | None,
    overdue_at: datetime | None,
    decisions: Sequence[_Untold],
    now: datetime,
) -> str:
    if state == ClockState.CLOSED:
        return "Closed: no updates are due."
    if state == ClockState.PAUSED:
        return "Paused at the victim's request: no updates are due."
    told = _decision_words(decisions, now)
    if terms is None or due_at is None or overdue_at is None:
        return _join("No communication agreement: agree one with the victim", told)
    last = f"last update {_weekday_time(last_update_at)}" if last_update_at else "no update yet"
    agreed = _terms_words(terms)
    if state == ClockState.ON_TRACK:
        return f"On track: next update due {_weekday_time(due_at)}, {agreed}."
    if now >= overdue_at:
        return _join(f"Overdue since {_weekday_time(overdue_at)}: {agreed}, {last}", told)
    due_day = _day(due_at)
    if state == ClockState.OVERDUE:  # only a late key decision makes it overdue here
        interval = f"an update is also due {due_day}: {agreed}, {last}" if now >= due_at else ""
        return _join(f"Overdue: {told}", interval)
    if now >= due_at:
        return _join(f"Due {due_day}: {agreed}, {last}", told)
    return f"Due: {told}."


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part) + "."


def compute_clock(
    *,
    terms: Terms | None,
    status: CaseStatus,
    contacts: Sequence[Contact],
    key_decisions: Sequence[KeyDecision],
    started_at: datetime,
    enhanced_rights: bool = True,
    now: datetime,
) -> Clock:
    """Where the case stands against the victim's agreement and the Victims' Code at ``now``."""
    now = _utc(now)
    last_update_at = None
    if terms is not None:
        updates = [_utc(c.at) for c in contacts if counts_as_update(c, terms)]
        last_update_at = max((at for at in updates if at <= now), default=None)

    if status in (CaseStatus.CLOSED, CaseStatus.PAUSED):
        # The victim asked for silence, or the case is over: nothing is due, nothing pending.
        state = ClockState.CLOSED if status == CaseStatus.CLOSED else ClockState.PAUSED
        return Clock(
            state=state,
            last_update_at=last_update_at,
            due_at=None,
            overdue_at=None,
            overdue_by=timedelta(0),
            escalate=False,
            decision_deadline=None,
            late_decisions=(),
            review_overdue=False,
            next_look_at=None,
            sentence=_sentence(state, terms, None, None, None, (), now),
        )

    working_days = ENHANCED_WORKING_DAYS if enhanced_rights else STANDARD_WORKING_DAYS
    untold = _untold_decisions(key_decisions, working_days, now)
    late = tuple(LateDecision(d.event_id, d.label, d.deadline) for d in untold if d.deadline <= now)
    change_points = [d.deadline for d in untold]
    change_points += _future_inputs(terms, contacts, key_decisions)

    due_at = overdue_at = None
    overdue_by = timedelta(0)
    escalate = review_overdue = False
    if terms is None:
        state = ClockState.NO_AGREEMENT
    else:
        base = last_update_at or _utc(started_at)
        due_at, overdue_at = update_deadlines(base, terms)
        escalate_at = _add_london_days(overdue_at, terms.interval_days)
        change_points += [due_at, overdue_at, escalate_at]
        if now >= overdue_at:
            overdue_by = now - overdue_at
        escalate = now >= escalate_at
        if terms.review_by is not None:
            review_overdue = terms.review_by < _london_date(now)
            change_points.append(_end_of_london_day(terms.review_by))
        if now >= overdue_at or late:
            state = ClockState.OVERDUE
        elif now >= due_at or untold:
            state = ClockState.DUE
        else:
            state = ClockState.ON_TRACK

    return Clock(
        state=state,
        last_update_at=last_update_at,
        due_at=due_at,
        overdue_at=overdue_at,
        overdue_by=overdue_by,
        escalate=escalate,
        decision_deadline=untold[0].deadline if untold else None,
        late_decisions=late,
        review_overdue=review_overdue,
        next_look_at=min((m for m in change_points if m > now), default=None),
        sentence=_sentence(state, terms, last_update_at, due_at, overdue_at, untold, now),
    )
