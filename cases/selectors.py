"""Reads of cases, always scoped by the access rules."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from audit.log import record_case_read
from audit.models import AccessChannel
from cases import access
from cases.models import Case, PointOfContact
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


def case_list(user: Any) -> QuerySet[Case]:
    return (
        access.visible_cases(user)
        .select_related("victim", "police_force")
        .prefetch_related(_current_contacts())
        .order_by("reference")
    )


def case_detail(user: Any, reference: str, *, channel: AccessChannel) -> Case:
    """One visible case with what an officer needs first; the view is logged.

    A case the user may not see is reported as not found, so a reference
    cannot be probed for existence.
    """
    case = (
        access.visible_cases(user)
        .select_related("victim", "police_force")
        .prefetch_related(_current_contacts(), _current_agreement())
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    record_case_read(reader=user, case=case, channel=channel)
    return case


def current_agreement(case: Case) -> CommunicationAgreement | None:
    agreements = getattr(case, "current_agreements", None)
    if agreements is None:
        return case.agreements.filter(superseded_at__isnull=True).first()
    return agreements[0] if agreements else None
