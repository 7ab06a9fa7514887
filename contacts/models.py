from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contacts.choices import (
    AvoidFlag,
    Channel,
    Concern,
    Direction,
    LevelOfDetail,
    Outcome,
    Place,
    PromiseStatus,
    UpdateGiven,
)
from navigator.encryption import EncryptedCharField, EncryptedTextField

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class CommunicationAgreement(models.Model):
    """What the victim agreed about being contacted: the victim's service level agreement.

    Versioned: a change writes a new version and marks the old one superseded,
    so what was agreed at any moment can be shown.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    preferred_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Channel values in order of the victim's preference.
    channels = models.JSONField(default=list)
    update_interval_days = models.PositiveSmallIntegerField()
    level_of_detail = models.CharField(
        max_length=32, choices=LevelOfDetail.choices, default=LevelOfDetail.HEADLINE
    )
    # [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}], Europe/London time.
    contact_windows = models.JSONField(default=list, blank=True)
    avoid_flags = models.JSONField(default=list, blank=True)
    # The agreement's free text names people, places and accounts to avoid: encrypted.
    avoid_notes = EncryptedTextField(blank=True)
    unsafe_channel = models.CharField(max_length=32, choices=Channel.choices, blank=True)
    unsafe_channel_note = EncryptedCharField(max_length=200, blank=True)
    language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    agreed_on = models.DateField()
    # Through whom the victim agreed ("in person with Nadia, a Tigrinya interpreter"):
    # names people, so encrypted, and cleared by retention.
    agreed_through = EncryptedCharField(max_length=300, blank=True)
    review_by = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="agreement_version_unique"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_agreement_per_case",
            ),
            models.CheckConstraint(
                condition=Q(update_interval_days__gte=1), name="agreement_interval_at_least_a_day"
            ),
            models.CheckConstraint(
                condition=Q(review_by__isnull=True) | Q(review_by__gte=F("agreed_on")),
                name="agreement_review_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.version} for {self.case}"

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels]

    @property
    def avoid_labels(self) -> list[str]:
        return [str(AvoidFlag(f).label) for f in self.avoid_flags]

    @property
    def window_labels(self) -> list[str]:
        """e.g. ["Mon, Tue, Wed, Thu, Fri 09:00 to 18:00"], in UK time."""
        return [
            f"{', '.join(DAY_NAMES[d] for d in w['days'])} {w['start']} to {w['end']}"
            for w in self.contact_windows
        ]


class CheckIn(models.Model):
    """One logged contact with the victim, reached or not."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="checkins")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    direction = models.CharField(max_length=16, choices=Direction.choices)
    channel = models.CharField(max_length=32, choices=Channel.choices)
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    update_given = models.CharField(max_length=16, choices=UpdateGiven.choices)
    place = models.CharField(max_length=32, choices=Place.choices, default=Place.REMOTE)
    number_withheld = models.BooleanField(default=False)
    interpreter_used = models.BooleanField(default=False)
    interpreter_name = models.CharField(max_length=200, blank=True)
    wellbeing = models.PositiveSmallIntegerField(null=True, blank=True)
    trust = models.PositiveSmallIntegerField(null=True, blank=True)
    concerns = models.JSONField(default=list, blank=True)
    # The navigator's own notes: never shown to officers or partners, encrypted at rest.
    notes = EncryptedTextField(blank=True)
    # How this contact broke the victim's agreement, in plain words; empty when it kept it.
    breaches = models.JSONField(default=list, blank=True, editable=False)
    # Set by the form that logged it, so a form sent twice saves one contact.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        verbose_name = "check-in"
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wellbeing__isnull=True) | Q(wellbeing__gte=1, wellbeing__lte=5),
                name="checkin_wellbeing_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(trust__isnull=True) | Q(trust__gte=1, trust__lte=5),
                name="checkin_trust_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(interpreter_used=True) | Q(interpreter_name=""),
                name="checkin_interpreter_named_only_when_used",
            ),
        ]
        indexes = [
            # The clock and the signals read a case's recent contacts, newest first.
            models.Index(fields=["case", "-at"], name="checkin_case_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.get_channel_display()} on {self.case}"


class Promise(models.Model):
    """Something promised to the victim: trust is built by keeping these."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="promises")
    made_in = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="promises"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=300)
    due_by = models.DateTimeField()
    status = models.CharField(max_length=16, choices=PromiseStatus.choices, default="open")
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_by"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=PromiseStatus.OPEN) & Q(resolved_at__isnull=True))
                | (~Q(status=PromiseStatus.OPEN) & Q(resolved_at__isnull=False)),
                name="promise_resolved_exactly_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class ConcernResponse(models.Model):
    """An action taken about a concern the victim raised in a contact (a safety fear, say)."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="responses")
    concern = models.CharField(max_length=32, choices=Concern.choices)
    # What was done about a safety fear often says where the victim went: encrypted.
    action = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Response to {self.get_concern_display()} on {self.checkin.case}"
