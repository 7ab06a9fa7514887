"""Reads of webhook endpoints, scoped by the access rules: an organisation's API key, and
its partner administrators on the pages, see its own endpoints and nothing of any other
organisation's."""

from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from cases import access
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

# A delivery that has failed at least once and is being tried again, and one that is dead.
RETRYING = Q(deliveries__status=DeliveryStatus.PENDING, deliveries__attempts__gt=0)
DEAD = Q(deliveries__status=DeliveryStatus.DEAD)


def _with_delivery_health(endpoints: QuerySet[WebhookEndpoint]) -> QuerySet[WebhookEndpoint]:
    """Each endpoint with how its deliveries are going: ``last_delivered_at``, ``failing``
    (pending, already failed at least once), ``dead`` (every attempt failed) and
    ``dead_since`` (the latest death). One query for any number of them."""
    return endpoints.annotate(
        last_delivered_at=Max("deliveries__delivered_at"),
        failing=Count("deliveries", filter=RETRYING),
        dead=Count("deliveries", filter=DEAD),
        dead_since=Max("deliveries__dead_at"),
    )


def endpoints_for(user: Any) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints, each with how its deliveries are going: when one
    last got through, and how many are failing (retrying or dead). One query."""
    organisation_id = access.webhook_organisation_id(user)
    if organisation_id is None:
        return WebhookEndpoint.objects.none()
    return _with_delivery_health(
        WebhookEndpoint.objects.filter(organisation_id=organisation_id)
    ).annotate(failing_deliveries=F("failing") + F("dead"))


def endpoints_on_pages(user: Any) -> QuerySet[WebhookEndpoint]:
    """A partner administrator's organisation's endpoints, each with how its deliveries
    are going (``_with_delivery_health``). One query."""
    organisation_id = access.webhook_page_organisation_id(user)
    if organisation_id is None:
        return WebhookEndpoint.objects.none()
    return _with_delivery_health(
        WebhookEndpoint.objects.filter(organisation_id=organisation_id)
    ).order_by("id")


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
