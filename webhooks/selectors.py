"""Reads of webhook endpoints, scoped by the access rules: an organisation's API key sees
its own endpoints and nothing of any other organisation's."""

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from cases import access
from webhooks.models import DeliveryStatus, WebhookEndpoint

# Deliveries that have failed at least once and not yet got through (retrying, or dead).
FAILING = Q(deliveries__status=DeliveryStatus.DEAD) | Q(
    deliveries__status=DeliveryStatus.PENDING, deliveries__attempts__gt=0
)


def endpoints_for(user: Any) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints, each with how its deliveries are going: when one
    last got through, and how many are failing. One query for any number of them."""
    organisation_id = access.webhook_organisation_id(user)
    if organisation_id is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(organisation_id=organisation_id).annotate(
        last_delivered_at=Max("deliveries__delivered_at"),
        failing_deliveries=Count("deliveries", filter=FAILING),
    )
