"""The engagement report: a cohort's measures by factor, withheld where small, and tested.

The report describes groups of cases, never a person. It is not shown on a victim's page
and nothing in it feeds an alert or the early-warning signals (which do not read
nationality, sex or age at all).

1. Count each cohort in the database (engagement.counting), for a force and whole months.
2. Lay the counts out as linked tables and withhold small numbers and whatever would give
   them away (engagement.tables, engagement.suppression).
3. Test each measure by each factor on what is shown, and say what it means
   (engagement.findings).
4. Side by side, compare the cohorts themselves: Navigator's cases against the police
   records that are not Navigator cases, so no case is counted twice.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from engagement import counting
from engagement.counting import Period
from engagement.factors import COHORT, FACTORS, MEASURES, Factor, Level, period_factor
from engagement.findings import Finding, find
from engagement.tables import Counts, FactorTable, Layout, Row, build


class CohortChoice(models.TextChoices):
    BASELINE = "baseline", "Police records (imported)"
    NAVIGATOR = "navigator", "Navigator's cases"
    BOTH = "both", "Both, side by side"


@dataclass(frozen=True)
class Cohort:
    name: str  # baseline or navigator, as exported
    label: str
    subject: str  # who a comparison of cohorts is about


POLICE_RECORDS = Cohort("baseline", "Police records", "Victims in the police records")
POLICE_RECORDS_ONLY = Cohort(
    "baseline", "Police records not on Navigator", "Victims in police records without a navigator"
)
NAVIGATOR_CASES = Cohort("navigator", "Navigator's cases", "Victims with a navigator")


@dataclass(frozen=True)
class Scope:
    cohorts: CohortChoice
    force: str  # a force's name, or "All forces"
    period: Period
    minimum: int


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    layout: Layout
    total: Row  # the whole cohort
    tables: tuple[FactorTable, ...]
    findings: tuple[Finding, ...]

    def finding(self, factor: str, measure: str) -> Finding:
        for one in self.findings:
            if one.factor.name == factor and one.measure.name == measure:
                return one
        raise KeyError((factor, measure))


@dataclass(frozen=True)
class Report:
    scope: Scope
    cohorts: tuple[CohortReport, ...]
    comparisons: tuple[Finding, ...]  # side by side: one per measure
    made_at: datetime


def factors_for(period: Period) -> tuple[Factor, ...]:
    if period.compare_at is None:
        return FACTORS
    return (period_factor(period.compare_at), *FACTORS)


def cohort_report(
    cohort: Cohort,
    total: Counts,
    by_factor: dict[str, dict[str, Counts]],
    factors: Sequence[Factor],
    *,
    minimum: int,
) -> CohortReport:
    """Steps 2 and 3 for one cohort: pure, from what the database counted."""
    tables = build(total, by_factor, factors, minimum=minimum)
    findings = tuple(
        find(measure, table.factor, table.rows) for table in tables.tables for measure in MEASURES
    )
    return CohortReport(cohort, tables.layout, tables.total, tables.tables, findings)


def compare_cohorts(reports: Sequence[CohortReport]) -> tuple[Finding, ...]:
    """Step 4: each measure, Navigator's cases against the police records."""
    factor = Factor(
        COHORT,
        "Cohort",
        "between Navigator's cases and the police records",
        tuple(Level(r.cohort.name, r.cohort.label, r.cohort.subject) for r in reports),
    )
    rows = [
        Row(level, report.total.cells) for level, report in zip(factor.levels, reports, strict=True)
    ]
    return tuple(find(measure, factor, rows) for measure in MEASURES)


def make_report(
    *,
    cohorts: CohortChoice,
    force_ids: Sequence[int] | None,
    force_name: str,
    period: Period,
    minimum: int,
    now: datetime,
) -> Report:
    factors = factors_for(period)
    sources: list[tuple[Cohort, counting.Source]] = []
    if cohorts == CohortChoice.NAVIGATOR or cohorts == CohortChoice.BOTH:
        sources.append((NAVIGATOR_CASES, counting.navigator(force_ids, period)))
    if cohorts == CohortChoice.BASELINE:
        sources.append((POLICE_RECORDS, counting.baseline(force_ids, period)))
    if cohorts == CohortChoice.BOTH:
        sources.append(
            (
                POLICE_RECORDS_ONLY,
                counting.baseline(force_ids, period, without_navigator_cases=True),
            )
        )
    reports = []
    for cohort, source in sources:
        total, by_factor = counting.count(source, factors)
        reports.append(cohort_report(cohort, total, by_factor, factors, minimum=minimum))
    return Report(
        scope=Scope(cohorts, force_name, period, minimum),
        cohorts=tuple(reports),
        comparisons=compare_cohorts(reports) if len(reports) > 1 else (),
        made_at=now,
    )
