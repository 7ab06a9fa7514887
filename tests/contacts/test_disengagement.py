"""The early-warning rule for disengagement: each signal at its threshold and either side of it.

Pure tests: no database, no settings, no clock. Every time is an offset from NOW.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

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
