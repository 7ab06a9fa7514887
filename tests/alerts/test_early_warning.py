"""Early warning in the database: what the signals read, promises, reminders, notices, trend."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import override_settings

from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus, Severity
from alerts.models import Alert, EngagementSnapshot, Reminder
from alerts.periodic import (
    record_engagement_snapshots,
    record_reminders,
    send_reminders,
)
from alerts.snapshot import load_snapshots
from alerts.sweep import Rules, refresh_cases
from cases.choices import AgeBand, EventKind, NationalityGroup, Sex
from cases.models import ImportantDate
from cases.services import record_case_event, revoke_share
from contacts import disengagement as dis
from contacts.choices import Channel, Concern, Direction, Outcome
from contacts.services import log_checkin, make_promise, resolve_promise
from navigator.errors import PermissionDenied
from partners.models import PartnerNotice
from partners.outbox import issue_tipping_point_notices
from partners.services import acknowledge_notice
from tests.alerts.helpers import agree, live, london, update
from tests.personas import World

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 3, 2, 11)


def assessment_of(world: World, now):  # type: ignore[no-untyped-def]
    (snapshot,) = load_snapshots([world.case_a.pk], now=now)
    result = dis.assess(snapshot.history, now=now, thresholds=Rules.from_settings().thresholds)
    return result.score, result.level, [(s.code, s.reason) for s in result.signals]


def test_signals_never_read_personal_characteristics(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=MONDAY - timedelta(days=20), interval=3)
    update(case, nadia, at=MONDAY - timedelta(days=14), wellbeing=4)
    for hours in (1, 30, 60):
        log_checkin(
            case=case,
            acting_user=world.olive,
            at=MONDAY + timedelta(hours=hours),
            direction=Direction.OUTBOUND,
            channel=Channel.PHONE_CALL,
            outcome=Outcome.NO_ANSWER,
            now=MONDAY + timedelta(hours=hours),
        )
    later = MONDAY + timedelta(days=4)
    before = assessment_of(world, later)
    assert before[0] > 0  # something fires, so a change could show

    victim = case.victim
    for field, value in [
        ("nationality", "Elsewhere"),
        ("nationality_group", NationalityGroup.UK),
        ("sex", Sex.MALE),
        ("age_band", AgeBand.UNDER_18),
        ("date_of_birth", date(1950, 1, 1)),
        ("preferred_language", "Tigrinya"),
        ("interpreter_needed", True),
        ("accommodation_kind", "homeless"),
        ("vulnerabilities", "Fictional: several"),
    ]:
        setattr(victim, field, value)
        victim.save()
        assert assessment_of(world, later) == before, field

    # And by construction: nothing the signals read names a person's characteristics.
    read = {f.name for f in dataclasses.fields(dis.CaseHistory)}
    read |= {f.name for f in dataclasses.fields(dis.ContactFact)}
    assert not read & {
        "nationality",
        "nationality_group",
        "sex",
        "age_band",
        "date_of_birth",
        "age",
        "language",
    }


def test_an_overdue_promise_is_its_own_alert_and_keeping_it_resolves_it(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=MONDAY, interval=7)
    promise = make_promise(
        case=case,
        acting_user=nadia,
        description="Ask the OIC whether the suspect is still on bail",
        due_by=MONDAY + timedelta(days=2),
        now=MONDAY,
    )
    case.refresh_from_db()
    assert case.next_check_at <= MONDAY + timedelta(days=2, minutes=1)

    refresh_cases([case.pk], now=MONDAY + timedelta(days=2, hours=1))
    alert = Alert.objects.get(case=case, kind=AlertKind.PROMISE_OVERDUE)
    assert alert.severity == Severity.MEDIUM and "still on bail" in alert.summary

    resolve_promise(
        promise=promise, status="kept", acting_user=nadia, now=MONDAY + timedelta(days=3)
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLEARED


def test_a_broken_promise_clears_the_promise_alert_but_counts_as_a_signal(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=MONDAY, interval=7)
    promise = make_promise(
        case=case, acting_user=nadia, description="Visit on Friday", due_by=MONDAY, now=MONDAY
    )
    resolve_promise(
        promise=promise, status="broken", acting_user=nadia, now=MONDAY + timedelta(hours=2)
    )
    _score, _level, reasons = assessment_of(world, MONDAY + timedelta(hours=3))
    assert [code for code, _ in reasons] == ["promise_broken"]
    assert AlertKind.PROMISE_OVERDUE not in live(case)


@override_settings(DISENGAGEMENT_THRESHOLDS={"unanswered_in_row": 2, "watch_score": 3})
def test_settings_change_thresholds(world: World) -> None:
    case, nadia = world.case_a, world.nadia
    agree(case, nadia, at=MONDAY - timedelta(days=1), interval=7)
    for hours in (1, 5):
        log_checkin(
            case=case,
            acting_user=nadia,
            at=MONDAY + timedelta(hours=hours),
            direction=Direction.OUTBOUND,
            channel=Channel.PHONE_CALL,
            outcome=Outcome.NO_ANSWER,
            now=MONDAY + timedelta(hours=hours),
        )
    assert live(case)[AlertKind.DISENGAGEMENT] == Severity.MEDIUM


def test_a_mistyped_threshold_is_refused() -> None:
    from alerts.early_warning import thresholds_from

    with pytest.raises(ValueError, match="unanswred_in_row"):
        thresholds_from({"unanswred_in_row": 2})


def test_reminders_reach_the_navigator_once_and_keep_the_label_in_the_app(world: World) -> None:
    case = world.case_a
    ImportantDate.objects.create(
        victim=case.victim, label="Her son's birthday", date=date(2015, 3, 5)
    )
    ImportantDate.objects.create(victim=case.victim, label="Too far off", date=date(2015, 3, 9))
    record_case_event(
        case=case,
        kind=EventKind.INTERVIEW,
        at=london(2026, 3, 9, 10),
        acting_user=world.nadia,
        victim_prepared=True,
        now=MONDAY,
    )
    record_case_event(
        case=case,
        kind=EventKind.COURT_HEARING,
        at=london(2026, 3, 10, 10),
        acting_user=world.nadia,
        now=MONDAY,
    )
    created = record_reminders(now=MONDAY)
    assert sorted((r.about, r.happens_on) for r in created) == [
        ("Her son's birthday", date(2026, 3, 5)),
        ("Interview", date(2026, 3, 9)),
    ]
    assert {r.recipient for r in created} == {world.nadia}
    assert record_reminders(now=MONDAY + timedelta(hours=1)) == []  # each occurrence once

    assert send_reminders(now=MONDAY) == 2
    assert send_reminders(now=MONDAY) == 0
    assert all(m.to == [world.nadia.email] for m in mail.outbox)
    assert not any("birthday" in m.body or "birthday" in m.subject for m in mail.outbox)
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


def test_partners_supporting_the_victim_get_advance_notice_of_a_hard_moment(
    world: World,
) -> None:
    interview = record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=london(2026, 3, 6, 10),
        acting_user=world.nadia,
        victim_prepared=True,
        now=MONDAY,
    )
    record_case_event(
        case=world.case_b,
        kind=EventKind.COURT_HEARING,
        at=london(2026, 3, 6, 10),
        acting_user=world.noah,
        now=MONDAY,
    )  # case B is shared with nobody: nobody to tell
    notices = issue_tipping_point_notices(now=MONDAY)
    assert [(n.organisation, n.event) for n in notices] == [(world.haven, interview)]
    assert world.case_a.reference in notices[0].subject
    assert world.case_a.victim.full_name not in notices[0].subject
    assert issue_tipping_point_notices(now=MONDAY + timedelta(hours=1)) == []
    assert PartnerNotice.objects.count() == 1

    # Issued is not told: the event counts as told once the partner acknowledges the notice.
    interview.refresh_from_db()
    assert interview.partners_told_at is None
    with pytest.raises(PermissionDenied):
        acknowledge_notice(notice=notices[0], acting_user=world.pia)  # another organisation
    acknowledge_notice(notice=notices[0], acting_user=world.pat, now=MONDAY + timedelta(hours=2))
    interview.refresh_from_db()
    assert interview.partners_told_at == MONDAY + timedelta(hours=2)


def test_a_revoked_share_gets_no_notice(world: World) -> None:
    revoke_share(share=world.case_a.shares.get(), acting_user=world.nadia)
    record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=london(2026, 3, 6, 10),
        acting_user=world.nadia,
        now=MONDAY,
    )
    assert issue_tipping_point_notices(now=MONDAY) == []


def test_an_upcoming_hard_moment_unprepared_is_a_signal(world: World) -> None:
    agree(world.case_a, world.nadia, at=MONDAY - timedelta(days=1), interval=7)
    record_case_event(
        case=world.case_a,
        kind=EventKind.COURT_HEARING,
        at=london(2026, 3, 6, 10),
        acting_user=world.nadia,
        victim_prepared=False,
        now=MONDAY,
    )
    _score, _level, reasons = assessment_of(world, MONDAY)
    assert [code for code, _ in reasons] == ["tipping_point_unprepared"]


def test_the_trend_keeps_a_row_only_when_the_score_changes(world: World) -> None:
    agree(world.case_a, world.nadia, at=MONDAY - timedelta(days=1), interval=7)
    record_engagement_snapshots(now=MONDAY)
    record_engagement_snapshots(now=MONDAY + timedelta(hours=2))  # same day: no new row
    record_engagement_snapshots(now=MONDAY + timedelta(days=1))  # no change: no new row
    assert EngagementSnapshot.objects.filter(case=world.case_a).count() == 0  # steady at 0

    log_checkin(
        case=world.case_a,
        acting_user=world.nadia,
        at=MONDAY + timedelta(days=1),
        direction=Direction.INBOUND,
        channel=Channel.PHONE_CALL,
        outcome=Outcome.VICTIM_GOT_IN_TOUCH,
        concerns=[Concern.WANTS_TO_WITHDRAW],
        now=MONDAY + timedelta(days=1),
    )
    record_engagement_snapshots(now=MONDAY + timedelta(days=2))
    record_engagement_snapshots(now=MONDAY + timedelta(days=3))
    rows = list(EngagementSnapshot.objects.filter(case=world.case_a).values_list("on", "signals"))
    assert rows == [(date(2026, 3, 4), ["wants_to_withdraw"])]


def test_live_alerts_are_one_per_kind_per_case(world: World) -> None:
    agree(world.case_a, world.nadia, at=MONDAY - timedelta(days=30), interval=2)
    for step in range(5):
        refresh_cases([world.case_a.pk], now=MONDAY + timedelta(days=step))
    kinds = list(
        Alert.objects.filter(case=world.case_a, status__in=LIVE_STATUSES).values_list(
            "kind", flat=True
        )
    )
    assert len(kinds) == len(set(kinds))


def test_pausing_a_case_clears_its_disengagement_alert_at_once(world: World) -> None:
    from cases.choices import CaseStatus
    from cases.services import set_case_status

    case = world.case_a
    agree(case, world.nadia, at=MONDAY - timedelta(days=1), interval=7)
    log_checkin(
        case=case,
        acting_user=world.nadia,
        at=MONDAY,
        direction=Direction.INBOUND,
        channel=Channel.PHONE_CALL,
        outcome=Outcome.VICTIM_GOT_IN_TOUCH,
        concerns=[Concern.WANTS_TO_WITHDRAW],
        now=MONDAY,
    )
    assert AlertKind.DISENGAGEMENT in live(case)
    set_case_status(
        case=case,
        status=CaseStatus.PAUSED,
        reason="Asked for no contact for a month",
        acting_user=world.nadia,
        now=MONDAY + timedelta(hours=1),
    )
    assert live(case) == {}


def test_a_resolved_disengagement_alert_is_raised_again_when_it_gets_worse(world: World) -> None:
    from alerts.services import resolve_alert

    case = world.case_a
    agree(case, world.nadia, at=MONDAY - timedelta(days=1), interval=7)
    update(case, world.nadia, at=MONDAY, concerns=[Concern.WANTS_TO_WITHDRAW])
    alert = Alert.objects.get(case=case, kind=AlertKind.DISENGAGEMENT)
    assert alert.severity == Severity.MEDIUM
    resolve_alert(
        alert=alert,
        note="Talked it through; she wants to carry on",
        acting_user=world.sam,
        now=MONDAY + timedelta(hours=1),
    )
    refresh_cases([case.pk], now=MONDAY + timedelta(hours=2))
    assert AlertKind.DISENGAGEMENT not in live(case)  # the same episode, not worse

    log_checkin(
        case=case,
        acting_user=world.nadia,
        at=MONDAY + timedelta(hours=3),
        direction=Direction.INBOUND,
        channel=Channel.PHONE_CALL,
        outcome=Outcome.VICTIM_GOT_IN_TOUCH,
        concerns=[Concern.SAFETY_FEAR, Concern.WANTS_TO_WITHDRAW],
        now=MONDAY + timedelta(hours=3),
    )
    refresh_cases([case.pk], now=MONDAY + timedelta(days=1, hours=4))  # the fear unanswered
    assert live(case)[AlertKind.DISENGAGEMENT] == Severity.HIGH


def test_a_resolved_disengagement_alert_is_raised_again_after_the_case_went_quiet(
    world: World,
) -> None:
    from alerts.services import resolve_alert

    case = world.case_a
    agree(case, world.nadia, at=MONDAY - timedelta(days=1), interval=7)
    update(case, world.nadia, at=MONDAY, concerns=[Concern.WANTS_TO_WITHDRAW])
    resolve_alert(
        alert=Alert.objects.get(case=case, kind=AlertKind.DISENGAGEMENT),
        note="Talked it through",
        acting_user=world.sam,
        now=MONDAY + timedelta(hours=1),
    )
    update(case, world.nadia, at=MONDAY + timedelta(days=2))  # reached, no worry: quiet
    assert AlertKind.DISENGAGEMENT not in live(case)
    update(case, world.nadia, at=MONDAY + timedelta(days=5), concerns=[Concern.WANTS_TO_WITHDRAW])
    assert AlertKind.DISENGAGEMENT in live(case)  # a new episode
