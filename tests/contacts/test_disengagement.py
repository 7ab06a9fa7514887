"""The early-warning rule for disengagement: each signal at its threshold and either side of it.

Pure tests: no database, no settings, no clock. Every time is an offset from NOW.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cases.choices import EventKind, NrmDecision, PocRole
from contacts.choices import Concern, Direction, Outcome, PromiseStatus, UpdateGiven
from contacts.disengagement import (
    _RULES,
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHTS,
    SIGNAL_CODES,
    Assessment,
    CaseHistory,
    ConcernResponse,
    ContactFact,
    EventFact,
    Level,
    PocChange,
    PromiseFact,
    Signal,
    Thresholds,
    assess,
    level_for,
    next_change_at,
)

NOW = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # a Friday
TODAY = NOW.date()
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

# --- Builders -----------------------------------------------------------------------------------

_ids = itertools.count(1)


def contact(
    ago: timedelta,
    outcome: Outcome = Outcome.REACHED,
    *,
    id: int | None = None,
    by: int = 1,
    direction: Direction | None = None,
    wellbeing: int | None = None,
    trust: int | None = None,
    concerns: Iterable[Concern] = (),
    interpreter: str = "",
) -> ContactFact:
    """A contact `ago` before NOW (negative `ago` = after NOW)."""
    if direction is None:
        inbound = outcome == Outcome.VICTIM_GOT_IN_TOUCH
        direction = Direction.INBOUND if inbound else Direction.OUTBOUND
    return ContactFact(
        id=next(_ids) if id is None else id,
        at=NOW - ago,
        by_person_id=by,
        direction=direction,
        outcome=outcome,
        update_given=UpdateGiven.NONE,
        wellbeing=wellbeing,
        trust=trust,
        concerns=frozenset(concerns),
        interpreter=interpreter,
    )


def case(*contacts: ContactFact, interval_days: int | None = None, **other: Any) -> CaseHistory:
    return CaseHistory(contacts=contacts, interval_days=interval_days, **other)


def run_of(outcomes: Iterable[Outcome]) -> tuple[ContactFact, ...]:
    """Contacts one day apart, oldest first, the last one a day before NOW."""
    outcomes = list(outcomes)
    return tuple(contact((len(outcomes) - i) * DAY, outcome) for i, outcome in enumerate(outcomes))


def fired(
    history: CaseHistory, now: datetime = NOW, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[str]:
    return [s.code for s in assess(history, now=now, thresholds=thresholds).signals]


def signal(history: CaseHistory, code: str, now: datetime = NOW) -> Signal | None:
    return next((s for s in assess(history, now=now).signals if s.code == code), None)


def fires(history: CaseHistory, code: str, now: datetime = NOW) -> bool:
    return signal(history, code, now) is not None


NA, ML, RE, DE, GOT = (
    Outcome.NO_ANSWER,
    Outcome.MESSAGE_LEFT,
    Outcome.REACHED,
    Outcome.DECLINED,
    Outcome.VICTIM_GOT_IN_TOUCH,
)


# --- 1. unanswered_attempts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param([RE, NA, NA], False, id="2-attempts"),
        pytest.param([RE, NA, NA, NA], True, id="3-attempts"),
        pytest.param([RE, NA, NA, NA, NA], True, id="4-attempts"),
        pytest.param([NA, ML, NA], True, id="messages-left-count"),
        pytest.param([NA, NA, RE, NA], False, id="reached-in-the-middle"),
        pytest.param([NA, NA, NA, GOT], False, id="victim-got-in-touch-after"),
        pytest.param([NA, NA, NA, DE], False, id="declined-after"),
        pytest.param([], False, id="no-contacts"),
    ],
)
def test_unanswered_attempts(outcomes: list[Outcome], expected: bool) -> None:
    assert fires(case(*run_of(outcomes)), "unanswered_attempts") is expected


def test_an_inbound_missed_call_is_not_our_unanswered_attempt() -> None:
    history = case(
        contact(3 * DAY, NA),
        contact(2 * DAY, NA, direction=Direction.INBOUND),
        contact(1 * DAY, NA),
    )
    assert not fires(history, "unanswered_attempts")


def test_unanswered_attempts_counts_the_whole_run_and_says_since_when() -> None:
    contacts = run_of([RE, NA, NA, NA, NA])
    found = signal(case(*contacts), "unanswered_attempts")
    assert found is not None
    assert found.facts["count"] == 4
    assert found.facts["contact_ids"] == [c.id for c in contacts[1:]]
    assert found.reason == "4 unanswered attempts in a row since Monday 2 March"


# --- 2. no_two_way_contact ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("silence", "interval_days", "expected"),
    [
        pytest.param(14 * DAY - SECOND, 7, False, id="under-2x"),
        pytest.param(14 * DAY, 7, False, id="exactly-2x"),
        pytest.param(14 * DAY + SECOND, 7, True, id="2x-plus-1s"),
        pytest.param(60 * DAY, None, False, id="no-agreed-interval"),
        pytest.param(2 * DAY + SECOND, 1, True, id="daily-interval"),
    ],
)
def test_no_two_way_contact(silence: timedelta, interval_days: int | None, expected: bool) -> None:
    history = case(contact(silence, RE), interval_days=interval_days)
    assert fires(history, "no_two_way_contact") is expected


def test_no_two_way_contact_ignores_later_one_way_contacts() -> None:
    history = case(
        contact(20 * DAY, GOT), contact(3 * DAY, NA), contact(1 * DAY, ML), interval_days=7
    )
    found = signal(history, "no_two_way_contact")
    assert found is not None
    assert found.facts["days_since"] == 20
    assert found.facts["limit_days"] == 14


def test_no_two_way_contact_waits_for_a_first_conversation() -> None:
    history = case(contact(60 * DAY, NA), contact(40 * DAY, NA), interval_days=7)
    assert not fires(history, "no_two_way_contact")


# --- 3. wellbeing_falling -----------------------------------------------------------------------


def scored(kind: str, scores: list[int | None]) -> tuple[ContactFact, ...]:
    def one(ago: timedelta, score: int | None) -> ContactFact:
        if kind == "trust":
            return contact(ago, trust=score)
        return contact(ago, wellbeing=score)

    return tuple(one((len(scores) - i) * DAY, score) for i, score in enumerate(scores))


@pytest.mark.parametrize(
    ("kind", "scores", "expected"),
    [
        pytest.param("wellbeing", [4, 4, 4, 3, 3, 3], True, id="wellbeing-drop-exactly-1.0"),
        pytest.param("wellbeing", [4, 4, 4, 4, 3, 3], False, id="wellbeing-drop-0.67"),
        pytest.param("wellbeing", [5, 4, 4, 3, 3, 3], True, id="wellbeing-drop-1.33"),
        pytest.param("wellbeing", [4, 4, 3, 3, 3], False, id="only-five-scores"),
        pytest.param("wellbeing", [2, 2, 2, 3, 3, 3], False, id="rising"),
        pytest.param("trust", [4, 4, 4, 3, 3, 3], True, id="trust-drop-exactly-1.0"),
        pytest.param("trust", [4, 4, 4, 4, 3, 3], False, id="trust-drop-0.67"),
        pytest.param(
            "wellbeing", [4, None, 4, 4, None, 3, 3, 3], True, id="unscored-contacts-skipped"
        ),
        pytest.param("wellbeing", [5, 5, 5, 1, 1, 1, 1, 1, 1], False, id="only-the-last-six-count"),
    ],
)
def test_wellbeing_falling(kind: str, scores: list[int | None], expected: bool) -> None:
    assert fires(case(*scored(kind, scores)), "wellbeing_falling") is expected


# Scores are whole numbers, so means of three move in thirds: a drop of exactly 0.9 cannot
# happen. The threshold side is instead shown by moving score_drop around a drop of 1.0.
@pytest.mark.parametrize(
    ("score_drop", "expected"),
    [
        pytest.param(0.9, True, id="threshold-0.9"),
        pytest.param(1.0, True, id="threshold-1.0"),
        pytest.param(1.1, False, id="threshold-1.1"),
    ],
)
def test_wellbeing_falling_threshold(score_drop: float, expected: bool) -> None:
    history = case(*scored("wellbeing", [4, 4, 4, 3, 3, 3]))
    codes = fired(history, thresholds=Thresholds(score_drop=score_drop))
    assert ("wellbeing_falling" in codes) is expected


def test_wellbeing_and_trust_fire_once_naming_both() -> None:
    scores = [(4, 5), (4, 5), (4, 5), (3, 3), (3, 3), (3, 3)]
    contacts = [contact((6 - i) * DAY, wellbeing=w, trust=t) for i, (w, t) in enumerate(scores)]
    signals = [s for s in assess(case(*contacts), now=NOW).signals]
    falling = [s for s in signals if s.code == "wellbeing_falling"]
    assert len(falling) == 1
    assert falling[0].facts["fell"] == ["wellbeing", "trust"]
    assert falling[0].reason.startswith("wellbeing fell from 4.0 to 3.0 and trust from 5.0 to 3.0")


def test_wellbeing_falling_names_only_what_fell() -> None:
    contacts = [
        contact((6 - i) * DAY, wellbeing=4, trust=t) for i, t in enumerate([4, 4, 4, 2, 2, 2])
    ]
    found = signal(case(*contacts), "wellbeing_falling")
    assert found is not None
    assert found.facts["fell"] == ["trust"]
    assert found.reason.startswith("trust fell from 4.0 to 2.0")


# --- 4. wants_to_withdraw -----------------------------------------------------------------------

WITHDRAW = [Concern.WANTS_TO_WITHDRAW]


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        pytest.param([contact(30 * DAY, concerns=WITHDRAW)], True, id="raised-30-days-ago"),
        pytest.param(
            [contact(30 * DAY + SECOND, concerns=WITHDRAW)], False, id="raised-30-days-1s-ago"
        ),
        pytest.param(
            [contact(5 * DAY, concerns=WITHDRAW), contact(2 * DAY, RE)],
            False,
            id="later-conversation-without-it",
        ),
        pytest.param(
            [contact(5 * DAY, concerns=WITHDRAW), contact(2 * DAY, RE, concerns=WITHDRAW)],
            True,
            id="later-conversation-repeats-it",
        ),
        pytest.param(
            [contact(5 * DAY, concerns=WITHDRAW), contact(2 * DAY, NA), contact(DAY, ML)],
            True,
            id="later-unanswered-calls-do-not-clear-it",
        ),
        pytest.param([contact(5 * DAY, DE, concerns=WITHDRAW)], True, id="said-while-declining"),
        pytest.param(
            [contact(5 * DAY, concerns=[Concern.HOUSING])], False, id="other-concern-only"
        ),
    ],
)
def test_wants_to_withdraw(contacts: list[ContactFact], expected: bool) -> None:
    assert fires(case(*contacts), "wants_to_withdraw") is expected


# --- 5. safety_fear_unanswered ------------------------------------------------------------------

FEAR_AT = NOW - 10 * DAY
FEAR_ID = 900


def fear_case(*responses: ContactFact | ConcernResponse) -> CaseHistory:
    fear = ContactFact(
        id=FEAR_ID,
        at=FEAR_AT,
        by_person_id=1,
        direction=Direction.OUTBOUND,
        outcome=Outcome.REACHED,  # the fear was raised in a conversation: that is not a response
        update_given=UpdateGiven.NONE,
        concerns=frozenset({Concern.SAFETY_FEAR}),
    )
    contacts = (fear, *(r for r in responses if isinstance(r, ContactFact)))
    actions = tuple(r for r in responses if isinstance(r, ConcernResponse))
    return case(*contacts, concern_responses=actions)


def later_contact(after: timedelta, outcome: Outcome = RE) -> ContactFact:
    return contact(NOW - (FEAR_AT + after), outcome)


@pytest.mark.parametrize(
    ("responses", "now_after", "expected"),
    [
        pytest.param([], 24 * HOUR - SECOND, False, id="no-response-yet-within-24h"),
        pytest.param([], 24 * HOUR, True, id="no-response-at-exactly-24h"),
        pytest.param(
            [later_contact(24 * HOUR)], 24 * HOUR, False, id="conversation-at-exactly-24h"
        ),
        pytest.param(
            [later_contact(24 * HOUR + SECOND)],
            24 * HOUR,
            True,
            id="conversation-at-24h-1s-is-after-now",
        ),
        pytest.param(
            [later_contact(24 * HOUR + SECOND)],
            48 * HOUR,
            False,
            id="late-conversation-answers-it",
        ),
        pytest.param(
            [ConcernResponse(contact_id=FEAR_ID, at=FEAR_AT + 24 * HOUR)],
            24 * HOUR,
            False,
            id="action-logged-at-exactly-24h",
        ),
        pytest.param(
            [ConcernResponse(contact_id=FEAR_ID, at=FEAR_AT + 24 * HOUR + SECOND)],
            24 * HOUR,
            True,
            id="action-logged-at-24h-1s-is-after-now",
        ),
        pytest.param(
            [ConcernResponse(contact_id=FEAR_ID + 1, at=FEAR_AT + HOUR)],
            24 * HOUR,
            True,
            id="action-on-another-contact",
        ),
        pytest.param(
            [later_contact(2 * HOUR, NA), later_contact(3 * HOUR, ML)],
            24 * HOUR,
            True,
            id="unanswered-calls-are-not-a-response",
        ),
    ],
)
def test_safety_fear_unanswered(
    responses: list[ContactFact | ConcernResponse], now_after: timedelta, expected: bool
) -> None:
    history = fear_case(*responses)
    assert fires(history, "safety_fear_unanswered", now=FEAR_AT + now_after) is expected


def test_safety_fear_is_high_on_its_own() -> None:
    result = assess(fear_case(), now=FEAR_AT + 24 * HOUR)
    assert result.level is Level.HIGH
    assert result.signals[0].reason == (
        "safety fear raised Tuesday 24 February 12:00 with no response within 24 hours"
    )


# --- 6. promise_broken --------------------------------------------------------------------------


def promise(
    status: PromiseStatus,
    *,
    due_ago: timedelta = 40 * DAY,
    resolved_ago: timedelta | None = None,
    description: str = "call back about housing",
) -> PromiseFact:
    return PromiseFact(
        id=next(_ids),
        description=description,
        due_by=NOW - due_ago,
        status=status,
        resolved_at=None if resolved_ago is None else NOW - resolved_ago,
    )


@pytest.mark.parametrize(
    ("the_promise", "expected"),
    [
        pytest.param(
            promise(PromiseStatus.BROKEN, resolved_ago=30 * DAY), True, id="broken-30-days-ago"
        ),
        pytest.param(
            promise(PromiseStatus.BROKEN, resolved_ago=30 * DAY + SECOND),
            False,
            id="broken-30-days-1s-ago",
        ),
        pytest.param(promise(PromiseStatus.OPEN, due_ago=SECOND), True, id="open-due-1s-ago"),
        pytest.param(promise(PromiseStatus.OPEN, due_ago=timedelta(0)), False, id="open-due-now"),
        pytest.param(promise(PromiseStatus.OPEN, due_ago=-DAY), False, id="open-due-tomorrow"),
        pytest.param(promise(PromiseStatus.KEPT, resolved_ago=DAY), False, id="kept"),
        pytest.param(promise(PromiseStatus.WITHDRAWN, resolved_ago=DAY), False, id="withdrawn"),
        pytest.param(
            promise(PromiseStatus.KEPT, due_ago=DAY, resolved_ago=-DAY),
            True,
            id="kept-after-now-was-overdue-at-now",
        ),
        pytest.param(
            promise(PromiseStatus.BROKEN, due_ago=10 * DAY),
            True,
            id="broken-undated-counts-from-due-date",
        ),
    ],
)
def test_promise_broken(the_promise: PromiseFact, expected: bool) -> None:
    assert fires(case(promises=(the_promise,)), "promise_broken") is expected


def test_promise_broken_names_the_promise() -> None:
    history = case(
        promises=(
            promise(PromiseStatus.BROKEN, resolved_ago=4 * DAY, description="ring the landlord"),
            promise(PromiseStatus.OPEN, due_ago=2 * DAY, description="send the letter"),
        )
    )
    found = signal(history, "promise_broken")
    assert found is not None
    assert found.reason == (
        'promises "ring the landlord" broken on Monday 2 March, '
        '"send the letter" overdue since Wednesday 4 March'
    )


# --- 7. declined_in_row -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param([RE, DE], False, id="1-declined"),
        pytest.param([RE, DE, DE], True, id="2-declined"),
        pytest.param([RE, DE, DE, DE], True, id="3-declined"),
        pytest.param([DE, RE, DE], False, id="reached-in-between"),
        pytest.param([DE, DE, NA], False, id="attempt-after"),
    ],
)
def test_declined_in_row(outcomes: list[Outcome], expected: bool) -> None:
    assert fires(case(*run_of(outcomes)), "declined_in_row") is expected


# --- 8. poc_changed_without_introduction --------------------------------------------------------


def poc(ago: timedelta, *, had_predecessor: bool = True, introduced: bool = False) -> PocChange:
    return PocChange(
        role=PocRole.POLICE,
        person_id=7,
        started_at=NOW - ago,
        had_predecessor=had_predecessor,
        introduced_by_predecessor=introduced,
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(poc(30 * DAY), True, id="30-days-ago"),
        pytest.param(poc(30 * DAY + SECOND), False, id="30-days-1s-ago"),
        pytest.param(poc(31 * DAY), False, id="31-days-ago"),
        pytest.param(poc(DAY, introduced=True), False, id="introduced"),
        pytest.param(poc(DAY, had_predecessor=False), False, id="first-point-of-contact"),
        pytest.param(poc(-DAY), False, id="starts-after-now"),
    ],
)
def test_poc_changed_without_introduction(change: PocChange, expected: bool) -> None:
    history = case(poc_changes=(change,))
    assert fires(history, "poc_changed_without_introduction") is expected


# --- 9. many_people -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        pytest.param(
            [contact(DAY, by=1), contact(2 * DAY, by=2), contact(21 * DAY, by=3)],
            True,
            id="3-people-third-exactly-21-days-ago",
        ),
        pytest.param(
            [contact(DAY, by=1), contact(2 * DAY, by=2), contact(21 * DAY + SECOND, by=3)],
            False,
            id="third-21-days-1s-ago",
        ),
        pytest.param([contact(DAY, by=1), contact(2 * DAY, by=2)], False, id="2-people"),
        pytest.param(
            [contact(DAY, by=1), contact(2 * DAY, by=1), contact(3 * DAY, by=2)],
            False,
            id="2-people-3-contacts",
        ),
        pytest.param(
            [contact(DAY, NA, by=1), contact(2 * DAY, NA, by=2), contact(3 * DAY, NA, by=3)],
            True,
            id="unanswered-calls-count-too",
        ),
    ],
)
def test_many_people(contacts: list[ContactFact], expected: bool) -> None:
    assert fires(case(*contacts), "many_people") is expected


# --- 10. interpreter_changed --------------------------------------------------------------------


def with_interpreters(*names_ago: tuple[str, timedelta]) -> CaseHistory:
    return case(*(contact(ago, interpreter=name) for name, ago in names_ago))


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param(with_interpreters(("Amina", 5 * DAY), ("Bola", DAY)), True, id="changed"),
        pytest.param(with_interpreters(("Amina", 5 * DAY), ("Amina", DAY)), False, id="same"),
        pytest.param(
            with_interpreters(("Amina", 5 * DAY), (" amina ", DAY)), False, id="same-but-typed"
        ),
        pytest.param(
            with_interpreters(("Amina", 5 * DAY), ("", 3 * DAY), ("Bola", DAY)),
            True,
            id="contact-without-interpreter-in-between",
        ),
        pytest.param(
            with_interpreters(("Amina", 30 * DAY), ("Bola", DAY)), True, id="first-30-days-ago"
        ),
        pytest.param(
            with_interpreters(("Amina", 30 * DAY + SECOND), ("Bola", DAY)),
            False,
            id="first-30-days-1s-ago",
        ),
        pytest.param(
            with_interpreters(("Bola", 5 * DAY), ("Amina", DAY), ("Amina", -DAY)),
            True,
            id="change-back-after-now-ignored",
        ),
        pytest.param(with_interpreters(("Bola", DAY)), False, id="only-one"),
    ],
)
def test_interpreter_changed(history: CaseHistory, expected: bool) -> None:
    assert fires(history, "interpreter_changed") is expected


# --- 11. tipping_point_unprepared ---------------------------------------------------------------


def event(
    in_: timedelta,
    *,
    kind: EventKind = EventKind.COURT_HEARING,
    prepared: bool = False,
    told: bool = True,
) -> EventFact:
    return EventFact(
        id=next(_ids), kind=kind, at=NOW + in_, victim_prepared=prepared, partners_told=told
    )


@pytest.mark.parametrize(
    ("the_event", "expected"),
    [
        pytest.param(event(7 * DAY), True, id="in-7-days"),
        pytest.param(event(7 * DAY + SECOND), False, id="in-7-days-1s"),
        pytest.param(event(8 * DAY), False, id="in-8-days"),
        pytest.param(event(timedelta(0)), True, id="now"),
        pytest.param(event(-SECOND), False, id="1s-ago"),
        pytest.param(event(DAY, prepared=True, told=True), False, id="prepared-and-told"),
        pytest.param(event(DAY, prepared=True, told=False), True, id="partners-not-told"),
        pytest.param(event(DAY, kind=EventKind.INTERVIEW), True, id="interview"),
        pytest.param(event(DAY, kind=EventKind.CHARGING_DECISION), True, id="charging"),
        pytest.param(event(DAY, kind=EventKind.NRM_DECISION), True, id="nrm-decision"),
        pytest.param(event(DAY, kind=EventKind.ARREST), False, id="arrest-is-not-one"),
    ],
)
def test_tipping_point_unprepared(the_event: EventFact, expected: bool) -> None:
    assert fires(case(events=(the_event,)), "tipping_point_unprepared") is expected


@pytest.mark.parametrize(
    ("prepared", "told", "missing"),
    [
        pytest.param(False, True, "(victim not prepared)", id="victim"),
        pytest.param(True, False, "(partners not told)", id="partners"),
        pytest.param(False, False, "(victim not prepared, partners not told)", id="both"),
    ],
)
def test_tipping_point_says_what_is_missing(prepared: bool, told: bool, missing: str) -> None:
    history = case(events=(event(3 * DAY, prepared=prepared, told=told),))
    found = signal(history, "tipping_point_unprepared")
    assert found is not None
    assert found.reason == f"coming up: court hearing Monday 9 March 12:00 {missing}"


# --- 12. negative_outcome -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        pytest.param(
            {"nrm_decisions": ((NrmDecision.NEGATIVE, TODAY - 14 * DAY),)},
            True,
            id="negative-nrm-14-days-ago",
        ),
        pytest.param(
            {"nrm_decisions": ((NrmDecision.NEGATIVE, TODAY - 15 * DAY),)},
            False,
            id="negative-nrm-15-days-ago",
        ),
        pytest.param(
            {"nrm_decisions": ((NrmDecision.NEGATIVE, TODAY),)}, True, id="negative-nrm-today"
        ),
        pytest.param(
            {"nrm_decisions": ((NrmDecision.NEGATIVE, TODAY + DAY),)},
            False,
            id="negative-nrm-tomorrow",
        ),
        pytest.param(
            {"nrm_decisions": ((NrmDecision.POSITIVE, TODAY - DAY),)}, False, id="positive-nrm"
        ),
        pytest.param({"support_ended_on": TODAY - 14 * DAY}, True, id="support-ended-14-days-ago"),
        pytest.param({"support_ended_on": TODAY - 15 * DAY}, False, id="support-ended-15-days-ago"),
    ],
)
def test_negative_outcome(other: dict[str, Any], expected: bool) -> None:
    assert fires(case(**other), "negative_outcome") is expected


# --- Scoring, levels, ordering ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        pytest.param(0, Level.NONE, id="0-none"),
        pytest.param(1, Level.NONE, id="1-none"),
        pytest.param(2, Level.WATCH, id="2-watch"),
        pytest.param(5, Level.WATCH, id="5-watch"),
        pytest.param(6, Level.HIGH, id="6-high"),
        pytest.param(20, Level.HIGH, id="20-high"),
    ],
)
def test_level_boundaries(score: int, level: Level) -> None:
    assert level_for(score, DEFAULT_THRESHOLDS) is level


def everything() -> CaseHistory:
    """A case on which every signal fires."""
    return case(
        contact(40 * DAY, RE, by=1, wellbeing=5, trust=5),
        contact(39 * DAY, RE, by=1, wellbeing=5, trust=5),
        contact(38 * DAY, RE, by=1, wellbeing=5, trust=5, concerns=[Concern.SAFETY_FEAR]),
        contact(37 * DAY, DE, by=1, wellbeing=2, trust=2, concerns=WITHDRAW),
        contact(20 * DAY, DE, by=2, wellbeing=2, trust=2, interpreter="Amina", concerns=WITHDRAW),
        contact(19 * DAY, DE, by=3, wellbeing=2, trust=2, interpreter="Bola", concerns=WITHDRAW),
        contact(3 * DAY, NA, by=4),
        contact(2 * DAY, NA, by=3),
        contact(1 * DAY, NA, by=3),
        interval_days=7,
        promises=(promise(PromiseStatus.OPEN, due_ago=DAY),),
        poc_changes=(poc(DAY),),
        events=(event(DAY),),
        nrm_decisions=((NrmDecision.NEGATIVE, TODAY - DAY),),
    )


def test_every_signal_has_a_rule_and_a_weight() -> None:
    assert tuple(_RULES) == SIGNAL_CODES
    assert tuple(DEFAULT_WEIGHTS) == SIGNAL_CODES


def test_score_is_the_sum_of_the_fired_weights() -> None:
    history = case(*run_of([RE, NA, NA, NA]), events=(event(DAY),))
    result = assess(history, now=NOW)
    assert [s.code for s in result.signals] == ["unanswered_attempts", "tipping_point_unprepared"]
    assert result.score == 3 + 3
    assert result.level is Level.HIGH


def test_everything_fires_sorted_by_weight_then_code_order() -> None:
    result = assess(everything(), now=NOW)
    # declined_in_row cannot fire alongside unanswered_attempts: both need the newest contacts.
    assert {s.code for s in result.signals} == set(SIGNAL_CODES) - {"declined_in_row"}
    assert result.score == sum(s.weight for s in result.signals)
    assert [s.code for s in result.signals] == [
        "safety_fear_unanswered",  # 6
        "wants_to_withdraw",  # 4
        "unanswered_attempts",  # 3, then the 3s in SIGNAL_CODES order
        "no_two_way_contact",
        "tipping_point_unprepared",
        "negative_outcome",
        "wellbeing_falling",  # 2
        "promise_broken",
        "poc_changed_without_introduction",
        "many_people",
        "interpreter_changed",  # 1
    ]


def test_every_signals_facts_are_json_serialisable() -> None:
    signals = assess(everything(), now=NOW).signals
    signals += assess(case(*run_of([RE, DE, DE])), now=NOW).signals
    assert {s.code for s in signals} == set(SIGNAL_CODES)
    for s in signals:
        json.loads(json.dumps(s.facts))


def test_empty_history_is_quiet() -> None:
    result = assess(case(), now=NOW)
    assert result == Assessment(score=0, level=Level.NONE, signals=())
    assert result.summary() == "No signs of disengagement."


def test_summary_reads_as_plain_words() -> None:
    history = fear_case(*run_of([NA, NA, NA]))
    assert assess(history, now=NOW).summary() == (
        "High: safety fear raised Tuesday 24 February 12:00 with no response within 24 hours; "
        "3 unanswered attempts in a row since Tuesday 3 March."
    )
    watch = assess(case(*run_of([RE, DE, DE])), now=NOW)
    assert watch.summary() == "Watch: declined contact 2 times in a row since Wednesday 4 March."


def test_times_are_shown_in_nows_timezone() -> None:
    fear = fear_case()
    local_now = (FEAR_AT + 2 * DAY).astimezone(timezone(timedelta(hours=-5)))
    found = signal(fear, "safety_fear_unanswered", now=local_now)
    assert found is not None
    assert "Tuesday 24 February 07:00" in found.reason


# --- Custom thresholds --------------------------------------------------------------------------


def test_fewer_attempts_needed_with_a_custom_threshold() -> None:
    history = case(*run_of([RE, NA, NA]))
    assert "unanswered_attempts" not in fired(history)
    assert "unanswered_attempts" in fired(history, thresholds=Thresholds(unanswered_in_row=2))


def test_a_changed_weight_changes_score_level_and_order() -> None:
    history = case(*run_of([RE, NA, NA, NA]), poc_changes=(poc(DAY),))
    default = assess(history, now=NOW)
    assert (default.score, default.level) == (5, Level.WATCH)
    heavier = Thresholds(weights={"poc_changed_without_introduction": 4})
    custom = assess(history, now=NOW, thresholds=heavier)
    assert (custom.score, custom.level) == (7, Level.HIGH)
    assert custom.signals[0].code == "poc_changed_without_introduction"
    assert heavier.weights["unanswered_attempts"] == 3  # the rest keep their defaults


def test_custom_windows_and_levels() -> None:
    history = case(poc_changes=(poc(40 * DAY),))
    assert fired(history) == []
    wider = Thresholds(poc_change_days=45, watch_score=1)
    result = assess(history, now=NOW, thresholds=wider)
    assert [s.code for s in result.signals] == ["poc_changed_without_introduction"]
    assert result.level is Level.WATCH


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"weights": {"unanswerd_attempts": 3}}, id="typo-in-weights"),
        pytest.param({"unanswered_in_row": 0}, id="zero-run"),
        pytest.param({"watch_score": 7, "high_score": 6}, id="watch-above-high"),
    ],
)
def test_bad_thresholds_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Thresholds(**kwargs)  # type: ignore[arg-type]


# --- Time and input discipline ------------------------------------------------------------------


def test_facts_after_now_are_ignored() -> None:
    attempts = run_of([NA, NA, NA])
    later = (
        contact(-HOUR, RE),  # a conversation tomorrow does not break today's run
        contact(-2 * HOUR, DE),
        contact(-3 * HOUR, NA, by=99),
    )
    history = case(
        *attempts,
        *later,
        poc_changes=(poc(-DAY),),
        nrm_decisions=((NrmDecision.NEGATIVE, TODAY + DAY),),
        support_ended_on=TODAY + DAY,
    )
    assert fired(history) == ["unanswered_attempts"]
    assert fired(history, now=NOW + 4 * HOUR) == []


def test_same_history_same_answer() -> None:
    history = everything()
    assert assess(history, now=NOW) == assess(history, now=NOW)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        assess(case(), now=datetime(2026, 3, 6, 12, 0))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        ContactFact(
            id=1,
            at=datetime(2026, 3, 6, 12, 0),  # noqa: DTZ001 - the point of the test
            by_person_id=1,
            direction=Direction.OUTBOUND,
            outcome=Outcome.REACHED,
            update_given=UpdateGiven.NONE,
        )


def test_raw_stored_values_are_accepted_and_unknown_ones_refused() -> None:
    raw = ContactFact(
        id=1,
        at=NOW - DAY,
        by_person_id=1,
        direction="outbound",  # type: ignore[arg-type]
        outcome="declined",  # type: ignore[arg-type]
        update_given="none",  # type: ignore[arg-type]
        concerns=frozenset({"wants_to_withdraw"}),  # type: ignore[arg-type]
    )
    assert raw.outcome is Outcome.DECLINED
    assert fires(case(raw), "wants_to_withdraw")
    with pytest.raises(ValueError):
        contact(DAY, "hung_up")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        contact(DAY, wellbeing=6)


# --- next_change_at -----------------------------------------------------------------------------

MICRO = timedelta(microseconds=1)
LONDON = ZoneInfo("Europe/London")


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON, fold=fold)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def at_(history: CaseHistory, moment: datetime, tz: tzinfo | None) -> Assessment:
    """assess at ``moment``, passed on the same clock as the ``now`` it is compared with."""
    return assess(history, now=moment.astimezone(tz))


def test_next_change_at_empty_history_is_none() -> None:
    assert next_change_at(case(), now=NOW) is None
    assert next_change_at(case(), now=NOW.astimezone(LONDON)) is None


def test_next_change_at_is_none_when_time_alone_changes_nothing() -> None:
    history = case(contact(100 * DAY, RE), contact(90 * DAY, NA, by=2))
    assert next_change_at(history, now=NOW) is None


def _year_end_run() -> CaseHistory:
    days = (utc(2026, 12, 28, 9), utc(2026, 12, 29, 9))
    return case(
        *(
            ContactFact(
                id=next(_ids),
                at=day,
                by_person_id=1,
                direction=Direction.OUTBOUND,
                outcome=DE,
                update_given=UpdateGiven.NONE,
            )
            for day in days
        )
    )


FEAR = [Concern.SAFETY_FEAR]
_fear_now = contact(30 * HOUR, RE, concerns=FEAR)

NEXT_CHANGE_CASES = [
    # Facts dated after now.
    pytest.param(
        case(contact(2 * DAY, NA), contact(DAY, NA), contact(-2 * HOUR, NA)),
        NOW,
        NOW + 2 * HOUR,
        id="unanswered-third-attempt-after-now",
    ),
    pytest.param(
        case(*scored("wellbeing", [4, 4, 4, 3, 3]), contact(-HOUR, wellbeing=3)),
        NOW,
        NOW + HOUR,
        id="wellbeing-sixth-score-after-now",
    ),
    pytest.param(
        case(contact(DAY, DE), contact(-3 * HOUR, DE)),
        NOW,
        NOW + 3 * HOUR,
        id="declined-second-after-now",
    ),
    pytest.param(case(poc_changes=(poc(-2 * DAY),)), NOW, NOW + 2 * DAY, id="poc-change-after-now"),
    pytest.param(
        case(_fear_now, concern_responses=(ConcernResponse(_fear_now.id, NOW + HOUR),)),
        NOW,
        NOW + HOUR,
        id="fear-answered-after-now",
    ),
    pytest.param(
        case(promises=(promise(PromiseStatus.KEPT, due_ago=2 * DAY, resolved_ago=-3 * HOUR),)),
        NOW,
        NOW + 3 * HOUR,
        id="promise-kept-after-now-stops-being-overdue",
    ),
    pytest.param(
        case(support_ended_on=TODAY + 3 * DAY),
        NOW,
        utc(2026, 3, 9),
        id="support-ends-after-today",
    ),
    # no_two_way_contact: strictly MORE than 2 x interval, then a reason counting whole days.
    pytest.param(
        case(contact(10 * DAY, RE), interval_days=7),
        NOW,
        NOW + 4 * DAY + MICRO,
        id="silence-passes-2x-interval",
    ),
    pytest.param(
        case(contact(20 * DAY - 3 * HOUR, RE), interval_days=7),
        NOW,
        NOW + 3 * HOUR,
        id="silence-day-count-ticks-over",
    ),
    # Windows that facts leave (inclusive, so just after at + N days).
    pytest.param(
        case(contact(29 * DAY, concerns=WITHDRAW)),
        NOW,
        NOW + DAY + MICRO,
        id="withdraw-leaves-recent-window",
    ),
    pytest.param(
        case(promises=(promise(PromiseStatus.BROKEN, resolved_ago=29 * DAY),)),
        NOW,
        NOW + DAY + MICRO,
        id="broken-promise-leaves-recent-window",
    ),
    pytest.param(
        case(poc_changes=(poc(29 * DAY),)), NOW, NOW + DAY + MICRO, id="poc-change-leaves-window"
    ),
    pytest.param(
        case(contact(DAY, by=1), contact(2 * DAY, by=2), contact(20 * DAY, by=3)),
        NOW,
        NOW + DAY + MICRO,
        id="third-person-leaves-window",
    ),
    pytest.param(
        with_interpreters(("Amina", 29 * DAY), ("Bola", DAY)),
        NOW,
        NOW + DAY + MICRO,
        id="previous-interpreter-leaves-window",
    ),
    # Moments computed from a fact.
    pytest.param(
        case(contact(20 * HOUR, RE, concerns=FEAR)),
        NOW,
        NOW + 4 * HOUR,
        id="fear-reaches-24h",
    ),
    pytest.param(
        case(promises=(promise(PromiseStatus.OPEN, due_ago=-5 * HOUR),)),
        NOW,
        NOW + 5 * HOUR + MICRO,
        id="open-promise-just-after-due",
    ),
    pytest.param(
        case(events=(event(9 * DAY + 30 * timedelta(minutes=1)),)),
        NOW,
        NOW + 2 * DAY + 30 * timedelta(minutes=1),
        id="tipping-point-enters-window",
    ),
    pytest.param(
        case(events=(event(DAY),)), NOW, NOW + DAY + MICRO, id="tipping-point-just-after-it"
    ),
    # Dated facts: days in now's own timezone.
    pytest.param(
        case(nrm_decisions=((NrmDecision.NEGATIVE, TODAY - 14 * DAY),)),
        NOW,
        utc(2026, 3, 7),
        id="negative-decision-leaves-window",
    ),
    pytest.param(
        case(nrm_decisions=((NrmDecision.NEGATIVE, date(2026, 5, 27)),)),
        london(2026, 6, 10, 12),
        utc(2026, 6, 10, 23),
        id="negative-decision-leaves-at-london-midnight",
    ),
    # A window computed on now's (London) clock, across the clocks going forward.
    pytest.param(
        case(
            ContactFact(
                id=next(_ids),
                at=utc(2026, 3, 20, 12),
                by_person_id=1,
                direction=Direction.OUTBOUND,
                outcome=DE,
                update_given=UpdateGiven.NONE,
                concerns=frozenset(WITHDRAW),
            )
        ),
        london(2026, 4, 15, 12),
        utc(2026, 4, 19, 11) + MICRO,
        id="withdraw-leaves-window-by-the-london-clock",
    ),
    # The year appears in a date once it is not the current year.
    pytest.param(
        _year_end_run(), utc(2026, 12, 30, 12), utc(2027, 1, 1), id="reason-gains-the-year"
    ),
]


@pytest.mark.parametrize(("history", "now", "expected"), NEXT_CHANGE_CASES)
def test_next_change_at(history: CaseHistory, now: datetime, expected: datetime) -> None:
    found = next_change_at(history, now=now)
    assert found == expected
    assert at_(history, expected - MICRO, now.tzinfo) == assess(history, now=now)
    assert at_(history, expected, now.tzinfo) != at_(history, expected - MICRO, now.tzinfo)


@pytest.mark.parametrize(("history", "now", "expected"), NEXT_CHANGE_CASES)
def test_next_change_at_with_the_assessment_already_made_answers_the_same(
    history: CaseHistory, now: datetime, expected: datetime
) -> None:
    assessed = assess(history, now=now)
    assert next_change_at(history, now=now, assessed=assessed) == expected


def test_next_change_at_reason_wording() -> None:
    # The day count and the year are the only words that move with time alone.
    silent = case(contact(20 * DAY - 3 * HOUR, RE), interval_days=7)
    before = signal(silent, "no_two_way_contact", now=NOW + 3 * HOUR - MICRO)
    after = signal(silent, "no_two_way_contact", now=NOW + 3 * HOUR)
    assert before is not None and after is not None
    assert "for 19 days" in before.reason and "for 20 days" in after.reason
    year_end = _year_end_run()
    old_year = signal(year_end, "declined_in_row", now=utc(2027, 1, 1) - MICRO)
    new_year = signal(year_end, "declined_in_row", now=utc(2027, 1, 1))
    assert old_year is not None and new_year is not None
    assert old_year.reason == "declined contact 2 times in a row since Monday 28 December"
    assert new_year.reason == "declined contact 2 times in a row since Monday 28 December 2026"


# --- next_change_at: never late, over weeks of moving now --------------------------------------

MINUTE = timedelta(minutes=1)


def _steps(start: datetime, span: timedelta, step: timedelta) -> list[datetime]:
    return [start + i * step for i in range(int(span / step) + 1)]


def assert_never_late(history: CaseHistory, steps_utc: Iterable[datetime], tz: tzinfo) -> None:
    """At every step, nothing assess says changes before next_change_at (nor just before it)."""
    steps = [s.astimezone(tz) for s in sorted(set(steps_utc))]
    results = [assess(history, now=s) for s in steps]
    # first_change[i]: the index of the first later step whose answer differs from step i's.
    first_change: list[int | None] = [None] * len(steps)
    for i in range(len(steps) - 2, -1, -1):
        same = results[i + 1] == results[i]
        first_change[i] = first_change[i + 1] if same else i + 1
    for i, now in enumerate(steps):
        found = next_change_at(history, now=now)
        change = first_change[i]
        if found is None:
            assert change is None, f"None at {now}, but it changes at {steps[change]}"
            continue
        assert found > now
        if change is not None:
            assert steps[change] >= found, f"late at {now}: said {found}, changed {steps[change]}"
        assert at_(history, found - MICRO, tz) == results[i], f"late at {now}: {found}"


def rich_history() -> CaseHistory:
    """Every kind of fact, some dated after NOW, boundaries at odd minutes."""
    m = MINUTE
    fear_later = contact(-5 * DAY - 7 * m, NA, by=6, concerns=FEAR)
    return case(
        contact(40 * DAY, RE, by=1, wellbeing=5, trust=5),
        contact(39 * DAY, RE, by=1, wellbeing=5, trust=5),
        contact(38 * DAY, RE, by=1, wellbeing=5, trust=4, concerns=FEAR),
        contact(37 * DAY, DE, by=1, wellbeing=2, trust=2, concerns=WITHDRAW),
        contact(20 * DAY - 197 * m, DE, by=2, wellbeing=2, interpreter="Amina", concerns=WITHDRAW),
        contact(19 * DAY, DE, by=3, wellbeing=2, trust=2, interpreter="Bola", concerns=WITHDRAW),
        contact(3 * DAY, NA, by=4),
        contact(2 * DAY - 5 * HOUR, NA, by=3),
        contact(DAY, ML, by=3),
        contact(-2 * DAY - 433 * m, RE, by=5),
        fear_later,
        contact(-9 * DAY, DE, by=1),
        contact(-10 * DAY - 11 * m, DE, by=2, concerns=WITHDRAW),
        contact(-12 * DAY, RE, by=2, interpreter=" amina "),
        contact(-20 * DAY, GOT, by=1, wellbeing=1, trust=1, concerns=FEAR),
        contact(-25 * DAY + 13 * m, RE, by=1, interpreter="Chen", wellbeing=1, trust=1),
        interval_days=3,
        concern_responses=(ConcernResponse(fear_later.id, NOW + 6 * DAY + 3 * HOUR + 1 * m),),
        promises=(
            promise(PromiseStatus.OPEN, due_ago=-3 * DAY - 12 * HOUR - 17 * m),
            promise(PromiseStatus.KEPT, due_ago=-DAY - 61 * m, resolved_ago=-4 * DAY),
            promise(PromiseStatus.BROKEN, due_ago=30 * DAY, resolved_ago=25 * DAY + 41 * m),
            promise(PromiseStatus.BROKEN, due_ago=10 * DAY),
            promise(PromiseStatus.BROKEN, due_ago=-3 * DAY, resolved_ago=-11 * DAY),
            promise(PromiseStatus.WITHDRAWN, due_ago=5 * DAY, resolved_ago=-DAY),
        ),
        poc_changes=(poc(28 * DAY - 19 * m), poc(-7 * DAY), poc(-8 * DAY, introduced=True)),
        events=(
            event(15 * DAY + 10 * HOUR + 30 * m),
            event(DAY, kind=EventKind.INTERVIEW, prepared=True, told=True),
            event(30 * DAY, kind=EventKind.NRM_DECISION, prepared=True, told=False),
            event(4 * DAY, kind=EventKind.ARREST),
        ),
        nrm_decisions=(
            (NrmDecision.NEGATIVE, TODAY - 10 * DAY),
            (NrmDecision.NEGATIVE, TODAY + 12 * DAY),
            (NrmDecision.POSITIVE, TODAY + DAY),
        ),
        support_ended_on=TODAY + 20 * DAY,
    )


def random_history(seed: int) -> CaseHistory:
    """A messy random case: facts at random minutes within six weeks either side of NOW."""
    rng = random.Random(seed)

    def when() -> timedelta:
        return rng.randint(-60 * 24 * 45, 60 * 24 * 45) * MINUTE

    contacts = [
        contact(
            when(),
            rng.choice(list(Outcome)),
            by=rng.randint(1, 5),
            wellbeing=rng.choice([None, 1, 2, 3, 4, 5]),
            trust=rng.choice([None, 2, 4]),
            concerns=rng.sample(
                [Concern.SAFETY_FEAR, Concern.WANTS_TO_WITHDRAW], rng.randint(0, 1)
            ),
            interpreter=rng.choice(["", "", "Amina", "Bola"]),
        )
        for _ in range(rng.randint(5, 25))
    ]
    fears = [c for c in contacts if Concern.SAFETY_FEAR in c.concerns]
    return case(
        *contacts,
        interval_days=rng.choice([None, 1, 3, 7]),
        concern_responses=tuple(
            ConcernResponse(c.id, c.at + rng.randint(1, 60) * HOUR) for c in fears
        ),
        promises=tuple(
            promise(
                rng.choice(list(PromiseStatus)),
                due_ago=when(),
                resolved_ago=rng.choice([None, when()]),
            )
            for _ in range(rng.randint(0, 4))
        ),
        poc_changes=tuple(
            poc(when(), introduced=rng.random() < 0.3) for _ in range(rng.randint(0, 3))
        ),
        events=tuple(
            event(
                when(),
                kind=rng.choice(list(EventKind)),
                prepared=rng.random() < 0.5,
                told=rng.random() < 0.5,
            )
            for _ in range(rng.randint(0, 4))
        ),
        nrm_decisions=tuple(
            (rng.choice(list(NrmDecision)), TODAY + rng.randint(-30, 30) * DAY)
            for _ in range(rng.randint(0, 2))
        ),
        support_ended_on=rng.choice([None, TODAY + rng.randint(-30, 30) * DAY]),
    )


# Six weeks of hourly steps from a week before NOW (crossing the clocks going forward on 29
# March), plus minute steps through a few busy hours.
_WEEKS = _steps(NOW - 7 * DAY + 7 * MINUTE, 42 * DAY, HOUR)
_MINUTES = [
    *_steps(NOW + 2 * DAY, 10 * HOUR, MINUTE),
    *_steps(utc(2026, 3, 28, 22), 6 * HOUR, MINUTE),
]


@pytest.mark.parametrize("tz", [UTC, LONDON], ids=["utc", "london"])
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(rich_history, id="rich"),
        pytest.param(everything, id="everything"),
        pytest.param(
            lambda: case(contact(10 * DAY - 17 * MINUTE, RE), interval_days=2), id="silence"
        ),
        *(
            pytest.param(lambda seed=seed: random_history(seed), id=f"random-{seed}")
            for seed in range(6)
        ),
    ],
)
def test_next_change_at_is_never_late(make: Any, tz: tzinfo) -> None:
    assert_never_late(make(), [*_WEEKS, *_MINUTES], tz)


def _london_contact(at: datetime, outcome: Outcome = RE, **kwargs: Any) -> ContactFact:
    return ContactFact(
        id=next(_ids),
        at=at,
        by_person_id=kwargs.pop("by", 1),
        direction=Direction.OUTBOUND,
        outcome=outcome,
        update_given=UpdateGiven.NONE,
        **kwargs,
    )


def test_next_change_at_is_never_late_through_the_london_clock_changes() -> None:
    # Facts on the same London tzinfo as now compare by wall clock, so the repeated hour when the
    # clocks go back makes windows step back and forth; facts sit right in and around it.
    fold = london(2026, 10, 25, 1, 30)
    history = case(
        _london_contact(fold, concerns=frozenset(WITHDRAW), by=2),
        _london_contact(london(2026, 10, 25, 1, 10, fold=1), NA, by=3, concerns=frozenset(FEAR)),
        _london_contact(fold - 30 * DAY, DE, interpreter="Amina", by=4),
        _london_contact(london(2026, 9, 25, 1, 45), DE, interpreter="Bola", by=5),
        _london_contact(london(2026, 10, 4, 1, 40), RE, by=6),
        interval_days=10,
        promises=(
            PromiseFact(1, "ring back", london(2026, 10, 25, 1, 20, fold=1), PromiseStatus.OPEN),
        ),
        poc_changes=(PocChange(PocRole.NAVIGATOR, 3, london(2026, 9, 25, 1, 50), True, False),),
        events=(EventFact(1, EventKind.INTERVIEW, london(2026, 11, 1, 1, 15), False, True),),
    )
    steps = [
        *_steps(utc(2026, 10, 10), 30 * DAY, HOUR),
        *_steps(utc(2026, 10, 24, 23), 4 * HOUR, MINUTE),
        *_steps(utc(2026, 10, 31, 23), 4 * HOUR, MINUTE),
    ]
    assert_never_late(history, steps, LONDON)
    # And in spring, facts in UTC against a London now.
    spring = case(
        contact(NOW - utc(2026, 2, 27, 1, 30), concerns=WITHDRAW),
        contact(NOW - utc(2026, 3, 1, 0, 45), DE, by=2),
        contact(NOW - utc(2026, 3, 8, 1, 20), RE, by=3),
        contact(NOW - utc(2026, 3, 9, 0, 20), RE, by=4),
        events=(event(utc(2026, 4, 5, 0, 40) - NOW),),
    )
    assert_never_late(spring, [*_steps(utc(2026, 3, 20), 14 * DAY, HOUR), *_MINUTES[-361:]], LONDON)


@pytest.mark.parametrize(
    ("raised", "around"),
    [
        # Raised in the hour the clocks skipped 30 days earlier: "now - 30 days" on the London
        # clock falls in that hour, is read as GMT, and steps back an hour as it leaves it.
        pytest.param(utc(2026, 3, 29, 1, 30), utc(2026, 4, 27, 23), id="spring"),
        # Raised in the second pass of the repeated hour: the edge jumps forward an hour.
        pytest.param(utc(2026, 10, 25, 1, 30), utc(2026, 11, 23, 23), id="autumn"),
        # The same for "now + 7 days", the far edge of the tipping-point window.
        pytest.param(utc(2026, 3, 29, 1, 30), utc(2026, 3, 21, 23), id="spring-event"),
        pytest.param(utc(2026, 10, 25, 1, 30), utc(2026, 10, 17, 23), id="autumn-event"),
    ],
)
def test_next_change_at_window_edges_near_a_clock_change(
    raised: datetime, around: datetime
) -> None:
    # The same moment as a contact wanting to withdraw and as an unprepared hearing.
    history = case(contact(NOW - raised, RE, concerns=WITHDRAW), events=(event(raised - NOW),))
    steps = [*_steps(around - DAY, 3 * DAY, HOUR), *_steps(around, 4 * HOUR, MINUTE)]
    assert_never_late(history, steps, LONDON)
