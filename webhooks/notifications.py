"""Telling an organisation's partner administrators that deliveries to one of its endpoints
died (every attempt failed), by email.

The delivery is the record of the work: a dead delivery whose ``administrators_told_at``
is empty is still to be told. The dispatcher nudges this on the commit that kills a
delivery, and beat's pass (every minute) comes anyway, so a
broker that is down only delays the email. Each endpoint's dead deliveries are claimed
(locked, skipping those another worker holds) and marked in the transaction that sends the
email: if sending fails, the claim rolls back and the next pass tries again; a worker that
runs twice sends nothing twice.

The email names the endpoint and the notices' ids, never anything about a victim: the
administrator signs in (or reads the feed with the organisation's key) to see more.
"""

import logging
from datetime import datetime
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Role, Staff
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

TASK = "webhooks.tasks.tell_administrators_task"  # nudged by webhooks.dispatch
# Notice ids listed in one email; the rest are counted.
MOST_LISTED = 20


def endpoints_page_url() -> str:
    return f"{settings.SITE_URL}{reverse('partner-webhooks')}"


def administrators_emails(organisation_id: int) -> list[str]:
    """The organisation's partner administrators who can be emailed."""
    return list(
        Staff.objects.filter(
            organisation_id=organisation_id,
            role=Role.PARTNER_CASEWORKER,
            is_partner_administrator=True,
            is_service_account=False,
            is_active=True,
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def untold() -> QuerySet[WebhookDelivery]:
    """Dead deliveries whose organisation's administrators are still to be told."""
    return WebhookDelivery.objects.filter(
        status=DeliveryStatus.DEAD, administrators_told_at__isnull=True
    )


def message_for(endpoint: WebhookEndpoint, notice_ids: list[int], webhook_ids: list[str]) -> str:
    listed = ", ".join(str(n) for n in notice_ids[:MOST_LISTED])
    more = len(notice_ids) - MOST_LISTED
    name = f" ({endpoint.description})" if endpoint.description else ""
    return (
        f"Navigator could not deliver {len(notice_ids)} "
        f"{'notice' if len(notice_ids) == 1 else 'notices'} to your webhook endpoint "
        f"{endpoint.url}{name}: every attempt failed, over about three days.\n\n"
        f"Notice ids: {listed}{f' and {more} more' if more > 0 else ''}.\n"
        f"webhook-id: {', '.join(webhook_ids[:MOST_LISTED])}\n\n"
        "Your system can still read these notices from the notice feed with your "
        "organisation's API key. Once your endpoint works again, redeliver them from "
        f"Webhook endpoints in Navigator: {endpoints_page_url()}\n"
    )


def tell_administrators(*, now: datetime) -> int:
    """Email each endpoint's newly dead deliveries to its organisation's partner
    administrators, once; returns how many emails were sent. An organisation with no
    administrator to email has its deliveries marked told (they show on its pages)."""
    endpoint_ids = set(untold().values_list("endpoint_id", flat=True))
    sent = 0
    for endpoint in WebhookEndpoint.objects.filter(pk__in=endpoint_ids).order_by("pk"):
        recipients = administrators_emails(endpoint.organisation_id)
        try:
            with transaction.atomic():
                claimed = list(
                    untold()
                    .filter(endpoint=endpoint)
                    .select_for_update(skip_locked=True)
                    .order_by("notice_id")
                    .values_list("pk", "notice_id", "message_id")
                )
                if not claimed:
                    continue
                WebhookDelivery.objects.filter(pk__in=[c[0] for c in claimed]).update(
                    administrators_told_at=now
                )
                if recipients:
                    send_mail(
                        subject="Navigator could not deliver notices to your webhook endpoint",
                        message=message_for(
                            endpoint, [c[1] for c in claimed], [c[2] for c in claimed]
                        ),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=recipients,
                    )
                    sent += 1
        except (OSError, SMTPException):
            logger.exception("Sending failed; it will be tried again on the next run")
    return sent
