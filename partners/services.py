"""What partner organisations do with the notices they receive."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from alerts.sweep import refresh_cases
from navigator.errors import PermissionDenied
from navigator.history import save_as
from partners.models import PartnerNotice


@transaction.atomic
def acknowledge_notice(
    *, notice: PartnerNotice, acting_user: Any, now: datetime | None = None
) -> PartnerNotice:
    """A partner confirms it has the notice; when every partner has, the event counts as told."""
    if acting_user.role != Role.PARTNER_CASEWORKER or (
        acting_user.organisation_id != notice.organisation_id
    ):
        raise PermissionDenied("Only the organisation a notice was sent to can acknowledge it.")
    now = now or timezone.now()
    notice = PartnerNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.acknowledged_at is not None:
        return notice
    notice.acknowledged_at = now
    save_as(notice, acting_user, update_fields=["acknowledged_at"])
    event = notice.event
    if (
        event is not None
        and event.partners_told_at is None
        and not event.notices.filter(acknowledged_at__isnull=True).exists()
    ):
        event.partners_told_at = now
        save_as(event, acting_user, update_fields=["partners_told_at"])
        refresh_cases([event.case_id], now=now)
    return notice
