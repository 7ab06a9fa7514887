"""Timelines that read like case files, replayed through the sweep production runs.

Each step does what happened (through the services people use) and then runs
``manage.py sweep --at`` for that moment; the test asserts which signals of
disengagement the live alert shows after each step, and when it clears.
"""

from collections.abc import Callable
from datetime import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus
from alerts.models import Alert
from cases.choices import EventKind, PocRole
from cases.models import Case
from cases.services import assign_point_of_contact, record_case_event
from contacts.choices import Channel, Concern, Direction, Outcome, UpdateGiven
from contacts.concerns import respond_to_concern
from contacts.services import log_checkin
from tests.alerts.helpers import agree, london, update
from tests.factories import StaffFactory
from tests.personas import World

pytestmark = pytest.mark.django_db

Step = tuple[datetime, Callable[[], object] | None]


def signals(case: Case) -> list[str] | None:
    """The signal codes on the case's live disengagement alert, or None without one."""
    alert = Alert.objects.filter(
        case=case, kind=AlertKind.DISENGAGEMENT, status__in=LIVE_STATUSES
    ).first()
    return sorted(s["code"] for s in alert.reasons["signals"]) if alert else None


def replay(case: Case, steps: list[Step]) -> list[tuple[str, list[str] | None]]:
    """Run each step's action, then the sweep at that moment; note the live signals."""
    seen = []
    for moment, action in steps:
        if action is not None:
            action()
        call_command("sweep", "--at", moment.isoformat(), stdout=StringIO())
        seen.append((f"{timezone.localtime(moment):%a %d %b %H:%M}", signals(case)))
    return seen


def attempt(case: Case, user: object, at: datetime, outcome: Outcome = Outcome.NO_ANSWER):
    return lambda: log_checkin(
        case=case,
        acting_user=user,
        at=at,
        direction=Direction.OUTBOUND,
        channel=Channel.PHONE_CALL,
        outcome=outcome,
        now=at,
    )


def test_weekly_contacts_turn_into_unanswered_calls_after_the_court_date_moves(
    world: World,
) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=london(2026, 1, 30, 9), interval=7)
    for day in (2, 9, 16, 23):  # weekly, reached, every Monday of February
        update(case, nadia, at=london(2026, 2, day, 11))
    record_case_event(
        case=case,
        kind=EventKind.COURT_HEARING,
        at=london(2026, 4, 20, 10),
        acting_user=nadia,
        victim_prepared=True,
        notes="Hearing moved from 4 March to 20 April",
        now=london(2026, 2, 27, 9),
    )
    seen = replay(
        case,
        [
            (london(2026, 3, 2, 18), attempt(case, nadia, london(2026, 3, 2, 11))),
            (london(2026, 3, 4, 18), attempt(case, nadia, london(2026, 3, 4, 11))),
            (london(2026, 3, 6, 18), attempt(case, nadia, london(2026, 3, 6, 11))),
            (london(2026, 3, 9, 12), lambda: update(case, nadia, at=london(2026, 3, 9, 11))),
            (london(2026, 3, 16, 10, 59), None),
            (london(2026, 3, 16, 11), None),
        ],
    )
    assert seen == [
        ("Mon 02 Mar 18:00", None),
        ("Wed 04 Mar 18:00", None),
        ("Fri 06 Mar 18:00", ["unanswered_attempts"]),
        ("Mon 09 Mar 12:00", ["unanswered_attempts"]),  # reached at 11:00: quiet, not settled
        ("Mon 16 Mar 10:59", ["unanswered_attempts"]),
        ("Mon 16 Mar 11:00", None),  # seven quiet days after the contact that answered
    ]
    cleared = Alert.objects.get(case=case, kind=AlertKind.DISENGAGEMENT)
    assert cleared.status == AlertStatus.CLEARED
    assert "unanswered" in cleared.summary


def test_a_safety_fear_raised_on_a_friday_evening(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=london(2026, 3, 2, 9), interval=7)
    friday_evening = london(2026, 3, 6, 19, 40)
    log_checkin(
        case=case,
        acting_user=nadia,
        at=friday_evening,
        direction=Direction.INBOUND,
        channel=Channel.PHONE_CALL,
        outcome=Outcome.VICTIM_GOT_IN_TOUCH,
        update_given=UpdateGiven.NONE,
        concerns=[Concern.SAFETY_FEAR],
        notes="Saw a man from the house outside the shop",
        now=friday_evening,
    )
    case.refresh_from_db()
    assert case.next_check_at <= london(2026, 3, 7, 19, 40)  # the sweep will look in time
    raised = case.checkins.get()

    with django_capture_on_commit_callbacks(execute=True):
        seen = replay(
            case, [(london(2026, 3, 7, 19, 39), None), (london(2026, 3, 7, 19, 41), None)]
        )
    alert = Alert.objects.get(case=case, kind=AlertKind.DISENGAGEMENT)
    assert alert.get_severity_display() == "High"
    assert [m.subject for m in mail.outbox] == [f"High-severity alert on case {case.reference}"]

    seen += replay(
        case,
        [
            (
                london(2026, 3, 8, 10),
                lambda: respond_to_concern(
                    checkin=raised,
                    concern=Concern.SAFETY_FEAR,
                    action="Safety plan reviewed with the safe house; police told",
                    acting_user=nadia,
                    at=london(2026, 3, 8, 9, 30),
                    now=london(2026, 3, 8, 10),
                ),
            ),
            (london(2026, 3, 15, 9, 59), None),
            (london(2026, 3, 15, 10), None),
        ],
    )
    assert seen == [
        ("Sat 07 Mar 19:39", None),
        ("Sat 07 Mar 19:41", ["safety_fear_unanswered"]),
        ("Sun 08 Mar 10:00", ["safety_fear_unanswered"]),
        ("Sun 15 Mar 09:59", ["safety_fear_unanswered"]),
        ("Sun 15 Mar 10:00", None),
    ]


def test_a_new_officer_without_an_introduction_and_two_more_within_three_weeks(
    world: World,
) -> None:
    case, nadia = world.case_a, world.nadia
    owen = StaffFactory(username="owen", role=Role.OFFICER, organisation=world.force_a)
    # Olive has been the police point of contact since the case began in January.
    case.points_of_contact.filter(role=PocRole.POLICE).update(started_at=london(2026, 1, 5, 9))
    agree(case, nadia, at=london(2026, 2, 1, 9), interval=7)
    update(case, nadia, at=london(2026, 2, 23, 11))

    def take_over() -> None:
        assign_point_of_contact(
            case=case,
            role=PocRole.POLICE,
            person=world.omar,
            acting_user=nadia,
            at=london(2026, 3, 2, 9),
            reason="Olive moved to another unit",
            introduced_by_predecessor=False,
            now=london(2026, 3, 2, 9),
        )

    seen = replay(
        case,
        [
            (london(2026, 3, 2, 12), take_over),
            (london(2026, 3, 3, 12), lambda: update(case, world.omar, at=london(2026, 3, 3, 11))),
            (london(2026, 3, 10, 12), lambda: update(case, owen, at=london(2026, 3, 10, 11))),
            (london(2026, 3, 17, 12), lambda: update(case, world.omar, at=london(2026, 3, 17, 11))),
            (london(2026, 3, 24, 12), lambda: update(case, world.omar, at=london(2026, 3, 24, 11))),
            (london(2026, 3, 31, 12), lambda: update(case, world.omar, at=london(2026, 3, 31, 11))),
            (london(2026, 4, 1, 9), None),
            (london(2026, 4, 1, 9, 1), None),
            (london(2026, 4, 7, 12), lambda: update(case, world.omar, at=london(2026, 4, 7, 11))),
            (london(2026, 4, 8, 9), None),
            (london(2026, 4, 8, 9, 1), None),
        ],
    )
    # Nadia (23 Feb), Omar and Owen make three people within 21 days on 10 March; Nadia's
    # contact leaves the window on 16 March. The new officer counts for 30 days on the UK
    # clock: until 09:00 on 1 April, although the clocks went forward in between.
    assert seen == [
        ("Mon 02 Mar 12:00", ["poc_changed_without_introduction"]),
        ("Tue 03 Mar 12:00", ["poc_changed_without_introduction"]),
        ("Tue 10 Mar 12:00", ["many_people", "poc_changed_without_introduction"]),
        ("Tue 17 Mar 12:00", ["poc_changed_without_introduction"]),
        ("Tue 24 Mar 12:00", ["poc_changed_without_introduction"]),
        ("Tue 31 Mar 12:00", ["poc_changed_without_introduction"]),
        ("Wed 01 Apr 09:00", ["poc_changed_without_introduction"]),
        ("Wed 01 Apr 09:01", ["poc_changed_without_introduction"]),  # quiet from now
        ("Tue 07 Apr 12:00", ["poc_changed_without_introduction"]),
        ("Wed 08 Apr 09:00", ["poc_changed_without_introduction"]),
        ("Wed 08 Apr 09:01", None),
    ]


def test_scores_fall_over_a_month_while_every_contact_is_reached(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=london(2026, 2, 1, 9), interval=7)
    scores = {2: 4, 9: 4, 16: 4}
    for day, score in scores.items():
        update(case, nadia, at=london(2026, 2, day, 11), wellbeing=score, trust=4)

    def weekly(day: int, wellbeing: int) -> Callable[[], None]:
        return lambda: update(
            case,
            nadia,
            at=london(2026, 2 if day > 20 else 3, day, 11),
            wellbeing=wellbeing,
            trust=4,
        )

    seen = replay(
        case,
        [
            (london(2026, 2, 23, 12), weekly(23, 3)),
            (london(2026, 3, 2, 12), weekly(2, 3)),
            (london(2026, 3, 9, 12), weekly(9, 2)),
        ],
    )
    assert seen == [
        ("Mon 23 Feb 12:00", None),  # mean 4.0 before, not yet three after
        ("Mon 02 Mar 12:00", None),  # 4,4,4 then 4,3,3: a drop of 2/3
        ("Mon 09 Mar 12:00", ["wellbeing_falling"]),  # 4,4,4 then 3,3,2: a drop of 4/3
    ]
    alert = Alert.objects.get(case=case, kind=AlertKind.DISENGAGEMENT)
    assert "wellbeing" in alert.summary.lower()
