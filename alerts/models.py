from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus, Severity
from navigator.encryption import EncryptedTextField


class Alert(models.Model):
    """Something about a case that a person should look at, with why in plain words.

    Live (open or acknowledged) until a person resolves it with a note, or it
    clears by itself when its condition does (an update is logged, say).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default="open")
    summary = models.TextField()
    reasons = models.JSONField(default=dict)
    # Identifies the episode (e.g. the deadline missed), so an alert a person has
    # resolved is not raised again for the same episode.
    condition_key = models.CharField(max_length=200, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_alerts",
    )
    # Set when a person gave the alert to someone (alerts.services.assign_alert): the sweep
    # then leaves the assignment alone instead of following the case's navigator.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What was done, in a person's words (like a concern's response): encrypted at rest.
    resolution_note = EncryptedTextField(blank=True)
    # Claimed by the one worker that sends the high-severity email.
    high_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-severity", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_alert_per_case_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(status__in=LIVE_STATUSES, resolved_at__isnull=True)
                | Q(
                    status__in=[AlertStatus.RESOLVED, AlertStatus.CLEARED],
                    resolved_at__isnull=False,
                ),
                name="alert_resolved_exactly_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.RESOLVED) | ~Q(resolution_note=""),
                name="alert_resolved_by_hand_has_a_note",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="alert_severity_is_known"
            ),
        ]
        indexes = [
            # Supervisors' and navigators' queues: live alerts of the cases they see.
            models.Index(
                fields=["case", "kind"], condition=Q(status__in=LIVE_STATUSES), name="alert_live"
            ),
            models.Index(fields=["assigned_to", "status"], name="alert_assignee_status"),
            # The periodic pass that sends high-severity emails a lost nudge left unsent.
            models.Index(
                fields=["opened_at"],
                condition=Q(
                    severity=Severity.HIGH,
                    status__in=LIVE_STATUSES,
                    high_notified_at__isnull=True,
                ),
                name="alert_high_not_yet_emailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class EngagementSnapshot(models.Model):
    """A case's disengagement score on a day, written only when it changed: the trend."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="engagement_snapshots"
    )
    on = models.DateField()
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8)
    signals = models.JSONField(default=list)  # the codes that fired, heaviest first

    class Meta:
        ordering = ["case", "on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "on"], name="one_snapshot_per_case_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case} on {self.on}: {self.score} ({self.level})"


class Reminder(models.Model):
    """A nudge to the navigator ahead of a date that matters to the victim or a case event.

    ``key`` names the occurrence (an important date in a given year, an event),
    so each reminder is sent once however often the job runs.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=100)
    about = models.CharField(max_length=200)
    happens_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["happens_on"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="one_reminder_per_occurrence"),
        ]

    def __str__(self) -> str:
        return f"{self.about} on {self.happens_on} ({self.case})"


class SweepRun(models.Model):
    """One run of the periodic checks (beat's sweep, or ``manage.py sweep``).

    A run that started and never finished (its worker was killed, say) keeps an
    empty ``finished_at``. The health check and the watchdog read how long ago the
    last run finished.
    """

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    cases_checked = models.PositiveIntegerField(default=0)
    alerts_opened = models.PositiveIntegerField(default=0)
    alerts_escalated = models.PositiveIntegerField(default=0)
    alerts_resolved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # The health check and the watchdog: "when did the last run finish?".
            models.Index(
                fields=["-finished_at"],
                condition=Q(finished_at__isnull=False),
                name="sweep_run_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"Sweep started {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class SweepLateWarning(models.Model):
    """The email telling administrators the sweep is late: one per late spell.

    A spell is named by the last run that finished before it (0 when none ever
    has), so the warning is claimed once however many checks notice the lateness,
    and a new spell after the sweep recovers warns again.
    """

    after_run = models.BigIntegerField(unique=True)
    noticed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sweep late (noticed {timezone.localtime(self.noticed_at):%Y-%m-%d %H:%M})"


class DigestDelivery(models.Model):
    """A supervisor's daily digest for one day, claimed before it is sent: sent once a day
    however often the task runs (a worker lost mid-task runs it again)."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "day"], name="one_digest_per_day"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.supervisor} on {self.day}"
