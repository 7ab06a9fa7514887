from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.choices import (
    AccommodationKind,
    AgeBand,
    Answer,
    CaseStatus,
    Engagement,
    EventKind,
    ExploitationLocation,
    InvestigationStage,
    NationalityGroup,
    NrmDecision,
    NrmStage,
    PocRole,
    ReferralRoute,
    ReferringAgency,
    Sex,
    SharePurpose,
    VictimsCodeTier,
    default_share_scope,
)
from cases.references import new_case_reference, new_victim_reference
from navigator.encryption import EncryptedCharField, EncryptedEmailField, EncryptedTextField


class Victim(models.Model):
    """A person supported by a navigator. Lists and notices show only ``reference``.

    How to reach them safely, and what they need, are encrypted at rest
    (navigator/encryption.py). Names stay plain so that the admin can find a person.
    """

    reference = models.CharField(
        max_length=16, unique=True, editable=False, default=new_victim_reference
    )
    full_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_band = models.CharField(max_length=16, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.NOT_STATED)
    nationality = models.CharField(
        max_length=100, blank=True, help_text="As the victim gives it, e.g. a country"
    )
    # Coded as police records and the engagement report read it; blank when not known.
    nationality_group = models.CharField(max_length=8, choices=NationalityGroup.choices, blank=True)
    preferred_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    safe_phone = EncryptedCharField(max_length=40, blank=True, help_text="A number safe to use")
    safe_email = EncryptedEmailField(blank=True)
    safe_contact_notes = EncryptedTextField(blank=True)
    accommodation_kind = models.CharField(
        max_length=32, choices=AccommodationKind.choices, default=AccommodationKind.UNKNOWN
    )
    # Free text about health, trauma and circumstances: encrypted like the contact details.
    needs = EncryptedTextField(blank=True)
    vulnerabilities = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | ~Q(age_band=""),
                name="victim_has_date_of_birth_or_age_band",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


class VictimLocation(models.Model):
    """Where the victim lives now: the most sensitive field, kept apart, shown on need and
    encrypted at rest (so not searchable, not even by postcode)."""

    victim = models.OneToOneField(Victim, on_delete=models.CASCADE, related_name="location")
    address = EncryptedTextField()
    postcode = EncryptedCharField(max_length=10, blank=True)
    since = models.DateField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Location of {self.victim.reference}"


class ImportantDate(models.Model):
    """A date that matters to the victim (a birthday, an anniversary they mentioned)."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="important_dates")
    label = models.CharField(max_length=200)
    date = models.DateField()
    every_year = models.BooleanField(default=True)
    # Set by the form that recorded it, so a form sent twice saves one date.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.label} ({self.date:%d %b})"


# The update clock's states (contacts.sla.ClockState) as people read them.
CLOCK_STATE_LABELS = {
    "on_track": "On track",
    "due": "Due",
    "overdue": "Overdue",
    "paused": "Paused",
    "closed": "Closed",
    "no_agreement": "No agreement",
}


class CaseQuerySet(models.QuerySet["Case"]):
    def lock(self) -> list[int]:
        """Lock these cases' rows until the transaction ends, in id order (so two callers
        locking overlapping sets cannot deadlock); returns the ids locked."""
        return list(self.select_for_update().order_by("pk").values_list("pk", flat=True))


class Case(models.Model):
    reference = models.CharField(
        max_length=16, unique=True, editable=False, default=new_case_reference
    )
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="cases")
    police_force = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="investigations",
        limit_choices_to={"kind": "police_force"},
    )
    crime_reference = models.CharField(max_length=64, blank=True)
    nrm_reference = models.CharField(max_length=64, blank=True)
    referral_route = models.CharField(
        max_length=8, choices=ReferralRoute.choices, default=ReferralRoute.NONE
    )
    referring_agency = models.CharField(
        max_length=16, choices=ReferringAgency.choices, default=ReferringAgency.POLICE
    )
    referring_agency_name = models.CharField(max_length=200, blank=True)
    exploitation_types = models.JSONField(default=list, blank=True)
    exploitation_location = models.CharField(
        max_length=16,
        choices=ExploitationLocation.choices,
        default=ExploitationLocation.UK_ONLY,
    )
    county_lines = models.BooleanField(default=False)
    # Whether the police have identified an offender; None until someone records it.
    offender_identified = models.BooleanField(null=True, blank=True)
    nrm_referred_on = models.DateField(null=True, blank=True)
    rg_decision = models.CharField(max_length=8, choices=NrmDecision.choices, blank=True)
    rg_decided_on = models.DateField(null=True, blank=True)
    cg_decision = models.CharField(max_length=8, choices=NrmDecision.choices, blank=True)
    cg_decided_on = models.DateField(null=True, blank=True)
    support_ended_on = models.DateField(null=True, blank=True)
    investigation_stage = models.CharField(
        max_length=32, choices=InvestigationStage.choices, default=InvestigationStage.REPORTED
    )
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # Why it was paused or closed, in the navigator's words ("moved to a refuge in ..."): encrypted.
    status_reason = EncryptedTextField(blank=True)
    victims_code_tier = models.CharField(
        max_length=16, choices=VictimsCodeTier.choices, default=VictimsCodeTier.ENHANCED
    )
    # The report's three engagement measures.
    support_offered_on = models.DateField(null=True, blank=True)
    support_accepted = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    investigation_engagement = models.CharField(
        max_length=8, choices=Engagement.choices, default=Engagement.UNKNOWN
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # Set when the case is closed, cleared when it reopens: the retention period runs from it.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the retention job removed what identified the victim (privacy.retention).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept by the clock (alerts.sweep) in the same transaction as any change it depends on.
    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    clock_state = models.CharField(max_length=16, blank=True, editable=False)
    update_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["next_check_at", "clock_state", "update_due_at"])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN) | ~Q(status_reason=""),
                name="paused_or_closed_case_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(rg_decision="", rg_decided_on__isnull=True)
                | (~Q(rg_decision="") & Q(rg_decided_on__isnull=False)),
                name="rg_decision_is_dated",
            ),
            models.CheckConstraint(
                condition=Q(cg_decision="", cg_decided_on__isnull=True)
                | (Q(rg_decision=NrmDecision.POSITIVE) & Q(cg_decided_on__isnull=False)),
                name="cg_decision_is_dated_and_follows_positive_rg",
            ),
            models.CheckConstraint(
                condition=Q(cg_decided_on__isnull=True) | Q(cg_decided_on__gte=F("rg_decided_on")),
                name="cg_decided_after_rg",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="closed_case_has_its_closing_time",
            ),
        ]
        indexes = [
            # Officers' lists: the cases of one force.
            models.Index(fields=["police_force", "status"], name="case_force_status"),
            # The sweep: "cases whose moment has come", without reading the others.
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="case_next_check_due",
            ),
            # The retention job: closed cases not yet anonymised, oldest closing first.
            models.Index(
                fields=["closed_at"],
                condition=Q(status=CaseStatus.CLOSED, anonymised_at__isnull=True),
                name="case_closed_to_anonymise",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def clock_state_label(self) -> str:
        return CLOCK_STATE_LABELS.get(self.clock_state, "")

    @property
    def nrm_stage(self) -> NrmStage:
        if self.cg_decision:
            return NrmStage(f"cg_{self.cg_decision}")
        if self.rg_decision == NrmDecision.NEGATIVE:
            return NrmStage.RG_NEGATIVE
        if self.rg_decision == NrmDecision.POSITIVE:
            return NrmStage.AWAITING_CG
        if self.referral_route == ReferralRoute.NRM:
            return NrmStage.AWAITING_RG
        return NrmStage.NOT_REFERRED


class CaseShareQuerySet(models.QuerySet["CaseShare"]):
    def in_force(self, now: datetime) -> "CaseShareQuerySet":
        """Shares neither revoked nor run out at ``now``: access ends the moment they do."""
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True
        )


class CaseShare(models.Model):
    """A case shared with a partner organisation, only with the victim's recorded consent.

    The victim agreed to what ``covers`` lists (``cases.access.share_fields`` turns
    that into fields) for ``purpose``; the victim's location is shared only with an
    accommodation provider. A share ends when revoked (``revoked_at``, by
    ``revoked_by``) or when it runs out (``expires_at``; a periodic pass then records
    the end, with ``revoked_by`` empty). It changes only through ``cases.services``.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="shared_cases"
    )
    consent_recorded_on = models.DateField(help_text="The day the victim gave their consent")
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who recorded the victim's consent",
    )
    covers = models.JSONField(default=default_share_scope)
    purpose = models.CharField(
        max_length=16, choices=SharePurpose.choices, default=SharePurpose.SUPPORT
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # When access ended: revoked by a person, or run out (then equal to expires_at).
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the form that recorded it, so a form sent twice saves one share.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submission_key"])

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_share_per_case_and_organisation",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("shared_at")),
                name="share_expires_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=SharePurpose.values), name="share_purpose_is_known"
            ),
        ]
        indexes = [
            # The periodic pass that ends shares which have run out.
            models.Index(
                fields=["expires_at"],
                condition=Q(revoked_at__isnull=True, expires_at__isnull=False),
                name="share_running_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} shared with {self.organisation}"

    def is_in_force(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class PointOfContact(models.Model):
    """The one named person a victim deals with in a role, for a span of time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="points_of_contact")
    role = models.CharField(max_length=16, choices=PocRole.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_of_contact"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    change_reason = models.TextField(blank=True)
    introduced_by_predecessor = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "point of contact"
        verbose_name_plural = "points of contact"
        ordering = ["case", "role", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_current_point_of_contact_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="point_of_contact_ends_after_it_starts",
            ),
        ]
        indexes = [
            # Access rules: "cases where I am the current navigator".
            models.Index(
                fields=["person", "role"],
                condition=Q(ended_at__isnull=True),
                name="poc_current_by_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.case}: {self.person}"


class CaseEvent(models.Model):
    """A tipping point: a moment that can break engagement if the victim is unprepared."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    at = models.DateTimeField()
    is_key_decision = models.BooleanField(
        default=False, help_text="The victim must be told of it under the Victims' Code"
    )
    victim_told_at = models.DateTimeField(null=True, blank=True)
    partners_told_at = models.DateTimeField(null=True, blank=True)
    victim_prepared = models.BooleanField(default=False)
    notes = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the form that recorded it, so a form sent twice saves one event.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"
