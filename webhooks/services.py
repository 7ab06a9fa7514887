"""What organisations (with their API key) and administrators do with webhook endpoints,
and the administrator's redelivery. The API, the admin and any page call these."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from cases import access
from navigator.errors import PermissionDenied, ValidationError
from navigator.history import save_as
from navigator.nudge import nudge_on_commit
from partners.keys import KEY_HOLDING_KINDS
from webhooks import addresses, signing
from webhooks.dispatch import TASK, newest_notice_id
from webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookDelivery,
    WebhookEndpoint,
)

# Both secrets sign for this long after a rotation, unless asked otherwise.
DEFAULT_ROTATION_OVERLAP = timedelta(hours=24)
LONGEST_ROTATION_OVERLAP = timedelta(days=7)
MOST_ENDPOINTS = 10
DESCRIPTION_LIMIT = 200


@dataclass(frozen=True)
class EndpointWithSecret:
    """An endpoint and its new secret, shown this once."""

    endpoint: WebhookEndpoint
    secret: str


def _require_manager(acting_user: Any, organisation_id: int) -> None:
    # None is the command line, run by whoever runs the service.
    if acting_user is None or access.may_manage_webhooks(acting_user, organisation_id):
        return
    raise PermissionDenied(
        "Only the organisation's API key and its partner administrators manage its "
        "webhook endpoints."
    )


def _checked_url(url: str) -> str:
    url = url.strip()
    if len(url) > 500:
        raise ValidationError({"url": ["Keep the URL to 500 characters."]})
    try:
        addresses.check_url(url, allow_http_loopback=settings.WEBHOOK_ALLOW_HTTP_LOOPBACK)
    except addresses.AddressRefused as refused:
        raise ValidationError({"url": [str(refused)]}) from None
    return url


def _checked_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_LIMIT:
        raise ValidationError(
            {"description": [f"Keep the description to {DESCRIPTION_LIMIT} characters."]}
        )
    return description


@transaction.atomic
def create_endpoint(
    *,
    organisation: Organisation,
    url: str,
    acting_user: Any,
    description: str = "",
    now: datetime | None = None,
) -> EndpointWithSecret:
    """Register an endpoint; its secret is in the result, shown only this once.

    1. Check who asks, the URL (https, public addresses only) and the description.
    2. Lock the organisation, so two requests cannot pass the endpoint limit together.
    3. Start its cursor at the newest notice already written: it receives what
       comes from now on (what came before is in the feed).
    """
    _require_manager(acting_user, organisation.pk)
    now = now or timezone.now()
    if organisation.kind not in KEY_HOLDING_KINDS:
        raise ValidationError({"organisation": [f"{organisation} is not a partner organisation."]})
    url = _checked_url(url)
    description = _checked_description(description)
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))
    if WebhookEndpoint.objects.filter(organisation=organisation).count() >= MOST_ENDPOINTS:
        raise ValidationError(
            {"url": [f"An organisation may have {MOST_ENDPOINTS} endpoints; remove one first."]}
        )
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=url,
        description=description,
        secret=secret,
        created_by=acting_user,
        created_at=now,
        notice_cursor=newest_notice_id(organisation.pk),
    )
    save_as(endpoint, acting_user)
    return EndpointWithSecret(endpoint=endpoint, secret=secret)


def _locked(endpoint: WebhookEndpoint, acting_user: Any) -> WebhookEndpoint:
    _require_manager(acting_user, endpoint.organisation_id)
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)


@transaction.atomic
def update_endpoint(
    *,
    endpoint: WebhookEndpoint,
    acting_user: Any,
    url: str | None = None,
    description: str | None = None,
    enabled: bool | None = None,
    now: datetime | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL or description, or turn it off or on again.

    Turned on again, it carries on where it stopped: the deliveries it missed are
    sent (on their schedule), and the notices written meanwhile too.
    """
    now = now or timezone.now()
    endpoint = _locked(endpoint, acting_user)
    changed: list[str] = []
    if url is not None and url.strip() != endpoint.url:
        endpoint.url = _checked_url(url)
        changed.append("url")
    if description is not None and description.strip() != endpoint.description:
        endpoint.description = _checked_description(description)
        changed.append("description")
    if enabled is not None and enabled != endpoint.enabled:
        endpoint.enabled = enabled
        endpoint.disabled_reason = "" if enabled else DisabledReason.BY_PERSON
        endpoint.disabled_at = None if enabled else now
        endpoint.disabled_by = None if enabled else acting_user
        changed += ["enabled", "disabled_reason", "disabled_at", "disabled_by"]
        if enabled:
            nudge_on_commit(TASK)
    if changed:
        save_as(endpoint, acting_user, update_fields=changed)
    return endpoint


@transaction.atomic
def rotate_secret(
    *,
    endpoint: WebhookEndpoint,
    acting_user: Any,
    overlap: timedelta = DEFAULT_ROTATION_OVERLAP,
    now: datetime | None = None,
) -> EndpointWithSecret:
    """Give the endpoint a new secret (in the result, shown once). For ``overlap`` every
    delivery is signed with both, so the receiver can change over without a gap; a
    second rotation within the overlap ends the first one's early."""
    if not timedelta(0) <= overlap <= LONGEST_ROTATION_OVERLAP:
        raise ValidationError(
            {
                "overlap_hours": [
                    f"Give an overlap of 0 to {LONGEST_ROTATION_OVERLAP.days * 24} hours."
                ]
            }
        )
    now = now or timezone.now()
    endpoint = _locked(endpoint, acting_user)
    secret = signing.new_secret()
    if overlap:
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = now + overlap
    else:
        endpoint.previous_secret = ""
        endpoint.previous_secret_until = None
    endpoint.secret = secret
    endpoint.secret_rotated_at = now
    save_as(
        endpoint,
        acting_user,
        update_fields=["secret", "previous_secret", "previous_secret_until", "secret_rotated_at"],
    )
    return EndpointWithSecret(endpoint=endpoint, secret=secret)


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint, acting_user: Any) -> None:
    """Remove an endpoint and its deliveries (its history keeps that it existed)."""
    endpoint = _locked(endpoint, acting_user)
    endpoint._history_user = acting_user  # type: ignore[attr-defined]
    endpoint.delete()


@transaction.atomic
def redeliver(
    *, delivery: WebhookDelivery, acting_user: Any, now: datetime | None = None
) -> WebhookDelivery:
    """Send a delivery again from the start of the schedule (an administrator's action, or
    the organisation's partner administrator's, for one that died, or to send one again
    that a receiver lost). Its ``webhook-id`` stays the same: it is the same message."""
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if acting_user is not None and not access.may_manage_webhooks(
        acting_user,
        WebhookEndpoint.objects.values_list("organisation_id", flat=True).get(
            pk=delivery.endpoint_id
        ),
    ):
        raise PermissionDenied(
            "Only administrators, and the organisation's partner administrators, "
            "redeliver webhooks."
        )
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.dead_at = None
    delivery.delivered_at = None
    delivery.redelivered_at = now
    delivery.redelivered_by = acting_user
    delivery.administrators_told_at = None  # if it dies again, they are told again
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "dead_at",
            "delivered_at",
            "redelivered_at",
            "redelivered_by",
            "administrators_told_at",
        ]
    )
    nudge_on_commit(TASK)
    return delivery
