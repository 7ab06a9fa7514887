"""A force's file of police-recorded cases: its columns, and each row checked.

Pure: rows in (as the CSV reader gives them, with their line numbers), the police forces
Navigator knows and today's date; records and errors out. Every problem is reported with
its line and column, all of a row's problems at once, so a file can be fixed in one pass.
Values are read without regard to case or surrounding spaces.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cases.choices import (
    AgeBand,
    Answer,
    Engagement,
    ExploitationLocation,
    ExploitationType,
    NationalityGroup,
    ReferralRoute,
    ReferringAgency,
    Sex,
)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    values: tuple[str, ...] = ()  # the codes allowed, where the column is coded
    blank: str = ""  # when it may be left blank, and what blank means


YES_NO = ("yes", "no")

COLUMNS: tuple[Column, ...] = (
    Column("force", "the police force, named exactly as in Navigator (any letter case)"),
    Column(
        "crime_reference",
        "the force's crime reference (matched exactly); with the force, it names the case",
    ),
    Column("recorded_on", "the date the crime was recorded, YYYY-MM-DD"),
    Column("victim_sex", "the victim's sex", tuple(Sex.values)),
    Column(
        "victim_age_band",
        "the victim's age when the crime was recorded",
        tuple(AgeBand.values),
        blank="unknown",
    ),
    Column(
        "victim_nationality", "whether the victim is a UK national", tuple(NationalityGroup.values)
    ),
    Column(
        "referral_route",
        "NRM referral, MS1 form (Duty to Notify), or neither",
        tuple(ReferralRoute.values),
    ),
    Column("referring_agency", "who referred the case", tuple(ReferringAgency.values)),
    Column(
        "exploitation_types",
        "every type recorded, separated by semicolons (e.g. criminal;labour); "
        "other when the type is not defined",
        tuple(ExploitationType.values),
    ),
    Column(
        "exploitation_location",
        "where the exploitation happened",
        tuple(ExploitationLocation.values),
    ),
    Column("county_lines", "whether county lines were involved", YES_NO),
    Column("offender_identified", "whether an offender was identified", YES_NO),
    Column("support_offered", "whether the victim was offered victim-service support", YES_NO),
    Column(
        "support_accepted",
        "whether the victim accepted the support offered",
        YES_NO,
        blank="support was not offered (and only then)",
    ),
    Column(
        "engagement",
        "the victim's engagement with the investigation",
        tuple(Engagement.values),
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
# The codes allowed, looked up once: an enum's .values is rebuilt on every call.
ALLOWED = {column.name: column.values for column in COLUMNS}
# Coded columns stored as they are.
CODED = (
    "victim_sex",
    "victim_age_band",
    "victim_nationality",
    "referral_route",
    "referring_agency",
    "exploitation_location",
    "engagement",
)
EXPLOITATION_TYPES = tuple(ExploitationType.values)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_REFERENCE = 64


def columns_help() -> str:
    """The columns in words, for the import command's --help."""
    lines = ["Columns (a header row naming them, in any order):"]
    for column in COLUMNS:
        values = f" [{' / '.join(column.values)}]" if column.values else ""
        blank = f"; blank when {column.blank}" if column.blank else ""
        lines.append(f"  {column.name}: {column.meaning}{values}{blank}")
    return "\n".join(lines)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


@dataclass(frozen=True)
class Record:
    line: int
    force_id: int
    crime_reference: str
    values: dict[str, Any] = field(hash=False)  # PoliceRecord's other fields


@dataclass(frozen=True)
class Parsed:
    records: list[Record]
    errors: list[RowError]
    ignored_columns: tuple[str, ...] = ()


def force_key(name: str) -> str:
    """Force names match whatever their letter case or spacing."""
    return " ".join(name.split()).casefold()


def check_header(header: Sequence[str] | None) -> tuple[list[RowError], tuple[str, ...]]:
    """Errors for missing columns, and the extra columns that will be ignored."""
    names = [name.strip() for name in header or []]
    missing = [name for name in COLUMN_NAMES if name not in names]
    errors = [RowError(1, name, "this column is missing") for name in missing]
    duplicated = {name for name in names if names.count(name) > 1 and name in COLUMN_NAMES}
    errors += [RowError(1, name, "this column appears twice") for name in sorted(duplicated)]
    return errors, tuple(name for name in names if name not in COLUMN_NAMES)


def parse(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    *,
    forces: Mapping[str, int],
    today: date,
) -> Parsed:
    """Check every row; ``forces`` maps ``force_key(name)`` to the organisation's id."""
    records: list[Record] = []
    errors: list[RowError] = []
    first_line: dict[tuple[int, str], int] = {}
    for line, raw in rows:
        record, row_errors = parse_row(line, raw, forces=forces, today=today)
        if record is not None:
            key = (record.force_id, record.crime_reference)
            if key in first_line:
                row_errors.append(
                    RowError(
                        line,
                        "crime_reference",
                        f"this force's {record.crime_reference} is already on line "
                        f"{first_line[key]}",
                    )
                )
                record = None
            else:
                first_line[key] = line
        errors += row_errors
        if record is not None:
            records.append(record)
    return Parsed(records, errors)


def parse_row(
    line: int, raw: Mapping[str, str | None], *, forces: Mapping[str, int], today: date
) -> tuple[Record | None, list[RowError]]:
    errors: list[RowError] = []

    def text(column: str) -> str:
        return (raw.get(column) or "").strip()

    def code(column: str, allowed: Sequence[str], *, blank_ok: bool = False) -> str:
        value = text(column).lower()
        if value == "" and blank_ok:
            return ""
        if value not in allowed:
            shown = f'"{text(column)}"' if text(column) else "blank"
            errors.append(RowError(line, column, f"{shown} is not one of {', '.join(allowed)}"))
        return value

    force_id = forces.get(force_key(text("force")))
    if not text("force"):
        errors.append(RowError(line, "force", "blank"))
    elif force_id is None:
        errors.append(
            RowError(
                line,
                "force",
                f'no police force called "{text("force")}" in Navigator (an administrator '
                "adds it in the admin, as an organisation of kind police force)",
            )
        )
    reference = text("crime_reference")
    if not reference:
        errors.append(RowError(line, "crime_reference", "blank"))
    elif len(reference) > MAX_REFERENCE:
        errors.append(RowError(line, "crime_reference", f"longer than {MAX_REFERENCE} characters"))
    recorded_on = _date(line, text("recorded_on"), today, errors)
    types = _exploitation_types(line, text("exploitation_types"), errors)
    offered = code("support_offered", YES_NO)
    accepted = code("support_accepted", YES_NO, blank_ok=True)
    if offered == "yes" and accepted == "":
        errors.append(
            RowError(line, "support_accepted", "blank, but support was offered: give yes or no")
        )
    if offered == "no" and accepted:
        errors.append(
            RowError(line, "support_accepted", "must be blank when support was not offered")
        )
    values: dict[str, Any] = {
        "recorded_on": recorded_on,
        "exploitation_types": types,
        "county_lines": code("county_lines", YES_NO) == "yes",
        "offender_identified": code("offender_identified", YES_NO) == "yes",
        "support_offered": offered == "yes",
        "support_accepted": accepted or Answer.UNKNOWN.value,
    }
    for column in CODED:
        values[column] = code(column, ALLOWED[column], blank_ok=column == "victim_age_band")
    if errors or force_id is None:
        return None, errors
    return Record(line, force_id, reference, values), errors


def _date(line: int, value: str, today: date, errors: list[RowError]) -> date | None:
    if not _DATE.fullmatch(value):
        shown = f'"{value}"' if value else "blank"
        errors.append(RowError(line, "recorded_on", f"{shown} is not a date as YYYY-MM-DD"))
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, "recorded_on", f'"{value}" is not a real date'))
        return None
    if parsed > today:
        errors.append(RowError(line, "recorded_on", f"{value} is in the future"))
        return None
    return parsed


def _exploitation_types(line: int, value: str, errors: list[RowError]) -> list[str]:
    pieces = [piece.strip().lower() for piece in value.split(";") if piece.strip()]
    if not pieces:
        errors.append(
            RowError(
                line, "exploitation_types", "blank: give at least one type (other if undefined)"
            )
        )
        return []
    unknown = [piece for piece in pieces if piece not in EXPLOITATION_TYPES]
    if unknown:
        errors.append(
            RowError(
                line,
                "exploitation_types",
                f"{', '.join(unknown)} not among {', '.join(EXPLOITATION_TYPES)}",
            )
        )
    # One order for every record, whatever the file's.
    return [kind for kind in EXPLOITATION_TYPES if kind in pieces]
