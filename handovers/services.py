"""Writes to handovers: send, acknowledge, accept, decline. The one write path for the pages,
the API and the admin; each is atomic, names its acting user and keeps history.

Sending writes the receiving organisation's notice through ``partners.outbox`` in the same
transaction, and every change re-runs the case's clock (``alerts.sweep.refresh_cases``), so
the acknowledgement deadline is in ``next_check_at`` from the moment a handover is sent and
its alert clears as soon as it is acknowledged.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, Staff
from alerts.services import raise_handover_declined_alert
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import CaseStatus, PocRole, ShareScope
from cases.models import Case, PointOfContact
from cases.selectors import current_agreement
from cases.services import assign_point_of_contact, require_case_manager, saved_before
from handovers import agreement_copy, rules
from handovers.choices import HandoverAction, HandoverKind, HandoverState
from handovers.models import Handover
from navigator.errors import PermissionDenied, ValidationError, field_error
from navigator.history import save_as
from partners import outbox
from partners.models import NoticeKind, PartnerNotice

REASON_LIMIT = 1000
NEEDS_LIMIT = 4000


def _text(errors: dict[str, list[str]], field: str, value: str, *, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(missing)
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"Keep this to {limit} characters.")
    return value


def notice_subject(handover: Handover, *, receiver: bool) -> str:
    """A notice of a handover: the pseudonymous reference and what is handed over, no more."""
    kind = HandoverKind(handover.kind).label.lower()
    if receiver:
        return (
            f"Case {handover.case.reference}: {handover.from_organisation} is handing over "
            f"({kind}) to you; acknowledge it, then accept or decline"
        )
    return f"Case {handover.case.reference}: a handover ({kind}) to {handover.to_organisation}"


def _notify(handover: Handover, *, now: datetime) -> list[PartnerNotice]:
    """In the sender's transaction (the outbox): a notice to the receiving organisation, and
    one to every other partner whose share of the case covers handovers."""
    sharing = outbox.partners_to_tell([handover.case_id], part=ShareScope.HANDOVERS, now=now)[
        handover.case_id
    ]
    if handover.kind == HandoverKind.ACCOMMODATION_MOVE:
        # Who now houses the victim is near enough where: only partners told the location
        # are told of the move (cases.access.share_covers_handover).
        located = outbox.partners_to_tell([handover.case_id], part=ShareScope.LOCATION, now=now)
        sharing = [o for o in sharing if o in located[handover.case_id]]
    receiver_id = handover.to_organisation_id
    return outbox.record(
        [
            PartnerNotice(
                case_id=handover.case_id,
                organisation_id=organisation_id,
                kind=NoticeKind.HANDOVER,
                subject=notice_subject(handover, receiver=organisation_id == receiver_id),
                happens_at=now,
                created_at=now,
            )
            for organisation_id in [receiver_id, *(o for o in sharing if o != receiver_id)]
        ]
    )


@transaction.atomic
def send_handover(
    *,
    case: Case,
    kind: str,
    to_organisation: Organisation,
    reason: str,
    needs_and_risks: str,
    acting_user: Staff,
    to_person: Staff | None = None,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> Handover:
    """Hand part of the victim's support to another organisation or person.

    1. Check the sender keeps this case, and lock it. A form sent twice (the same
       ``submission_key``) gets the handover the first one recorded.
    2. Check the receiver can take on this kind of handover (a partner organisation only
       once the case is shared with it, with the victim's consent), and the words are there.
    3. Record it with a frozen copy of the agreement's structured terms.
    4. Write the notices in this transaction (the outbox): to the receiving organisation,
       and to partners whose share covers handovers.
    5. Re-run the case's clock: the acknowledgement deadline is now its next look.
    """
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    Case.objects.filter(pk=case.pk).lock()
    if (already := saved_before(Handover, submission_key, case=case)) is not None:
        return already
    case.refresh_from_db(fields=["status", "police_force"])
    errors: dict[str, list[str]] = {}
    if case.status == CaseStatus.CLOSED:
        errors["kind"] = ["This case is closed: reopen it before handing anything over."]
    receiver = rules.Receiver(
        organisation_id=to_organisation.pk,
        organisation_kind=to_organisation.kind,
        person_role=to_person.role if to_person is not None else None,
        person_organisation_id=to_person.organisation_id if to_person is not None else None,
        person_active=to_person.is_active if to_person is not None else True,
        person_is_api_account=to_person.is_service_account if to_person is not None else False,
        shares_the_case=case.shares.in_force(now).filter(organisation=to_organisation).exists(),
    )
    for field, problem in rules.receiver_problems(
        kind,
        receiver,
        case_force_id=case.police_force_id,
        sender_organisation_id=acting_user.organisation_id,
    ).items():
        errors.setdefault(field, []).append(problem)
    reason = _text(
        errors, "reason", reason, limit=REASON_LIMIT, missing="Say why it is being handed over."
    )
    needs_and_risks = _text(
        errors,
        "needs_and_risks",
        needs_and_risks,
        limit=NEEDS_LIMIT,
        missing="Summarise the victim's needs and risks, so they need not tell it again.",
    )
    poc_role = ""
    if kind == HandoverKind.POINT_OF_CONTACT and not {"to_person", "to_organisation"} & set(errors):
        assert to_person is not None  # noqa: S101 - receiver_problems asks for one
        poc_role = str(rules.poc_role_for(receiver.person_role))
        if problem := _contact_problem(case, poc_role, to_person, now=now):
            errors.setdefault("to_person", []).append(problem)
    if errors:
        raise ValidationError(errors)
    handover = Handover(
        case=case,
        kind=kind,
        poc_role=poc_role,
        from_organisation_id=acting_user.organisation_id,
        from_person=acting_user,
        to_organisation=to_organisation,
        to_person=to_person,
        reason=reason,
        needs_and_risks=needs_and_risks,
        agreement=agreement_copy.freeze(current_agreement(case)),
        sent_at=now,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            save_as(handover, acting_user)
    except IntegrityError as error:
        if "one_waiting_change_of_each_point_of_contact" not in str(error):
            raise
        raise field_error(
            "kind",
            "A change of this point of contact is already waiting for its receiver.",
        ) from error
    _notify(handover, now=now)
    refresh_cases([case.pk], now=now)
    return handover


def _contact_problem(case: Case, role: str, person: Staff, *, now: datetime) -> str:
    """What would stop ``person`` becoming the point of contact in ``role`` when accepted
    (``assign_point_of_contact`` checks again then): found now, while the sender can act."""
    current = PointOfContact.objects.filter(case=case, role=role, ended_at__isnull=True)
    if current.filter(person=person).exists():
        return f"{person} is already the point of contact."
    if (
        role == PocRole.NGO_CASEWORKER
        and not case.shares.in_force(now).filter(organisation_id=person.organisation_id).exists()
    ):
        return "The case is not shared with this caseworker's organisation: share it first."
    return ""


def _take(handover: Handover, action: HandoverAction, acting_user: Any) -> Handover:
    """Lock the case (the clock holds case locks), then the handover; check the receiver
    may take ``action`` on it now."""
    Case.objects.filter(pk=handover.case_id).lock()
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("case", "to_person", "from_organisation", "to_organisation")
        .get(pk=handover.pk)
    )
    standing = (
        rules.Standing.RECEIVER
        if access.receives_handover(acting_user, handover)
        else rules.Standing.OTHER
    )
    problem = rules.transition_problem(action, state=handover.state, standing=standing)
    if problem is not None:
        if standing != rules.Standing.RECEIVER:
            raise PermissionDenied(problem)
        raise field_error("state", problem)
    return handover


def _acknowledge(handover: Handover, acting_user: Any, now: datetime) -> list[str]:
    if handover.acknowledged_at is not None:
        return []
    handover.acknowledged_at = now
    handover.acknowledged_by = acting_user
    return ["acknowledged_at", "acknowledged_by"]


@transaction.atomic
def acknowledge_handover(
    *, handover: Handover, acting_user: Any, now: datetime | None = None
) -> Handover:
    """The receiver says they have the handover (acknowledging again changes nothing); the
    case's "not acknowledged" alert clears at once."""
    now = now or timezone.now()
    handover = _take(handover, HandoverAction.ACKNOWLEDGE, acting_user)
    if not rules.changes_anything(HandoverAction.ACKNOWLEDGE, state=handover.state):
        return handover
    fields = _acknowledge(handover, acting_user, now)
    handover.state = HandoverState.ACKNOWLEDGED
    save_as(handover, acting_user, update_fields=[*fields, "state"])
    refresh_cases([handover.case_id], now=now)
    return handover


@transaction.atomic
def accept_handover(
    *,
    handover: Handover,
    acting_user: Any,
    introduced_by_predecessor: bool | None = None,
    now: datetime | None = None,
) -> Handover:
    """The receiver takes the responsibility on (acknowledging it too, if not yet done).

    1. Check the receiver may accept it now.
    2. A change of point of contact: the receiver becomes the point of contact through
       ``cases.services.assign_point_of_contact``, with whether their predecessor
       introduced them (a new face without an introduction is a warning sign).
    3. Record who accepted and when; re-run the case's clock.
    """
    now = now or timezone.now()
    handover = _take(handover, HandoverAction.ACCEPT, acting_user)
    is_contact_change = handover.kind == HandoverKind.POINT_OF_CONTACT
    if is_contact_change and introduced_by_predecessor is None:
        raise field_error(
            "introduced_by_predecessor",
            "Say whether the person before you introduced you to the victim.",
        )
    fields = _acknowledge(handover, acting_user, now)
    if is_contact_change:
        assert handover.to_person is not None  # noqa: S101 - a database constraint
        assign_point_of_contact(
            case=handover.case,
            role=handover.poc_role,
            person=handover.to_person,
            acting_user=acting_user,
            reason=f"Handover from {handover.from_organisation} accepted",
            introduced_by_predecessor=bool(introduced_by_predecessor),
            # The handover's receiver is the access check: they do not see the case yet.
            check_access=False,
            now=now,
        )
        handover.introduced_by_predecessor = bool(introduced_by_predecessor)
        fields.append("introduced_by_predecessor")
    handover.state = HandoverState.ACCEPTED
    handover.decided_at = now
    handover.decided_by = acting_user
    save_as(handover, acting_user, update_fields=[*fields, "state", "decided_at", "decided_by"])
    refresh_cases([handover.case_id], now=now)
    return handover


@transaction.atomic
def decline_handover(
    *, handover: Handover, reason: str, acting_user: Any, now: datetime | None = None
) -> Handover:
    """The receiver turns the handover down, saying why. Responsibility stays where it was,
    and the sender is alerted so the victim is not left between two organisations."""
    now = now or timezone.now()
    handover = _take(handover, HandoverAction.DECLINE, acting_user)
    errors: dict[str, list[str]] = {}
    reason = _text(
        errors,
        "decline_reason",
        reason,
        limit=REASON_LIMIT,
        missing="Say why you are declining, so the sender can find someone else.",
    )
    if errors:
        raise ValidationError(errors)
    fields = _acknowledge(handover, acting_user, now)
    handover.state = HandoverState.DECLINED
    handover.decided_at = now
    handover.decided_by = acting_user
    handover.decline_reason = reason
    save_as(
        handover,
        acting_user,
        update_fields=[*fields, "state", "decided_at", "decided_by", "decline_reason"],
    )
    kind = HandoverKind(handover.kind).label.lower()
    raise_handover_declined_alert(
        case=handover.case,
        sender_id=handover.from_person_id,
        summary=(
            f"{handover.to_organisation} declined the handover ({kind}): the responsibility "
            "is still yours. Read their reason and find someone else."
        ),
        entry={
            "handover": handover.pk,
            "kind": handover.kind,
            "to_organisation": handover.to_organisation.name,
            "declined_at": now.isoformat(),
        },
        acting_user=acting_user,
        now=now,
    )
    refresh_cases([handover.case_id], now=now)
    return handover
