"""Writes to victims and cases. Each is atomic, names its acting user and keeps history.

A change partners must hear of writes its notices through ``partners.outbox`` in the same
transaction: the outbox is the one way in, as ``alerts.sweep.refresh_cases`` is for the
clock.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import (
    PARTNER_ORGANISATION_KINDS,
    AccommodationKind,
    Answer,
    CaseStatus,
    Engagement,
    EventKind,
    OrganisationKind,
    PocRole,
    SharePurpose,
    ShareScope,
    default_share_scope,
)
from cases.dates import (
    birth_day_problem,
    case_opening_problem,
    clock_problem,
    important_day_problem,
    past_day_problem,
    past_moment_problem,
    planned_moment_problem,
    victim_day_problem,
)
from cases.models import (
    Case,
    CaseEvent,
    CaseShare,
    ImportantDate,
    PointOfContact,
    Victim,
    VictimLocation,
)
from cases.references import new_case_reference, new_victim_reference
from cases.selectors import POC_STAFF_ROLE
from navigator.errors import PermissionDenied, ValidationError, field_error
from navigator.history import save_as
from partners import outbox
from partners.models import NoticeKind

_REFERENCE_ATTEMPTS = 8


class PointOfContactChanged(ValidationError):
    """The point of contact changed after the form changing it was opened.

    Raised instead of replacing someone the person never saw: they are shown who holds the
    role now and decide again.
    """

    def __init__(self, *, based_on: int, current: PointOfContact | None) -> None:
        self.based_on = based_on
        self.current = current
        now = f"{current.person} is now the point of contact" if current else "nobody holds it now"
        super().__init__(
            f"The point of contact changed while this form was open: {now}.",
            code="point_of_contact_changed",
        )


def moment_of(now: datetime | None) -> datetime:
    """``now``, or the clock's time if not given: refused beside ``now`` if the rules could
    not count from it (``cases.dates.clock_problem``)."""
    now = now or timezone.now()
    if problem := clock_problem(now):
        raise field_error("now", problem)
    return now


def require_case_manager(acting_user: Staff, case: Case) -> None:
    """Refuse unless ``acting_user`` may see ``case`` and keeps case records."""
    if not access.may_manage_cases(acting_user.role) or not (
        access.visible_cases(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("You may not change this case.")


Row = TypeVar("Row", bound=models.Model)


def saved_before(
    model: type[Row], key: UUID | None, *, case: Case, case_path: str = "case"
) -> Row | None:
    """What a form sent before with ``key`` saved, if it was: a form sent twice (a double
    tap, a retry on a poor signal) is saved once. Call it holding the case's lock, so the
    second sending waits for the first and then finds what it saved."""
    if key is None:
        return None
    already = model._default_manager.filter(submission_key=key).first()
    if already is None:
        return None
    if not model._default_manager.filter(pk=already.pk, **{case_path: case}).exists():
        raise field_error("submission_key", "This form belongs to another case.")
    return already


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
    based_on: int | None = None,
    now: datetime | None = None,
) -> PointOfContact:
    """Make ``person`` the current point of contact in ``role``, ending their predecessor's term.

    1. Lock the case so two simultaneous hand-overs cannot both succeed.
    2. With ``based_on`` (the id of the person a form showed in the role, 0 for nobody),
       refuse with ``PointOfContactChanged`` if someone else holds it now.
    3. Check that the person can hold the role on this case.
    4. End the current point of contact, if any, and start the new one.
    """
    if check_access:
        require_case_manager(acting_user, case)
    now = moment_of(now)
    at = at or now
    Case.objects.filter(pk=case.pk).lock()
    current = (
        PointOfContact.objects.filter(case=case, role=role, ended_at__isnull=True)
        .select_related("person")
        .first()
    )
    if based_on is not None and based_on != (current.person_id if current else 0):
        raise PointOfContactChanged(based_on=based_on, current=current)
    if problem := past_moment_problem(at, noun="A hand-over", opened_at=case.opened_at, now=now):
        raise field_error("at", problem)
    required_role = POC_STAFF_ROLE[PocRole(role)]
    if person.role != required_role or not person.is_active:
        raise field_error("person", f"{person} is not an active {Role(required_role).label}.")
    if role == PocRole.POLICE and person.organisation_id != case.police_force_id:
        raise field_error("person", f"{person} is not an officer of {case.police_force}.")
    if person.is_service_account:
        raise field_error("person", f"{person} is an organisation's API account, not a person.")
    if (
        role == PocRole.NGO_CASEWORKER
        and not case.shares.in_force(now).filter(organisation_id=person.organisation_id).exists()
    ):
        raise field_error("person", "The case is not shared with this caseworker's organisation.")

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
    outbox.notify_partners(
        case=case,
        kind=NoticeKind.POINT_OF_CONTACT_CHANGED,
        subject=outbox.point_of_contact_subject(case, role),
        happens_at=at,
        now=now,
    )
    # A new face without an introduction is a signal; alerts follow the new navigator.
    refresh_cases([case.pk], now=now)
    return poc


def current_navigator_cases(person: Staff) -> list[Case]:
    """The cases ``person`` is the current navigator of, in reference order, with victims."""
    return list(
        Case.objects.filter(
            points_of_contact__role=PocRole.NAVIGATOR,
            points_of_contact__person=person,
            points_of_contact__ended_at__isnull=True,
        )
        .select_related("victim")
        .order_by("reference")
    )


@transaction.atomic
def hand_on_cases(
    *,
    from_person: Staff,
    successors: Mapping[int, Staff],
    acting_user: Staff,
    reason: str = "",
    introduced_by_predecessor: bool = False,
    now: datetime | None = None,
) -> list[PointOfContact]:
    """Hand every case ``from_person`` is the current navigator of to others, all at once:
    when a navigator leaves or is away. ``successors`` maps each case's id to its new navigator.

    1. Check the acting user may hand on this navigator's cases (``cases.access``).
    2. Lock those cases. ``successors`` must name exactly the cases the navigator holds now:
       a case handed to them or away from them since the form was opened refuses the lot.
    3. Hand each on through ``assign_point_of_contact`` (the same checks, history, notices to
       partners and re-run of the clock as a single change), in this one transaction: if any
       is refused, none is handed on, and every refusal is reported against its case.
    """
    if not access.may_hand_on_cases_of(acting_user, from_person):
        raise PermissionDenied("You may not hand on this navigator's cases.")
    now = moment_of(now)
    held = current_navigator_cases(from_person)
    Case.objects.filter(pk__in=[case.pk for case in held]).lock()
    held = current_navigator_cases(from_person)  # as it stands under the lock
    if not held:
        raise ValidationError(f"{from_person} is not the navigator of any case now.")
    if set(successors) != {case.pk for case in held}:
        raise ValidationError(
            f"{from_person}'s cases changed while this form was open: "
            "look at the list again and choose who takes each."
        )
    problems: dict[str, list[str]] = {}
    changes = []
    for case in held:
        try:
            changes.append(
                assign_point_of_contact(
                    case=case,
                    role=PocRole.NAVIGATOR,
                    person=successors[case.pk],
                    acting_user=acting_user,
                    at=now,
                    reason=reason,
                    introduced_by_predecessor=introduced_by_predecessor,
                    based_on=from_person.pk,
                    now=now,
                )
            )
        except ValidationError as error:
            problems[f"case_{case.pk}"] = [f"{case.reference}: {m}" for m in error.messages]
    if problems:
        raise ValidationError(problems)
    return changes


def _clean_scope(
    covers: Iterable[str] | None, purpose: str, errors: dict[str, list[str]]
) -> list[str]:
    if purpose not in SharePurpose.values:
        errors.setdefault("purpose", []).append(f"Unknown purpose {purpose!r}.")
        return []
    if covers is None:
        covers = default_share_scope()
        if purpose == SharePurpose.ACCOMMODATION:
            covers.append(ShareScope.LOCATION)
    cleaned = []
    for part in covers:
        if part not in ShareScope.values:
            errors.setdefault("covers", []).append(f"{part!r} is not something a share covers.")
        elif part == ShareScope.LOCATION and purpose != SharePurpose.ACCOMMODATION:
            errors.setdefault("covers", []).append(
                "Where the victim lives is shared only with their accommodation provider."
            )
        elif part not in cleaned:
            cleaned.append(str(part))
    return cleaned


@transaction.atomic
def share_case(
    *,
    case: Case,
    organisation: Organisation,
    consent_recorded_on: date,
    acting_user: Staff,
    consent_recorded_by: Staff | None = None,
    covers: Iterable[str] | None = None,
    purpose: str = SharePurpose.SUPPORT,
    expires_at: datetime | None = None,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> CaseShare:
    """Share a case with a partner organisation, with the victim's consent.

    1. Check the consent (recorded by whom, on a day not in the future), what the
       share covers (by default ``DEFAULT_SHARE_SCOPE``; the victim's location only
       for their accommodation provider) and its end, if any.
    2. A share with the organisation that has run out but not yet been recorded as
       ended is ended first; one still in force is refused.
    3. Record the share, tell the new partner of hard moments coming, and re-run the
       clock: the event is not "partners told" until the new partner acknowledges.

    A form sent twice (the same ``submission_key``) records one share.
    """
    require_case_manager(acting_user, case)
    now = moment_of(now)
    Case.objects.filter(pk=case.pk).lock()
    if (already := saved_before(CaseShare, submission_key, case=case)) is not None:
        return already
    consent_recorded_by = consent_recorded_by or acting_user
    errors: dict[str, list[str]] = {}
    if organisation.kind not in PARTNER_ORGANISATION_KINDS:
        errors["organisation"] = ["Cases are shared with partner organisations only."]
    if problem := past_day_problem(
        consent_recorded_on,
        noun="Consent",
        opened_at=case.opened_at,
        today=timezone.localdate(now),
    ):
        errors["consent_recorded_on"] = [problem]
    if not access.may_manage_cases(consent_recorded_by.role):
        errors["consent_recorded_by"] = ["Consent is recorded by the navigation team."]
    if expires_at is not None:
        if problem := planned_moment_problem(
            expires_at, noun="The end of sharing", opened_at=case.opened_at, now=now
        ):
            errors["expires_at"] = [problem]
        elif expires_at <= now:
            errors["expires_at"] = ["The end of sharing must be in the future."]
    cleaned = _clean_scope(covers, purpose, errors)
    if errors:
        raise ValidationError(errors)
    for current in CaseShare.objects.select_for_update().filter(
        case=case, organisation=organisation, revoked_at__isnull=True
    ):
        if current.is_in_force(now):
            raise field_error("organisation", f"The case is already shared with {organisation}.")
        _end_share(current, at=current.expires_at, by=None, now=now)
    share = CaseShare(
        case=case,
        organisation=organisation,
        consent_recorded_on=consent_recorded_on,
        consent_recorded_by=consent_recorded_by,
        covers=cleaned,
        purpose=purpose,
        shared_by=acting_user,
        shared_at=now,
        expires_at=expires_at,
        submission_key=submission_key,
    )
    save_as(share, acting_user)
    outbox.issue_tipping_point_notices(now=now, case_ids=[case.pk])
    outbox.settle_partners_told(case_ids=[case.pk], now=now, acting_user=acting_user)
    refresh_cases([case.pk], now=now)
    return share


def _end_share(share: CaseShare, *, at: datetime | None, by: Staff | None, now: datetime) -> None:
    """Record that ``share`` ended at ``at`` (revoked by ``by``, or run out), in the
    caller's transaction: the organisation is told, its caseworker stops being a point
    of contact, and hard moments count as told by the partners that remain."""
    share.revoked_at = at or now
    share.revoked_by = by
    save_as(share, by, update_fields=["revoked_at", "revoked_by"])
    # Without the share, the organisation's caseworker can no longer be a point of contact.
    for poc in PointOfContact.objects.filter(
        case_id=share.case_id,
        role=PocRole.NGO_CASEWORKER,
        ended_at__isnull=True,
        person__organisation_id=share.organisation_id,
    ):
        poc.ended_at = max(share.revoked_at, poc.started_at)
        poc.change_reason = "Sharing with the organisation ended"
        save_as(poc, by, update_fields=["ended_at", "change_reason"])
    outbox.notify_share_ended(share=share, expired=by is None, now=now)
    outbox.settle_partners_told(case_ids=[share.case_id], now=now, acting_user=by)
    refresh_cases([share.case_id], now=now)


@transaction.atomic
def revoke_share(*, share: CaseShare, acting_user: Staff, now: datetime | None = None) -> CaseShare:
    """End a share now (the victim withdrew consent, say): access stops at once."""
    require_case_manager(acting_user, share.case)
    now = moment_of(now)
    share = CaseShare.objects.select_for_update().select_related("case").get(pk=share.pk)
    if share.revoked_at is None:
        if share.expires_at is not None and share.expires_at <= now:
            _end_share(share, at=share.expires_at, by=None, now=now)  # it had run out already
        else:
            _end_share(share, at=now, by=acting_user, now=now)
    return share


EXPIRY_BATCH = 500


def end_expired_shares(*, now: datetime) -> int:
    """Record the end of every share that has run out (the periodic pass).

    Access stopped when the share ran out (the rules compare with now); this
    tells the organisation and tidies up. Shares are taken through their index in
    batches, each locked with SKIP LOCKED, so two passes at once share the work.
    """
    ended = 0
    while True:
        with transaction.atomic():
            batch = list(
                CaseShare.objects.select_for_update(skip_locked=True)
                .filter(revoked_at__isnull=True, expires_at__lte=now)
                .select_related("case")
                .order_by("expires_at")[:EXPIRY_BATCH]
            )
            for share in batch:
                _end_share(share, at=share.expires_at, by=None, now=now)
        ended += len(batch)
        if len(batch) < EXPIRY_BATCH:
            return ended


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
    now = moment_of(now)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if status not in CaseStatus.values:
        raise field_error("status", f"Unknown status {status!r}.")
    if status != CaseStatus.OPEN and not reason.strip():
        raise field_error("status_reason", "Say why the case is paused or closed.")
    if case.anonymised_at is not None:
        raise field_error("status", "The case was anonymised after its retention period.")
    changed = case.status != status
    case.status = status
    case.status_reason = reason.strip() if status != CaseStatus.OPEN else ""
    # Closing again (to correct the reason, say) does not restart the retention period.
    case.closed_at = (case.closed_at or now) if status == CaseStatus.CLOSED else None
    save_as(case, acting_user, update_fields=["status", "status_reason", "closed_at"])
    if changed:
        # The reason stays with the team: it may say more about the victim than a partner needs.
        outbox.notify_partners(
            case=case,
            kind=NoticeKind.CASE_STATUS_CHANGED,
            subject=outbox.status_subject(case, status),
            now=now,
        )
    # Pausing or closing stops the clock and clears its alerts; reopening restarts it.
    refresh_cases([case.pk], now=now)
    return case


@transaction.atomic
def record_relocation(
    *,
    victim: Victim,
    address: str,
    acting_user: Staff,
    postcode: str = "",
    since: date | None = None,
    accommodation_kind: str = AccommodationKind.UNKNOWN,
    notes: str = "",
    now: datetime | None = None,
) -> VictimLocation:
    """Record where the victim lives now, and tell every partner supporting them.

    Partners are told that the victim moved, never where: the address reaches only
    those the access rules let see it (an accommodation provider's share, say).
    """
    if not access.may_manage_cases(acting_user.role) or not (
        access.visible_victims(acting_user).filter(pk=victim.pk).exists()
    ):
        raise PermissionDenied("You may not change where this victim lives.")
    now = moment_of(now)
    errors: dict[str, list[str]] = {}
    if not address.strip():
        errors["address"] = ["Give the address."]
    if accommodation_kind not in AccommodationKind.values:
        errors["accommodation_kind"] = [f"Unknown kind of accommodation {accommodation_kind!r}."]
    if since is not None and (
        problem := victim_day_problem(since, noun="A move", today=timezone.localdate(now))
    ):
        errors["since"] = [problem]
    if errors:
        raise ValidationError(errors)
    victim = Victim.objects.select_for_update().get(pk=victim.pk)
    location = VictimLocation.objects.filter(victim=victim).first() or VictimLocation(victim=victim)
    location.address = address.strip()
    location.postcode = postcode.strip()
    location.since = since or timezone.localdate(now)
    location.notes = notes
    save_as(location, acting_user)
    if victim.accommodation_kind != accommodation_kind:
        victim.accommodation_kind = accommodation_kind
        save_as(victim, acting_user, update_fields=["accommodation_kind"])
    for case in victim.cases.exclude(status=CaseStatus.CLOSED):
        outbox.notify_partners(
            case=case, kind=NoticeKind.RELOCATION, subject=outbox.relocation_subject(case), now=now
        )
    return location


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
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Record a moment in the case (an interview, a hearing, a decision).

    It drives the clock: a key decision must be told to the victim within the agreed
    time, and the hard moments are told in advance to partners whose share covers events.
    A form sent twice (the same ``submission_key``) records one event.
    """
    require_case_manager(acting_user, case)
    now = moment_of(now)
    Case.objects.filter(pk=case.pk).lock()
    if (already := saved_before(CaseEvent, submission_key, case=case)) is not None:
        return already
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
        submission_key=submission_key,
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
    now = moment_of(now)
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


@transaction.atomic
def add_important_date(
    *,
    case: Case,
    label: str,
    day: date,
    acting_user: Staff,
    every_year: bool = True,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> ImportantDate:
    """Remember a date that matters to the victim of ``case`` (a birthday, the day they got
    out): the navigator is reminded before it comes round. A form sent twice (the same
    ``submission_key``) records one date."""
    require_case_manager(acting_user, case)
    now = moment_of(now)
    Case.objects.filter(pk=case.pk).lock()
    if (
        already := saved_before(ImportantDate, submission_key, case=case, case_path="victim__cases")
    ) is not None:
        return already
    errors: dict[str, list[str]] = {}
    label = label.strip()
    if not label:
        errors["label"] = ["Say what the date is."]
    elif len(label) > ImportantDate._meta.get_field("label").max_length:  # type: ignore[operator]
        errors["label"] = ["Say what the date is in 200 characters or fewer."]
    if problem := important_day_problem(day, every_year=every_year, today=timezone.localdate(now)):
        errors["day"] = [problem]
    if errors:
        raise ValidationError(errors)
    important = ImportantDate(
        victim_id=case.victim_id,
        label=label,
        date=day,
        every_year=every_year,
        submission_key=submission_key,
    )
    save_as(important, acting_user)
    return important


@transaction.atomic
def remove_important_date(*, case: Case, important: ImportantDate, acting_user: Staff) -> None:
    """Forget a date that matters to the victim (recorded by mistake, or no longer wanted).
    The history keeps who removed it."""
    require_case_manager(acting_user, case)
    if important.victim_id != case.victim_id:
        raise PermissionDenied("That date is not this victim's.")
    important._history_user = acting_user  # type: ignore[attr-defined]
    important.delete()
