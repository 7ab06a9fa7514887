"""Today: a navigator's cases in the order they need doing, each saying why in words.

Key decisions the victim has not been told of come first, on their own: the Victims' Code
gives a day to tell them. Then each case once, under the first heading that fits:

1. **Overdue**: the victim has not had the update they agreed (or a key decision is late).
2. **Due today**: the update falls due before the day ends.
3. **Early warning**: signs the victim may be losing trust or drifting away (the heavier
   level first), a promise overdue, an agreement broken or due for review.
4. **Coming up**: an update, an event, a promise or a date that matters, in the next days.

Everything else is on track and only counted. Pure: plain facts and ``now`` in, the plan
out; ``pages.selectors.today_facts`` reads the facts.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from alerts.choices import AlertKind
from pages import words

COMING_UP_DAYS = 7
# Alerts the update clock raises; the others are early warnings.
CLOCK_KINDS = frozenset(
    {AlertKind.UPDATE_OVERDUE, AlertKind.UPDATE_DUE, AlertKind.KEY_DECISION_NOT_TOLD}
)
_LEVEL_ORDER = {"high": 0, "watch": 1}


class Section(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    EARLY_WARNING = "early_warning"
    COMING_UP = "coming_up"


SECTION_HEADINGS = {
    Section.OVERDUE: "Overdue",
    Section.DUE_TODAY: "Due today",
    Section.EARLY_WARNING: "Early warning",
    Section.COMING_UP: "Coming up",
}
SECTION_INTROS = {
    Section.OVERDUE: "These victims have not had the update they agreed.",
    Section.DUE_TODAY: "Their update falls due before the end of today.",
    Section.EARLY_WARNING: "Signs a victim may be losing trust or drifting away.",
    Section.COMING_UP: f"In the next {COMING_UP_DAYS} days.",
}


@dataclass(frozen=True)
class AlertFact:
    kind: str
    severity: int
    summary: str
    level: str = ""  # for an early-warning alert: "watch" or "high"
    reasons: tuple[str, ...] = ()  # for an early-warning alert: each signal's reason
    # An early-warning alert whose signs have stopped, waiting to be sure before it clears.
    settling: bool = False


@dataclass(frozen=True)
class Upcoming:
    at: datetime
    what: str  # "Interview", "Promise “call back about the hearing” due", "Birthday"
    all_day: bool = False  # a date that matters, not a moment

    def words(self, *, now: datetime) -> str:
        if self.all_day:
            day = words.day_words(words.local(self.at).date(), today=words.local(now).date())
            return f"{self.what} {day}"
        return f"{self.what} {words.when_words(self.at, now=now)}"


@dataclass(frozen=True)
class CaseFacts:
    reference: str
    name: str
    navigator: str
    clock_state: str
    update_due_at: datetime | None
    how_to_contact: str  # the agreement in one line; "" with no agreement
    alerts: tuple[AlertFact, ...] = ()
    upcoming: tuple[Upcoming, ...] = ()


@dataclass(frozen=True)
class UntoldDecision:
    reference: str
    name: str
    what: str  # "suspect's bail or release"
    happened_at: datetime
    deadline: datetime


@dataclass(frozen=True)
class DecisionLine:
    reference: str
    name: str
    sentence: str
    late: bool


@dataclass(frozen=True)
class Card:
    reference: str
    name: str
    navigator: str
    section: Section
    why: tuple[str, ...]
    how_to_contact: str
    early_warning_level: str = ""
    warnings: tuple[str, ...] = ()  # each early-warning signal's reason
    # The signs above have stopped (say, the victim was prepared for what is coming); the
    # alert clears once they stay away long enough.
    warnings_stopped: bool = False
    coming_up: tuple[str, ...] = ()
    severity: int = 0


@dataclass(frozen=True)
class Plan:
    decisions: tuple[DecisionLine, ...]
    sections: tuple[tuple[Section, tuple[Card, ...]], ...]
    on_track: int
    total: int = field(default=0)


def _end_of_today(now: datetime) -> datetime:
    today = words.local(now).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=words.LONDON)


def decision_line(decision: UntoldDecision, *, now: datetime) -> DecisionLine:
    late = decision.deadline <= now
    happened = words.day_words(
        words.local(decision.happened_at).date(), today=words.local(now).date()
    )
    deadline = words.when_words(decision.deadline, now=now)
    if late:
        timing = f"it was due by {deadline} and is late"
    else:
        timing = f"the Victims' Code gives until {deadline}"
    sentence = f"Tell {decision.name} of the {decision.what} ({happened}): {timing}."
    return DecisionLine(decision.reference, decision.name, sentence, late)


def _section(case: CaseFacts, *, now: datetime) -> Section | None:
    if case.clock_state == "overdue":
        return Section.OVERDUE
    due_today = case.update_due_at is not None and case.update_due_at < _end_of_today(now)
    if case.clock_state == "due" or due_today:
        return Section.DUE_TODAY
    if any(alert.kind not in CLOCK_KINDS for alert in case.alerts):
        return Section.EARLY_WARNING
    if _coming_up(case, now=now):
        return Section.COMING_UP
    return None


def _coming_up(case: CaseFacts, *, now: datetime) -> list[Upcoming]:
    horizon = now + timedelta(days=COMING_UP_DAYS)
    start_of_today = words.start_of_day(words.local(now).date())
    items = [
        item
        for item in case.upcoming
        if (start_of_today if item.all_day else now) <= item.at <= horizon
    ]
    if case.update_due_at is not None and now <= case.update_due_at <= horizon:
        items.append(Upcoming(case.update_due_at, "Next update due"))
    return sorted(items, key=lambda item: item.at)


def _why(case: CaseFacts, section: Section, *, now: datetime) -> list[str]:
    """Why the case is here: the clock's sentence, then other alerts (signals apart)."""
    lines: list[str] = []
    clock = [a for a in case.alerts if a.kind in CLOCK_KINDS]
    for alert in sorted(clock, key=lambda a: -a.severity):
        lines.append(alert.summary)
    if section == Section.DUE_TODAY and not clock and case.update_due_at is not None:
        lines.append(f"Next update due {words.when_words(case.update_due_at, now=now)}.")
    if section == Section.OVERDUE and not clock:
        lines.append("Overdue: the agreed update has not been given.")
    lines += [a.summary for a in case.alerts if a.kind not in CLOCK_KINDS and not a.reasons]
    return _unique(lines)


def _warnings(case: CaseFacts) -> tuple[str, ...]:
    reasons = [reason for alert in case.alerts for reason in alert.reasons]
    return tuple(words.capitalise(reason) + "." for reason in _unique(reasons))


def _warnings_stopped(case: CaseFacts) -> bool:
    warning = [alert for alert in case.alerts if alert.reasons]
    return bool(warning) and all(alert.settling for alert in warning)


def _unique(lines: Iterable[str]) -> list[str]:
    """The lines in order, each once (an alert can repeat the clock's sentence)."""
    return list(dict.fromkeys(lines))


def _level(case: CaseFacts) -> str:
    return next((a.level for a in case.alerts if a.level), "")


def _sort_key(card: Card, case: CaseFacts, *, now: datetime) -> tuple[object, ...]:
    far = datetime.max.replace(tzinfo=words.LONDON)
    due = case.update_due_at or far
    if card.section == Section.OVERDUE:
        return (-card.severity, due, card.reference)
    if card.section == Section.DUE_TODAY:
        return (due, card.reference)
    if card.section == Section.EARLY_WARNING:
        return (_LEVEL_ORDER.get(card.early_warning_level, 2), -card.severity, card.reference)
    first = _coming_up(case, now=now)
    return (first[0].at if first else far, card.reference)


def plan(cases: Sequence[CaseFacts], decisions: Sequence[UntoldDecision], *, now: datetime) -> Plan:
    """Today's plan: key decisions to tell, then each case once under the first heading."""
    grouped: dict[Section, list[tuple[Card, CaseFacts]]] = {section: [] for section in Section}
    on_track = 0
    for case in cases:
        section = _section(case, now=now)
        if section is None:
            on_track += 1
            continue
        card = Card(
            reference=case.reference,
            name=case.name,
            navigator=case.navigator,
            section=section,
            why=tuple(_why(case, section, now=now)),
            how_to_contact=case.how_to_contact,
            early_warning_level=_level(case),
            warnings=_warnings(case),
            warnings_stopped=_warnings_stopped(case),
            coming_up=tuple(item.words(now=now) for item in _coming_up(case, now=now)),
            severity=max((a.severity for a in case.alerts), default=0),
        )
        grouped[section].append((card, case))
    sections = tuple(
        (
            section,
            tuple(
                card
                for card, _ in sorted(
                    grouped[section], key=lambda pair: _sort_key(pair[0], pair[1], now=now)
                )
            ),
        )
        for section in Section
    )
    lines = tuple(
        decision_line(d, now=now)
        for d in sorted(decisions, key=lambda d: (d.deadline, d.reference))
    )
    return Plan(decisions=lines, sections=sections, on_track=on_track, total=len(cases))


def next_occurrence(day: date, *, every_year: bool, today: date) -> date | None:
    """The next time a date that matters comes round, on or after ``today``; a one-off date
    already past has none. 29 February is kept on 28 February in other years."""
    if not every_year:
        return day if day >= today else None
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February outside a leap year
            candidate = date(year, 2, 28)
        if candidate >= today:
            return candidate
    return None  # pragma: no cover - next year's always is
