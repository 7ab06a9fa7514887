from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from navigator.encryption import EncryptedTextField
from webhooks.schedule import Outcome


class DisabledReason(models.TextChoices):
    GONE = "gone", "The endpoint answered 410 Gone"
    BY_PERSON = "by_person", "Turned off"


class WebhookEndpoint(models.Model):
    """Where an organisation wants its notices posted as they are written.

    Each has its own signing secret (``whsec_`` and base64, Standard Webhooks),
    encrypted at rest: unlike an API key it cannot be stored hashed, because
    Navigator signs with it. After a rotation the previous secret is kept until
    ``previous_secret_until``, and both signatures are sent meanwhile, so the
    receiver can change over without losing a delivery.

    ``notice_cursor`` is the dispatcher's place in the organisation's notices
    (``webhooks.dispatch``): every notice with a larger id is still to be given a
    delivery. A new endpoint starts at the newest notice written before it existed.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = EncryptedTextField()
    previous_secret = EncryptedTextField(blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=16, choices=DisabledReason.choices, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    notice_cursor = models.BigIntegerField(default=0, editable=False)
    # The secrets stay out of the history (a copy of every secret ever used would be a
    # second place to leak them from); the cursor moves too often to be worth a row.
    history = HistoricalRecords(excluded_fields=["secret", "previous_secret", "notice_cursor"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enabled=True, disabled_reason="", disabled_at__isnull=True)
                | Q(enabled=False, disabled_at__isnull=False) & ~Q(disabled_reason=""),
                name="webhook_endpoint_disabled_with_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(previous_secret="", previous_secret_until__isnull=True)
                | Q(previous_secret_until__isnull=False) & ~Q(previous_secret=""),
                name="webhook_previous_secret_has_an_end",
            ),
        ]
        indexes = [
            # An organisation's endpoints (the API's list, in id order).
            models.Index(fields=["organisation", "id"], name="webhook_endpoint_by_org"),
            # The dispatcher's fan-out: the endpoints that are on.
            models.Index(fields=["id"], condition=Q(enabled=True), name="webhook_endpoint_on"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "To be sent"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Gave up"


class WebhookDelivery(models.Model):
    """One notice, to one endpoint, until it is delivered or every attempt has failed.

    ``message_id`` is the ``webhook-id`` header: the same on every attempt, so the
    receiver can tell a retry from a new message. A pending delivery is due at
    ``next_attempt_at``; a dispatcher that claims it moves that time on by the claim's
    length, so if its worker dies the delivery is due again once the claim runs out.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    notice = models.ForeignKey(
        "partners.PartnerNotice", on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    # Attempts since the delivery was made or last redelivered: its place in the schedule.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)
    redelivered_at = models.DateTimeField(null=True, blank=True)
    redelivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A dead delivery is still to be emailed to the organisation's partner administrators
    # while this is empty; the worker that sends the email claims it (webhooks.notifications).
    administrators_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "notice"], name="one_delivery_per_notice_and_endpoint"
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=False)
                | Q(status=DeliveryStatus.DELIVERED, delivered_at__isnull=False)
                | Q(status=DeliveryStatus.DEAD, dead_at__isnull=False),
                name="webhook_delivery_status_has_its_time",
            ),
        ]
        indexes = [
            # The dispatcher's claim: pending deliveries, soonest due first.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=DeliveryStatus.PENDING),
                name="webhook_delivery_due",
            ),
            # An endpoint's deliveries, newest first (admin).
            models.Index(fields=["endpoint", "-id"], name="webhook_delivery_by_endpoint"),
            # Dead deliveries whose organisation's administrators are still to be emailed.
            models.Index(
                fields=["dead_at"],
                condition=Q(status=DeliveryStatus.DEAD, administrators_told_at__isnull=True),
                name="webhook_dead_not_yet_told",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} to {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One try at a delivery, as it went. An attempt with no ``finished_at`` was cut
    short (its worker stopped mid-way); the delivery was tried again after its claim."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=[(o.value, o.name.title()) for o in Outcome], blank=True
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # What went wrong, in a few words (a type of error, a refused address): never the
    # receiver's answer, which could say anything.
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # A delivery's attempts, in order (admin).
            models.Index(fields=["delivery", "id"], name="webhook_attempt_by_delivery"),
        ]

    def __str__(self) -> str:
        return f"Attempt at {self.started_at:%d/%m/%Y %H:%M:%S}"
