"""Reads of cases, always scoped by the access rules."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, Staff
from audit.log import record_case_read
from audit.models import AccessChannel
from cases import access
from cases.choices import PocRole
from cases.models import Case, CaseEvent, CaseShare, PointOfContact
from contacts.models import CommunicationAgreement


def _current_contacts() -> Prefetch:
    return Prefetch(
        "points_of_contact",
        queryset=PointOfContact.objects.filter(ended_at__isnull=True).select_related("person"),
        to_attr="current_contacts",
    )


def _current_agreement() -> Prefetch:
    return Prefetch(
        "agreements",
        queryset=CommunicationAgreement.objects.filter(superseded_at__isnull=True),
        to_attr="current_agreements",
    )


def _partner_shares(organisation_id: int, now: datetime) -> Prefetch:
    """The share through which a partner sees each case: what decides its fields."""
    return Prefetch(
        "shares",
        queryset=CaseShare.objects.in_force(now).filter(organisation_id=organisation_id),
        to_attr="partner_shares",
    )


def _upcoming_events(user: Any, now: datetime) -> Prefetch:
    """Events to come: for a partner, only those it has been sent a notice of."""
    events = CaseEvent.objects.filter(at__gte=now).order_by("at")
    organisation_id = access.partner_organisation_id(user)
    if organisation_id is not None:
        events = events.filter(notices__organisation_id=organisation_id).distinct()
    return Prefetch("events", queryset=events, to_attr="upcoming_events")


def case_list(user: Any, *, now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    cases = (
        access.visible_cases(user, now=now)
        .select_related("victim", "police_force")
        .prefetch_related(_current_contacts())
        .order_by("reference")
    )
    organisation_id = access.partner_organisation_id(user)
    if organisation_id is not None:
        cases = cases.prefetch_related(_partner_shares(organisation_id, now))
    return cases


def case_detail(
    user: Any, reference: str, *, channel: AccessChannel, now: datetime | None = None
) -> Case:
    """One visible case with what an officer needs first; the view is logged.

    A case the user may not see is reported as not found, so a reference
    cannot be probed for existence.
    """
    now = now or timezone.now()
    case = (
        case_list(user, now=now)
        .prefetch_related(_current_agreement(), _upcoming_events(user, now))
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    record_case_read(
        reader=user,
        case=case,
        channel=channel,
        api_key_prefix=getattr(user, "api_key_prefix", ""),
    )
    return case


def current_agreement(case: Case) -> CommunicationAgreement | None:
    agreements = getattr(case, "current_agreements", None)
    if agreements is None:
        return case.agreements.filter(superseded_at__isnull=True).first()
    return agreements[0] if agreements else None


# The role a member of staff must hold to be a point of contact in each role.
POC_STAFF_ROLE = {
    PocRole.POLICE: Role.OFFICER,
    PocRole.NAVIGATOR: Role.NAVIGATOR,
    PocRole.NGO_CASEWORKER: Role.PARTNER_CASEWORKER,
}


def point_of_contact_candidates(
    *, case: Case | None, role: str, acting_user: Any, now: datetime | None = None
) -> list[Staff]:
    """Who could become ``case``'s point of contact in ``role``, each with ``current_load``
    (how many cases they are the current point of contact for in that role): one query.

    Officers of the case's force; caseworkers of organisations the case is shared with now;
    navigators of the acting user's own service (any service's, for an administrator).
    """
    now = now or timezone.now()
    people = Staff.objects.filter(
        role=POC_STAFF_ROLE[PocRole(role)], is_active=True, is_service_account=False
    )
    if role != PocRole.NAVIGATOR and case is None:
        raise ValueError("Officers and caseworkers are chosen for a case.")
    if role == PocRole.POLICE:
        people = people.filter(organisation_id=case.police_force_id)  # type: ignore[union-attr]
    elif role == PocRole.NGO_CASEWORKER:
        shared_with = CaseShare.objects.in_force(now).filter(case=case).values("organisation_id")
        people = people.filter(organisation_id__in=shared_with)
    elif acting_user.role != Role.ADMIN:
        people = people.filter(organisation_id=acting_user.organisation_id)
    current = Q(points_of_contact__ended_at__isnull=True, points_of_contact__role=role)
    return list(
        people.annotate(current_load=Count("points_of_contact", filter=current)).order_by(
            "first_name", "last_name", "username"
        )
    )
