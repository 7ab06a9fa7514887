"""Writes to victims and cases. Each is atomic, names its acting user and keeps history."""

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import Answer, CaseStatus, Engagement, EventKind, OrganisationKind, PocRole
from cases.dates import (
    birth_day_problem,
    case_opening_problem,
    past_day_problem,
    past_moment_problem,
    planned_moment_problem,
)
from cases.models import Case, CaseEvent, CaseShare, PointOfContact, Victim
from cases.references import new_case_reference, new_victim_reference
from navigator.errors import PermissionDenied, ValidationError, field_error
from navigator.history import save_as

# The role a member of staff must hold to be a point of contact in each role.
POC_STAFF_ROLE = {
    PocRole.POLICE: Role.OFFICER,
    PocRole.NAVIGATOR: Role.NAVIGATOR,
    PocRole.NGO_CASEWORKER: Role.PARTNER_CASEWORKER,
}
_REFERENCE_ATTEMPTS = 8


def require_case_manager(acting_user: Staff, case: Case) -> None:
    """Refuse unless ``acting_user`` may see ``case`` and keeps case records."""
    if not access.may_manage_cases(acting_user.role) or not (
        access.visible_cases(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("You may not change this case.")


def _save_with_new_reference(
    instance: Victim | Case, make_reference: Any, acting_user: Any
) -> None:
    # References are random and short, so a collision is rare but possible: retry.
    for _ in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                save_as(instance, acting_user)
            return
        except IntegrityError as error:
            if "reference" not in str(error):
                raise
            instance.reference = make_reference()
    raise RuntimeError("Could not allocate a unique reference")


@transaction.atomic
def create_victim(*, acting_user: Staff, **fields: Any) -> Victim:
    if not access.may_manage_cases(acting_user.role):
        raise PermissionDenied("You may not record victims.")
    if not fields.get("date_of_birth") and not fields.get("age_band"):
        raise field_error("age_band", "Give a date of birth, or an age band when it is unknown.")
    if fields.get("date_of_birth") is not None and (
        problem := birth_day_problem(fields["date_of_birth"], today=timezone.localdate())
    ):
        raise field_error("date_of_birth", problem)
    victim = Victim(**fields)
    victim.full_clean(exclude=["reference"])
    _save_with_new_reference(victim, new_victim_reference, acting_user)
    return victim


@transaction.atomic
def open_case(
    *,
    victim: Victim,
    police_force: Organisation,
    acting_user: Staff,
    navigator: Staff | None = None,
    **fields: Any,
) -> Case:
    if not access.may_manage_cases(acting_user.role):
        raise PermissionDenied("You may not open cases.")
    if police_force.kind != OrganisationKind.POLICE_FORCE:
        raise field_error("police_force", f"{police_force} is not a police force.")
    if "opened_at" in fields and (
        problem := case_opening_problem(fields["opened_at"], now=timezone.now())
    ):
        raise field_error("opened_at", problem)
    case = Case(victim=victim, police_force=police_force, **fields)
    case.full_clean(exclude=["reference", "victim", "police_force"])
    _save_with_new_reference(case, new_case_reference, acting_user)
    if navigator is not None:
        assign_point_of_contact(
            case=case,
            role=PocRole.NAVIGATOR,
            person=navigator,
            acting_user=acting_user,
            at=case.opened_at,
            reason="Case opened",
            check_access=False,
            now=case.opened_at,
        )
    return case


@transaction.atomic
def assign_point_of_contact(
    *,
    case: Case,
    role: PocRole,
    person: Staff,
    acting_user: Staff,
    at: datetime | None = None,
    reason: str = "",
    introduced_by_predecessor: bool = False,
    check_access: bool = True,
    now: datetime | None = None,
) -> PointOfContact:
    """Make ``person`` the current point of contact in ``role``, ending their predecessor's term.

    1. Lock the case so two simultaneous hand-overs cannot both succeed.
    2. Check that the person can hold the role on this case.
    3. End the current point of contact, if any, and start the new one.
    """
    if check_access:
        require_case_manager(acting_user, case)
    now = now or timezone.now()
    at = at or now
    Case.objects.filter(pk=case.pk).lock()
    if problem := past_moment_problem(at, noun="A hand-over", opened_at=case.opened_at, now=now):
        raise field_error("at", problem)
    required_role = POC_STAFF_ROLE[PocRole(role)]
    if person.role != required_role or not person.is_active:
        raise field_error("person", f"{person} is not an active {Role(required_role).label}.")
    if role == PocRole.POLICE and person.organisation_id != case.police_force_id:
        raise field_error("person", f"{person} is not an officer of {case.police_force}.")
    if (
        role == PocRole.NGO_CASEWORKER
        and not case.shares.filter(
            organisation_id=person.organisation_id, revoked_at__isnull=True
        ).exists()
    ):
        raise field_error("person", "The case is not shared with this caseworker's organisation.")

    current = PointOfContact.objects.filter(case=case, role=role, ended_at__isnull=True).first()
    if current is not None:
        if current.person_id == person.pk:
            raise field_error("person", f"{person} is already the point of contact.")
        if at < current.started_at:
            raise field_error("at", "A hand-over cannot predate the current point of contact.")
        current.ended_at = at
        save_as(current, acting_user, update_fields=["ended_at"])
    poc = PointOfContact(
        case=case,
        role=role,
        person=person,
        started_at=at,
        change_reason=reason,
        introduced_by_predecessor=introduced_by_predecessor and current is not None,
    )
    save_as(poc, acting_user)
    # A new face without an introduction is a signal; alerts follow the new navigator.
    refresh_cases([case.pk], now=now)
    return poc


@transaction.atomic
def share_case(
    *, case: Case, organisation: Organisation, consent_recorded_on: date, acting_user: Staff
) -> CaseShare:
    require_case_manager(acting_user, case)
    if organisation.kind == OrganisationKind.POLICE_FORCE:
        raise field_error("organisation", "Cases are shared with partner organisations only.")
    if problem := past_day_problem(
        consent_recorded_on,
        noun="Consent",
        opened_at=case.opened_at,
        today=timezone.localdate(),
    ):
        raise field_error("consent_recorded_on", problem)
    if case.shares.filter(organisation=organisation, revoked_at__isnull=True).exists():
        raise field_error("organisation", f"The case is already shared with {organisation}.")
    share = CaseShare(
        case=case,
        organisation=organisation,
        consent_recorded_on=consent_recorded_on,
        shared_by=acting_user,
    )
    save_as(share, acting_user)
    refresh_cases([case.pk], now=timezone.now())  # a partner now to be told of hard moments
    return share


@transaction.atomic
def revoke_share(*, share: CaseShare, acting_user: Staff) -> CaseShare:
    require_case_manager(acting_user, share.case)
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        save_as(share, acting_user, update_fields=["revoked_at"])
        # Without the share, the organisation's caseworker can no longer be a point of contact.
        for poc in PointOfContact.objects.filter(
            case_id=share.case_id,
            role=PocRole.NGO_CASEWORKER,
            ended_at__isnull=True,
            person__organisation_id=share.organisation_id,
        ):
            poc.ended_at = share.revoked_at
            poc.change_reason = "Sharing with the organisation ended"
            save_as(poc, acting_user, update_fields=["ended_at", "change_reason"])
        refresh_cases([share.case_id], now=share.revoked_at)
    return share


@transaction.atomic
def set_case_status(
    *,
    case: Case,
    status: CaseStatus,
    reason: str,
    acting_user: Staff,
    now: datetime | None = None,
) -> Case:
    """Open, pause (at the victim's request) or close a case. Pausing and closing need a reason.

    Closing starts the retention period (``closed_at``); reopening stops it.
    """
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if status not in CaseStatus.values:
        raise field_error("status", f"Unknown status {status!r}.")
    if status != CaseStatus.OPEN and not reason.strip():
        raise field_error("status_reason", "Say why the case is paused or closed.")
    if case.anonymised_at is not None:
        raise field_error("status", "The case was anonymised after its retention period.")
    case.status = status
    case.status_reason = reason.strip() if status != CaseStatus.OPEN else ""
    # Closing again (to correct the reason, say) does not restart the retention period.
    case.closed_at = (case.closed_at or now) if status == CaseStatus.CLOSED else None
    save_as(case, acting_user, update_fields=["status", "status_reason", "closed_at"])
    # Pausing or closing stops the clock and clears its alerts; reopening restarts it.
    refresh_cases([case.pk], now=now)
    return case


@transaction.atomic
def record_case_event(
    *,
    case: Case,
    kind: EventKind,
    at: datetime,
    acting_user: Staff,
    is_key_decision: bool = False,
    victim_prepared: bool = False,
    notes: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    if kind not in EventKind.values:
        raise field_error("kind", f"Unknown event kind {kind!r}.")
    if problem := planned_moment_problem(at, noun="An event", opened_at=case.opened_at, now=now):
        raise field_error("at", problem)
    event = CaseEvent(
        case=case,
        kind=kind,
        at=at,
        is_key_decision=is_key_decision,
        victim_prepared=victim_prepared,
        notes=notes,
        created_by=acting_user,
    )
    save_as(event, acting_user)
    refresh_cases([case.pk], now=now)
    return event


@transaction.atomic
def record_engagement_measures(
    *,
    case: Case,
    acting_user: Staff,
    support_offered_on: date | None,
    support_accepted: str,
    investigation_engagement: str,
    now: datetime | None = None,
) -> Case:
    """Record the report's three measures: support offered (when), accepted, and engagement
    with the investigation, so a force can measure what the research measured."""
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors: dict[str, list[str]] = {}
    if support_offered_on is not None and (
        problem := past_day_problem(
            support_offered_on,
            noun="Support",
            opened_at=case.opened_at,
            today=timezone.localdate(now),
        )
    ):
        errors["support_offered_on"] = [problem]
    if support_accepted not in Answer.values:
        errors["support_accepted"] = [
            "Say whether the victim accepted support: yes, no or unknown."
        ]
    elif support_accepted != Answer.UNKNOWN and support_offered_on is None:
        errors["support_offered_on"] = ["Say when support was offered."]
    if investigation_engagement not in Engagement.values:
        errors["investigation_engagement"] = [
            "Say how the victim engages with the investigation: positive, negative or unknown."
        ]
    if errors:
        raise ValidationError(errors)
    case.support_offered_on = support_offered_on
    case.support_accepted = support_accepted
    case.investigation_engagement = investigation_engagement
    save_as(
        case,
        acting_user,
        update_fields=["support_offered_on", "support_accepted", "investigation_engagement"],
    )
    return case
