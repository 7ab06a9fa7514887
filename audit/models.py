from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessChannel(models.TextChoices):
    PAGE = "page", "Web page"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    EXPORT = "export", "Export"


class AccessLogEntry(models.Model):
    """One read of a victim's record: who, which record, when, and through what.

    Append-only: the database refuses to change or delete a row (a trigger, see
    migration 0002), so the log can be trusted as evidence. It names records by
    their ids and pseudonymous references, not by foreign keys, so that
    anonymising or erasing a victim's data never needs to touch it.
    """

    at = models.DateTimeField(default=timezone.now)
    # The person who read it; for a request made with an organisation's API key,
    # the account that key acts as.
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The organisation the reader acted for, kept as it was at the time.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The visible prefix of the API key the request was made with, if it was.
    api_key_prefix = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=8, choices=AccessChannel.choices)
    case_id = models.BigIntegerField()
    case_reference = models.CharField(max_length=16)
    victim_reference = models.CharField(max_length=16)

    class Meta:
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        ordering = ["-at"]
        indexes = [
            # A subject access request, and "who has read this case?".
            models.Index(fields=["case_id", "-at"], name="access_by_case"),
            # "What has this person read?", when misuse is suspected.
            models.Index(fields=["reader", "-at"], name="access_by_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference} read through {self.channel} at {self.at:%Y-%m-%d %H:%M}"


class RemovalKind(models.TextChoices):
    ANONYMISED = "anonymised", "Anonymised after the retention period"
    ERASED = "erased", "Erased at the victim's request"


class RemovalRecord(models.Model):
    """That a victim's data was removed: when, how, by whom, and how much. After an
    erasure it is the only trace left.

    Append-only, like the access log (migration 0004). It names the victim and the
    cases by their pseudonymous references, which after an erasure lead nowhere,
    and counts what was removed; it holds nothing that was removed.
    """

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=RemovalKind.choices)
    # Who asked for it; empty for the scheduled retention job.
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    victim_reference = models.CharField(max_length=16)
    case_references = models.JSONField(default=list)
    # {"deleted": {"cases.Case": 1, ...}, "cleared": {"contacts.CheckIn.notes": 12, ...},
    #  "history_rows": {...}}: counts only.
    removed = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        indexes = [
            # "Was this victim's data removed, and when?"
            models.Index(fields=["victim_reference"], name="removal_by_victim"),
        ]

    def __str__(self) -> str:
        return f"{self.victim_reference} {self.kind} at {self.at:%Y-%m-%d %H:%M}"
