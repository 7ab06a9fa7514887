"""Notices are written in the transaction of the change that causes them, to the partners
whose share covers what they are about, and carry the case reference only."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from cases.choices import CaseStatus, EventKind, PocRole, ShareScope
from cases.services import (
    assign_point_of_contact,
    record_case_event,
    record_relocation,
    revoke_share,
    set_case_status,
    share_case,
)
from partners import outbox
from partners.models import NoticeKind, PartnerNotice
from partners.services import acknowledge_notice
from tests.alerts.helpers import london
from tests.factories import (
    CaseFactory,
    CaseShareFactory,
    OrganisationFactory,
    PointOfContactFactory,
    VictimLocationFactory,
)
from tests.personas import World

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 3, 2, 11)


def kinds(organisation: object) -> list[str]:
    return list(
        PartnerNotice.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_a_new_point_of_contact_is_told_to_partners_whose_share_covers_them(world: World) -> None:
    narrow = OrganisationFactory(name="Narrow Trust")
    CaseShareFactory(
        case=world.case_a, organisation=narrow, shared_by=world.nadia, covers=["preferred_name"]
    )
    assign_point_of_contact(
        case=world.case_a, role=PocRole.POLICE, person=world.omar, acting_user=world.nadia
    )
    (notice,) = PartnerNotice.objects.all()
    assert (notice.organisation, notice.kind) == (world.haven, NoticeKind.POINT_OF_CONTACT_CHANGED)
    assert notice.subject == f"Case {world.case_a.reference} has a new police point of contact"
    assert kinds(narrow) == []  # its share does not cover the points of contact


def test_pausing_closing_and_reopening_are_told_once_each(world: World) -> None:
    case = world.case_a
    set_case_status(
        case=case, status=CaseStatus.PAUSED, reason="Family visit", acting_user=world.nadia
    )
    set_case_status(
        case=case, status=CaseStatus.PAUSED, reason="Still away", acting_user=world.nadia
    )
    set_case_status(case=case, status=CaseStatus.OPEN, reason="", acting_user=world.nadia)
    set_case_status(case=case, status=CaseStatus.CLOSED, reason="Moved on", acting_user=world.nadia)
    subjects = list(PartnerNotice.objects.order_by("id").values_list("subject", flat=True))
    assert subjects == [
        f"Case {case.reference} was paused at the victim's request",
        f"Case {case.reference} was reopened",
        f"Case {case.reference} was closed",
    ]
    assert not any("Family" in s or "Moved on" in s for s in subjects)  # reasons stay inside


def test_a_change_that_fails_leaves_no_notice(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        set_case_status(
            case=world.case_a, status=CaseStatus.PAUSED, reason="Asked", acting_user=world.nadia
        )
        assert PartnerNotice.objects.count() == 1
        raise RuntimeError("the request failed after the service ran")
    assert PartnerNotice.objects.count() == 0
    world.case_a.refresh_from_db()
    assert world.case_a.status == CaseStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_notices_are_only_written_inside_a_transaction(world: World) -> None:
    notice = PartnerNotice(
        case=world.case_a, organisation=world.haven, kind=NoticeKind.RELOCATION, subject="x"
    )
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.record([notice])
    assert not PartnerNotice.objects.exists()


def test_a_relocation_is_told_without_the_address(world: World) -> None:
    VictimLocationFactory(victim=world.case_a.victim, address="1 Old Road")
    record_relocation(
        victim=world.case_a.victim,
        address="22 Safe Street, Hiddenham",
        postcode="ZZ9 9ZZ",
        accommodation_kind="safe_house",
        acting_user=world.nadia,
    )
    (notice,) = PartnerNotice.objects.all()
    assert notice.kind == NoticeKind.RELOCATION
    assert notice.subject == f"The victim in case {world.case_a.reference} has moved"
    world.case_a.victim.refresh_from_db()
    assert world.case_a.victim.location.address == "22 Safe Street, Hiddenham"
    assert world.case_a.victim.accommodation_kind == "safe_house"


def test_no_notice_ever_carries_the_victims_details(world: World) -> None:
    victim = world.case_a.victim
    VictimLocationFactory(victim=victim, address="7 Hidden Lane")
    PointOfContactFactory(case=world.case_a, role=PocRole.NGO_CASEWORKER, person=world.pat)
    record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=2),
        acting_user=world.nadia,
        notes=f"{victim.full_name} is frightened of the interview",
    )
    outbox.issue_tipping_point_notices(now=timezone.now())
    assign_point_of_contact(
        case=world.case_a, role=PocRole.POLICE, person=world.omar, acting_user=world.nadia
    )
    record_relocation(
        victim=victim,
        address="9 New Road",
        accommodation_kind="safe_house",
        acting_user=world.nadia,
    )
    set_case_status(
        case=world.case_a,
        status=CaseStatus.PAUSED,
        reason=f"{victim.full_name} asked",
        acting_user=world.nadia,
    )
    revoke_share(share=world.case_a.shares.get(), acting_user=world.nadia)
    notices = list(PartnerNotice.objects.all())
    assert {n.kind for n in notices} == {
        NoticeKind.TIPPING_POINT,
        NoticeKind.POINT_OF_CONTACT_CHANGED,
        NoticeKind.RELOCATION,
        NoticeKind.CASE_STATUS_CHANGED,
        NoticeKind.SHARE_REVOKED,
    }
    secrets = [
        victim.full_name,
        victim.preferred_name,
        victim.safe_phone,
        victim.nationality,
        "Hidden Lane",
        "New Road",
        "frightened",
        str(world.omar),
    ]
    for notice in notices:
        assert world.case_a.reference in notice.subject
        for secret in secrets:
            assert secret not in notice.subject, (notice.kind, secret)


def test_a_partner_joining_before_a_hard_moment_is_told_and_must_acknowledge_too(
    world: World,
) -> None:
    interview = record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=MONDAY + timedelta(days=3),
        acting_user=world.nadia,
        now=MONDAY,
    )
    (first,) = outbox.issue_tipping_point_notices(now=MONDAY)
    acknowledge_notice(notice=first, acting_user=world.pat, now=MONDAY + timedelta(hours=1))
    interview.refresh_from_db()
    assert interview.partners_told_at is not None

    # A second partner, with the victim's consent: it is told at once, and until it
    # acknowledges, the partners are not all told.
    share_case(
        case=world.case_a,
        organisation=world.other_ngo,
        consent_recorded_on=MONDAY.date(),
        acting_user=world.nadia,
        now=MONDAY + timedelta(hours=2),
    )
    second = PartnerNotice.objects.get(organisation=world.other_ngo, event=interview)
    interview.refresh_from_db()
    assert interview.partners_told_at is None
    acknowledge_notice(notice=second, acting_user=world.pia, now=MONDAY + timedelta(hours=3))
    interview.refresh_from_db()
    assert interview.partners_told_at == MONDAY + timedelta(hours=3)


def test_a_partner_leaving_no_longer_holds_the_event_back(world: World) -> None:
    CaseShareFactory(case=world.case_a, organisation=world.other_ngo, shared_by=world.nadia)
    interview = record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=MONDAY + timedelta(days=3),
        acting_user=world.nadia,
        now=MONDAY,
    )
    outbox.issue_tipping_point_notices(now=MONDAY)
    haven_notice = PartnerNotice.objects.get(organisation=world.haven)
    acknowledge_notice(notice=haven_notice, acting_user=world.pat, now=MONDAY + timedelta(hours=1))
    interview.refresh_from_db()
    assert interview.partners_told_at is None  # the other partner has not acknowledged
    revoke_share(
        share=world.case_a.shares.get(organisation=world.other_ngo),
        acting_user=world.nadia,
        now=MONDAY + timedelta(hours=2),
    )
    interview.refresh_from_db()
    assert interview.partners_told_at == MONDAY + timedelta(hours=2)


def test_a_share_not_covering_events_gets_no_advance_notice(world: World) -> None:
    world.case_a.shares.update(covers=[ShareScope.PREFERRED_NAME])
    record_case_event(
        case=world.case_a,
        kind=EventKind.COURT_HEARING,
        at=MONDAY + timedelta(days=2),
        acting_user=world.nadia,
        now=MONDAY,
    )
    assert outbox.issue_tipping_point_notices(now=MONDAY) == []


@pytest.mark.django_db(transaction=True)
def test_the_feed_order_is_the_commit_order(world: World) -> None:
    """A writer holds the feed lock until it commits, so a notice written later cannot
    be committed earlier (and be skipped by a reader who has read past it)."""
    case = CaseFactory(police_force=world.force_a)
    CaseShareFactory(case=case, organisation=world.haven, shared_by=world.nadia)
    first_written, let_first_commit = threading.Event(), threading.Event()
    ids: dict[str, int] = {}

    def write(name: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                (notice,) = outbox.notify_partners(
                    case=case, kind=NoticeKind.RELOCATION, subject=name, now=timezone.now()
                )
                ids[name] = notice.pk
                if hold:
                    first_written.set()
                    assert let_first_commit.wait(timeout=30)
        finally:
            connections.close_all()

    first = threading.Thread(target=write, args=("first", True))
    first.start()
    assert first_written.wait(timeout=30)
    second = threading.Thread(target=write, args=("second", False))
    second.start()
    # The second writer waits for the feed lock while the first is uncommitted.
    poll = threading.Event()
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                break
            poll.wait(0.01)  # a poll for the other thread's state, not a wait for time to pass
        else:
            pytest.fail("the second writer never waited for the feed lock")
    assert "second" not in ids
    let_first_commit.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert ids["first"] < ids["second"]
