"""The directory's vocabulary, importable without a configured Django."""

from django.db import models


class SpecialistRole(models.TextChoices):
    VICTIM_NAVIGATOR = "victim_navigator", "Victim navigator"
    VICTIM_LIAISON_OFFICER = "victim_liaison_officer", "Victim liaison officer"
    TACTICAL_ADVISER = "tactical_adviser", "Tactical adviser (interviews)"
    MSHT_TEAM = "msht_team", "Modern slavery and human trafficking team"
    WITNESS_CARE = "witness_care", "Witness care unit"
    INTERPRETER = "interpreter", "Interpreter"
    NGO_CASEWORKER = "ngo_caseworker", "NGO caseworker"
