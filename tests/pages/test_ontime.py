"""Updates on time, week by week: the rule as tables, without the database."""

from datetime import date, datetime, time, timedelta

import pytest

from contacts import sla
from contacts.choices import Channel, Direction, Outcome, UpdateGiven
from pages import charts, ontime
from tests.alerts.helpers import london

NOW = london(2026, 11, 25, 12)  # a Wednesday
WEEKLY = sla.Terms(interval_days=7, channels=(Channel.TEXT, Channel.PHONE_CALL))
FORTNIGHTLY = sla.Terms(interval_days=14, channels=(Channel.TEXT,))


def contact(at: datetime, outcome: Outcome = Outcome.REACHED) -> sla.Contact:
    return sla.Contact(
        at=at,
        channel=Channel.PHONE_CALL,
        direction=Direction.OUTBOUND,
        outcome=outcome,
        update_given=UpdateGiven.NO_NEWS_ACTIVE if outcome == Outcome.REACHED else UpdateGiven.NONE,
    )


def record(
    started: datetime, *moments: datetime, terms: sla.Terms = WEEKLY, **more: object
) -> ontime.CaseRecord:
    return ontime.CaseRecord(
        clock_started_at=started,
        agreements=(ontime.AgreementSpell(since=started, terms=terms), *more.get("later", ())),  # type: ignore[arg-type]
        contacts=tuple(contact(m) for m in moments) + tuple(more.get("contacts", ())),  # type: ignore[arg-type]
    )


START = london(2026, 11, 2, 10)  # Monday 2 November, 10:00


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # Every seven days, on the dot: each update on time, in the week it was given; the
        # one due Monday 23rd has not come, so it was late at the end of that day.
        (
            record(START, START + timedelta(days=7), START + timedelta(days=14)),
            [
                (START + timedelta(days=7), True),
                (START + timedelta(days=14), True),
                (london(2026, 11, 24), False),
            ],
        ),
        # Due Monday 9th, overdue at the end of it: an update on Wednesday 11th is late,
        # settled when it became overdue; the next, a week after it, is on time.
        (
            record(START, london(2026, 11, 11, 9), london(2026, 11, 18, 9)),
            [(london(2026, 11, 10), False), (london(2026, 11, 18, 9), True)],
        ),
        # Nothing since the start: one update missed each week, each when it became overdue.
        (
            record(START),
            [
                (london(2026, 11, 10), False),
                (london(2026, 11, 17), False),
                (london(2026, 11, 24), False),
            ],
        ),
        # Two weeks missed, then an update: it ends the wait but is late, so not on time.
        (
            record(START, london(2026, 11, 19, 9)),
            [(london(2026, 11, 10), False), (london(2026, 11, 17), False)],
        ),
        # Started three days ago: nothing is settled yet.
        (record(NOW - timedelta(days=3)), []),
        # An unanswered call is not an update.
        (
            record(START, contacts=(contact(START + timedelta(days=5), Outcome.NO_ANSWER),)),
            [
                (london(2026, 11, 10), False),
                (london(2026, 11, 17), False),
                (london(2026, 11, 24), False),
            ],
        ),
        # A contact made after now is not counted yet.
        (record(NOW - timedelta(days=2), NOW + timedelta(hours=1)), []),
        # The interval became a fortnight before the update came: judged by the new one.
        (
            record(
                START,
                START + timedelta(days=12),
                later=(ontime.AgreementSpell(since=START + timedelta(days=1), terms=FORTNIGHTLY),),
            ),
            [(START + timedelta(days=12), True)],
        ),
    ],
    ids=[
        "weekly-on-time",
        "late-then-on-time",
        "none-since-start",
        "late-ends-the-wait",
        "not-yet-due",
        "unanswered-call",
        "future-contact",
        "new-interval",
    ],
)
def test_which_updates_were_on_time(
    case: ontime.CaseRecord, expected: list[tuple[datetime, bool]]
) -> None:
    assert ontime.settled(case, now=NOW) == expected


def test_a_case_with_no_agreement_has_no_updates_due() -> None:
    case = ontime.CaseRecord(clock_started_at=START, agreements=(), contacts=(contact(START),))
    assert ontime.settled(case, now=NOW) == []


def test_weeks_run_monday_to_sunday_uk_time_the_last_being_this_one() -> None:
    assert ontime.first_week(NOW) == date(2026, 9, 7)  # 11 Mondays before 23 Nov
    # Sunday 22 November 23:30 in London is still last week (GMT; no summer time now).
    weeks = ontime.weekly(
        [record(london(2026, 11, 15, 23, 30), london(2026, 11, 22, 23, 30))], now=NOW
    )
    assert len(weeks) == 12
    assert weeks[-1].starts_on == date(2026, 11, 23)
    assert (weeks[-2].on_time, weeks[-2].late, weeks[-1].total) == (1, 0, 0)


def test_the_share_is_rounded_down_so_one_late_is_never_a_hundred() -> None:
    assert ontime.Week(starts_on=START.date(), on_time=199, late=1).percent == 99
    assert ontime.Week(starts_on=START.date(), on_time=0, late=0).percent is None


def test_each_week_counts_every_case() -> None:
    cases = [
        record(START, START + timedelta(days=7)),  # on time in the week of the 9th
        record(START),  # late at the end of Monday 9th
        record(START, START + timedelta(days=6)),  # on time in the week of the 2nd
    ]
    weeks = {w.starts_on: w for w in ontime.weekly(cases, now=NOW)}
    nov_9 = weeks[date(2026, 11, 9)]
    assert (nov_9.on_time, nov_9.late) == (1, 1)
    assert nov_9.percent == 50


def test_the_chart_draws_a_column_per_week_and_says_it_in_words() -> None:
    weeks = [
        ontime.Week(starts_on=START.date() + timedelta(days=7 * i), on_time=0, late=0)
        for i in range(12)
    ]
    weeks[-2] = ontime.Week(starts_on=weeks[-2].starts_on, on_time=3, late=1)
    weeks[-1] = ontime.Week(starts_on=weeks[-1].starts_on, on_time=2, late=0)
    chart = charts.share_chart(weeks)
    assert len(chart.bars) == 12
    full, three_quarters = chart.bars[-1], chart.bars[-2]
    assert full.y == charts.SHARE_TOP and full.height == charts.SHARE_BOTTOM - charts.SHARE_TOP
    assert three_quarters.height == pytest.approx(0.75 * full.height, abs=0.1)
    assert chart.bars[0].height == 0 and chart.bars[0].percent is None
    assert chart.summary == (
        "This week so far: 100% on time (2 of 2 updates). Last week: 75% on time (3 of 4 "
        "updates). Over 12 weeks: between 75% and 100% on time, 5 of 6 in all."
    )
    assert [t.label for t in chart.x_ticks][-1] == "This week"
    assert charts.share_chart(weeks[:0] or [ontime.Week(START.date(), 0, 0)] * 12).summary == (
        "No updates were due in the last 12 weeks."
    )


WINDOWED = sla.Terms(
    interval_days=3,
    channels=(Channel.PHONE_CALL,),
    windows=(sla.Window(weekdays=frozenset({0, 2, 4}), start=time(10), end=time(12)),),
)


@pytest.mark.parametrize("terms", [WEEKLY, FORTNIGHTLY, WINDOWED], ids=["7", "14", "windows"])
@pytest.mark.parametrize("quiet_days", [0, 40, 400])
def test_a_long_silence_is_skipped_to_the_weeks_counted_with_the_same_result(
    terms: sla.Terms, quiet_days: int
) -> None:
    """Walking a year's silence interval by interval, or jumping it, counts the same weeks."""
    started = NOW - timedelta(days=quiet_days + 100)
    moments = [started + timedelta(days=quiet_days + d) for d in (5, 12, 30, 33, 60, 95)]
    case = record(started, *moments, terms=terms)
    since = london(2026, 9, 7)
    expected = [r for r in ontime.settled(case, now=NOW) if r[0] >= since]
    assert ontime.settled(case, now=NOW, since=since) == expected
