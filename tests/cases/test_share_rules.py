"""What a share gives, as a table (no database); and the share service that records
consent, scope and end, and stops access the moment a share ends."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from cases import access
from cases.access import CaseField
from cases.choices import DEFAULT_SHARE_SCOPE, PocRole, SharePurpose, ShareScope
from cases.models import CaseShare
from cases.services import end_expired_shares, revoke_share, share_case
from navigator.errors import ValidationError
from partners.models import NoticeKind, PartnerNotice
from tests.factories import OrganisationFactory, PointOfContactFactory, StaffFactory
from tests.personas import World

F = CaseField
BASE = {F.REFERENCE, F.VICTIM, F.STATUS}
FREE_TEXT_AND_IDENTITY = {F.NOTES, F.AGREEMENT_FREE_TEXT, F.IDENTITY, F.CONTACT_LOG}


@pytest.mark.parametrize(
    ("covers", "purpose", "expected"),
    [
        ([], SharePurpose.SUPPORT, BASE),
        (
            list(DEFAULT_SHARE_SCOPE),
            SharePurpose.SUPPORT,
            BASE
            | {
                F.PREFERRED_NAME,
                F.LANGUAGE,
                F.POINTS_OF_CONTACT,
                F.POLICE_FORCE,
                F.AGREEMENT,
                F.EVENTS,
                F.HANDOVERS,
            },
        ),
        ([ShareScope.PREFERRED_NAME], SharePurpose.SUPPORT, BASE | {F.PREFERRED_NAME}),
        (
            [ShareScope.AGREEMENT, ShareScope.EVENTS],
            SharePurpose.SUPPORT,
            BASE | {F.AGREEMENT, F.EVENTS},
        ),
        # Where the victim lives: only ever for the accommodation provider.
        ([ShareScope.LOCATION], SharePurpose.SUPPORT, BASE),
        ([ShareScope.LOCATION], SharePurpose.ACCOMMODATION, BASE | {F.LOCATION}),
        ([], SharePurpose.ACCOMMODATION, BASE),
        (["notes", "full_name", "identity"], SharePurpose.SUPPORT, BASE),  # unknown: nothing
    ],
)
def test_share_fields(covers: list[str], purpose: str, expected: set[CaseField]) -> None:
    assert access.share_fields(covers=covers, purpose=purpose) == expected


def test_no_share_ever_gives_notes_free_text_identity_or_the_contact_log() -> None:
    everything = [*ShareScope.values, "notes", "identity"]
    for purpose in SharePurpose.values:
        assert not access.share_fields(covers=everything, purpose=purpose) & FREE_TEXT_AND_IDENTITY


@pytest.mark.parametrize(
    ("role", "police_contact", "has", "lacks"),
    [
        (Role.NAVIGATOR, False, {F.NOTES, F.LOCATION, F.IDENTITY, F.CONTACT_LOG}, set()),
        (Role.SUPERVISOR, False, {F.NOTES, F.LOCATION}, set()),
        (Role.ADMIN, False, {F.NOTES, F.LOCATION}, set()),
        (Role.OFFICER, False, {F.AGREEMENT, F.CONTACT_LOG, F.IDENTITY}, {F.NOTES, F.LOCATION}),
        (Role.OFFICER, True, {F.LOCATION}, {F.NOTES}),
        (Role.PARTNER_CASEWORKER, False, set(), set(F)),  # partners: by share only
        ("", False, set(), set(F)),
    ],
)
def test_role_fields(role: str, police_contact: bool, has: set[F], lacks: set[F]) -> None:
    fields = access.role_fields(role, is_current_police_contact=police_contact)
    assert has <= fields
    assert not (lacks & fields)


pytestmark_db = pytest.mark.django_db  # the table tests above need no database


@pytestmark_db
def test_sharing_records_consent_scope_and_purpose(world: World) -> None:
    share = share_case(
        case=world.case_b,
        organisation=world.haven,
        consent_recorded_on=timezone.localdate(),
        acting_user=world.noah,
        consent_recorded_by=world.sam,
        purpose=SharePurpose.ACCOMMODATION,
    )
    assert share.consent_recorded_by == world.sam
    assert share.shared_by == world.noah
    assert ShareScope.LOCATION in share.covers  # an accommodation provider's default
    assert set(DEFAULT_SHARE_SCOPE) <= set(share.covers)
    assert world.case_b in access.visible_cases(world.pat)
    assert F.LOCATION in access.case_fields(world.pat, world.case_b)


@pytestmark_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"covers": [ShareScope.LOCATION]}, "covers"),
        ({"covers": ["notes"]}, "covers"),
        ({"purpose": "friendship"}, "purpose"),
        ({"consent_recorded_on": "future"}, "consent_recorded_on"),
        ({"expires_at": "past"}, "expires_at"),
        ({"consent_recorded_by": "officer"}, "consent_recorded_by"),
    ],
)
def test_sharing_refuses_what_the_victim_did_not_consent_to(
    world: World, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"consent_recorded_on": timezone.localdate()}
    values.update(changes)
    if values["consent_recorded_on"] == "future":
        values["consent_recorded_on"] = timezone.localdate() + timedelta(days=1)
    if values.get("expires_at") == "past":
        values["expires_at"] = timezone.now() - timedelta(minutes=1)
    if values.get("consent_recorded_by") == "officer":
        values["consent_recorded_by"] = world.olive
    with pytest.raises(ValidationError) as refused:
        share_case(case=world.case_b, organisation=world.haven, acting_user=world.noah, **values)
    assert field in refused.value.message_dict
    assert not CaseShare.objects.filter(case=world.case_b).exists()


@pytestmark_db
@pytest.mark.parametrize("kind", ["police_force", "navigator_service"])
def test_cases_are_shared_with_partner_organisations_only(world: World, kind: str) -> None:
    """The share form offers only partners; the service holds the rule for every caller."""
    with pytest.raises(ValidationError) as refused:
        share_case(
            case=world.case_b,
            organisation=OrganisationFactory(kind=kind),
            acting_user=world.noah,
            consent_recorded_on=timezone.localdate(),
        )
    assert "organisation" in refused.value.message_dict
    assert not CaseShare.objects.filter(case=world.case_b).exists()


@pytestmark_db
def test_a_share_that_runs_out_stops_access_at_once_and_the_pass_tells_the_partner(
    world: World,
) -> None:
    now = timezone.now()
    world.case_a.shares.update(expires_at=now + timedelta(hours=1))
    PointOfContactFactory(case=world.case_a, role=PocRole.NGO_CASEWORKER, person=world.pat)
    assert world.case_a in access.visible_cases(world.pat)
    with time_machine.travel(now + timedelta(hours=1, seconds=1), tick=False):
        # No pass has run yet: access stopped all the same.
        assert world.case_a not in access.visible_cases(world.pat)
        assert end_expired_shares(now=timezone.now()) == 1
        assert end_expired_shares(now=timezone.now()) == 0  # once
    share = world.case_a.shares.get()
    assert (share.revoked_at, share.revoked_by) == (now + timedelta(hours=1), None)
    notice = PartnerNotice.objects.get(kind=NoticeKind.SHARE_REVOKED)
    assert notice.organisation == world.haven
    assert "ran out" in notice.subject and world.case_a.reference in notice.subject
    assert not world.case_a.points_of_contact.filter(
        role=PocRole.NGO_CASEWORKER, ended_at__isnull=True
    ).exists()


@pytestmark_db
def test_revoking_records_who_and_tells_the_partner(world: World) -> None:
    share = revoke_share(share=world.case_a.shares.get(), acting_user=world.nadia)
    assert share.revoked_by == world.nadia and share.revoked_at is not None
    assert world.case_a not in access.visible_cases(world.pat)
    notice = PartnerNotice.objects.get(organisation=world.haven, kind=NoticeKind.SHARE_REVOKED)
    assert "was revoked" in notice.subject
    revoke_share(share=share, acting_user=world.nadia)  # again: nothing more
    assert PartnerNotice.objects.filter(kind=NoticeKind.SHARE_REVOKED).count() == 1


@pytestmark_db
def test_sharing_again_after_a_share_ran_out_ends_the_old_one_first(world: World) -> None:
    now = timezone.now()
    world.case_a.shares.update(expires_at=now + timedelta(minutes=5))
    with time_machine.travel(now + timedelta(minutes=6), tick=False):
        renewed = share_case(
            case=world.case_a,
            organisation=world.haven,
            consent_recorded_on=timezone.localdate(),
            acting_user=world.nadia,
        )
        with pytest.raises(ValidationError, match="already shared"):
            share_case(
                case=world.case_a,
                organisation=world.haven,
                consent_recorded_on=timezone.localdate(),
                acting_user=world.nadia,
            )
    old = world.case_a.shares.exclude(pk=renewed.pk).get()
    assert (old.revoked_at, old.revoked_by) == (now + timedelta(minutes=5), None)
    assert renewed.revoked_at is None
    assert PartnerNotice.objects.filter(kind=NoticeKind.SHARE_REVOKED).count() == 1


@pytestmark_db
def test_an_api_account_cannot_be_made_a_point_of_contact(world: World) -> None:
    from cases.services import assign_point_of_contact
    from tests.partners.helpers import issue

    issue(world.haven)
    account = world.haven.staff.get(is_service_account=True)
    with pytest.raises(ValidationError, match="API account"):
        assign_point_of_contact(
            case=world.case_a,
            role=PocRole.NGO_CASEWORKER,
            person=account,
            acting_user=world.nadia,
        )
    caseworker = StaffFactory(role=Role.PARTNER_CASEWORKER, organisation=world.haven)
    assign_point_of_contact(
        case=world.case_a, role=PocRole.NGO_CASEWORKER, person=caseworker, acting_user=world.nadia
    )
