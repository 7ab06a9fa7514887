"""What the report measures and what it breaks the measures down by, in plain words.

The three measures are the research's (chapter 3): whether the victim was offered support,
whether they accepted it (of those offered), and whether they engaged with the
investigation (positive, among cases where engagement is known). Factors take the import's
column names, and their levels its values; each exploitation type is a yes/no factor of
its own, because a case can have several.

Each level carries the words a reading needs ("Victims referred by the police"). A level
that only says something was not recorded is shown but never tested.
"""

from dataclasses import dataclass
from datetime import date

from cases.choices import (
    AgeBand,
    ExploitationLocation,
    ExploitationType,
    NationalityGroup,
    ReferralRoute,
    ReferringAgency,
    Sex,
)

# The code under which a blank value ("not recorded") is exported.
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Level:
    code: str  # as in the import; "" where the value was not recorded
    label: str  # "Female"
    subject: str  # "Female victims": who a reading is about
    recorded: bool = True  # False for "not recorded" or "not stated": shown, not tested

    @property
    def export_code(self) -> str:
        return self.code or NOT_RECORDED


@dataclass(frozen=True)
class Factor:
    name: str  # the import's column name, or exploitation_<type>
    label: str  # "Victim's sex"
    across: str  # "by the victim's sex": what a comparison is across, in a sentence
    levels: tuple[Level, ...]
    # A "not recorded" level, shown only when some case has nothing recorded.
    not_recorded: Level | None = None

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        if self.not_recorded is not None and code == self.not_recorded.code:
            return self.not_recorded
        raise KeyError(f"{self.name} has no level {code!r}")


@dataclass(frozen=True)
class Measure:
    name: str
    label: str  # "Offered support"
    # Cells of each level's row (see engagement.tables): the base, the outcome counted,
    # and its opposite, which together with the outcome make the base.
    base: str
    outcome: str
    opposite: str
    verb: str  # "were offered support": what the victims did more often
    noun: str  # "the offer of support"
    base_words: str  # "cases": what the percentage is of
    # Every way the measure's cases divide, for a chart: (cell, words), and the row total.
    parts: tuple[tuple[str, str], ...]
    whole: str


SUPPORT_OFFERED = Measure(
    name="support_offered",
    label="Offered support",
    base="n",
    outcome="offered",
    opposite="not_offered",
    verb="were offered support",
    noun="the offer of support",
    base_words="cases",
    parts=(("offered", "Offered"), ("not_offered", "Not offered")),
    whole="n",
)
SUPPORT_ACCEPTED = Measure(
    name="support_accepted",
    label="Accepted support",
    base="answered",
    outcome="accepted",
    opposite="declined",
    verb="accepted the support offered",
    noun="acceptance of support",
    base_words="cases offered support, with an answer",
    parts=(("accepted", "Accepted"), ("declined", "Declined"), ("pending", "No answer recorded")),
    whole="offered",
)
ENGAGEMENT = Measure(
    name="engagement",
    label="Engaged with the investigation",
    base="known",
    outcome="positive",
    opposite="negative",
    verb="engaged positively with the investigation",
    noun="positive engagement",
    base_words="cases where engagement is known",
    parts=(("positive", "Positive"), ("negative", "Negative"), ("unknown", "Unknown")),
    whole="n",
)
MEASURES = (SUPPORT_OFFERED, SUPPORT_ACCEPTED, ENGAGEMENT)


def _yes_no(name: str, label: str, across: str, yes: str, no: str) -> Factor:
    return Factor(name, label, across, (Level("yes", "Yes", yes), Level("no", "No", no)))


def _exploitation(kind: ExploitationType, name: str) -> Factor:
    """``name``: "criminal exploitation", "domestic servitude"..."""
    return _yes_no(
        f"exploitation_{kind.value}",
        name.capitalize(),
        f"between victims with and without {name}",
        f"Victims of {name}",
        f"Victims without {name} recorded",
    )


_AGE_SUBJECTS = {
    AgeBand.UNDER_18: "Victims under 18",
    AgeBand.AGE_65_PLUS: "Victims aged 65 or over",
}

FACTORS: tuple[Factor, ...] = (
    Factor(
        "victim_sex",
        "Victim's sex",
        "by the victim's sex",
        (
            Level(Sex.FEMALE, "Female", "Female victims"),
            Level(Sex.MALE, "Male", "Male victims"),
            Level(Sex.OTHER, "Other", "Victims of another sex"),
            Level(Sex.NOT_STATED, "Not stated", "Victims whose sex is not stated", False),
        ),
    ),
    Factor(
        "victim_age_band",
        "Victim's age",
        "by the victim's age",
        tuple(
            Level(band, band.label, _AGE_SUBJECTS.get(band, f"Victims aged {band.label}"))
            for band in AgeBand
        ),
        not_recorded=Level("", "Not recorded", "Victims of unrecorded age", False),
    ),
    Factor(
        "victim_nationality",
        "Victim's nationality",
        "between UK and non-UK nationals",
        (
            Level(NationalityGroup.UK, "UK", "UK nationals"),
            Level(NationalityGroup.NON_UK, "Not UK", "Non-UK nationals"),
        ),
        not_recorded=Level("", "Not recorded", "Victims of unrecorded nationality", False),
    ),
    Factor(
        "referral_route",
        "Referral",
        "by referral (NRM, MS1 or neither)",
        (
            Level(ReferralRoute.NRM, "NRM referral", "Victims referred to the NRM"),
            Level(ReferralRoute.MS1, "MS1 form", "Victims reported on an MS1 form"),
            Level(ReferralRoute.NONE, "Neither", "Victims with no NRM referral or MS1"),
        ),
    ),
    Factor(
        "referring_agency",
        "Referred by",
        "by who referred the case",
        (
            Level(ReferringAgency.POLICE, "The police", "Victims referred by the police"),
            Level(ReferringAgency.EXTERNAL, "Another agency", "Victims referred by other agencies"),
        ),
    ),
    _exploitation(ExploitationType.CRIMINAL, "criminal exploitation"),
    _exploitation(ExploitationType.LABOUR, "labour exploitation"),
    _exploitation(ExploitationType.SEXUAL, "sexual exploitation"),
    _exploitation(ExploitationType.DOMESTIC_SERVITUDE, "domestic servitude"),
    _exploitation(ExploitationType.OTHER, "other or undefined exploitation"),
    Factor(
        "exploitation_location",
        "Where the exploitation happened",
        "by where the exploitation happened",
        (
            Level(ExploitationLocation.UK_ONLY, "UK only", "Victims exploited in the UK only"),
            Level(
                ExploitationLocation.OVERSEAS_ONLY,
                "Overseas only",
                "Victims exploited overseas only",
            ),
            Level(
                ExploitationLocation.BOTH, "Both", "Victims exploited both in the UK and overseas"
            ),
        ),
    ),
    _yes_no(
        "county_lines",
        "County lines",
        "between victims involved in county lines and others",
        "Victims involved in county lines",
        "Victims not involved in county lines",
    ),
    Factor(
        "offender_identified",
        "Offender identified",
        "by whether an offender was identified",
        (
            Level("yes", "Yes", "Victims in cases with an offender identified"),
            Level("no", "No", "Victims in cases with no offender identified"),
        ),
        not_recorded=Level("", "Not recorded", "Victims in cases where it is not recorded", False),
    ),
)

PERIOD = "period"


def month_words(month: date) -> str:
    return f"{month:%B %Y}"


def period_factor(split: date) -> Factor:
    """Cases either side of the first day of a month, as the research compared 2021."""
    words = month_words(split)
    return Factor(
        PERIOD,
        f"Before and from {words}",
        f"between cases before and from {words}",
        (
            Level(f"before_{split:%Y-%m}", f"Before {words}", f"Victims in cases before {words}"),
            Level(f"from_{split:%Y-%m}", f"From {words}", f"Victims in cases from {words}"),
        ),
    )


def factor_named(name: str) -> Factor:
    for factor in FACTORS:
        if factor.name == name:
            return factor
    raise KeyError(name)


COHORT = "cohort"
