"""Counting the cohorts in the database: one grouped query per factor, nothing counted here.

Both cohorts are read through the same names. A ``Source`` says, for its model, which rows
are in the cohort, what "offered", "accepted", "declined", "positive" and "negative" mean
as conditions, and how to read each factor's level from a row. Each factor is then one
``GROUP BY`` query giving every level's counts; the cohort's totals are the sum of any
factor's levels (each factor's levels divide the whole cohort).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone

from cases.choices import AGE_BAND_UPPER_LIMITS, Answer, Engagement, ExploitationType
from cases.models import Case as NavigatorCase
from engagement.factors import PERIOD, Factor
from engagement.models import PoliceRecord
from engagement.tables import Counts, total_of

Expression = Combinable


@dataclass(frozen=True)
class Period:
    """Whole months: ``since`` is a first of the month, ``until`` a last (both included)."""

    since: date | None = None
    until: date | None = None
    compare_at: date | None = None  # the first month of "after"


@dataclass(frozen=True)
class Source:
    rows: QuerySet  # the cohort's rows
    offered: Q
    accepted: Q
    declined: Q
    positive: Q
    negative: Q
    level: Callable[[str], Expression]  # a factor's name -> the expression giving its level


def _yes_no(field: str) -> Expression:
    return Case(
        When(**{field: True}, then=Value("yes")),
        When(**{field: False}, then=Value("no")),
        default=Value(""),
    )


def _has_type(field: str, kind: str) -> Expression:
    # The list is stored as JSON text; a code in quotes cannot match part of another code.
    # (Text, not JSON containment, so the demo's SQLite counts the same way.)
    return Case(
        When(
            **{f"{field}__contains": f'"{kind}"'},
            then=Value("yes"),
        ),
        default=Value("no"),
    )


def _common_level(field_of: dict[str, str]) -> Callable[[str], Expression]:
    def level(name: str) -> Expression:
        if name.startswith("exploitation_") and name.removeprefix("exploitation_") in (
            ExploitationType.values
        ):
            return _has_type("types_text", name.removeprefix("exploitation_"))
        if name in ("county_lines", "offender_identified"):
            return _yes_no(field_of[name])
        return F(field_of[name])

    return level


def _period_level(field: str, split: date | datetime) -> Expression:
    return Case(
        When(**{f"{field}__lt": split}, then=Value(f"before_{split:%Y-%m}")),
        default=Value(f"from_{split:%Y-%m}"),
    )


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in UK time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def baseline(
    force_ids: Sequence[int] | None, period: Period, *, without_navigator_cases: bool = False
) -> Source:
    """The imported police records; side by side, without those that are Navigator cases."""
    rows = PoliceRecord.objects.all()
    if force_ids is not None:
        rows = rows.filter(force_id__in=force_ids)
    if period.since:
        rows = rows.filter(recorded_on__gte=period.since)
    if period.until:
        rows = rows.filter(recorded_on__lte=period.until)
    if without_navigator_cases:
        rows = rows.filter(was_navigator_case=False).exclude(
            Exists(
                NavigatorCase.objects.filter(
                    police_force=OuterRef("force"),
                    crime_reference=OuterRef("crime_reference"),
                )
            )
        )
    rows = rows.alias(types_text=Cast("exploitation_types", TextField()))
    same_names = {
        name: name
        for name in (
            "victim_sex",
            "victim_age_band",
            "victim_nationality",
            "referral_route",
            "referring_agency",
            "exploitation_location",
            "county_lines",
            "offender_identified",
        )
    }
    common = _common_level(same_names)

    def level(name: str) -> Expression:
        if name == PERIOD:
            if period.compare_at is None:
                raise ValueError("no date to compare before and after")
            return _period_level("recorded_on", period.compare_at)
        return common(name)

    offered = Q(support_offered=True)
    return Source(
        rows=rows,
        offered=offered,
        accepted=offered & Q(support_accepted=Answer.YES),
        declined=offered & Q(support_accepted=Answer.NO),
        positive=Q(engagement=Engagement.POSITIVE),
        negative=Q(engagement=Engagement.NEGATIVE),
        level=level,
    )


def _age_band_at_opening() -> Expression:
    """The victim's age band when the case opened: from the date of birth where known."""
    opened = TruncDate("opened_at")  # in UK time
    born = "victim__date_of_birth"
    birthday_to_come = LessThan(
        ExtractMonth(opened) * 100 + ExtractDay(opened),
        ExtractMonth(born) * 100 + ExtractDay(born),
    )
    age = (
        ExtractYear(opened)
        - ExtractYear(born)
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0))
    )
    bands = [
        When(LessThan(age, next_starts_at), then=Value(band.value))
        for band, next_starts_at in AGE_BAND_UPPER_LIMITS
        if next_starts_at is not None
    ]
    last_band = AGE_BAND_UPPER_LIMITS[-1][0]
    return Case(
        When(victim__date_of_birth__isnull=True, then=F("victim__age_band")),
        *bands,
        default=Value(last_band.value),
    )


def navigator(force_ids: Sequence[int] | None, period: Period) -> Source:
    """Navigator's own cases, whatever their status, dated by the day they opened."""
    rows = NavigatorCase.objects.all()
    if force_ids is not None:
        rows = rows.filter(police_force_id__in=force_ids)
    if period.since:
        rows = rows.filter(opened_at__gte=_start_of(period.since))
    if period.until:
        rows = rows.filter(opened_at__lt=_start_of(period.until + timedelta(days=1)))
    rows = rows.alias(types_text=Cast("exploitation_types", TextField()))
    common = _common_level(
        {
            "victim_sex": "victim__sex",
            "victim_nationality": "victim__nationality_group",
            "referral_route": "referral_route",
            "referring_agency": "referring_agency",
            "exploitation_location": "exploitation_location",
            "county_lines": "county_lines",
            "offender_identified": "offender_identified",
        }
    )

    def level(name: str) -> Expression:
        if name == PERIOD:
            if period.compare_at is None:
                raise ValueError("no date to compare before and after")
            return _period_level("opened_at", _start_of(period.compare_at))
        if name == "victim_age_band":
            return _age_band_at_opening()
        return common(name)

    # An answer recorded without an offer date still means support was offered.
    offered = Q(support_offered_on__isnull=False) | Q(support_accepted__in=[Answer.YES, Answer.NO])
    return Source(
        rows=rows,
        offered=offered,
        accepted=Q(support_accepted=Answer.YES),
        declined=Q(support_accepted=Answer.NO),
        positive=Q(investigation_engagement=Engagement.POSITIVE),
        negative=Q(investigation_engagement=Engagement.NEGATIVE),
        level=level,
    )


def count(source: Source, factors: Sequence[Factor]) -> tuple[Counts, dict[str, dict[str, Counts]]]:
    """The cohort's totals and each factor's levels, one grouped query per factor."""
    aggregates = {
        "n": Count("pk"),
        "offered": Count("pk", filter=source.offered),
        "accepted": Count("pk", filter=source.accepted),
        "declined": Count("pk", filter=source.declined),
        "positive": Count("pk", filter=source.positive),
        "negative": Count("pk", filter=source.negative),
    }
    by_factor: dict[str, dict[str, Counts]] = {}
    for factor in factors:
        grouped = (
            source.rows.annotate(level=source.level(factor.name))
            .values("level")
            .annotate(**aggregates)
            .order_by()
        )
        by_factor[factor.name] = {
            row["level"] or "": Counts(**{name: row[name] for name in aggregates})
            for row in grouped
        }
    totals = [total_of(levels.values()) for levels in by_factor.values()]
    return (totals[0] if totals else Counts()), by_factor
