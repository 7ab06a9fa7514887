"""Table-driven tests for the update clock. Pure: no database, no Django settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from cases.choices import CaseStatus
from contacts.choices import AvoidFlag, Channel, Direction, Outcome, Place, UpdateGiven
from contacts.sla import (
    LONDON,
    Clock,
    ClockState,
    Contact,
    KeyDecision,
    LateDecision,
    Terms,
    Window,
    agreement_breaches,
    compute_clock,
    counts_as_update,
    is_within_windows,
    working_day_deadline,
)

# 2026: Mon 2 Mar; clocks forward Sun 29 Mar; Good Friday 3 Apr, Easter Monday 6 Apr;
# Early May bank holiday Mon 4 May; summer bank holiday Mon 31 Aug; clocks back Sun 25 Oct.


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A London wall-clock moment as an aware UTC datetime (first occurrence in the fold)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON).astimezone(UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


SECOND = timedelta(seconds=1)
WEEKDAYS = frozenset(range(5))
OFFICE = Window(WEEKDAYS, time(9), time(17))

TEXT_2 = Terms(interval_days=2, channels=(Channel.TEXT,))
TEXT_7 = Terms(interval_days=7, channels=(Channel.TEXT,))
TEXT_OR_CALL_2 = Terms(interval_days=2, channels=(Channel.TEXT, Channel.PHONE_CALL))
TEXT_2_OFFICE = Terms(interval_days=2, channels=(Channel.TEXT,), windows=(OFFICE,))
CALL_WEEKLY = Terms(
    interval_days=7,
    channels=(Channel.PHONE_CALL, Channel.TEXT),
    windows=(Window(WEEKDAYS, time(10), time(18)),),
)
CALL_2 = Terms(interval_days=2, channels=(Channel.PHONE_CALL,))
CALL_2_NO_VOICEMAIL = dataclasses.replace(CALL_2, avoid=frozenset({AvoidFlag.NO_VOICEMAIL}))
APP_OR_TEXT_2 = Terms(interval_days=2, channels=(Channel.MESSAGING_APP, Channel.TEXT))
APP_OR_TEXT_2_TEXT_UNSAFE = dataclasses.replace(APP_OR_TEXT_2, unsafe_channel=Channel.TEXT)


def contact(
    at: datetime,
    outcome: Outcome = Outcome.REACHED,
    update: UpdateGiven = UpdateGiven.NEWS,
    channel: Channel = Channel.TEXT,
    direction: Direction = Direction.OUTBOUND,
    **extra: Any,
) -> Contact:
    return Contact(
        at=at, channel=channel, direction=direction, outcome=outcome, update_given=update, **extra
    )


def no_answer(at: datetime) -> Contact:
    return contact(at, Outcome.NO_ANSWER, UpdateGiven.NONE, Channel.PHONE_CALL)


def left_message(at: datetime, channel: Channel, update: UpdateGiven = UpdateGiven.NEWS) -> Contact:
    return contact(at, Outcome.MESSAGE_LEFT, update, channel)


def decision(
    at: datetime, told_at: datetime | None = None, event_id: int = 1, label: str = ""
) -> KeyDecision:
    return KeyDecision(event_id, label or "Charging decision", at, told_at)


def clock(
    now: datetime,
    terms: Terms | None = TEXT_2,
    contacts: Sequence[Contact] = (),
    decisions: Sequence[KeyDecision] = (),
    status: CaseStatus = CaseStatus.OPEN,
    started_at: datetime | None = None,
    enhanced_rights: bool = True,
) -> Clock:
    return compute_clock(
        terms=terms,
        status=status,
        contacts=contacts,
        key_decisions=decisions,
        started_at=started_at or london(2026, 3, 1, 9),
        enhanced_rights=enhanced_rights,
        now=now,
    )


# --- counts_as_update ---------------------------------------------------------------------

MON = london(2026, 3, 2, 10)


@pytest.mark.parametrize(
    ("found", "terms", "counts"),
    [
        pytest.param(contact(MON), TEXT_2, True, id="reached-with-news"),
        pytest.param(
            contact(MON, update=UpdateGiven.NO_NEWS_ACTIVE), TEXT_2, True, id="reached-no-news"
        ),
        pytest.param(contact(MON, update=UpdateGiven.NONE), TEXT_2, False, id="reached-no-update"),
        pytest.param(
            contact(MON, Outcome.VICTIM_GOT_IN_TOUCH, UpdateGiven.NO_NEWS_ACTIVE, Channel.EMAIL),
            TEXT_2,
            True,
            id="victim-got-in-touch-any-channel",
        ),
        pytest.param(no_answer(MON), TEXT_OR_CALL_2, False, id="no-answer"),
        pytest.param(contact(MON, Outcome.DECLINED), TEXT_2, False, id="declined"),
        pytest.param(contact(MON, Outcome.RESCHEDULED), TEXT_2, False, id="rescheduled"),
        pytest.param(left_message(MON, Channel.TEXT), TEXT_2, True, id="text-accepted"),
        pytest.param(
            left_message(MON, Channel.TEXT, UpdateGiven.NONE), TEXT_2, False, id="text-no-update"
        ),
        pytest.param(
            left_message(MON, Channel.MESSAGING_APP), APP_OR_TEXT_2, True, id="app-accepted"
        ),
        pytest.param(
            left_message(MON, Channel.TEXT), APP_OR_TEXT_2_TEXT_UNSAFE, False, id="text-unsafe"
        ),
        pytest.param(left_message(MON, Channel.EMAIL), TEXT_2, False, id="email-not-agreed"),
        pytest.param(left_message(MON, Channel.PHONE_CALL), CALL_2, True, id="voicemail-allowed"),
        pytest.param(
            left_message(MON, Channel.PHONE_CALL),
            CALL_2_NO_VOICEMAIL,
            False,
            id="voicemail-ruled-out",
        ),
        pytest.param(
            left_message(MON, Channel.PHONE_CALL, UpdateGiven.NONE),
            CALL_2,
            False,
            id="voicemail-no-update",
        ),
        pytest.param(
            left_message(MON, Channel.PHONE_CALL), TEXT_2, False, id="voicemail-phone-not-agreed"
        ),
        pytest.param(
            left_message(MON, Channel.PHONE_CALL),
            dataclasses.replace(CALL_2, unsafe_channel=Channel.PHONE_CALL),
            False,
            id="voicemail-phone-unsafe",
        ),
        pytest.param(
            left_message(MON, Channel.VIA_NGO),
            Terms(2, (Channel.VIA_NGO,)),
            False,
            id="message-left-with-ngo",
        ),
    ],
)
def test_counts_as_update(found: Contact, terms: Terms, counts: bool) -> None:
    assert counts_as_update(found, terms) is counts


# --- compute_clock: the interval rule -----------------------------------------------------

MON_1105 = [contact(london(2026, 3, 2, 11, 5))]
MON_0900 = [contact(london(2026, 3, 2, 9))]

INTERVAL_SCENARIOS = [
    pytest.param(
        {"now": london(2026, 3, 3, 12), "contacts": MON_1105},
        {
            "state": ClockState.ON_TRACK,
            "last_update_at": london(2026, 3, 2, 11, 5),
            "due_at": london(2026, 3, 4, 11, 5),
            "overdue_at": london(2026, 3, 5),
            "next_look_at": london(2026, 3, 4, 11, 5),
            "sentence": (
                "On track: next update due Wednesday 4 March 11:05, every 2 days by text message."
            ),
        },
        id="every-2-days-text/on-track",
    ),
    pytest.param(
        {"now": london(2026, 3, 4, 11, 5) - SECOND, "contacts": MON_1105},
        {"state": ClockState.ON_TRACK, "next_look_at": london(2026, 3, 4, 11, 5)},
        id="every-2-days-text/one-second-before-due",
    ),
    pytest.param(
        {"now": london(2026, 3, 4, 11, 5), "contacts": MON_1105},
        {
            "state": ClockState.DUE,
            "next_look_at": london(2026, 3, 5),
            "sentence": (
                "Due Wednesday 4 March: every 2 days by text message, last update Monday 2 "
                "March 11:05."
            ),
        },
        id="every-2-days-text/exactly-at-due",
    ),
    pytest.param(
        {"now": london(2026, 3, 5) - SECOND, "contacts": MON_1105},
        {"state": ClockState.DUE, "overdue_by": timedelta(0)},
        id="every-2-days-text/one-second-before-overdue",
    ),
    pytest.param(
        {"now": london(2026, 3, 5), "contacts": MON_1105},
        {
            "state": ClockState.OVERDUE,
            "overdue_by": timedelta(0),
            "escalate": False,
            "next_look_at": london(2026, 3, 7),
            "sentence": (
                "Overdue since the end of Wednesday 4 March: every 2 days by text message, "
                "last update Monday 2 March 11:05."
            ),
        },
        id="every-2-days-text/exactly-at-overdue",
    ),
    pytest.param(
        {"now": london(2026, 3, 5, 6, 30), "contacts": MON_1105},
        {"state": ClockState.OVERDUE, "overdue_by": timedelta(hours=6, minutes=30)},
        id="every-2-days-text/overdue-by",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 12, 9),
            "terms": CALL_WEEKLY,
            "contacts": [contact(london(2026, 3, 3, 10), channel=Channel.PHONE_CALL)],
        },
        {
            "state": ClockState.OVERDUE,
            "due_at": london(2026, 3, 10, 10),
            "overdue_at": london(2026, 3, 10, 18),
            "overdue_by": timedelta(days=1, hours=15),
            "escalate": False,
            "next_look_at": london(2026, 3, 17, 18),
            "sentence": (
                "Overdue since Tuesday 10 March 18:00: every 7 days by phone call, last "
                "update Tuesday 3 March 10:00."
            ),
        },
        id="weekly-call/overdue",
    ),
    pytest.param(
        {"now": london(2026, 3, 3, 12), "started_at": london(2026, 3, 2, 9)},
        {"state": ClockState.ON_TRACK, "last_update_at": None, "due_at": london(2026, 3, 4, 9)},
        id="no-update-yet/counts-from-start",
    ),
    pytest.param(
        {"now": london(2026, 3, 4, 10), "started_at": london(2026, 3, 2, 9)},
        {
            "state": ClockState.DUE,
            "sentence": "Due Wednesday 4 March: every 2 days by text message, no update yet.",
        },
        id="no-update-yet/due",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 8, 12),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 5, 11))],
        },
        {
            "state": ClockState.ON_TRACK,
            "due_at": london(2026, 3, 9, 9),
            "overdue_at": london(2026, 3, 9, 17),
            "next_look_at": london(2026, 3, 9, 9),
            "sentence": (
                "On track: next update due Monday 9 March 09:00, every 2 days by text message."
            ),
        },
        id="saturday-due-weekday-windows/moves-to-monday",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 9, 9),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 5, 11))],
        },
        {"state": ClockState.DUE, "next_look_at": london(2026, 3, 9, 17)},
        id="saturday-due-weekday-windows/at-monday-opening",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 9, 17) - SECOND,
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 5, 11))],
        },
        {"state": ClockState.DUE},
        id="saturday-due-weekday-windows/second-before-monday-close",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 9, 17),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 5, 11))],
        },
        {
            "state": ClockState.OVERDUE,
            "sentence": (
                "Overdue since Monday 9 March 17:00: every 2 days by text message, last "
                "update Thursday 5 March 11:00."
            ),
        },
        id="saturday-due-weekday-windows/at-monday-close",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 3),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 2, 11))],
        },
        {"due_at": london(2026, 3, 4, 11), "overdue_at": london(2026, 3, 4, 17)},
        id="windows/due-inside-window-overdue-at-its-close",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 3),
            "terms": dataclasses.replace(
                TEXT_2_OFFICE,
                windows=(
                    Window(frozenset({2}), time(9), time(12)),
                    Window(frozenset({2}), time(11), time(13)),
                    Window(frozenset({2}), time(13), time(15)),
                ),
            ),
            "contacts": [contact(london(2026, 3, 2, 10))],
        },
        {"due_at": london(2026, 3, 4, 10), "overdue_at": london(2026, 3, 4, 15)},
        id="windows/overlapping-and-touching-windows-join",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 3),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 2, 7))],
        },
        {"due_at": london(2026, 3, 4, 9), "overdue_at": london(2026, 3, 4, 17)},
        id="windows/due-before-opening-waits-for-it",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 3),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 2, 19))],
        },
        {"due_at": london(2026, 3, 5, 9), "overdue_at": london(2026, 3, 5, 17)},
        id="windows/due-after-close-moves-to-next-day",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5, 12),
            "contacts": [
                *MON_0900,
                contact(london(2026, 3, 4, 8), update=UpdateGiven.NO_NEWS_ACTIVE),
            ],
        },
        {
            "state": ClockState.ON_TRACK,
            "last_update_at": london(2026, 3, 4, 8),
            "due_at": london(2026, 3, 6, 8),
        },
        id="no-news-update-resets-clock",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5),
            "terms": TEXT_OR_CALL_2,
            "contacts": [*MON_0900, *(no_answer(london(2026, 3, 4, h)) for h in (10, 11, 12))],
        },
        {"state": ClockState.OVERDUE, "last_update_at": london(2026, 3, 2, 9)},
        id="three-unanswered-calls-do-not-reset",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5),
            "contacts": [*MON_0900, contact(london(2026, 3, 4, 10), update=UpdateGiven.NONE)],
        },
        {"state": ClockState.OVERDUE, "last_update_at": london(2026, 3, 2, 9)},
        id="reached-without-update-does-not-reset",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5, 12),
            "terms": CALL_2,
            "contacts": [*MON_0900, left_message(london(2026, 3, 4, 10), Channel.PHONE_CALL)],
        },
        {"state": ClockState.ON_TRACK, "last_update_at": london(2026, 3, 4, 10)},
        id="voicemail-counts",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5, 12),
            "terms": CALL_2_NO_VOICEMAIL,
            "contacts": [*MON_0900, left_message(london(2026, 3, 4, 10), Channel.PHONE_CALL)],
        },
        {"state": ClockState.OVERDUE, "last_update_at": london(2026, 3, 2, 9)},
        id="voicemail-ruled-out-does-not-count",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5, 12),
            "terms": APP_OR_TEXT_2,
            "contacts": [*MON_0900, left_message(london(2026, 3, 4, 10), Channel.TEXT)],
        },
        {
            "state": ClockState.ON_TRACK,
            "sentence": (
                "On track: next update due Friday 6 March 10:00, every 2 days by messaging app."
            ),
        },
        id="written-message-accepted-channel-counts",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5, 12),
            "terms": APP_OR_TEXT_2_TEXT_UNSAFE,
            "contacts": [*MON_0900, left_message(london(2026, 3, 4, 10), Channel.TEXT)],
        },
        {"state": ClockState.OVERDUE, "last_update_at": london(2026, 3, 2, 9)},
        id="written-message-unsafe-channel-does-not-count",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 5, 9),
            "contacts": [*MON_0900, contact(london(2026, 3, 5, 10))],
        },
        {
            "state": ClockState.OVERDUE,
            "last_update_at": london(2026, 3, 2, 9),
            "next_look_at": london(2026, 3, 5, 10),
        },
        id="contacts-after-now-ignored-until-they-happen",
    ),
    pytest.param(
        {"now": london(2026, 3, 6, 12), "terms": TEXT_7, "contacts": MON_0900},
        {"state": ClockState.ON_TRACK, "due_at": london(2026, 3, 9, 9)},
        id="interval-shortened/weekly-on-track",
    ),
    pytest.param(
        {"now": london(2026, 3, 6, 12), "terms": TEXT_2, "contacts": MON_0900},
        {"state": ClockState.OVERDUE, "overdue_at": london(2026, 3, 5)},
        id="interval-shortened/2-days-overdue-at-once",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 3),
            "terms": Terms(1, ()),
            "contacts": [contact(london(2026, 3, 2, 9))],
        },
        {"sentence": "On track: next update due Tuesday 3 March 09:00, every day."},
        id="sentence/every-day-no-channel",
    ),
    # Clocks go back on Sunday 25 October 2026: the due time keeps its London wall-clock time.
    pytest.param(
        {"now": london(2026, 10, 24, 12), "contacts": [contact(london(2026, 10, 23, 10))]},
        {
            "due_at": utc(2026, 10, 25, 10),  # 10:00 GMT; the update was at 09:00 UTC
            "overdue_at": utc(2026, 10, 26, 0),
        },
        id="clocks-back/due-same-wall-clock",
    ),
    pytest.param(
        {
            "now": london(2026, 10, 24, 12),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 10, 23, 10))],
        },
        {"due_at": utc(2026, 10, 26, 9), "overdue_at": utc(2026, 10, 26, 17)},
        id="clocks-back/window-opens-0900-gmt",
    ),
    pytest.param(
        {"now": london(2026, 10, 24, 12), "contacts": [contact(london(2026, 10, 23, 1, 30))]},
        {"due_at": utc(2026, 10, 25, 0, 30)},  # 01:30 happens twice; the first one is due
        id="clocks-back/ambiguous-time-takes-first",
    ),
    # Clocks go forward on Sunday 29 March 2026.
    pytest.param(
        {"now": london(2026, 3, 28, 12), "contacts": [contact(london(2026, 3, 27, 10))]},
        {"due_at": utc(2026, 3, 29, 9), "overdue_at": utc(2026, 3, 29, 23)},
        id="clocks-forward/due-same-wall-clock",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 28, 12),
            "terms": TEXT_2_OFFICE,
            "contacts": [contact(london(2026, 3, 27, 10))],
        },
        {"due_at": utc(2026, 3, 30, 8), "overdue_at": utc(2026, 3, 30, 16)},
        id="clocks-forward/window-opens-0900-bst",
    ),
    pytest.param(
        {"now": london(2026, 3, 28, 12), "contacts": [contact(london(2026, 3, 27, 1, 30))]},
        {"due_at": utc(2026, 3, 29, 1)},  # 01:30 does not exist; 02:00 BST is the first after
        id="clocks-forward/missing-time-moves-to-jump",
    ),
]


@pytest.mark.parametrize(("given", "expected"), INTERVAL_SCENARIOS)
def test_interval_rule(given: dict[str, Any], expected: dict[str, Any]) -> None:
    result = clock(**given)
    assert {field: getattr(result, field) for field in expected} == expected


# --- compute_clock: key decisions, status, escalation, review ------------------------------

FRI_1500 = london(2026, 3, 6, 15)
END_OF_MON_9_MAR = london(2026, 3, 10)
UPDATED_MON_9 = [contact(london(2026, 3, 9, 9))]
CHARGING_LATE = LateDecision(1, "Charging decision", END_OF_MON_9_MAR)

OTHER_SCENARIOS = [
    pytest.param(
        {
            "now": london(2026, 3, 6, 16),
            "contacts": [contact(london(2026, 3, 6, 9))],
            "decisions": [decision(FRI_1500)],
        },
        {
            "state": ClockState.DUE,
            "decision_deadline": END_OF_MON_9_MAR,
            "late_decisions": (),
            "next_look_at": london(2026, 3, 8, 9),
            "sentence": (
                "Due: the victim must be told of a key decision: charging decision by the end"
                " of Monday 9 March."
            ),
        },
        id="key-decision-friday-afternoon/due-now",
    ),
    pytest.param(
        {
            "now": END_OF_MON_9_MAR - SECOND,
            "contacts": UPDATED_MON_9,
            "decisions": [decision(FRI_1500)],
        },
        {"state": ClockState.DUE, "late_decisions": (), "next_look_at": END_OF_MON_9_MAR},
        id="key-decision-friday-afternoon/second-before-end-of-monday",
    ),
    pytest.param(
        {"now": END_OF_MON_9_MAR, "contacts": UPDATED_MON_9, "decisions": [decision(FRI_1500)]},
        {
            "state": ClockState.OVERDUE,
            "overdue_by": timedelta(0),
            "late_decisions": (CHARGING_LATE,),
            "sentence": (
                "Overdue: the victim has not been told of a key decision: charging decision "
                "(due by the end of Monday 9 March)."
            ),
        },
        id="key-decision-friday-afternoon/late-at-end-of-monday",
    ),
    pytest.param(
        {
            "now": END_OF_MON_9_MAR,
            "contacts": UPDATED_MON_9,
            "decisions": [decision(FRI_1500)],
            "enhanced_rights": False,
        },
        {"state": ClockState.DUE, "decision_deadline": london(2026, 3, 14)},
        id="key-decision-friday-afternoon/standard-end-of-5th-working-day",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 14),
            "contacts": [contact(london(2026, 3, 13, 9))],
            "decisions": [decision(FRI_1500)],
            "enhanced_rights": False,
        },
        {
            "state": ClockState.OVERDUE,
            "late_decisions": (LateDecision(1, "Charging decision", london(2026, 3, 14)),),
        },
        id="key-decision-friday-afternoon/standard-late-after-friday",
    ),
    pytest.param(
        {
            "now": london(2026, 5, 5, 12),
            "contacts": [contact(london(2026, 5, 4, 10))],
            "decisions": [decision(london(2026, 5, 1, 15))],
        },
        {
            "state": ClockState.DUE,
            "decision_deadline": london(2026, 5, 6),
            "sentence": (
                "Due: the victim must be told of a key decision: charging decision by the end"
                " of Tuesday 5 May."
            ),
        },
        id="key-decision-bank-holiday-monday/due-tuesday",
    ),
    pytest.param(
        {
            "now": london(2026, 5, 6),
            "contacts": [contact(london(2026, 5, 4, 10))],
            "decisions": [decision(london(2026, 5, 1, 15))],
        },
        {
            "state": ClockState.OVERDUE,
            "sentence": (
                "Overdue: the victim has not been told of a key decision: charging decision "
                "(due by the end of Tuesday 5 May)."
            ),
        },
        id="key-decision-bank-holiday-monday/late-wednesday",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 10),
            "contacts": MON_1105,
            "decisions": [decision(FRI_1500)],
        },
        {
            "state": ClockState.OVERDUE,
            "sentence": (
                "Overdue since the end of Wednesday 4 March: every 2 days by text message, "
                "last update Monday 2 March 11:05; the victim has not been told of a key "
                "decision: charging decision (due by the end of Monday 9 March)."
            ),
        },
        id="key-decision-late-and-interval-overdue",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 7, 12),
            "contacts": [contact(london(2026, 3, 5, 10))],
            "decisions": [
                decision(london(2026, 3, 5, 15)),
                decision(london(2026, 3, 5, 16), event_id=2, label="Arrest"),
            ],
        },
        {
            "state": ClockState.OVERDUE,
            "overdue_by": timedelta(0),
            "late_decisions": (
                LateDecision(1, "Charging decision", london(2026, 3, 7)),
                LateDecision(2, "Arrest", london(2026, 3, 7)),
            ),
            "sentence": (
                "Overdue: the victim has not been told of key decisions: charging decision "
                "(due by the end of Friday 6 March) and arrest (due by the end of Friday 6 "
                "March); an update is also due Saturday 7 March: every 2 days by text "
                "message, last update Thursday 5 March 10:00."
            ),
        },
        id="key-decisions-late-while-interval-only-due",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 4, 12),
            "contacts": MON_1105,
            "decisions": [decision(london(2026, 3, 4, 9))],
        },
        {
            "state": ClockState.DUE,
            "sentence": (
                "Due Wednesday 4 March: every 2 days by text message, last update Monday 2 "
                "March 11:05; the victim must be told of a key decision: charging decision by"
                " the end of Thursday 5 March."
            ),
        },
        id="key-decision-pending-while-interval-due",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 7, 10),
            "contacts": [contact(london(2026, 3, 6, 9))],
            "decisions": [decision(FRI_1500, told_at=london(2026, 3, 6, 17))],
        },
        {"state": ClockState.ON_TRACK, "decision_deadline": None, "late_decisions": ()},
        id="key-decision-told-clears",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 7, 10),
            "contacts": [contact(london(2026, 3, 6, 9))],
            "decisions": [decision(FRI_1500, told_at=london(2026, 3, 9, 10))],
        },
        {"state": ClockState.DUE, "decision_deadline": END_OF_MON_9_MAR},
        id="key-decision-told-after-now-still-untold",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 6, 12),
            "contacts": [contact(london(2026, 3, 6, 9))],
            "decisions": [decision(FRI_1500)],
        },
        {"state": ClockState.ON_TRACK, "decision_deadline": None, "next_look_at": FRI_1500},
        id="key-decision-in-the-future-not-yet-counted",
    ),
    pytest.param(
        {
            "now": END_OF_MON_9_MAR,
            "contacts": MON_1105,
            "decisions": [decision(FRI_1500)],
            "status": CaseStatus.PAUSED,
        },
        {
            "state": ClockState.PAUSED,
            "due_at": None,
            "overdue_at": None,
            "overdue_by": timedelta(0),
            "escalate": False,
            "decision_deadline": None,
            "late_decisions": (),
            "review_overdue": False,
            "next_look_at": None,
            "sentence": "Paused at the victim's request: no updates are due.",
        },
        id="paused",
    ),
    pytest.param(
        {
            "now": END_OF_MON_9_MAR,
            "contacts": MON_1105,
            "decisions": [decision(FRI_1500)],
            "status": CaseStatus.CLOSED,
        },
        {
            "state": ClockState.CLOSED,
            "due_at": None,
            "late_decisions": (),
            "next_look_at": None,
            "sentence": "Closed: no updates are due.",
        },
        id="closed",
    ),
    pytest.param(
        {"now": london(2026, 3, 6, 16), "terms": None, "contacts": MON_1105},
        {
            "state": ClockState.NO_AGREEMENT,
            "last_update_at": None,
            "due_at": None,
            "next_look_at": None,
            "sentence": "No communication agreement: agree one with the victim.",
        },
        id="no-agreement",
    ),
    pytest.param(
        {"now": END_OF_MON_9_MAR, "terms": None, "decisions": [decision(FRI_1500)]},
        {
            "state": ClockState.NO_AGREEMENT,
            "decision_deadline": END_OF_MON_9_MAR,
            "late_decisions": (CHARGING_LATE,),
            "next_look_at": None,
            "sentence": (
                "No communication agreement: agree one with the victim; the victim has not "
                "been told of a key decision: charging decision (due by the end of Monday 9 "
                "March)."
            ),
        },
        id="no-agreement-key-decisions-still-apply",
    ),
    pytest.param(
        {"now": london(2026, 3, 7) - SECOND, "contacts": MON_1105},
        {"state": ClockState.OVERDUE, "escalate": False, "next_look_at": london(2026, 3, 7)},
        id="escalate/one-second-before",
    ),
    pytest.param(
        {"now": london(2026, 3, 7), "contacts": MON_1105},
        {
            "state": ClockState.OVERDUE,
            "escalate": True,
            "overdue_by": timedelta(days=2),
            "next_look_at": None,
        },
        id="escalate/exactly-at-overdue-plus-interval",
    ),
    pytest.param(
        {"now": london(2026, 10, 27) - SECOND, "contacts": [contact(london(2026, 10, 22, 10))]},
        {"overdue_at": utc(2026, 10, 24, 23), "escalate": False},
        id="escalate/across-clocks-back-one-second-before",
    ),
    pytest.param(
        {"now": london(2026, 10, 27), "contacts": [contact(london(2026, 10, 22, 10))]},
        {"escalate": True, "overdue_by": timedelta(days=2, hours=1)},
        id="escalate/across-clocks-back-at-midnight-gmt",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 4) - SECOND,
            "terms": dataclasses.replace(TEXT_2, review_by=date(2026, 3, 3)),
            "contacts": MON_1105,
        },
        {"review_overdue": False, "next_look_at": london(2026, 3, 4)},
        id="review/not-overdue-on-review-day",
    ),
    pytest.param(
        {
            "now": london(2026, 3, 4),
            "terms": dataclasses.replace(TEXT_2, review_by=date(2026, 3, 3)),
            "contacts": MON_1105,
        },
        {"review_overdue": True, "state": ClockState.ON_TRACK},
        id="review/overdue-the-day-after",
    ),
    pytest.param(
        {
            "now": utc(2026, 6, 1, 23) - SECOND,
            "terms": dataclasses.replace(TEXT_7, review_by=date(2026, 6, 1)),
            "contacts": [contact(london(2026, 5, 31, 12))],
        },
        {"review_overdue": False},
        id="review/bst-still-review-day",
    ),
    pytest.param(
        {
            "now": utc(2026, 6, 1, 23, 30),  # 00:30 on 2 June in London
            "terms": dataclasses.replace(TEXT_7, review_by=date(2026, 6, 1)),
            "contacts": [contact(london(2026, 5, 31, 12))],
        },
        {"review_overdue": True},
        id="review/bst-day-after-by-london-date",
    ),
]


@pytest.mark.parametrize(("given", "expected"), OTHER_SCENARIOS)
def test_decisions_status_review(given: dict[str, Any], expected: dict[str, Any]) -> None:
    result = clock(**given)
    assert {field: getattr(result, field) for field in expected} == expected


# --- working days --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "working_days", "deadline"),
    [
        pytest.param(london(2026, 3, 2, 10), 1, london(2026, 3, 4), id="monday-end-of-tuesday"),
        pytest.param(FRI_1500, 1, END_OF_MON_9_MAR, id="friday-afternoon-end-of-monday"),
        pytest.param(FRI_1500, 5, london(2026, 3, 14), id="friday-standard-end-of-next-friday"),
        pytest.param(london(2026, 3, 7, 10), 1, END_OF_MON_9_MAR, id="saturday-end-of-monday"),
        pytest.param(london(2026, 3, 8, 23, 30), 1, END_OF_MON_9_MAR, id="sunday-late"),
        pytest.param(london(2026, 5, 1, 15), 1, london(2026, 5, 6), id="early-may-bank-holiday"),
        pytest.param(london(2026, 5, 1, 15), 5, london(2026, 5, 12), id="early-may-standard"),
        pytest.param(london(2026, 8, 28, 15), 1, london(2026, 9, 2), id="summer-bank-holiday"),
        pytest.param(london(2026, 4, 2, 12), 1, london(2026, 4, 8), id="easter"),
        pytest.param(london(2026, 12, 24, 10), 1, london(2026, 12, 30), id="christmas"),
        pytest.param(london(2026, 12, 31, 10), 1, london(2027, 1, 5), id="new-year-next-year"),
        pytest.param(
            utc(2026, 5, 31, 23, 30), 1, london(2026, 6, 3), id="london-date-not-utc-date"
        ),
        pytest.param(
            london(2026, 10, 23, 23, 30), 1, utc(2026, 10, 27), id="over-clocks-back-weekend"
        ),
    ],
)
def test_working_day_deadline(at: datetime, working_days: int, deadline: datetime) -> None:
    assert working_day_deadline(at, working_days) == deadline


def test_working_day_deadline_needs_a_day() -> None:
    with pytest.raises(ValueError, match="at least one working day"):
        working_day_deadline(FRI_1500, 0)


# --- windows -------------------------------------------------------------------------------

EVERY_DAY_9_TO_5 = (Window(frozenset(range(7)), time(9), time(17)),)
SPRING_NIGHT = (Window(frozenset({6}), time(1), time(3)),)
TOUCHING = (
    Window(frozenset({0}), time(9), time(12)),
    Window(frozenset({0}), time(12), time(15)),
)


@pytest.mark.parametrize(
    ("moment", "windows", "inside"),
    [
        pytest.param(london(2026, 3, 2, 3), (), True, id="no-windows-any-time"),
        pytest.param(london(2026, 3, 2, 9), (OFFICE,), True, id="at-opening"),
        pytest.param(london(2026, 3, 2, 9) - SECOND, (OFFICE,), False, id="second-before-opening"),
        pytest.param(london(2026, 3, 2, 17) - SECOND, (OFFICE,), True, id="second-before-close"),
        pytest.param(london(2026, 3, 2, 17), (OFFICE,), False, id="at-close"),
        pytest.param(london(2026, 3, 7, 10), (OFFICE,), False, id="weekend-day"),
        pytest.param(utc(2026, 10, 24, 8), EVERY_DAY_9_TO_5, True, id="bst-0900-is-0800-utc"),
        pytest.param(utc(2026, 10, 25, 8), EVERY_DAY_9_TO_5, False, id="gmt-0800-utc-too-early"),
        pytest.param(utc(2026, 10, 25, 9), EVERY_DAY_9_TO_5, True, id="gmt-0900-utc-opens"),
        pytest.param(utc(2026, 3, 30, 8), EVERY_DAY_9_TO_5, True, id="spring-bst-opens-0800-utc"),
        pytest.param(
            utc(2026, 3, 30, 8) - SECOND, EVERY_DAY_9_TO_5, False, id="spring-second-before"
        ),
        pytest.param(utc(2026, 3, 29, 0, 59), SPRING_NIGHT, False, id="gap-before-jump"),
        pytest.param(utc(2026, 3, 29, 1), SPRING_NIGHT, True, id="gap-window-opens-at-jump"),
        pytest.param(london(2026, 3, 2, 12), TOUCHING, True, id="touching-windows-join"),
    ],
)
def test_is_within_windows(moment: datetime, windows: tuple[Window, ...], inside: bool) -> None:
    assert is_within_windows(moment, windows) is inside


@pytest.mark.parametrize(
    ("weekdays", "start", "end", "message"),
    [
        pytest.param(frozenset({0}), time(17), time(9), "end after it starts", id="overnight"),
        pytest.param(frozenset({0}), time(9), time(9), "end after it starts", id="empty"),
        pytest.param(frozenset({7}), time(9), time(17), "weekdays", id="bad-weekday"),
        pytest.param(frozenset(), time(9), time(17), "weekdays", id="no-weekdays"),
    ],
)
def test_window_rejects_nonsense(
    weekdays: frozenset[int], start: time, end: time, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Window(weekdays, start, end)


def test_terms_need_an_interval_of_a_day() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        Terms(interval_days=0, channels=(Channel.TEXT,))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        clock(datetime(2026, 3, 2, 9))  # noqa: DTZ001


# --- agreement_breaches --------------------------------------------------------------------

STRICT = Terms(
    interval_days=2,
    channels=(Channel.TEXT, Channel.PHONE_CALL),
    windows=(OFFICE,),
    avoid=frozenset(AvoidFlag),
    unsafe_channel=Channel.MESSAGING_APP,
)
RELAXED = Terms(interval_days=2, channels=(Channel.TEXT, Channel.PHONE_CALL))
TUE_10 = london(2026, 3, 3, 10)
UNSAFE = "used the channel marked unsafe: messaging app"
OUTSIDE_SUNDAY = "outside the agreed contact windows (Sunday 8 March 22:10)"
POLICE = "met at a police station, which the victim ruled out"
VOICEMAIL = "left a voicemail, which the victim ruled out"
WITHHELD = "called from a withheld number, which the victim ruled out"


@pytest.mark.parametrize(
    ("found", "terms", "reasons"),
    [
        pytest.param(contact(TUE_10), STRICT, (), id="all-within-agreement"),
        pytest.param(
            contact(TUE_10, channel=Channel.MESSAGING_APP),
            STRICT,
            (UNSAFE, "used a channel not in the agreement: messaging app"),
            id="unsafe-channel",
        ),
        pytest.param(
            contact(TUE_10, channel=Channel.PHONE_CALL),
            dataclasses.replace(STRICT, unsafe_channel=Channel.PHONE_CALL),
            ("used the channel marked unsafe: phone call",),
            id="unsafe-channel-even-if-listed",
        ),
        pytest.param(
            contact(TUE_10, channel=Channel.EMAIL),
            STRICT,
            ("used a channel not in the agreement: email",),
            id="channel-not-agreed",
        ),
        pytest.param(
            contact(london(2026, 3, 8, 22, 10)), STRICT, (OUTSIDE_SUNDAY,), id="outside-windows"
        ),
        pytest.param(contact(london(2026, 3, 8, 22, 10)), RELAXED, (), id="no-windows-any-time"),
        pytest.param(contact(london(2026, 3, 3, 9)), STRICT, (), id="window-opening"),
        pytest.param(
            contact(london(2026, 3, 3, 9) - SECOND),
            STRICT,
            ("outside the agreed contact windows (Tuesday 3 March 08:59)",),
            id="second-before-window",
        ),
        pytest.param(contact(london(2026, 3, 3, 17) - SECOND), STRICT, (), id="last-second"),
        pytest.param(
            contact(london(2026, 3, 3, 17)),
            STRICT,
            ("outside the agreed contact windows (Tuesday 3 March 17:00)",),
            id="window-close",
        ),
        pytest.param(
            contact(TUE_10, place=Place.POLICE_STATION), STRICT, (POLICE,), id="police-station"
        ),
        pytest.param(
            contact(TUE_10, place=Place.POLICE_STATION), RELAXED, (), id="police-station-allowed"
        ),
        pytest.param(contact(TUE_10, place=Place.COURT), STRICT, (), id="court-is-not-police"),
        pytest.param(
            left_message(TUE_10, Channel.PHONE_CALL), STRICT, (VOICEMAIL,), id="voicemail"
        ),
        pytest.param(left_message(TUE_10, Channel.PHONE_CALL), RELAXED, (), id="voicemail-allowed"),
        pytest.param(no_answer(TUE_10), STRICT, (), id="no-answer-no-voicemail"),
        pytest.param(left_message(TUE_10, Channel.TEXT), STRICT, (), id="text-message-left"),
        pytest.param(
            contact(TUE_10, channel=Channel.PHONE_CALL, number_withheld=True),
            STRICT,
            (WITHHELD,),
            id="withheld-number",
        ),
        pytest.param(
            contact(TUE_10, channel=Channel.PHONE_CALL, number_withheld=True),
            RELAXED,
            (),
            id="withheld-number-allowed",
        ),
        pytest.param(
            contact(
                london(2026, 3, 8, 22, 10),
                Outcome.MESSAGE_LEFT,
                channel=Channel.PHONE_CALL,
                place=Place.POLICE_STATION,
                number_withheld=True,
            ),
            dataclasses.replace(STRICT, unsafe_channel=Channel.PHONE_CALL),
            (
                "used the channel marked unsafe: phone call",
                OUTSIDE_SUNDAY,
                POLICE,
                VOICEMAIL,
                WITHHELD,
            ),
            id="everything-at-once",
        ),
        pytest.param(
            contact(
                london(2026, 3, 8, 22, 10),
                Outcome.VICTIM_GOT_IN_TOUCH,
                channel=Channel.MESSAGING_APP,
                direction=Direction.INBOUND,
                place=Place.POLICE_STATION,
                number_withheld=True,
            ),
            STRICT,
            (),
            id="inbound-never-breaches",
        ),
    ],
)
def test_agreement_breaches(found: Contact, terms: Terms, reasons: tuple[str, ...]) -> None:
    assert agreement_breaches(found, terms) == reasons


# --- next_look_at: the result only ever changes at it ---------------------------------------


def _settled(result: Clock) -> Clock:
    # overdue_by grows with every tick by design; everything else must hold until next_look_at.
    return dataclasses.replace(result, overdue_by=timedelta(0))


SWEEP_SCENARIOS = [
    pytest.param(
        {
            "terms": Terms(
                interval_days=2,
                channels=(Channel.TEXT, Channel.PHONE_CALL),
                windows=(OFFICE, Window(frozenset({5}), time(10), time(12))),
                review_by=date(2026, 10, 28),
            ),
            "contacts": [
                contact(london(2026, 10, 20, 11)),
                no_answer(london(2026, 10, 22, 14)),
                contact(london(2026, 10, 26, 9, 30), update=UpdateGiven.NO_NEWS_ACTIVE),
                left_message(london(2026, 10, 30, 16), Channel.TEXT),
            ],
            "decisions": [
                decision(london(2026, 10, 23, 15), told_at=london(2026, 10, 27, 10)),
                decision(london(2026, 10, 31, 10), event_id=2, label="Arrest"),
            ],
            "started_at": london(2026, 10, 1),
        },
        london(2026, 10, 19, 0, 17, 30),
        id="windows-decisions-review-over-clocks-back",
    ),
    pytest.param(
        {
            "terms": Terms(
                interval_days=7,
                channels=(Channel.PHONE_CALL,),
                avoid=frozenset({AvoidFlag.NO_VOICEMAIL}),
                review_by=date(2026, 4, 1),
            ),
            "contacts": [
                contact(london(2026, 3, 23, 18), channel=Channel.PHONE_CALL),
                left_message(london(2026, 4, 1, 10), Channel.PHONE_CALL),
            ],
            "decisions": [decision(london(2026, 4, 2, 12))],
            "started_at": london(2026, 3, 1),
            "enhanced_rights": False,
        },
        london(2026, 3, 23, 0, 42),
        id="weekly-standard-rights-over-clocks-forward-and-easter",
    ),
    pytest.param(
        {
            "terms": Terms(
                interval_days=1,
                channels=(Channel.TEXT,),
                windows=(*SPRING_NIGHT, Window(WEEKDAYS, time(9), time(10))),
            ),
            "started_at": london(2026, 3, 20, 12),
        },
        london(2026, 3, 22, 0, 5),
        id="daily-no-contact-window-in-spring-gap",
    ),
    pytest.param(
        {
            "terms": None,
            "decisions": [
                decision(london(2026, 4, 30, 16)),
                decision(london(2026, 5, 8, 9), event_id=2, told_at=london(2026, 5, 12, 9)),
            ],
        },
        london(2026, 4, 29, 0, 30),
        id="no-agreement-decisions-over-bank-holiday",
    ),
]


@pytest.mark.parametrize(("given", "start"), SWEEP_SCENARIOS)
def test_next_look_at_is_the_next_change_point(given: dict[str, Any], start: datetime) -> None:
    nows = [start + timedelta(hours=h) for h in range(14 * 24)]
    results = [clock(now, **given) for now in nows]
    look_ats = 0
    for i, (now, result) in enumerate(zip(nows, results, strict=True)):
        look = result.next_look_at
        assert look is None or look > now, "next_look_at must never be in the past"
        for later_now, later in zip(nows[i + 1 :], results[i + 1 :], strict=True):
            if look is not None and later_now >= look:
                break
            assert _settled(later) == _settled(result), f"changed at {later_now} before {look}"
        if look is not None:
            look_ats += 1
            just_before = clock(look - timedelta(microseconds=1), **given)
            assert _settled(just_before) == _settled(result)
            assert _settled(clock(look, **given)) != _settled(result), f"nothing changed at {look}"
    assert look_ats, "the scenario should have change points to check"


@pytest.mark.parametrize(
    ("channel", "words"),
    [
        (Channel.TEXT, "every 2 days by text message"),
        (Channel.VIA_NGO, "every 2 days through the NGO caseworker"),
        (Channel.VIA_NAVIGATOR, "every 2 days through the navigator"),
    ],
)
def test_sentence_names_the_preferred_channel_as_plain_words(channel: Channel, words: str) -> None:
    result = compute_clock(
        terms=Terms(interval_days=2, channels=(channel,)),
        status=CaseStatus.OPEN,
        contacts=(),
        key_decisions=(),
        started_at=london(2026, 3, 2, 9),
        now=london(2026, 3, 2, 10),
    )
    assert words in result.sentence
