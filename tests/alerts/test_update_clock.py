"""The update clock end to end: services, the sweep, alerts and their life."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from alerts.choices import AlertKind, AlertStatus, Severity
from alerts.models import Alert
from alerts.services import acknowledge_alert, resolve_alert
from alerts.sweep import refresh_cases, run_sweep
from cases.choices import CaseStatus, EventKind
from cases.models import Case
from cases.services import record_case_event, set_case_status
from contacts.choices import AvoidFlag, Channel, Direction, Outcome, Place
from contacts.services import log_checkin
from tests.alerts.helpers import agree, live, london, update
from tests.factories import CaseFactory, PointOfContactFactory
from tests.personas import World

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 3, 2, 11, 5)  # Monday 2 March 2026, 11:05 in London


@pytest.fixture
def case(world: World) -> Case:
    """Every 2 days by text, no windows; last update Monday 11:05."""
    agree(world.case_a, world.nadia, at=MONDAY - timedelta(days=7))
    update(world.case_a, world.nadia, at=MONDAY)
    return world.case_a


def test_case_stores_its_state_and_the_moment_it_next_needs_looking_at(case: Case) -> None:
    case.refresh_from_db()
    assert case.clock_state == "on_track"
    assert case.update_due_at == london(2026, 3, 4, 11, 5)
    assert case.next_check_at == london(2026, 3, 4, 11, 5)


def test_an_overdue_alert_appears_after_a_sweep_and_clears_when_an_update_is_logged(
    case: Case, world: World
) -> None:
    run_sweep(now=london(2026, 3, 4, 12))
    assert live(case) == {AlertKind.UPDATE_DUE: Severity.LOW}

    report = run_sweep(now=london(2026, 3, 5, 0, 1))  # the end of Wednesday has passed
    assert live(case) == {AlertKind.UPDATE_OVERDUE: Severity.MEDIUM}
    assert [(c.kind, c.severity) for c in report.opened] == [("update_overdue", 2)]
    assert [c.kind for c in report.resolved] == ["update_due"]
    overdue = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)
    assert overdue.summary.startswith(
        "Overdue since the end of Wednesday 4 March: every 2 days by text message"
    )
    assert overdue.assigned_to == world.nadia

    update(case, world.nadia, at=london(2026, 3, 5, 9, 30))
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.CLEARED
    assert live(case) == {}
    case.refresh_from_db()
    assert case.clock_state == "on_track"


def test_unanswered_attempts_do_not_stop_the_clock(case: Case, world: World) -> None:
    for hour in (10, 13, 16):
        log_checkin(
            case=case,
            acting_user=world.nadia,
            at=london(2026, 3, 4, hour),
            direction=Direction.OUTBOUND,
            channel=Channel.PHONE_CALL,
            outcome=Outcome.NO_ANSWER,
            now=london(2026, 3, 4, hour),
        )
    run_sweep(now=london(2026, 3, 5, 1))
    assert AlertKind.UPDATE_OVERDUE in live(case)


def test_overdue_by_the_interval_again_escalates_to_high_and_emails_once(
    case: Case, world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    run_sweep(now=london(2026, 3, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(now=london(2026, 3, 7, 0, 1))  # overdue since Thu 00:00, +2 days
    assert live(case)[AlertKind.UPDATE_OVERDUE] == Severity.HIGH
    assert [(c.kind, c.severity) for c in report.escalated] == [("update_overdue", 3)]
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {world.nadia.email, world.sam.email}
    assert case.reference in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/alerts/" in mail.outbox[0].body  # a link that works from a mail
    assert case.victim.full_name not in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(now=london(2026, 3, 8, 12))
        refresh_cases([case.pk], now=london(2026, 3, 8, 13))
    assert len(mail.outbox) == 1  # claimed once, sent once


def test_shortening_the_interval_makes_the_case_overdue_at_once(case: Case, world: World) -> None:
    # Wednesday 10:00: weekly is on track; daily was due Tuesday 11:05 and is overdue now.
    agree(case, world.nadia, at=london(2026, 3, 4, 10), interval=7)
    assert live(case) == {}
    agree(case, world.nadia, at=london(2026, 3, 4, 10, 30), interval=1)
    case.refresh_from_db()
    assert case.clock_state == "overdue"
    assert AlertKind.UPDATE_OVERDUE in live(case)


def test_pausing_stops_the_clock_and_clears_its_alerts(case: Case, world: World) -> None:
    run_sweep(now=london(2026, 3, 5, 1))
    set_case_status(
        case=case,
        status=CaseStatus.PAUSED,
        reason="Victim asked for a month's break",
        acting_user=world.nadia,
        now=london(2026, 3, 5, 9),
    )
    case.refresh_from_db()
    assert (case.clock_state, case.next_check_at) == ("paused", None)
    assert live(case) == {}
    assert run_sweep(now=london(2026, 4, 1)).cases_checked == 0


def test_a_key_decision_untold_by_the_next_working_day_is_a_high_alert(
    case: Case, world: World
) -> None:
    # A charging decision on Friday afternoon must be told by the end of Monday.
    event = record_case_event(
        case=case,
        kind=EventKind.CHARGING_DECISION,
        at=london(2026, 3, 6, 15),
        is_key_decision=True,
        acting_user=world.nadia,
        now=london(2026, 3, 6, 15, 30),
    )
    update(case, world.nadia, at=london(2026, 3, 9, 10))  # an update, but not of the decision
    run_sweep(now=london(2026, 3, 10, 0, 1))
    alert = Alert.objects.get(case=case, kind=AlertKind.KEY_DECISION_NOT_TOLD)
    assert alert.severity == Severity.HIGH
    assert alert.reasons["decisions"][0]["event_id"] == event.pk
    assert alert.summary == (
        "The victim has not been told of a key decision: charging decision "
        "(due by the end of Monday 9 March)."
    )

    update(case, world.nadia, at=london(2026, 3, 10, 9), events_told=[event.pk])
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLEARED


def test_a_person_resolving_an_alert_is_not_overruled_within_the_same_episode(
    case: Case, world: World
) -> None:
    run_sweep(now=london(2026, 3, 5, 1))
    alert = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)
    acknowledge_alert(alert=alert, acting_user=world.sam, now=london(2026, 3, 5, 8))
    resolve_alert(
        alert=alert,
        note="Victim is in hospital; the ward sister passes on updates",
        acting_user=world.sam,
        now=london(2026, 3, 5, 9),
    )
    refresh_cases([case.pk], now=london(2026, 3, 5, 10))
    assert live(case) == {}
    history = list(alert.history.order_by("history_date").values_list("status", "history_user"))
    assert history[-2:] == [("acknowledged", world.sam.pk), ("resolved", world.sam.pk)]

    # The next missed update is a new episode, and raises a new alert.
    update(case, world.nadia, at=london(2026, 3, 6, 10))
    run_sweep(now=london(2026, 3, 9, 0, 1))
    assert AlertKind.UPDATE_OVERDUE in live(case)


def test_resolving_by_hand_needs_a_note(case: Case, world: World) -> None:
    from navigator.errors import ValidationError

    run_sweep(now=london(2026, 3, 5, 1))
    alert = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)
    with pytest.raises(ValidationError) as refused:
        resolve_alert(alert=alert, note="  ", acting_user=world.sam)
    assert "resolution_note" in refused.value.message_dict


def test_a_contact_that_breaks_the_agreement_raises_its_own_alert(world: World) -> None:
    case = world.case_a
    agree(
        case,
        world.nadia,
        at=MONDAY - timedelta(days=7),
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        unsafe_channel=Channel.EMAIL,
        contact_windows=[{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}],
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER, AvoidFlag.NOT_AT_POLICE_STATION],
    )
    update(case, world.nadia, at=MONDAY, place=Place.POLICE_STATION)
    alert = Alert.objects.get(case=case, kind=AlertKind.AGREEMENT_BROKEN)
    assert alert.severity == Severity.MEDIUM
    assert "police station" in alert.summary

    log_checkin(
        case=case,
        acting_user=world.olive,
        at=london(2026, 3, 7, 20),  # Saturday evening
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        outcome=Outcome.MESSAGE_LEFT,
        now=london(2026, 3, 7, 20),
    )
    alert.refresh_from_db()
    assert alert.severity == Severity.HIGH  # the unsafe channel was used
    assert len(alert.reasons["contacts"]) == 2
    assert Alert.objects.filter(case=case, kind=AlertKind.AGREEMENT_BROKEN).count() == 1
    latest = case.checkins.order_by("-at").first()
    assert any("unsafe" in b for b in latest.breaches)
    assert any("outside the agreed contact windows" in b for b in latest.breaches)

    # A breach does not clear by itself: the agreement is a promise to the victim.
    update(case, world.nadia, at=london(2026, 3, 9, 10))
    assert AlertKind.AGREEMENT_BROKEN in live(case)


def test_an_agreement_past_its_review_date_raises_a_low_alert(world: World) -> None:
    agree(world.case_a, world.nadia, at=MONDAY, review_by=MONDAY.date() + timedelta(days=10))
    update(world.case_a, world.nadia, at=MONDAY)
    refresh_cases([world.case_a.pk], now=london(2026, 3, 12, 12))
    assert AlertKind.AGREEMENT_REVIEW_DUE not in live(world.case_a)
    refresh_cases([world.case_a.pk], now=london(2026, 3, 13, 12))
    assert live(world.case_a)[AlertKind.AGREEMENT_REVIEW_DUE] == Severity.LOW


def test_the_sweep_reads_only_cases_whose_moment_has_come(world: World) -> None:
    due = []
    for number in range(12):
        other = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=other, person=world.nadia)
        agree(other, world.nadia, at=MONDAY, interval=2 if number < 3 else 30)
        due.append(other)
    report = run_sweep(now=london(2026, 3, 5, 1))
    assert report.cases_checked == 3
    assert run_sweep(now=london(2026, 3, 5, 1)).cases_checked == 0


def test_refreshing_many_cases_costs_the_same_queries_as_one(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    cases = []
    for _ in range(15):
        other = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=other, person=world.nadia)
        agree(other, world.nadia, at=MONDAY)
        update(other, world.nadia, at=MONDAY)
        cases.append(other)
    later = london(2026, 3, 5, 1)
    # Count once for a single case, then make sure fifteen cost exactly the same.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        refresh_cases([cases[0].pk], now=later)
    with django_assert_num_queries(len(one.captured_queries)):
        refresh_cases([c.pk for c in cases[1:]], now=later)


def test_sweep_command_replays_a_moment_and_prints_what_changed(case: Case) -> None:
    out = StringIO()
    call_command("sweep", "--at", "2026-03-05T00:01", stdout=out)
    text = out.getvalue()
    assert "1 cases checked, 1 alerts opened, 0 escalated, 0 resolved" in text
    assert f"opened    {case.reference}  Update overdue (medium)" in text


def test_sweep_command_refuses_a_bad_moment() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date and time"):
        call_command("sweep", "--at", "next tuesday")


def test_daily_digest_lists_each_supervisors_team_alerts(case: Case, world: World) -> None:
    from alerts.notifications import send_daily_digests

    run_sweep(now=london(2026, 3, 5, 1))
    assert send_daily_digests(now=london(2026, 3, 5, 8)) == 1
    (digest,) = mail.outbox
    assert digest.to == [world.sam.email]
    assert case.reference in digest.body
    assert "Update overdue" in digest.body
    assert case.victim.full_name not in digest.body


def test_alerts_follow_the_case_to_its_new_navigator(case: Case, world: World) -> None:
    from cases.choices import PocRole
    from cases.services import assign_point_of_contact

    run_sweep(now=london(2026, 3, 5, 1))
    case.points_of_contact.filter(role=PocRole.NAVIGATOR).update(started_at=london(2026, 1, 5))
    assign_point_of_contact(
        case=case,
        role=PocRole.NAVIGATOR,
        person=world.noah,
        acting_user=world.sam,
        at=london(2026, 3, 5, 9),
        reason="Nadia on leave",
        introduced_by_predecessor=True,
        now=london(2026, 3, 5, 9),
    )
    alert = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)
    assert alert.assigned_to == world.noah


def test_officers_see_alerts_but_the_navigation_team_acts_on_them(case: Case, world: World) -> None:
    from navigator.errors import PermissionDenied

    run_sweep(now=london(2026, 3, 5, 1))
    alert = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)
    with pytest.raises(PermissionDenied):
        acknowledge_alert(alert=alert, acting_user=world.olive)
    with pytest.raises(PermissionDenied):
        resolve_alert(alert=alert, note="Called her myself", acting_user=world.olive)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_a_key_decision_is_only_told_in_a_contact_that_reached_the_victim(
    case: Case, world: World
) -> None:
    from navigator.errors import ValidationError

    event = record_case_event(
        case=case,
        kind=EventKind.ARREST,
        at=london(2026, 3, 3, 15),
        is_key_decision=True,
        acting_user=world.nadia,
        now=london(2026, 3, 3, 16),
    )
    with pytest.raises(ValidationError) as refused:
        log_checkin(
            case=case,
            acting_user=world.nadia,
            at=london(2026, 3, 3, 17),
            direction=Direction.OUTBOUND,
            channel=Channel.PHONE_CALL,
            outcome=Outcome.NO_ANSWER,
            events_told=[event.pk],
            now=london(2026, 3, 3, 17),
        )
    assert "reached the victim" in refused.value.message_dict["events_told"][0]
    event.refresh_from_db()
    assert event.victim_told_at is None


def test_a_failed_email_is_tried_again_on_the_next_run(
    case: Case, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtplib import SMTPException

    from alerts import notifications

    run_sweep(now=london(2026, 3, 5, 1))
    run_sweep(now=london(2026, 3, 7, 0, 1))  # escalated to high
    alert = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)

    def broken(**_: object) -> None:
        raise SMTPException("mail server down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    assert notifications.send_high_severity_emails([alert.pk], now=london(2026, 3, 7, 1)) == 0
    alert.refresh_from_db()
    assert alert.high_notified_at is None  # the claim rolled back with the failure
    monkeypatch.undo()
    assert notifications.send_high_severity_emails([alert.pk], now=london(2026, 3, 7, 2)) == 1
    assert len(mail.outbox) == 1


def _as_recorded(row: object) -> dict[str, object]:
    fields = ["kind", "severity", "status", "summary", "reasons", "condition_key"]
    fields += ["case_id", "assigned_to_id", "opened_at", "resolved_at", "resolution_note"]
    return {name: getattr(row, name) for name in fields}


def test_every_alert_the_sweep_opens_or_clears_is_kept_in_history_as_it_was(
    case: Case, world: World
) -> None:
    run_sweep(now=london(2026, 3, 4, 12))
    due = Alert.objects.get(case=case, kind=AlertKind.UPDATE_DUE)
    opened = due.history.get()  # type: ignore[attr-defined]
    assert opened.history_type == "+"
    assert opened.history_date == london(2026, 3, 4, 12)
    assert opened.history_user is None  # nobody: the sweep did it
    assert _as_recorded(opened) == _as_recorded(due)
    assert due.assigned_to == world.nadia

    run_sweep(now=london(2026, 3, 5, 0, 1))  # overdue: the due alert clears, another opens
    due.refresh_from_db()
    cleared = due.history.order_by("history_id").last()  # type: ignore[attr-defined]
    assert (cleared.history_type, cleared.status) == ("~", AlertStatus.CLEARED)
    assert _as_recorded(cleared) == _as_recorded(due)
    overdue = Alert.objects.get(case=case, kind=AlertKind.UPDATE_OVERDUE)
    assert _as_recorded(overdue.history.get()) == _as_recorded(overdue)  # type: ignore[attr-defined]
