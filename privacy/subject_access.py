"""A victim's subject access request, answered from the record, its history and the
access log: everything Navigator holds about them, in one JSON document.

The export is itself a read of the record, so it is logged (channel "export") before
it is built, and the document includes that entry. It names staff by name, role and
organisation (they acted in their professional role); the administrator reviews it
before it is released, as for any subject access request.
"""

import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from audit.log import record_case_read
from audit.models import AccessChannel, AccessLogEntry
from cases.models import Case, Victim
from navigator.errors import PermissionDenied
from privacy.records import Record, collect

FORMAT = "navigator-subject-access/1"


def require_administrator(acting_user: Any) -> None:
    if getattr(acting_user, "role", "") != Role.ADMIN or not acting_user.is_active:
        raise PermissionDenied("Only an administrator answers subject access and erasure requests.")


def _row(instance: Model, *, people: set[int], organisations: set[int]) -> dict[str, Any]:
    """Every stored field of ``instance``, decrypted; links to staff and organisations by id."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        data[field.attname] = value
        target = getattr(field, "related_model", None)
        if value is not None and target is Staff:
            people.add(value)
        elif value is not None and target is Organisation:
            organisations.add(value)
    return data


def _access_log(case_ids: list[int], people: set[int], organisations: set[int]) -> list[Any]:
    entries = []
    for entry in AccessLogEntry.objects.filter(case_id__in=case_ids).order_by("at", "pk"):
        if entry.reader_id:
            people.add(entry.reader_id)
        if entry.organisation_id:
            organisations.add(entry.organisation_id)
        entries.append(
            {
                "at": entry.at,
                "reader_id": entry.reader_id,
                "organisation_id": entry.organisation_id,
                "channel": entry.channel,
                "case_reference": entry.case_reference,
            }
        )
    return entries


def build_export(record: Record, *, acting_user: Staff, now: datetime) -> dict[str, Any]:
    people: set[int] = {acting_user.pk}
    organisations: set[int] = set()
    records = {
        model._meta.label: [
            _row(row, people=people, organisations=organisations)
            for row in sorted(record.rows[model].values(), key=lambda r: r.pk)
        ]
        for model in record.models()
    }
    history: dict[str, list[dict[str, Any]]] = {}
    for model in record.models():
        rows = record.history(model)
        if rows is not None:
            history[model._meta.label] = [
                _row(row, people=people, organisations=organisations)
                for row in rows.order_by("history_date", "history_id")
            ]
    (victim,) = record.rows[Victim].values()
    access_log = _access_log(record.ids(Case), people, organisations)
    staff = Staff.objects.filter(pk__in=people).select_related("organisation")
    return {
        "format": FORMAT,
        "generated_at": now,
        "generated_by_id": acting_user.pk,
        "victim_reference": victim.reference,
        "records": records,
        "history": history,
        "access_log": access_log,
        "people": {
            str(person.pk): {
                "name": person.get_full_name() or person.username,
                "role": person.get_role_display(),
                "organisation_id": person.organisation_id,
            }
            for person in staff
        },
        "organisations": {
            str(org.pk): {"name": org.name, "kind": org.get_kind_display()}
            for org in Organisation.objects.filter(pk__in=organisations)
        },
    }


@transaction.atomic
def export_subject_access(
    *, victim: Victim, acting_user: Staff, now: datetime | None = None
) -> dict[str, Any]:
    """Everything held about ``victim``, logging the export as a read of each of their cases.

    1. Check that an administrator asks.
    2. Log the export against each case (channel "export").
    3. Collect the record, its history and its access log into one document.
    """
    require_administrator(acting_user)
    now = now or timezone.now()
    for case in Case.objects.filter(victim=victim).select_related("victim"):
        record_case_read(reader=acting_user, case=case, channel=AccessChannel.EXPORT)
    return build_export(collect(victim), acting_user=acting_user, now=now)


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
