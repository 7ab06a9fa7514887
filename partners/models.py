from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from cases.choices import AccommodationKind
from contacts.choices import Channel, Concern, Outcome
from navigator.encryption import EncryptedTextField


class NoticeKind(models.TextChoices):
    TIPPING_POINT = "tipping_point", "Advance notice of a hard moment"
    HANDOVER = "handover", "Handover"
    RELOCATION = "relocation", "Relocation"
    POINT_OF_CONTACT_CHANGED = "point_of_contact_changed", "Point of contact changed"
    CASE_STATUS_CHANGED = "case_status_changed", "Case paused, closed or reopened"
    SHARE_REVOKED = "share_revoked", "Sharing ended"


class PartnerNotice(models.Model):
    """Something a partner organisation supporting the victim should know: the outbox.

    Written only through ``partners.outbox``, in the same transaction as the change
    that causes it, so a notice exists exactly when its change does. It names the
    case by its pseudonymous reference; the partner fetches the details it may see
    over the authenticated API.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    event = models.ForeignKey(
        "cases.CaseEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    subject = models.CharField(max_length=200)
    happens_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation", "kind"],
                condition=models.Q(event__isnull=False),
                name="one_notice_per_event_and_partner",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notice_kind_is_known"
            ),
        ]
        indexes = [
            # A partner's feed: its notices in the order they were written.
            models.Index(fields=["organisation", "id"], name="notice_feed"),
            # The same, for the notices it has not acknowledged yet.
            models.Index(
                fields=["organisation", "id"],
                condition=Q(acknowledged_at__isnull=True),
                name="notice_feed_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.organisation}: {self.case}"


class PartnerAPIKey(AbstractAPIKey):
    """A key an organisation's systems use for the API; requests made with it act as the
    organisation's API account (``Staff.is_service_account``).

    Only a hash is stored (djangorestframework-api-key); the key is shown once, when
    issued. The prefix is visible, names the key in lists and in the access log, and
    is how a key is revoked. ``revoked`` (the library's) and ``revoked_at`` change
    together, through ``partners.keys``.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_keys"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the key was rotated: the key that takes over from it.
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    history = HistoricalRecords(excluded_fields=["hashed_key"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked=False, revoked_at__isnull=True)
                | Q(revoked=True, revoked_at__isnull=False),
                name="api_key_revoked_exactly_when_dated",
            ),
        ]
        indexes = [
            # An organisation's keys, newest first (lists, and rotation).
            models.Index(fields=["organisation", "-created"], name="api_key_by_organisation"),
        ]


class ReportKind(models.TextChoices):
    RELOCATION = "relocation", "The victim has moved"
    CONTACT = "contact", "Contact with the victim"


class PartnerReport(models.Model):
    """What a partner tells the case's team: the victim moved, or it had contact with them.

    It reaches the case's points of contact as an alert (alerts.services) and shows on
    the case page. ``note`` is the partner's own words: the navigation team reads it,
    as it reads the navigators' notes; nobody else does.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="partner_reports")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    happened_at = models.DateTimeField()
    # A relocation: where the victim now lives, by kind of place (never the address).
    accommodation_kind = models.CharField(
        max_length=32, choices=AccommodationKind.choices, blank=True
    )
    # A contact: how it went, and what the victim raised.
    channel = models.CharField(max_length=32, choices=Channel.choices, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    concerns = models.JSONField(default=list, blank=True)
    # The partner's own words may say who or where: encrypted at rest, like navigators' notes.
    note = EncryptedTextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    # Carried by the pages' report forms, so a form sent twice (a double tap, a retry on a
    # poor signal) is saved, and raised to the team, once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        ordering = ["-happened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReportKind.RELOCATION, channel="", outcome="")
                | Q(kind=ReportKind.CONTACT, accommodation_kind=""),
                name="report_fields_match_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="report_kind_is_known"
            ),
        ]
        indexes = [
            # The case page: a case's reports, newest first.
            models.Index(fields=["case", "-happened_at"], name="report_case_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.organisation} on {self.case}"

    @property
    def concern_labels(self) -> list[str]:
        return [str(Concern(c).label) for c in self.concerns]
