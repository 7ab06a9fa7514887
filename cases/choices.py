"""The vocabulary of cases and victims, importable without a configured Django."""

from django.db import models


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", "Police force"
    NAVIGATOR_SERVICE = "navigator_service", "Navigator service"
    SUPPORT_NGO = "support_ngo", "Support NGO"
    OTHER = "other", "Other"


# Organisations whose people work as partner caseworkers and that hold API keys: those
# supporting victims, not police forces or navigator services.
PARTNER_ORGANISATION_KINDS = frozenset({OrganisationKind.SUPPORT_NGO, OrganisationKind.OTHER})


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    AGE_18_24 = "18_24", "18 to 24"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_44 = "35_44", "35 to 44"
    AGE_45_54 = "45_54", "45 to 54"
    AGE_55_64 = "55_64", "55 to 64"
    AGE_65_PLUS = "65_plus", "65 or over"


# Each band and the age (in whole years) at which the next one starts; the last has none.
AGE_BAND_UPPER_LIMITS: tuple[tuple[AgeBand, int | None], ...] = (
    (AgeBand.UNDER_18, 18),
    (AgeBand.AGE_18_24, 25),
    (AgeBand.AGE_25_34, 35),
    (AgeBand.AGE_35_44, 45),
    (AgeBand.AGE_45_54, 55),
    (AgeBand.AGE_55_64, 65),
    (AgeBand.AGE_65_PLUS, None),
)


class NationalityGroup(models.TextChoices):
    """Whether the victim is a UK national: what police records and the research compare."""

    UK = "uk", "UK national"
    NON_UK = "non_uk", "Not a UK national"


class AccommodationKind(models.TextChoices):
    SAFE_HOUSE = "safe_house", "Safe house"
    ASYLUM_SUPPORT = "asylum_support", "Asylum support accommodation"
    LOCAL_AUTHORITY = "local_authority", "Local authority housing"
    OWN_TENANCY = "own_tenancy", "Own tenancy"
    FAMILY_OR_FRIENDS = "family_or_friends", "With family or friends"
    HOMELESS = "homeless", "No fixed abode"
    DETENTION = "detention", "Detention"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class ReferralRoute(models.TextChoices):
    NRM = "nrm", "NRM referral"
    MS1 = "ms1", "MS1 (Duty to Notify)"
    NONE = "none", "None"


class ReferringAgency(models.TextChoices):
    POLICE = "police", "The police"
    EXTERNAL = "external", "Another agency"


class ExploitationType(models.TextChoices):
    CRIMINAL = "criminal", "Criminal"
    LABOUR = "labour", "Labour"
    SEXUAL = "sexual", "Sexual"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    OTHER = "other", "Other"


class ExploitationLocation(models.TextChoices):
    UK_ONLY = "uk_only", "UK only"
    OVERSEAS_ONLY = "overseas_only", "Overseas only"
    BOTH = "both", "UK and overseas"


class NrmDecision(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class NrmStage(models.TextChoices):
    NOT_REFERRED = "not_referred", "Not referred"
    AWAITING_RG = "awaiting_rg", "Awaiting reasonable grounds decision"
    RG_NEGATIVE = "rg_negative", "Negative reasonable grounds"
    AWAITING_CG = "awaiting_cg", "Positive reasonable grounds, awaiting conclusive grounds"
    CG_POSITIVE = "cg_positive", "Positive conclusive grounds"
    CG_NEGATIVE = "cg_negative", "Negative conclusive grounds"


class InvestigationStage(models.TextChoices):
    REPORTED = "reported", "Reported"
    INVESTIGATING = "investigating", "Under investigation"
    SUSPECT_CHARGED = "suspect_charged", "Suspect charged"
    AT_COURT = "at_court", "At court"
    CONCLUDED = "concluded", "Concluded"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    PAUSED = "paused", "Paused at the victim's request"
    CLOSED = "closed", "Closed"


class VictimsCodeTier(models.TextChoices):
    """Victims of trafficking are entitled to enhanced rights unless the case says otherwise."""

    ENHANCED = "enhanced", "Enhanced rights"
    STANDARD = "standard", "Standard"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Unknown"


class Engagement(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Unknown"


class PocRole(models.TextChoices):
    POLICE = "police", "Police"
    NAVIGATOR = "navigator", "Navigator"
    NGO_CASEWORKER = "ngo_caseworker", "NGO caseworker"


class EventKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    COURT_HEARING = "court_hearing", "Court hearing"
    CHARGING_DECISION = "charging_decision", "Charging decision"
    ARREST = "arrest", "Arrest"
    SUSPECT_BAILED_OR_RELEASED = "suspect_bailed_or_released", "Suspect bailed or released"
    NRM_DECISION = "nrm_decision", "NRM decision"
    RELOCATION = "relocation", "Relocation"
    OTHER = "other", "Other"


class ShareScope(models.TextChoices):
    """What a share with a partner organisation covers, part by part.

    Which case fields each part gives is decided in one place,
    ``cases.access.share_fields``. A navigator's notes and other free text are
    never part of any scope.
    """

    PREFERRED_NAME = "preferred_name", "Preferred name"
    LANGUAGE = "language", "Language and interpreter needs"
    POINTS_OF_CONTACT = "points_of_contact", "Current points of contact"
    AGREEMENT = "agreement", "Communication agreement (its structured terms)"
    EVENTS = "events", "Upcoming events the partner is told of"
    HANDOVERS = "handovers", "Handovers"
    LOCATION = "location", "Where the victim lives (accommodation providers only)"


# What a share covers unless the victim agreed to less (or, for an accommodation
# provider, to their location as well).
DEFAULT_SHARE_SCOPE = (
    ShareScope.PREFERRED_NAME,
    ShareScope.LANGUAGE,
    ShareScope.POINTS_OF_CONTACT,
    ShareScope.AGREEMENT,
    ShareScope.EVENTS,
    ShareScope.HANDOVERS,
)


class SharePurpose(models.TextChoices):
    SUPPORT = "support", "Support"
    ACCOMMODATION = "accommodation", "Accommodation provider"


def default_share_scope() -> list[str]:
    return [str(part) for part in DEFAULT_SHARE_SCOPE]
