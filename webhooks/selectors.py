"""Reads of webhook endpoints, scoped by the access rules: an organisation's API key sees
its own endpoints and nothing of any other organisation's."""

from typing import Any

from django.db.models import QuerySet

from cases import access
from webhooks.models import WebhookEndpoint


def endpoints_for(user: Any) -> QuerySet[WebhookEndpoint]:
    organisation_id = access.webhook_organisation_id(user)
    if organisation_id is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(organisation_id=organisation_id)
