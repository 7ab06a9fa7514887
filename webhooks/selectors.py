"""Reads of webhook endpoints, scoped by the access rules: an organisation's API key, and
its partner administrators on the pages, see its own endpoints and nothing of any other
organisation's."""

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from cases import access
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

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


def endpoints_on_pages(user: Any) -> QuerySet[WebhookEndpoint]:
    """A partner administrator's organisation's endpoints, each with how its deliveries
    are going: ``last_delivered_at``, ``failing`` (pending, already failed at least once),
    ``dead`` (every attempt failed) and ``dead_since`` (the latest death). One query."""
    organisation_id = access.webhook_page_organisation_id(user)
    if organisation_id is None:
        return WebhookEndpoint.objects.none()
    return (
        WebhookEndpoint.objects.filter(organisation_id=organisation_id)
        .annotate(
            last_delivered_at=Max("deliveries__delivered_at"),
            failing=Count(
                "deliveries",
                filter=Q(deliveries__status=DeliveryStatus.PENDING, deliveries__attempts__gt=0),
            ),
            dead=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DEAD)),
            dead_since=Max("deliveries__dead_at"),
        )
        .order_by("id")
    )


def delivery_log(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries, newest first, each with its notice (its id and kind, the
    thin reference a payload carries) and its attempts (two queries a page)."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("notice")
        .only(
            "id",
            "endpoint_id",
            "message_id",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "dead_at",
            "redelivered_at",
            "notice__id",
            "notice__kind",
        )
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("-id")))
        .order_by("-id")
    )
