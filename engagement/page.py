"""The report laid out for its page: per measure, a chart, the cohorts and each factor.

Pure: a ``Report`` in, plain words and figures out, so the template only places them.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from engagement.chart import measure_chart
from engagement.factors import MEASURES, PERIOD, Level, Measure
from engagement.findings import Finding, lower_first, p_words, percent_words
from engagement.report import CohortReport, Report
from engagement.tables import Row


def figure_words(row: Row | None, measure: Measure) -> str:
    """'220 of 891 (24.7%)', 'withheld of 40', 'withheld'; 'none' for a level not there."""
    if row is None:  # "not recorded" appears only in a cohort where something is
        return "none"
    count, base, percent = row.get(measure.outcome), row.get(measure.base), row.percent(measure)
    if base is None:
        return "withheld"
    if count is None:
        return f"withheld of {base:,}"
    if base == 0:
        return "none"
    return f"{count:,} of {base:,} ({percent_words(percent or 0.0)})"


def result_words(finding: Finding) -> str:
    test = finding.association
    if test is None:
        return "Not tested"
    words = (
        f"χ² = {test.chi2:.2f}, {test.dof} df, {p_words(test.p_value)}, V = {test.cramers_v:.2f}"
    )
    if test.fisher_p is not None:
        words += f"; Fisher's exact {p_words(test.fisher_p)}"
    return words


@dataclass(frozen=True)
class LevelLine:
    label: str
    figures: tuple[str, ...]  # one per cohort


@dataclass(frozen=True)
class Reading:
    cohort: str
    reading: str
    note: str
    clear: bool


@dataclass(frozen=True)
class FactorPart:
    name: str
    label: str
    across: str  # "by who referred the case"
    lines: tuple[LevelLine, ...]
    tests: tuple[str, ...]  # one per cohort
    readings: tuple[Reading, ...]

    @property
    def any_clear(self) -> bool:
        return any(reading.clear for reading in self.readings)


@dataclass(frozen=True)
class MeasureSection:
    measure: Measure
    chart: SafeString
    overview: tuple[LevelLine, ...]
    comparison: Reading | None
    comparison_test: str
    factors: tuple[FactorPart, ...]


def _readings(cohorts: tuple[CohortReport, ...], factor: str, measure: str) -> tuple[Reading, ...]:
    found = []
    for cohort in cohorts:
        finding = cohort.finding(factor, measure)
        found.append(Reading(cohort.cohort.label, finding.reading, finding.note, finding.is_clear))
    return tuple(found)


def _levels(cohorts: tuple[CohortReport, ...], factor_index: int) -> list[Level]:
    """The factor's levels in any cohort, in order (not recorded only where it appears)."""
    levels: list[Level] = []
    for cohort in cohorts:
        for row in cohort.tables[factor_index].rows:
            if row.level is not None and row.level not in levels:
                levels.append(row.level)
    return levels


def sections(report: Report) -> list[MeasureSection]:
    cohorts = report.cohorts
    found = []
    for measure in MEASURES:
        bars: list[tuple[str, Row]] = [(c.cohort.label, c.total) for c in cohorts]
        if report.scope.period.compare_at is not None:
            for cohort in cohorts:
                period = next(t for t in cohort.tables if t.factor.name == PERIOD)
                bars += [
                    (f"{cohort.cohort.label}, {lower_first(row.level.label)}", row)
                    for row in period.rows
                    if row.level
                ]
        factors = []
        for index, table in enumerate(cohorts[0].tables):
            lines = []
            for level in _levels(cohorts, index):
                figures = []
                for cohort in cohorts:
                    rows = {row.level: row for row in cohort.tables[index].rows}
                    figures.append(figure_words(rows.get(level), measure))
                lines.append(LevelLine(level.label, tuple(figures)))
            factors.append(
                FactorPart(
                    name=table.factor.name,
                    label=table.factor.label,
                    across=table.factor.across,
                    lines=tuple(lines),
                    tests=tuple(
                        result_words(c.finding(table.factor.name, measure.name)) for c in cohorts
                    ),
                    readings=_readings(cohorts, table.factor.name, measure.name),
                )
            )
        comparison = next((f for f in report.comparisons if f.measure == measure), None)
        found.append(
            MeasureSection(
                measure=measure,
                chart=measure_chart(measure, bars, chart_id=f"chart-{measure.name}"),
                overview=tuple(
                    LevelLine(c.cohort.label, (figure_words(c.total, measure),)) for c in cohorts
                ),
                comparison=Reading("", comparison.reading, comparison.note, comparison.is_clear)
                if comparison
                else None,
                comparison_test=result_words(comparison) if comparison else "",
                factors=tuple(factors),
            )
        )
    return found


def clear_findings(report: Report) -> list[tuple[str, list[str]]]:
    """Every clear difference, by whose cases: the cohorts compared first."""
    groups = []
    compared = [finding.reading for finding in report.comparisons if finding.is_clear]
    if compared:
        groups.append(("Navigator's cases against the police records", compared))
    for cohort in report.cohorts:
        clear = [finding.reading for finding in cohort.findings if finding.is_clear]
        if clear:
            groups.append((cohort.cohort.label, clear))
    return groups
