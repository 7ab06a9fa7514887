"""The baseline cohort: a force's police-recorded MSHT cases, imported for the report.

Deliberately minimal: no names, no dates of birth, no contact details, nothing about a
victim beyond the coded characteristics the report counts. The codes are the ones
Navigator's own cases use (cases.choices), so both cohorts are read the same way.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.choices import (
    AgeBand,
    Answer,
    Engagement,
    ExploitationLocation,
    NationalityGroup,
    ReferralRoute,
    ReferringAgency,
    Sex,
)


class PoliceRecord(models.Model):
    """One case as a police force recorded it. Never shown alone: only counted."""

    force = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="police_records",
        limit_choices_to={"kind": "police_force"},
    )
    crime_reference = models.CharField(max_length=64)
    recorded_on = models.DateField()
    victim_sex = models.CharField(max_length=16, choices=Sex.choices)
    victim_age_band = models.CharField(max_length=16, choices=AgeBand.choices, blank=True)
    victim_nationality = models.CharField(max_length=8, choices=NationalityGroup.choices)
    referral_route = models.CharField(max_length=8, choices=ReferralRoute.choices)
    referring_agency = models.CharField(max_length=16, choices=ReferringAgency.choices)
    # Codes of cases.choices.ExploitationType, as Case.exploitation_types keeps them.
    exploitation_types = models.JSONField()
    exploitation_location = models.CharField(max_length=16, choices=ExploitationLocation.choices)
    county_lines = models.BooleanField()
    offender_identified = models.BooleanField()
    support_offered = models.BooleanField()
    # "unknown" when support was not offered (the file leaves it blank).
    support_accepted = models.CharField(max_length=8, choices=Answer.choices)
    engagement = models.CharField(max_length=8, choices=Engagement.choices)
    imported_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set when the Navigator case with this crime reference was anonymised: side by side,
    # the record is still that case (counted once, in Navigator's cohort) although the case
    # no longer carries the reference. A flag, not a link: a link would give the anonymised
    # case its crime reference back.
    was_navigator_case = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [
            # Importing the same file twice changes nothing: a record is its force's
            # crime reference.
            models.UniqueConstraint(
                fields=["force", "crime_reference"], name="one_police_record_per_crime_reference"
            ),
            models.CheckConstraint(
                condition=Q(support_offered=True, support_accepted__in=[Answer.YES, Answer.NO])
                | Q(support_offered=False, support_accepted=Answer.UNKNOWN),
                name="police_record_answer_only_when_offered",
            ),
        ]
        indexes = [
            # The report: one force's records within a period.
            models.Index(fields=["force", "recorded_on"], name="police_record_force_period"),
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.crime_reference}"
