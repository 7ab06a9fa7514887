from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class NoticeKind(models.TextChoices):
    TIPPING_POINT = "tipping_point", "Advance notice of a hard moment"
    HANDOVER = "handover", "Handover"
    RELOCATION = "relocation", "Relocation"


class PartnerNotice(models.Model):
    """Something a partner organisation supporting the victim should know.

    A notice names the case by its pseudonymous reference; the partner fetches
    the details it may see over the authenticated API.
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
        ]
        indexes = [
            # A partner's inbox: its newest notices.
            models.Index(fields=["organisation", "-created_at"], name="notice_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.organisation}: {self.case}"
