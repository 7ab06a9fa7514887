"""Writing the baseline cohort: importing a force's file of police-recorded cases."""

import csv
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from cases.choices import OrganisationKind
from cases.models import Case
from engagement.models import PoliceRecord
from engagement.records import Parsed, Record, RowError, check_header, force_key, parse

# Existing records are compared in batches of this many crime references.
BATCH = 2000
FIELDS = (
    "recorded_on",
    "victim_sex",
    "victim_age_band",
    "victim_nationality",
    "referral_route",
    "referring_agency",
    "exploitation_types",
    "exploitation_location",
    "county_lines",
    "offender_identified",
    "support_offered",
    "support_accepted",
    "engagement",
)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    written: bool = False  # False when errors stopped the import


def read_rows(
    stream: TextIO,
) -> tuple[list[str] | None, Iterator[tuple[int, dict[str, str | None]]]]:
    reader = csv.DictReader(stream)
    header = [name.strip() for name in reader.fieldnames] if reader.fieldnames else None
    if header is not None:
        reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
        for row in reader:
            yield reader.line_num, row

    return header, rows()


def police_forces() -> dict[str, int]:
    return {
        force_key(name): pk
        for pk, name in Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).values_list(
            "pk", "name"
        )
    }


def import_police_records(
    stream: TextIO, *, skip_bad_rows: bool = False, today: date | None = None
) -> ImportResult:
    """Load a force's file of police-recorded cases into the baseline cohort.

    Run by an operator (``manage.py import_police_records``); no page writes records.

    1. Check the header, then every row (engagement.records), all before writing.
    2. With any error and no ``skip_bad_rows``, write nothing and return the errors.
    3. Otherwise, in one transaction, compare each good row with the record already
       held for its force and crime reference: create the new, update the changed,
       leave the rest untouched, so the same file twice changes nothing.
    """
    try:
        header, rows = read_rows(stream)
        header_errors, ignored = check_header(header)
        if header_errors:
            return ImportResult(errors=header_errors, ignored_columns=ignored)
        parsed = parse(rows, forces=police_forces(), today=today or timezone.localdate())
    except UnicodeDecodeError as error:
        return ImportResult(errors=[RowError(0, "file", f"not UTF-8 text ({error.reason})")])
    except csv.Error as error:
        return ImportResult(errors=[RowError(0, "file", f"not a CSV file we can read ({error})")])
    result = ImportResult(
        rows=len(parsed.records) + len({e.line for e in parsed.errors}),
        errors=parsed.errors,
        ignored_columns=ignored,
    )
    if parsed.errors and not skip_bad_rows:
        return result
    _write(parsed, result)
    result.written = True
    return result


@transaction.atomic
def _write(parsed: Parsed, result: ImportResult) -> None:
    now = timezone.now()
    by_force: dict[int, list[Record]] = defaultdict(list)
    for record in parsed.records:
        by_force[record.force_id].append(record)
    for force_id, records in by_force.items():
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            existing = _existing(force_id, [r.crime_reference for r in batch])
            new, changed = [], []
            for record in batch:
                held = existing.get(record.crime_reference)
                if held is None:
                    new.append(
                        PoliceRecord(
                            force_id=force_id,
                            crime_reference=record.crime_reference,
                            imported_at=now,
                            updated_at=now,
                            **record.values,
                        )
                    )
                elif _differs(held, record.values):
                    for name in FIELDS:
                        setattr(held, name, record.values[name])
                    held.updated_at = now
                    changed.append(held)
                else:
                    result.unchanged += 1
            # Another import of the same records at the same moment updates rather than fails.
            PoliceRecord.objects.bulk_create(
                new,
                update_conflicts=True,
                unique_fields=["force", "crime_reference"],
                update_fields=[*FIELDS, "updated_at"],
            )
            PoliceRecord.objects.bulk_update(changed, [*FIELDS, "updated_at"])
            result.created += len(new)
            result.updated += len(changed)


def _existing(force_id: int, references: list[str]) -> dict[str, PoliceRecord]:
    held = PoliceRecord.objects.filter(force_id=force_id, crime_reference__in=references)
    return {record.crime_reference: record for record in held}


def _differs(held: PoliceRecord, values: Mapping[str, object]) -> bool:
    return any(getattr(held, name) != values[name] for name in FIELDS)


def keep_apart_from_baseline(case: Case) -> int:
    """Mark the police record of ``case`` as a Navigator case, before the case loses its
    crime reference (retention), so that side by side it is still counted once."""
    if not case.crime_reference:
        return 0
    return PoliceRecord.objects.filter(
        force_id=case.police_force_id, crime_reference=case.crime_reference
    ).update(was_navigator_case=True)
