"""The pages' pure rules as tables: Today's order, what a contact changed, the chart, the
session's limits, dates in words. No database, time given."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from alerts.choices import AlertKind
from pages import changes, charts, sessions, today, words
from tests.alerts.helpers import london

NOW = london(2026, 11, 13, 10, 0)  # Friday 13 November 2026, 10:00


# --- Words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (london(2026, 11, 13, 15, 30), "today at 15:30"),
        (london(2026, 11, 14, 9, 0), "tomorrow at 09:00"),
        (london(2026, 11, 12, 9, 0), "yesterday at 09:00"),
        (london(2026, 11, 20, 9, 5), "Friday 20 November at 09:05"),
        (london(2027, 1, 4, 9, 0), "Monday 4 January 2027 at 09:00"),
        (london(2026, 11, 14, 0, 0), "the end of today"),  # midnight ends the day before
        (datetime(2026, 7, 1, 8, 0, tzinfo=UTC), "Wednesday 1 July at 09:00"),  # BST
    ],
)
def test_when_in_words(moment: datetime, text: str) -> None:
    assert words.when_words(moment, now=NOW) == text


@pytest.mark.parametrize(
    ("day", "every_year", "today_is", "next_on"),
    [
        (date(1990, 11, 15), True, date(2026, 11, 13), date(2026, 11, 15)),
        (date(1990, 11, 13), True, date(2026, 11, 13), date(2026, 11, 13)),
        (date(1990, 11, 1), True, date(2026, 11, 13), date(2027, 11, 1)),
        (date(1992, 2, 29), True, date(2027, 2, 1), date(2027, 2, 28)),
        (date(2026, 12, 1), False, date(2026, 11, 13), date(2026, 12, 1)),
        (date(2026, 11, 1), False, date(2026, 11, 13), None),
    ],
    ids=["later-this-year", "today", "next-year", "29-february", "one-off-ahead", "one-off-past"],
)
def test_when_a_date_that_matters_comes_round(
    day: date, every_year: bool, today_is: date, next_on: date | None
) -> None:
    assert today.next_occurrence(day, every_year=every_year, today=today_is) == next_on


# --- Today ---------------------------------------------------------------------------------

HOW = "Text Amira, headlines only."


def case(reference: str, **fields: object) -> today.CaseFacts:
    defaults: dict[str, object] = {
        "name": reference.title(),
        "navigator": "Nadia",
        "clock_state": "on_track",
        "update_due_at": NOW + timedelta(days=20),
        "how_to_contact": HOW,
    }
    return today.CaseFacts(reference=reference, **{**defaults, **fields})  # type: ignore[arg-type]


OVERDUE_LONG = case(
    "long",
    clock_state="overdue",
    update_due_at=NOW - timedelta(days=9),
    alerts=(today.AlertFact(AlertKind.UPDATE_OVERDUE, 3, "Overdue since Wednesday 4 November."),),
)
OVERDUE_SHORT = case(
    "short",
    clock_state="overdue",
    update_due_at=NOW - timedelta(days=1),
    alerts=(today.AlertFact(AlertKind.UPDATE_OVERDUE, 2, "Overdue since Thursday."),),
)
DUE_NOW = case(
    "due", clock_state="due", update_due_at=NOW - timedelta(hours=1),
    alerts=(today.AlertFact(AlertKind.UPDATE_DUE, 1, "Due Friday 13 November."),),
)  # fmt: skip
DUE_LATER_TODAY = case("later", update_due_at=NOW + timedelta(hours=5))
DRIFTING_HIGH = case(
    "drifting",
    alerts=(
        today.AlertFact(
            AlertKind.DISENGAGEMENT,
            3,
            "High: ...",
            level="high",
            reasons=("3 unanswered attempts in a row since Monday 9 November",),
        ),
    ),
)
DRIFTING_WATCH = case(
    "watching",
    alerts=(
        today.AlertFact(
            AlertKind.DISENGAGEMENT, 2, "Watch: ...", level="watch", reasons=("wellbeing falling",)
        ),
    ),
)
INTERVIEW_SOON = case(
    "interview",
    upcoming=(today.Upcoming(NOW + timedelta(days=3, hours=4), "Interview"),),
)
BIRTHDAY_TODAY = case(
    "birthday",
    upcoming=(today.Upcoming(words.start_of_day(date(2026, 11, 13)), "Birthday", all_day=True),),
)
ON_TRACK = case("fine")


def test_today_puts_each_case_once_in_the_order_things_need_doing() -> None:
    everyone = [
        ON_TRACK, INTERVIEW_SOON, DRIFTING_WATCH, DUE_LATER_TODAY, OVERDUE_SHORT,
        DRIFTING_HIGH, DUE_NOW, OVERDUE_LONG, BIRTHDAY_TODAY,
    ]  # fmt: skip
    plan = today.plan(everyone, [], now=NOW)
    order = {section: [card.reference for card in cards] for section, cards in plan.sections}
    assert order == {
        today.Section.OVERDUE: ["long", "short"],  # the more severe, longer overdue first
        today.Section.DUE_TODAY: ["due", "later"],
        today.Section.EARLY_WARNING: ["drifting", "watching"],  # high before watch
        today.Section.COMING_UP: ["birthday", "interview"],
    }
    assert plan.on_track == 1 and plan.total == 9


def test_each_card_says_why_in_words_and_how_to_make_contact() -> None:
    plan = today.plan([OVERDUE_LONG, DUE_LATER_TODAY, DRIFTING_HIGH, INTERVIEW_SOON], [], now=NOW)
    cards = {card.reference: card for _, section in plan.sections for card in section}
    assert cards["long"].why == ("Overdue since Wednesday 4 November.",)
    assert cards["long"].how_to_contact == HOW
    assert cards["later"].why == ("Next update due today at 15:00.",)
    assert cards["drifting"].warnings == (
        "3 unanswered attempts in a row since Monday 9 November.",
    )
    assert cards["drifting"].early_warning_level == "high"
    assert cards["interview"].coming_up == ("Interview Monday 16 November at 14:00",)


def test_an_overdue_case_also_shows_its_early_warning_and_what_is_coming() -> None:
    both = replace(
        OVERDUE_LONG,
        alerts=OVERDUE_LONG.alerts + DRIFTING_HIGH.alerts,
        upcoming=INTERVIEW_SOON.upcoming,
    )
    (card,) = today.plan([both], [], now=NOW).sections[0][1]
    assert card.section == today.Section.OVERDUE
    assert card.warnings and card.coming_up and card.early_warning_level == "high"


@pytest.mark.parametrize(
    ("settling", "stopped"),
    [((False,), False), ((True,), True), ((True, False), False)],
    ids=["still-firing", "stopped", "one-stopped-one-firing"],
)
def test_a_card_says_when_the_signs_have_stopped(settling: tuple[bool, ...], stopped: bool) -> None:
    # Say, the victim was prepared for the interview: the sign stops at once, and the alert
    # waits to be sure before it clears. The card says so rather than repeat the sign as news.
    alerts = tuple(
        today.AlertFact(
            AlertKind.DISENGAGEMENT,
            2,
            "Watch: ...",
            level="watch",
            reasons=(f"interview in 3 days and not prepared ({n})",),
            settling=each,
        )
        for n, each in enumerate(settling)
    )
    plan = today.plan([case("prepared", alerts=alerts)], [], now=NOW)
    (card,) = [card for _, cards in plan.sections for card in cards]
    assert card.warnings_stopped is stopped
    assert card.warnings  # the signs are still listed, as what the alert was about


def test_key_decisions_not_told_come_first_with_their_deadline() -> None:
    decisions = [
        today.UntoldDecision(
            "a", "Amira", "arrest", london(2026, 11, 12, 15, 0), london(2026, 11, 14, 0, 0)
        ),
        today.UntoldDecision(
            "b",
            "Bogdan",
            "suspect's bail or release",
            london(2026, 11, 10, 9, 0),
            london(2026, 11, 12, 0, 0),
        ),
    ]
    plan = today.plan([], decisions, now=NOW)
    assert [line.reference for line in plan.decisions] == ["b", "a"]  # nearest deadline first
    late, pending = plan.decisions
    assert late.late and late.sentence == (
        "Tell Bogdan of the suspect's bail or release (Tuesday 10 November): "
        "it was due by the end of Wednesday 11 November and is late."
    )
    assert not pending.late and pending.sentence == (
        "Tell Amira of the arrest (yesterday): the Victims' Code gives until the end of today."
    )


# --- What a contact changed ---------------------------------------------------------------

DUE = london(2026, 11, 20, 10, 0)


@pytest.mark.parametrize(
    ("before", "after", "contact", "sentence"),
    [
        (
            changes.Reading("overdue", london(2026, 11, 6, 10), frozenset({"update_overdue"})),
            changes.Reading("on_track", DUE, frozenset()),
            changes.Contact(counted_as_update=True),
            "Next update due Friday 20 November at 10:00; the overdue alert is cleared.",
        ),
        (
            changes.Reading("overdue", london(2026, 11, 6, 10), frozenset({"update_overdue"})),
            changes.Reading("overdue", london(2026, 11, 6, 10), frozenset({"update_overdue"})),
            changes.Contact(counted_as_update=False),
            "This contact did not count as an update, so the next update is still overdue: "
            "it was due Friday 6 November at 10:00.",
        ),
        (
            changes.Reading("on_track", DUE, frozenset()),
            changes.Reading("on_track", DUE, frozenset({"agreement_broken"})),
            changes.Contact(
                counted_as_update=False, breaches=("called from a withheld number",)
            ),
            "This contact did not count as an update, so the next update is still due Friday "
            "20 November at 10:00; it went against the agreement (called from a withheld "
            "number): an alert is open.",
        ),
        (
            changes.Reading("due", DUE, frozenset({"update_due", "key_decision_not_told"})),
            changes.Reading("on_track", DUE + timedelta(days=7), frozenset()),
            changes.Contact(
                counted_as_update=True, decisions_told=1, promise_due_by=DUE + timedelta(days=1)
            ),
            "Next update due Friday 27 November at 10:00; the alert about the key decision is "
            "cleared; the alert that an update is due is cleared; 1 key decision marked as "
            "told; the promise is due Saturday 21 November at 10:00.",
        ),
        (
            changes.Reading("on_track", DUE, frozenset()),
            changes.Reading("on_track", DUE, frozenset()),
            changes.Contact(counted_as_update=True),
            "A later update was already logged, so the next update is still due Friday "
            "20 November at 10:00.",
        ),
        (
            changes.Reading("no_agreement", None, frozenset()),
            changes.Reading("no_agreement", None, frozenset()),
            changes.Contact(counted_as_update=False),
            "There is no communication agreement yet, so no update clock: agree one.",
        ),
        (
            changes.Reading("paused", None, frozenset()),
            changes.Reading("paused", None, frozenset({"disengagement"})),
            changes.Contact(counted_as_update=False),
            "The case is paused, so no update is due; an early-warning alert is open: see the "
            "case page for why.",
        ),
    ],
    ids=[
        "update-clears-overdue", "attempt-still-overdue", "breach", "decision-and-promise",
        "older-update", "no-agreement", "paused",
    ],
)  # fmt: skip
def test_what_a_contact_changed(
    before: changes.Reading, after: changes.Reading, contact: changes.Contact, sentence: str
) -> None:
    assert changes.what_changed(before, after, contact, now=NOW) == sentence


# --- The chart ----------------------------------------------------------------------------


def test_the_chart_places_scores_and_levels_and_says_it_in_words() -> None:
    scores = [
        charts.Score(NOW - timedelta(days=84), 4, 4),  # the left edge
        charts.Score(NOW - timedelta(days=42), 3, None),
        charts.Score(NOW, 1, 2),  # the right edge
        charts.Score(NOW - timedelta(days=200), 5, 5),  # before the window: left out
    ]
    levels = [
        charts.LevelChange(date(2026, 1, 1), "watch"),  # long before: holds until the next
        charts.LevelChange(date(2026, 10, 16), "none"),
        charts.LevelChange(date(2026, 11, 6), "high"),
    ]
    chart = charts.build(scores, levels, current_level="high", now=NOW)
    assert [(d.x, d.y) for d in chart.wellbeing_dots] == [
        (charts.LEFT, 85.0),  # 4 of 5: three quarters of the way up
        (332.0, 130.0),
        (charts.RIGHT, charts.PLOT_BOTTOM),
    ]
    assert chart.wellbeing_line == "M36.0,85.0 L332.0,130.0 L628.0,220.0"
    assert [d.label for d in chart.trust_dots] == ["Trust 4", "Trust 2"]
    assert [band.level for band in chart.bands] == ["watch", "high"]
    watch, high = chart.bands
    assert watch.x == charts.LEFT and high.x + high.width == pytest.approx(charts.RIGHT, abs=1)
    assert [tick.label for tick in chart.x_ticks] == ["21 Aug", "18 Sep", "16 Oct", "13 Nov"]
    assert chart.x_ticks[0].anchor == "start" and chart.x_ticks[-1].anchor == "end"
    assert chart.summary == (
        "Wellbeing: 1 out of 5 when last scored (today); between 1 and 4 over 12 weeks. "
        "Trust: 2 out of 5 when last scored (today); between 2 and 4 over 12 weeks. "
        "Early warning now: high."
    )
    assert chart.rows[0].wellbeing == "1" and chart.rows[1].trust == "not scored"


def test_a_chart_with_no_scores_says_so() -> None:
    chart = charts.build([], [], current_level="none", now=NOW)
    assert not chart.has_scores and chart.bands == ()
    assert chart.summary == (
        "No wellbeing or trust scores in the last 12 weeks. Early warning now: below watch level."
    )


# --- The session's limits -----------------------------------------------------------------

LIMITS = sessions.Limits(idle_seconds=30 * 60, max_age_seconds=8 * 3600)


@pytest.mark.parametrize(
    ("signed_in_ago", "seen_ago", "ending"),
    [
        (60, 60, None),
        (3600, 29 * 60, None),
        (3600, 30 * 60, sessions.Ending.IDLE),
        (8 * 3600 - 1, 10, None),
        (8 * 3600, 10, sessions.Ending.MAX_AGE),
        (9 * 3600, 40 * 60, sessions.Ending.MAX_AGE),
    ],
)
def test_when_a_sign_in_ends(
    signed_in_ago: int, seen_ago: int, ending: sessions.Ending | None
) -> None:
    now = 1_000_000.0
    assert (
        sessions.ending(
            signed_in_at=now - signed_in_ago, last_seen_at=now - seen_ago, now=now, limits=LIMITS
        )
        == ending
    )


def test_activity_is_written_at_most_once_a_minute() -> None:
    assert not sessions.worth_recording(last_seen_at=100.0, now=159.0)
    assert sessions.worth_recording(last_seen_at=100.0, now=160.0)
    assert sessions.ending_words("idle", LIMITS).startswith(
        "You were signed out after 30 minutes without activity"
    )
    assert "at most 8 hours" in sessions.ending_words("max_age", LIMITS)
