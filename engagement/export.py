"""The report as CSV, JSON or text: only what the page shows, withheld numbers withheld.

The CSV has one row per cohort, measure, factor and level (factor and level "all" for the
whole cohort), with the factor's test repeated on each of its levels:

    cohort, measure, factor, level, n, count, percent, chi2, dof, p_value, cramers_v, fisher_p

``n`` is the measure's base (all cases; those offered support with an answer; those whose
engagement is known) and ``count`` the cases with the outcome. A withheld number reads
"withheld" (null in JSON); a level with no cases, where shown, has no percentage; test
columns are empty where nothing was tested. Side by side, rows of cohort "both" and
factor "cohort" compare the two cohorts.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from engagement.factors import MEASURES, Measure, month_words
from engagement.findings import Finding, percent_words
from engagement.report import CohortReport, Report
from engagement.tables import Row

COLUMNS = (
    "cohort",
    "measure",
    "factor",
    "level",
    "n",
    "count",
    "percent",
    "chi2",
    "dof",
    "p_value",
    "cramers_v",
    "fisher_p",
)
WITHHELD = "withheld"
ALL = "all"


def _test_columns(finding: Finding | None) -> dict[str, Any]:
    test = finding.association if finding else None
    if test is None:
        return {"chi2": None, "dof": None, "p_value": None, "cramers_v": None, "fisher_p": None}
    return {
        "chi2": round(test.chi2, 4),
        "dof": test.dof,
        "p_value": float(f"{test.p_value:.4g}"),
        "cramers_v": round(test.cramers_v, 4),
        "fisher_p": None if test.fisher_p is None else float(f"{test.fisher_p:.4g}"),
    }


def _figures(row: Row, measure: Measure) -> dict[str, Any]:
    percent = row.percent(measure)
    return {
        "n": row.get(measure.base),
        "count": row.get(measure.outcome),
        "percent": None if percent is None else round(percent, 1),
    }


def rows(report: Report) -> Iterator[dict[str, Any]]:
    """Every published figure, as plain values: None where withheld or not tested."""
    for cohort in report.cohorts:
        for measure in MEASURES:
            yield {
                "cohort": cohort.cohort.name,
                "measure": measure.name,
                "factor": ALL,
                "level": ALL,
                **_figures(cohort.total, measure),
                **_test_columns(None),
            }
            for table in cohort.tables:
                finding = cohort.finding(table.factor.name, measure.name)
                for row in table.rows:
                    yield {
                        "cohort": cohort.cohort.name,
                        "measure": measure.name,
                        "factor": table.factor.name,
                        "level": row.level.export_code if row.level else ALL,
                        **_figures(row, measure),
                        **_test_columns(finding),
                    }
    for finding in report.comparisons:
        for row in finding.rows:
            yield {
                "cohort": "both",
                "measure": finding.measure.name,
                "factor": finding.factor.name,
                "level": row.level.export_code if row.level else ALL,
                **_figures(row, finding.measure),
                **_test_columns(finding),
            }


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        no_cases = row["n"] == 0  # no percentage of nothing, and nothing withheld
        writer.writerow(
            {
                key: (WITHHELD if key in ("n", "count", "percent") and not no_cases else "")
                if value is None
                else value
                for key, value in row.items()
            }
        )
    return out.getvalue()


def period_words(since: date | None, until: date | None) -> str:
    if since and until:
        return f"{month_words(since)} to {month_words(until)}"
    if since:
        return f"from {month_words(since)}"
    if until:
        return f"up to {month_words(until)}"
    return "all dates"


def readings(report: Report) -> Iterator[tuple[str, Finding]]:
    for cohort in report.cohorts:
        for finding in cohort.findings:
            yield cohort.cohort.name, finding
    for finding in report.comparisons:
        yield "both", finding


def as_json(report: Report) -> str:
    scope = report.scope
    document = {
        "report": {
            "cohorts": scope.cohorts.value,
            "force": scope.force,
            "since": scope.period.since and scope.period.since.isoformat(),
            "until": scope.period.until and scope.period.until.isoformat(),
            "compare_at": scope.period.compare_at and scope.period.compare_at.isoformat(),
            "minimum_count": scope.minimum,
            "made_at": report.made_at.isoformat(),
            "about": "Groups of cases, not people; never used for a victim's page or an alert.",
        },
        "rows": list(rows(report)),
        "readings": [
            {
                "cohort": cohort,
                "measure": finding.measure.name,
                "factor": finding.factor.name,
                "reading": finding.reading,
                "note": finding.note,
                "clear": finding.is_clear,
            }
            for cohort, finding in readings(report)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _figure_words(row: Row, measure: Measure) -> str:
    count, base, percent = row.get(measure.outcome), row.get(measure.base), row.percent(measure)
    shown_count = WITHHELD if count is None else f"{count:,}"
    shown_base = WITHHELD if base is None else f"{base:,}"
    shown_percent = "" if percent is None else f"  {percent_words(percent)}"
    return f"{shown_count} of {shown_base}{shown_percent}"


def _cohort_text(cohort: CohortReport) -> list[str]:
    n = cohort.total.get("n")
    lines = [f"{cohort.cohort.label}: {WITHHELD if n is None else f'{n:,}'} cases"]
    for measure in MEASURES:
        lines.append(
            f"  {measure.label:<32}{_figure_words(cohort.total, measure)} ({measure.base_words})"
        )
    clear = [finding.reading for finding in cohort.findings if finding.is_clear]
    lines.append("")
    lines.append("  What stands out (p < 0.05):" if clear else "  No clear differences.")
    lines += [f"  - {reading}" for reading in clear]
    for measure in MEASURES:
        lines += ["", f"  {measure.label}, by factor"]
        for table in cohort.tables:
            finding = cohort.finding(table.factor.name, measure.name)
            lines.append(f"    {table.factor.label}: {_test_words(finding)}")
            for row in table.rows:
                label = row.level.label if row.level else ALL
                lines.append(f"      {label:<28}{_figure_words(row, measure)}")
            lines.append(f"      {finding.reading}")
            if finding.note:
                lines.append(f"      {finding.note}")
    return lines


def _test_words(finding: Finding) -> str:
    test = finding.association
    if test is None:
        return "not tested"
    words = (
        f"chi-square {test.chi2:.2f}, {test.dof} df, p {test.p_value:.3g}, "
        f"Cramér's V {test.cramers_v:.2f}"
    )
    if test.fisher_p is not None:
        words += f", Fisher's p {test.fisher_p:.3g}"
    return words


def as_text(report: Report) -> str:
    scope = report.scope
    lines = [
        f"Engagement report: {scope.cohorts.label}; {scope.force}; "
        f"{period_words(scope.period.since, scope.period.until)}",
        f"Numbers under {scope.minimum} are withheld, with any that would give one away.",
        "This report describes groups of cases, not people.",
        "",
    ]
    for cohort in report.cohorts:
        lines += _cohort_text(cohort)
        lines.append("")
    if report.comparisons:
        lines.append("Navigator's cases against the police records")
        for finding in report.comparisons:
            lines.append(f"  {finding.measure.label}: {_test_words(finding)}")
            lines.append(f"    {finding.reading}")
    return "\n".join(lines).rstrip() + "\n"
