"""Reads for partner organisations, scoped by the access rules: an organisation sees its
own notices and keys, and nothing of any other organisation's."""

from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import F, QuerySet, Value, When

from cases import access
from cases.models import Case
from partners.models import PartnerAPIKey, PartnerNotice, PartnerReport


def notices_for(user: Any) -> QuerySet[PartnerNotice]:
    """The notices sent to ``user``'s organisation, if they act for a partner; else none.

    Notices carry only the pseudonymous case reference, so reading them is not a read
    of a victim's record (the case detail is, and is logged).
    """
    organisation_id = access.partner_organisation_id(user)
    if organisation_id is None:
        return PartnerNotice.objects.none()
    return PartnerNotice.objects.filter(organisation_id=organisation_id)


def inbox(
    user: Any, *, kinds: list[str] | None = None, acknowledged: bool | None = None
) -> QuerySet[PartnerNotice]:
    """The notices a partner caseworker works through: those still to acknowledge first,
    then newest first; optionally only some kinds, or only (un)acknowledged ones."""
    notices = notices_for(user).select_related("case")
    if kinds:
        notices = notices.filter(kind__in=kinds)
    if acknowledged is not None:
        notices = notices.filter(acknowledged_at__isnull=not acknowledged)
    waiting_first = CaseWhen(When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1))
    return notices.order_by(waiting_first, F("created_at").desc(), F("id").desc())


def keys_for(user: Any) -> QuerySet[PartnerAPIKey]:
    """The API keys of ``user``'s organisation (their prefixes and dates, never the keys)."""
    organisation_id = access.partner_organisation_id(user)
    if organisation_id is None:
        return PartnerAPIKey.objects.none()
    return PartnerAPIKey.objects.filter(organisation_id=organisation_id)


def reports_on(user: Any, case: Case) -> list[PartnerReport]:
    """What partners reported on a case ``user`` may see, if their role shows reports."""
    if access.CaseField.PARTNER_REPORTS not in access.case_fields(user, case):
        return []
    reports = PartnerReport.objects.filter(case=case).select_related("organisation")
    if access.CaseField.NOTES not in access.case_fields(user, case):
        reports = reports.defer("note")
    return list(reports[:20])
