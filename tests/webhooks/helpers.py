from typing import Any

from django.db import transaction

from cases.choices import CaseStatus
from cases.models import Case
from cases.services import set_case_status
from partners.models import PartnerNotice
from webhooks.services import EndpointWithSecret, create_endpoint


def endpoint_for(organisation: Any, url: str) -> EndpointWithSecret:
    return create_endpoint(organisation=organisation, url=url, acting_user=None)


def a_notice(case: Case, acting_user: Any, status: str = CaseStatus.PAUSED) -> PartnerNotice:
    """Pause (or close, or reopen) the case: its partners get a notice, in that transaction."""
    with transaction.atomic():
        set_case_status(
            case=case, status=status, reason="At the victim's request", acting_user=acting_user
        )
    return PartnerNotice.objects.filter(case=case).latest("id")
