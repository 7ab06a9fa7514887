"""The explainers' vocabulary, importable without a configured Django."""

from django.db import models


class Topic(models.TextChoices):
    """One short explainer per stage or event a victim meets."""

    ABE_INTERVIEW = "abe_interview", "The video-recorded (ABE) interview"
    RG_DECISION = "rg_decision", "The reasonable grounds decision"
    CG_DECISION = "cg_decision", "The conclusive grounds decision"
    NEGATIVE_DECISION = "negative_decision", "After a negative NRM decision"
    CHARGING_DECISION = "charging_decision", "The charging decision"
    BAIL_OR_RELEASE = "bail_or_release", "When a suspect is arrested, bailed or released"
    COURT_HEARING = "court_hearing", "Going to court as a witness, and special measures"
    RELOCATION = "relocation", "Moving somewhere new"
    END_OF_NRM_SUPPORT = "end_of_nrm_support", "When NRM support ends"
    VICTIMS_CODE = "victims_code", "Your rights under the Victims' Code"


# The language every explainer is written in first, and the one shown when the victim's own
# language has no approved version yet.
ENGLISH = "English"

# BCP 47 tags for the languages victims most often read here, so a screen reader (and the
# browser's hyphenation) reads each version in its own language.
LANGUAGE_TAGS = {
    "english": "en",
    "romanian": "ro",
    "albanian": "sq",
    "vietnamese": "vi",
    "polish": "pl",
    "tigrinya": "ti",
    "arabic": "ar",
}
