"""Early warning that a victim may be losing trust in, or drifting away from, the investigation.

Navigators can tell when a victim is starting to lose trust or engagement, and acting early is
what keeps a victim in. This module turns that judgement into explicit, reviewable rules: pure
functions over plain facts and an explicit ``now``, so that every warning can be explained to the
navigator (a reason in plain words) and audited later (the facts behind it).

It never reads the clock, the database or Django settings: callers build a ``CaseHistory`` from
their models and pass ``now``, which keeps the rules testable at their exact boundaries.

The history deliberately carries no personal characteristics (sex, age, nationality...): a
warning must come from what happened on the case, never from who the victim is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from cases.choices import EventKind, NrmDecision, PocRole
from contacts.choices import (
    TWO_WAY_OUTCOMES,
    Concern,
    Direction,
    Outcome,
    PromiseStatus,
    UpdateGiven,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "DEFAULT_WEIGHTS",
    "SIGNAL_CODES",
    "Assessment",
    "CaseHistory",
    "ConcernResponse",
    "ContactFact",
    "EventFact",
    "Level",
    "PocChange",
    "PromiseFact",
    "Signal",
    "Thresholds",
    "assess",
    "level_for",
    "next_change_at",
]

# The order is also the tie-break when two fired signals weigh the same, so it runs roughly from
# "the victim has stopped talking to us" to "something around the victim has changed".
SIGNAL_CODES: tuple[str, ...] = (
    "unanswered_attempts",
    "no_two_way_contact",
    "wellbeing_falling",
    "wants_to_withdraw",
    "safety_fear_unanswered",
    "promise_broken",
    "declined_in_row",
    "poc_changed_without_introduction",
    "many_people",
    "interpreter_changed",
    "tipping_point_unprepared",
    "negative_outcome",
)

DEFAULT_WEIGHTS: Mapping[str, int] = MappingProxyType(
    {
        "unanswered_attempts": 3,
        "no_two_way_contact": 3,
        "wellbeing_falling": 2,
        "wants_to_withdraw": 4,
        # A fear for safety left unanswered is urgent on its own: it alone reaches HIGH (6).
        "safety_fear_unanswered": 6,
        "promise_broken": 2,
        "declined_in_row": 3,
        "poc_changed_without_introduction": 2,
        "many_people": 2,
        "interpreter_changed": 1,
        "tipping_point_unprepared": 3,
        "negative_outcome": 3,
    }
)

# Events where research says victims most often drop out if they meet them unprepared.
# Keyed by str (the choices are str enums, untyped without django-stubs) so raw values match too.
TIPPING_POINT_KINDS: frozenset[str] = frozenset(
    {
        EventKind.INTERVIEW,
        EventKind.COURT_HEARING,
        EventKind.CHARGING_DECISION,
        EventKind.NRM_DECISION,
    }
)

_UNANSWERED_OUTCOMES = frozenset({Outcome.NO_ANSWER, Outcome.MESSAGE_LEFT})

# Our own words rather than the choice labels, so reasons read mid-sentence ("a court hearing").
_EVENT_WORDS: Mapping[str, str] = MappingProxyType(
    {
        EventKind.INTERVIEW: "interview",
        EventKind.COURT_HEARING: "court hearing",
        EventKind.CHARGING_DECISION: "charging decision",
        EventKind.NRM_DECISION: "NRM decision",
    }
)
_ROLE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        PocRole.POLICE: "police",
        PocRole.NAVIGATOR: "navigator",
        PocRole.NGO_CASEWORKER: "NGO caseworker",
    }
)


def _require_aware(value: datetime, name: str) -> None:
    # Comparing naive and aware datetimes fails late and obscurely, and a naive time silently
    # shifts every window by the server's UTC offset: refuse it at the door.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _require_score(value: int | None, name: str) -> None:
    if value is not None and not 1 <= value <= 5:
        raise ValueError(f"{name} must be between 1 and 5, got {value}")


# --- Facts in ---------------------------------------------------------------------------------
# Enum fields are coerced in __post_init__ so callers may pass raw stored values ("reached") and
# an unknown value fails loudly here instead of silently never matching a rule.


@dataclass(frozen=True)
class ContactFact:
    """One logged check-in."""

    id: int
    at: datetime
    by_person_id: int  # the member of staff who made or took the contact
    direction: Direction
    outcome: Outcome
    update_given: UpdateGiven
    wellbeing: int | None = None  # 1..5
    trust: int | None = None  # 1..5
    concerns: frozenset[Concern] = frozenset()
    interpreter: str = ""  # who interpreted ("" = none used)

    def __post_init__(self) -> None:
        _require_aware(self.at, "ContactFact.at")
        _require_score(self.wellbeing, "wellbeing")
        _require_score(self.trust, "trust")
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        object.__setattr__(self, "update_given", UpdateGiven(self.update_given))
        object.__setattr__(self, "concerns", frozenset(Concern(c) for c in self.concerns))

    @property
    def two_way(self) -> bool:
        return self.outcome in TWO_WAY_OUTCOMES


@dataclass(frozen=True)
class ConcernResponse:
    """An action logged against a concern raised in a contact."""

    contact_id: int  # the contact in which the concern was raised
    at: datetime

    def __post_init__(self) -> None:
        _require_aware(self.at, "ConcernResponse.at")


@dataclass(frozen=True)
class PromiseFact:
    id: int
    description: str
    due_by: datetime
    status: PromiseStatus
    resolved_at: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware(self.due_by, "PromiseFact.due_by")
        if self.resolved_at is not None:
            _require_aware(self.resolved_at, "PromiseFact.resolved_at")
        object.__setattr__(self, "status", PromiseStatus(self.status))


@dataclass(frozen=True)
class PocChange:
    """A point of contact taking over a role on the case."""

    role: PocRole
    person_id: int
    started_at: datetime
    had_predecessor: bool
    introduced_by_predecessor: bool

    def __post_init__(self) -> None:
        _require_aware(self.started_at, "PocChange.started_at")
        object.__setattr__(self, "role", PocRole(self.role))


@dataclass(frozen=True)
class EventFact:
    """A scheduled or past case event (a possible tipping point)."""

    id: int
    kind: EventKind
    at: datetime
    victim_prepared: bool
    partners_told: bool

    def __post_init__(self) -> None:
        _require_aware(self.at, "EventFact.at")
        object.__setattr__(self, "kind", EventKind(self.kind))


@dataclass(frozen=True)
class CaseHistory:
    """Everything a signal may look at. It deliberately carries NO personal characteristics."""

    contacts: tuple[ContactFact, ...]  # in any order; the module sorts
    interval_days: int | None  # the agreed update interval, None with no agreement
    concern_responses: tuple[ConcernResponse, ...] = ()
    promises: tuple[PromiseFact, ...] = ()
    poc_changes: tuple[PocChange, ...] = ()
    events: tuple[EventFact, ...] = ()
    nrm_decisions: tuple[tuple[NrmDecision, date], ...] = ()  # RG/CG decisions with their dates
    support_ended_on: date | None = None


# --- Rules' knobs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Every knob of the rules. Settings can override any field; each default is explained.

    Windows are inclusive at both ends: "within N days" means at or after ``now - N days`` and at
    or before ``now`` (for dated facts: on or after ``today - N days``). Counts are "at least N".
    """

    # Fires when the newest contacts form a run of at least this many outbound attempts that
    # ended NO_ANSWER or MESSAGE_LEFT. Three is past "busy today" but well before weeks of silence.
    unanswered_in_row: int = 3
    # Fires when the last two-way contact is MORE than this many agreed intervals ago (exactly
    # 2 x interval is still quiet). One missed interval is ordinary; two is drift.
    silence_interval_multiple: int = 2
    # Fires when the mean of the last three wellbeing (or trust) scores is AT LEAST this far below
    # the mean of the three before. One whole point on a 1..5 scale is a real change, not noise.
    score_drop: float = 1.0
    # A safety fear needs a response (two-way contact or an action logged against it) at or before
    # raised_at + this many hours; fires from that moment on until any response exists.
    safety_response_hours: int = 24
    # Fires when the newest contacts form a run of at least this many DECLINED outcomes.
    declined_in_row: int = 2
    # A new point of contact who was not introduced by their predecessor counts while they
    # started within this many days: trust in a new face is built (or lost) in the first month.
    poc_change_days: int = 30
    # Fires when at least this many distinct members of staff made or took contacts within
    # many_contacts_days: victims describe "10 different officers" as a reason to give up.
    many_contacts_people: int = 3
    many_contacts_days: int = 21
    # An interview, hearing, charging or NRM decision at or after now and at or before now + this
    # many days, with the victim unprepared or partners not told, needs action this week.
    tipping_point_days: int = 7
    # A negative NRM decision or the end of support dated within this many days (on or after
    # today - N) is the moment victims most often walk away.
    negative_outcome_days: int = 14
    # Level boundaries on the summed weights: score >= watch_score is WATCH, >= high_score HIGH.
    watch_score: int = 2
    high_score: int = 6
    # Per-signal weights. A partial mapping is completed from DEFAULT_WEIGHTS; an unknown code is
    # rejected so a typo in settings cannot silently switch a signal's weight back to default.
    weights: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS), hash=False)
    # Added to the brief's fields: the "recent" window for wants_to_withdraw, promise_broken and
    # interpreter_changed, which the brief fixes at 30 days; a field so settings can tune it too.
    recent_days: int = 30

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(SIGNAL_CODES)
        if unknown:
            raise ValueError(f"unknown signal codes in weights: {sorted(unknown)}")
        object.__setattr__(self, "weights", MappingProxyType({**DEFAULT_WEIGHTS, **self.weights}))
        for name in ("unanswered_in_row", "declined_in_row", "many_contacts_people"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.watch_score > self.high_score:
            raise ValueError("watch_score must not be above high_score")


DEFAULT_THRESHOLDS = Thresholds()


# --- Result out ---------------------------------------------------------------------------------


class Level(StrEnum):
    NONE = "none"
    WATCH = "watch"
    HIGH = "high"


_LEVEL_WORDS: Mapping[Level, str] = MappingProxyType(
    {Level.NONE: "Below watch level", Level.WATCH: "Watch", Level.HIGH: "High"}
)


@dataclass(frozen=True)
class Signal:
    code: str  # stable identifier, one of SIGNAL_CODES
    weight: int
    reason: str  # plain words with the facts, e.g. "3 unanswered attempts in a row since ..."
    # JSON-serialisable (ids, counts, dates as ISO strings), so it can be stored with an alert.
    facts: Mapping[str, object] = field(hash=False)


@dataclass(frozen=True)
class Assessment:
    score: int
    level: Level
    signals: tuple[Signal, ...]  # heaviest first; ties in SIGNAL_CODES order

    def summary(self) -> str:
        """One sentence a navigator can read at a glance."""
        if not self.signals:
            return "No signs of disengagement."
        reasons = "; ".join(signal.reason for signal in self.signals)
        return f"{_LEVEL_WORDS[self.level]}: {reasons}."


def level_for(score: int, thresholds: Thresholds) -> Level:
    if score >= thresholds.high_score:
        return Level.HIGH
    if score >= thresholds.watch_score:
        return Level.WATCH
    return Level.NONE


# --- Wording ------------------------------------------------------------------------------------
# Times are shown in now's timezone: the caller passes now in the navigator's local time, and a
# reason that says 18:40 for a 19:40 call would undermine trust in every other warning.


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = now.date()

    def day(self, value: date) -> str:
        text = f"{value:%A} {value.day} {value:%B}"
        return text if value.year == self.today.year else f"{text} {value.year}"

    def local(self, value: datetime) -> datetime:
        return value.astimezone(self.now.tzinfo)

    def on(self, value: datetime) -> str:
        return self.day(self.local(value).date())

    def moment(self, value: datetime) -> str:
        local = self.local(value)
        return f"{self.day(local.date())} {local:%H:%M}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _mean(scores: Iterable[int]) -> float:
    values = list(scores)
    return round(sum(values) / len(values), 2)


# --- The rules ----------------------------------------------------------------------------------
# Each rule sees only facts at or before now (except tipping points, which are about the coming
# days), receives contacts already filtered and sorted oldest first, and returns a reason and
# facts when it fires, or None.

_Fired = tuple[str, dict[str, object]]


@dataclass(frozen=True)
class _View:
    history: CaseHistory
    contacts: tuple[ContactFact, ...]  # at or before now, oldest first
    now: datetime
    clock: _Clock
    t: Thresholds

    def since(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def newest_run(self, matches: Callable[[ContactFact], bool]) -> list[ContactFact]:
        """The newest contacts that all match, newest first."""
        run: list[ContactFact] = []
        for contact in reversed(self.contacts):
            if not matches(contact):
                break
            run.append(contact)
        return run


def _unanswered_attempts(v: _View) -> _Fired | None:
    # Only our own attempts count: an inbound call we missed says nothing about the victim's
    # willingness, and any two-way or inbound contact ends the run.
    run = v.newest_run(
        lambda c: c.direction == Direction.OUTBOUND and c.outcome in _UNANSWERED_OUTCOMES
    )
    if len(run) < v.t.unanswered_in_row:
        return None
    first = run[-1]
    return (
        f"{len(run)} unanswered attempts in a row since {v.clock.on(first.at)}",
        {
            "count": len(run),
            "contact_ids": [c.id for c in reversed(run)],
            "since": first.at.isoformat(),
        },
    )


def _no_two_way_contact(v: _View) -> _Fired | None:
    interval = v.history.interval_days
    if interval is None or interval <= 0:
        return None
    two_way = [c for c in v.contacts if c.two_way]
    if not two_way:
        # A new case has never had a two-way contact; the update clock covers it, and firing
        # here would flag every case on day one.
        return None
    last = two_way[-1]
    limit_days = v.t.silence_interval_multiple * interval
    silence = v.now - last.at
    if silence <= timedelta(days=limit_days):
        return None
    return (
        f"no two-way contact for {_plural(silence.days, 'day')} since {v.clock.on(last.at)} "
        f"(updates agreed every {_plural(interval, 'day')})",
        {
            "last_two_way_contact_id": last.id,
            "last_two_way_at": last.at.isoformat(),
            "days_since": silence.days,
            "interval_days": interval,
            "limit_days": limit_days,
        },
    )


def _wellbeing_falling(v: _View) -> _Fired | None:
    # Exact arithmetic: means of three integers are thirds, and a float comparison could put a
    # drop of exactly the threshold on the wrong side of it.
    needed = Fraction(str(v.t.score_drop))
    fell: dict[str, dict[str, object]] = {}
    for name in ("wellbeing", "trust"):
        scored = [(c.id, score) for c in v.contacts if (score := getattr(c, name)) is not None]
        if len(scored) < 6:
            continue
        before, after = scored[-6:-3], scored[-3:]
        drop = Fraction(sum(s for _, s in before) - sum(s for _, s in after), 3)
        if drop >= needed:
            fell[name] = {
                "before": _mean(s for _, s in before),
                "after": _mean(s for _, s in after),
                "contact_ids": [cid for cid, _ in scored[-6:]],
            }
    if not fell:
        return None
    parts = [f"{name} from {d['before']:.1f} to {d['after']:.1f}" for name, d in fell.items()]
    return (
        f"{' and '.join(parts).replace(' from ', ' fell from ', 1)} "
        "(average of the last three scores against the three before)",
        {"fell": list(fell), **fell},
    )


def _wants_to_withdraw(v: _View) -> _Fired | None:
    # The wish stands from the latest contact within the recent window that records it (whatever
    # its outcome: a victim can say so while declining) until a later TWO-WAY contact does not
    # record it again. A later unanswered call cannot have changed the victim's mind; a later
    # conversation that did not repeat it is the navigator's evidence that it was addressed.
    start = v.since(v.t.recent_days)
    tagged = [c for c in v.contacts if c.at >= start and Concern.WANTS_TO_WITHDRAW in c.concerns]
    if not tagged:
        return None
    latest = tagged[-1]
    cleared = any(
        c.two_way and Concern.WANTS_TO_WITHDRAW not in c.concerns
        for c in v.contacts
        if c.at > latest.at
    )
    if cleared:
        return None
    return (
        f"said they want to withdraw on {v.clock.on(latest.at)}",
        {"contact_id": latest.id, "at": latest.at.isoformat()},
    )


def _safety_fear_unanswered(v: _View) -> _Fired | None:
    window = timedelta(hours=v.t.safety_response_hours)
    answered_ids = {r.contact_id for r in v.history.concern_responses if r.at <= v.now}
    unanswered = [
        c
        for c in v.contacts
        if Concern.SAFETY_FEAR in c.concerns
        and v.now >= c.at + window
        and c.id not in answered_ids
        # The contact that raised the fear does not answer it; a LATER conversation does, even a
        # late one: once the victim has been spoken to, the fear has been heard.
        and not any(later.two_way and later.at > c.at for later in v.contacts)
    ]
    if not unanswered:
        return None
    latest = unanswered[-1]
    hours = _plural(v.t.safety_response_hours, "hour")
    if len(unanswered) == 1:
        reason = f"safety fear raised {v.clock.moment(latest.at)} with no response within {hours}"
    else:
        reason = (
            f"{len(unanswered)} safety fears with no response within {hours}, "
            f"the latest raised {v.clock.moment(latest.at)}"
        )
    return (
        reason,
        {
            "contact_ids": [c.id for c in unanswered],
            "raised_at": [c.at.isoformat() for c in unanswered],
            "response_hours": v.t.safety_response_hours,
        },
    )


def _promise_broken(v: _View) -> _Fired | None:
    start = v.since(v.t.recent_days)
    parts: list[str] = []
    broken: list[int] = []
    overdue: list[int] = []
    for p in sorted(v.history.promises, key=lambda p: (p.due_by, p.id)):
        name = f'"{p.description.strip() or f"promise {p.id}"}"'
        # Judged as things stood at now: a promise resolved after now was still open then.
        if p.resolved_at is not None and p.resolved_at > v.now:
            status = PromiseStatus.OPEN
        else:
            status = p.status
        if status == PromiseStatus.OPEN and p.due_by < v.now:
            overdue.append(p.id)
            parts.append(f"{name} overdue since {v.clock.on(p.due_by)}")
        elif status == PromiseStatus.BROKEN:
            # Without a resolution time the promise was broken, at the latest, when it fell due.
            broken_at = p.resolved_at or p.due_by
            if start <= broken_at <= v.now:
                broken.append(p.id)
                parts.append(f"{name} broken on {v.clock.on(broken_at)}")
    if not parts:
        return None
    return (
        f"{'promise' if len(parts) == 1 else 'promises'} {', '.join(parts)}",
        {"broken_promise_ids": broken, "overdue_promise_ids": overdue},
    )


def _declined_in_row(v: _View) -> _Fired | None:
    run = v.newest_run(lambda c: c.outcome == Outcome.DECLINED)
    if len(run) < v.t.declined_in_row:
        return None
    first = run[-1]
    return (
        f"declined contact {len(run)} times in a row since {v.clock.on(first.at)}",
        {
            "count": len(run),
            "contact_ids": [c.id for c in reversed(run)],
            "since": first.at.isoformat(),
        },
    )


def _poc_changed_without_introduction(v: _View) -> _Fired | None:
    start = v.since(v.t.poc_change_days)
    changes = sorted(
        (
            p
            for p in v.history.poc_changes
            if p.had_predecessor and not p.introduced_by_predecessor
            if start <= p.started_at <= v.now
        ),
        key=lambda p: p.started_at,
    )
    if not changes:
        return None
    parts = [
        f"new {_ROLE_WORDS[p.role]} point of contact since {v.clock.on(p.started_at)}"
        for p in changes
    ]
    return (
        f"{' and '.join(parts)}, not introduced by the previous one",
        {
            "changes": [
                {
                    "role": str(p.role),
                    "person_id": p.person_id,
                    "started_at": p.started_at.isoformat(),
                }
                for p in changes
            ]
        },
    )


def _many_people(v: _View) -> _Fired | None:
    # Every contact counts, answered or not: to the victim, each call is another new name.
    start = v.since(v.t.many_contacts_days)
    people = sorted({c.by_person_id for c in v.contacts if c.at >= start})
    if len(people) < v.t.many_contacts_people:
        return None
    return (
        f"{len(people)} different people in contact over the last "
        f"{_plural(v.t.many_contacts_days, 'day')}",
        {"count": len(people), "person_ids": people, "days": v.t.many_contacts_days},
    )


def _interpreter_changed(v: _View) -> _Fired | None:
    start = v.since(v.t.recent_days)
    used = [c for c in v.contacts if c.at >= start and c.interpreter.strip()]
    if len(used) < 2:
        return None
    previous, latest = used[-2], used[-1]
    # Case and spacing differences are typing, not a different person.
    if previous.interpreter.strip().casefold() == latest.interpreter.strip().casefold():
        return None
    return (
        f"interpreter changed from {previous.interpreter.strip()} to {latest.interpreter.strip()} "
        f"on {v.clock.on(latest.at)}",
        {
            "previous": previous.interpreter.strip(),
            "latest": latest.interpreter.strip(),
            "previous_contact_id": previous.id,
            "latest_contact_id": latest.id,
        },
    )


def _tipping_point_unprepared(v: _View) -> _Fired | None:
    end = v.now + timedelta(days=v.t.tipping_point_days)
    parts: list[str] = []
    events: list[dict[str, object]] = []
    for e in sorted(v.history.events, key=lambda e: (e.at, e.id)):
        if e.kind not in TIPPING_POINT_KINDS or not v.now <= e.at <= end:
            continue
        missing = [
            words
            for ok, words in (
                (e.victim_prepared, "victim not prepared"),
                (e.partners_told, "partners not told"),
            )
            if not ok
        ]
        if not missing:
            continue
        parts.append(f"{_EVENT_WORDS[e.kind]} {v.clock.moment(e.at)} ({', '.join(missing)})")
        events.append(
            {
                "id": e.id,
                "kind": str(e.kind),
                "at": e.at.isoformat(),
                "victim_prepared": e.victim_prepared,
                "partners_told": e.partners_told,
            }
        )
    if not parts:
        return None
    return ("coming up: " + " and ".join(parts), {"events": events})


def _negative_outcome(v: _View) -> _Fired | None:
    start = v.clock.today - timedelta(days=v.t.negative_outcome_days)
    decisions = sorted(
        on
        for decision, on in v.history.nrm_decisions
        if NrmDecision(decision) == NrmDecision.NEGATIVE and start <= on <= v.clock.today
    )
    ended = v.history.support_ended_on
    parts: list[str] = []
    facts: dict[str, object] = {}
    if decisions:
        parts.append(f"negative NRM decision on {v.clock.day(decisions[-1])}")
        facts["negative_nrm_decisions_on"] = [d.isoformat() for d in decisions]
    if ended is not None and start <= ended <= v.clock.today:
        parts.append(f"support ended on {v.clock.day(ended)}")
        facts["support_ended_on"] = ended.isoformat()
    if not parts:
        return None
    return (" and ".join(parts), facts)


_RULES: Mapping[str, Callable[[_View], _Fired | None]] = MappingProxyType(
    {
        "unanswered_attempts": _unanswered_attempts,
        "no_two_way_contact": _no_two_way_contact,
        "wellbeing_falling": _wellbeing_falling,
        "wants_to_withdraw": _wants_to_withdraw,
        "safety_fear_unanswered": _safety_fear_unanswered,
        "promise_broken": _promise_broken,
        "declined_in_row": _declined_in_row,
        "poc_changed_without_introduction": _poc_changed_without_introduction,
        "many_people": _many_people,
        "interpreter_changed": _interpreter_changed,
        "tipping_point_unprepared": _tipping_point_unprepared,
        "negative_outcome": _negative_outcome,
    }
)


def _view(history: CaseHistory, now: datetime, thresholds: Thresholds) -> _View:
    _require_aware(now, "now")
    # Ties on time are broken by id so the same history always reads the same way.
    known = (c for c in history.contacts if c.at <= now)
    contacts = tuple(sorted(known, key=lambda c: (c.at, c.id)))
    return _View(history=history, contacts=contacts, now=now, clock=_Clock(now), t=thresholds)


def assess(
    history: CaseHistory, *, now: datetime, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Assessment:
    """Which signals of disengagement fire for one case at ``now``, and how worried to be."""
    view = _view(history, now, thresholds)
    signals: list[Signal] = []
    for code, rule in _RULES.items():
        fired = rule(view)
        if fired is not None:
            reason, facts = fired
            signals.append(Signal(code, thresholds.weights[code], reason, facts))
    order = {code: index for index, code in enumerate(SIGNAL_CODES)}
    signals.sort(key=lambda s: (-s.weight, order[s.code]))
    score = sum(s.weight for s in signals)
    return Assessment(score=score, level=level_for(score, thresholds), signals=tuple(signals))


# --- When to look again -------------------------------------------------------------------------
# A sweep re-evaluates a case only once its stored "next change" moment has come, so
# next_change_at must NEVER be late: if assess's answer (score, level, signals, reasons or facts)
# can change at some t > now with no new facts, the moment returned is at or before t. It may be
# early, which only costs one wasted evaluation, so wherever Python's datetime rules leave the
# exact instant open (a wall-clock time in a repeated or skipped hour, a window edge near a clock
# change) every possible reading is offered and the earliest one after now wins.
#
# Only the state at now matters: every fact dated after now is itself a change point, and the
# sweep asks again from there. The answer assumes later calls pass now in the same timezone.

_TICK = timedelta(microseconds=1)  # "strictly after" on datetime's microsecond clock
_DAY = timedelta(days=1)
_ZERO = timedelta(0)
# Signals whose reasons show no date, so the year appearing in dates cannot change them.
_UNDATED = frozenset({"wellbeing_falling", "many_people"})


def _offset(moment: datetime, tz: tzinfo | None) -> timedelta:
    return moment.astimezone(tz).utcoffset() or _ZERO


def _offset_change(lo: datetime, hi: datetime, tz: tzinfo | None) -> datetime | None:
    """The instant in (lo, hi] at which tz's clocks change to hi's offset, if lo's differs."""
    target = _offset(hi, tz)
    if _offset(lo, tz) == target:
        return None
    while hi - lo > _TICK:
        middle = lo + (hi - lo) / 2
        lo, hi = (lo, middle) if _offset(middle, tz) == target else (middle, hi)
    return hi


def _readings(moment: datetime) -> list[datetime]:
    """Every instant (UTC) at which a clock in moment's zone reaches moment's wall-clock time.

    Comparisons with a fact sharing now's tzinfo are by wall clock, others by instant; both are
    covered. In a repeated hour the clock reaches it twice and drops back in between; in a skipped
    hour it jumps past it: the clock change is then a reading too.
    """
    first, second = (moment.replace(fold=fold).astimezone(UTC) for fold in (0, 1))
    if first == second:
        return [first]
    change = _offset_change(min(first, second), max(first, second), moment.tzinfo)
    return [first, second] if change is None else [first, second, change]


def _just_after(moment: datetime) -> list[datetime]:
    # For "moment < now": by instant when the zones differ, by wall clock when they are shared.
    return [moment.astimezone(UTC) + _TICK, *_readings(moment + _TICK)]


def _elapsed(now: datetime, since: datetime, delta: timedelta) -> list[datetime]:
    # When "now - since" reaches delta. Python subtracts wall clocks when both share a tzinfo.
    if now.tzinfo is since.tzinfo:
        return _readings(since + delta)
    return [since.astimezone(UTC) + delta]


def _on_nows_clock(now: datetime, at: datetime, shift: timedelta, *, after: bool) -> list[datetime]:
    """When a window edge worked out on now's wall clock (``now - N days`` as ``_View.since``
    does, or ``now + N days``) reaches ``at`` (or passes it, with ``after``).

    That is when now's clock shows at's time + shift (N days, or -N days). But the edge is itself
    a wall-clock time read as an instant, so within a day of a clock change near ``at`` it can be
    read with either offset, and it jumps when it leaves the repeated or skipped hour (whose end
    is the change + the larger offset): each of those counts too.
    """
    tz = now.tzinfo
    tick = _TICK if after else _ZERO
    utc = at.astimezone(UTC)
    walls = {at.astimezone(tz).replace(tzinfo=None) + shift + tick}
    for lo, hi in ((utc - _DAY, utc), (utc, utc + _DAY)):
        change = _offset_change(lo, hi, tz)
        if change is not None:
            offsets = (_offset(lo, tz), _offset(hi, tz))
            walls |= {(utc + offset).replace(tzinfo=None) + shift + tick for offset in offsets}
            walls.add((change + max(offsets)).replace(tzinfo=None) + shift)
    return [reading for wall in walls for reading in _readings(wall.replace(tzinfo=tz))]


def _midnight(day: date, tz: tzinfo | None) -> list[datetime]:
    # "today" is now.date() in now's own timezone, so a dated fact counts from its local midnight.
    return _readings(datetime.combine(day, time(), tzinfo=tz))


def _change_points(v: _View) -> Iterator[datetime]:
    """Every moment at which some rule's answer could change; next_change_at keeps those > now."""
    h, t, now, tz = v.history, v.t, v.now, v.now.tzinfo

    def leaves(at: datetime, days: int) -> list[datetime]:
        # Dated "within N days" holds while at >= now - N days, so it stops just after this.
        return _on_nows_clock(now, at, timedelta(days=days), after=True)

    # Facts take effect at their own time: any contact can start or end a run, add a score or a
    # person, clear a wish to withdraw or answer a fear.
    for c in h.contacts:
        yield from _readings(c.at)

    # no_two_way_contact fires once the silence is MORE than the limit, and while it fires its
    # reason and facts count the whole days of silence, so each further day is a change too.
    two_way = [c for c in v.contacts if c.two_way]
    if h.interval_days is not None and h.interval_days > 0 and two_way:
        last = two_way[-1].at
        limit = t.silence_interval_multiple * h.interval_days
        yield from _elapsed(now, last, timedelta(days=limit) + _TICK)
        whole_days = max((now - last).days, limit) + 1
        yield from _elapsed(now, last, timedelta(days=whole_days))

    # wants_to_withdraw: the latest contact recording the wish leaving the recent window.
    withdraw = [c for c in v.contacts if Concern.WANTS_TO_WITHDRAW in c.concerns]
    if withdraw:
        yield from leaves(withdraw[-1].at, t.recent_days)

    # safety_fear_unanswered: raised_at + response hours (c.at + window, as the rule adds it),
    # and actions logged against a fear.
    window = timedelta(hours=t.safety_response_hours)
    fears = {c.id: c for c in h.contacts if Concern.SAFETY_FEAR in c.concerns}
    for c in fears.values():
        yield from _readings(c.at + window)
    for r in h.concern_responses:
        if r.contact_id in fears:
            yield from _readings(r.at)

    # promise_broken: open and overdue strictly after due_by, until resolved; a broken one counts
    # from its breaking until it leaves the recent window.
    for p in h.promises:
        if p.resolved_at is not None:
            yield from _readings(p.resolved_at)
        resolved_late = p.resolved_at is not None and p.resolved_at > p.due_by
        if p.status == PromiseStatus.OPEN or resolved_late:
            yield from _just_after(p.due_by)
        if p.status == PromiseStatus.BROKEN:
            broken_at = p.resolved_at or p.due_by
            yield from _readings(broken_at)
            yield from leaves(broken_at, t.recent_days)

    # poc_changed_without_introduction: from started_at until it leaves its window.
    for change in h.poc_changes:
        if change.had_predecessor and not change.introduced_by_predecessor:
            yield from _readings(change.started_at)
            yield from leaves(change.started_at, t.poc_change_days)

    # many_people: a person drops out when their latest contact leaves the window.
    latest_by_person = {c.by_person_id: c.at for c in v.contacts}
    for at in latest_by_person.values():
        yield from leaves(at, t.many_contacts_days)

    # interpreter_changed needs two interpreted contacts in the window: it stops when the older
    # of the latest two leaves it.
    interpreted = [c for c in v.contacts if c.interpreter.strip()]
    if len(interpreted) >= 2:
        yield from leaves(interpreted[-2].at, t.recent_days)

    # tipping_point_unprepared: an event counts from at - tipping_point_days (on now's clock)
    # until just after its own time.
    ahead = timedelta(days=t.tipping_point_days)
    for e in h.events:
        if e.kind in TIPPING_POINT_KINDS and not (e.victim_prepared and e.partners_told):
            yield from _on_nows_clock(now, e.at, -ahead, after=False)
            yield from _just_after(e.at)

    # negative_outcome: dated facts count from their day to the end of day + negative_outcome_days.
    dated = [
        on for decision, on in h.nrm_decisions if NrmDecision(decision) == NrmDecision.NEGATIVE
    ]
    if h.support_ended_on is not None:
        dated.append(h.support_ended_on)
    for on in dated:
        yield from _midnight(on, tz)
        yield from _midnight(on + timedelta(days=t.negative_outcome_days + 1), tz)


def next_change_at(
    history: CaseHistory,
    *,
    now: datetime,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    assessed: Assessment | None = None,
) -> datetime | None:
    """The earliest moment strictly after ``now`` at which ``assess`` could answer differently
    with no new facts; None if nothing in the history can change with time alone.

    Never late, possibly early (see above). Returned in UTC, ready for an indexed column.
    A caller that has just assessed the same history at the same ``now`` with the same
    thresholds passes that ``assessed`` and saves assessing it again.
    """
    view = _view(history, now, thresholds)
    moments = list(_change_points(view))
    # Dates in reasons carry their year only when it is not the current one, so every dated
    # reason can change at the new year (in now's timezone). Nothing else in the wording moves
    # with time except no_two_way_contact's day count, handled with its rule above.
    if assessed is None:
        assessed = assess(history, now=now, thresholds=thresholds)
    signals = assessed.signals
    if any(s.code not in _UNDATED for s in signals):
        moments += _midnight(date(view.clock.today.year + 1, 1, 1), now.tzinfo)
    return min((m for m in moments if m > now), default=None)
