"""Retention: a case closed longer than RETENTION_CLOSED_CASE_DAYS is anonymised.

What anonymising keeps is what happened (when contacts were made, on which channels,
with what outcome; alerts, scores, decisions and their dates), so the engagement
measures still count the case. What it removes is who and where: names, the date of
birth, contact details, the location, important dates, police and NRM references,
and every piece of free text people wrote. The history is treated the same way, so no
old version keeps what the current one lost. The victim's own details go once every
one of their cases is anonymised.

Each anonymised case leaves a RemovalRecord (append-only) counting what was removed.
The access log is left as it is: it holds pseudonymous references and who read them,
nothing that anonymising removes (see docs/operations.md).
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from audit.models import RemovalKind, RemovalRecord
from cases.choices import AgeBand, CaseStatus
from cases.models import Case, Victim
from privacy.records import Record, collect, collect_from
from privacy.signals import case_anonymising

logger = logging.getLogger(__name__)

REMOVED = "Removed after the retention period"
ANONYMISED_NAME = "(anonymised)"

# What anonymising does to each field that could say who or where: the value a filled-in
# field is given. The victim's own fields go only when every one of their cases is anonymised.
VICTIM_CLEARED: dict[str, Any] = {
    "full_name": ANONYMISED_NAME,
    "preferred_name": "",
    "date_of_birth": None,  # the age band stays (filled in from the date of birth first)
    "safe_phone": "",
    "safe_email": "",
    "safe_contact_notes": "",
    "needs": "",
    "vulnerabilities": "",
}
CASE_RECORD_CLEARED: dict[str, dict[str, Any]] = {
    # The force's crime number and the Home Office's NRM number lead back to the person.
    "cases.Case": {"crime_reference": "", "nrm_reference": "", "status_reason": REMOVED},
    "cases.CaseEvent": {"notes": ""},
    "cases.PointOfContact": {"change_reason": ""},
    "contacts.CommunicationAgreement": {
        "avoid_notes": "",
        "unsafe_channel_note": "",
        "agreed_through": "",
    },
    # The interpreter is a third party, named.
    "contacts.CheckIn": {"notes": "", "interpreter_name": ""},
    "contacts.Promise": {"description": REMOVED},
    "contacts.ConcernResponse": {"action": REMOVED},
    # Summaries and reasons quote promises; the resolution note is a person's words.
    "alerts.Alert": {"summary": REMOVED, "reasons": {}, "resolution_note": REMOVED},
    # A partner's note is its caseworker's words about the victim.
    "partners.PartnerReport": {"note": ""},
    # What a sender wrote for the receiver of a handover is about the victim, in full.
    "handovers.Handover": {
        "reason": REMOVED,
        "needs_and_risks": REMOVED,
        "decline_reason": REMOVED,  # only where there was one: a declined handover needs it
    },
}
# Rows removed outright: nothing in them is about what happened, only who and where.
VICTIM_DELETED = ("cases.VictimLocation", "cases.ImportantDate")
CASE_RECORD_DELETED = ("alerts.Reminder",)  # reminders repeat an important date's label

# Fields that could hold text and are kept, with why: the coverage test makes every
# free-text or date field of every model in a victim's record appear here or above.
KEPT: dict[str, dict[str, str]] = {
    "cases.Victim": {
        "reference": "pseudonymous",
        "nationality": "population statistics, as the NRM publishes them",
        "preferred_language": "population statistics",
    },
    "cases.Case": {
        "reference": "pseudonymous",
        "referring_agency_name": "an organisation, not a person",
        "exploitation_types": "codes",
        "clock_state": "computed",
        "nrm_referred_on": "the measures count decisions and their timing",
        "rg_decided_on": "as above",
        "cg_decided_on": "as above",
        "support_ended_on": "as above",
        "support_offered_on": "the report's first engagement measure",
    },
    "cases.CaseShare": {
        "consent_recorded_on": "when sharing was allowed",
        "covers": "codes: what the share covered",
    },
    "contacts.CommunicationAgreement": {
        "channels": "codes",
        "contact_windows": "days and times",
        "avoid_flags": "codes",
        "language": "population statistics",
        "agreed_on": "dates of the process",
        "review_by": "dates of the process",
    },
    "contacts.CheckIn": {"concerns": "codes", "breaches": "generated wording"},
    "alerts.Alert": {"condition_key": "generated from the rule and dates"},
    "alerts.EngagementSnapshot": {"level": "code", "signals": "codes", "on": "a date"},
    "partners.PartnerNotice": {"subject": "generated: kind, case reference and time"},
    "partners.PartnerReport": {"concerns": "codes"},
    "handovers.Handover": {
        "agreement": "the agreement's structured terms: codes, days and times",
        "sent_at": "dates of the process",
        "acknowledged_at": "dates of the process",
        "decided_at": "dates of the process",
    },
    "webhooks.WebhookDelivery": {"message_id": "random: names the delivery, not the victim"},
    "webhooks.WebhookAttempt": {"error": "a kind of failure or refused address, never a body"},
}


def anonymise_after(closed_at: datetime, *, retention_days: int) -> datetime:
    """When a case closed at ``closed_at`` is due to be anonymised."""
    return closed_at + timedelta(days=retention_days)


def age_band_on(born: date, day: date) -> AgeBand:
    """The age band of someone born on ``born``, on ``day``."""
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    bands = [
        (18, AgeBand.UNDER_18),
        (25, AgeBand.AGE_18_24),
        (35, AgeBand.AGE_25_34),
        (45, AgeBand.AGE_35_44),
        (55, AgeBand.AGE_45_54),
        (65, AgeBand.AGE_55_64),
    ]
    return next((band for limit, band in bands if age < limit), AgeBand.AGE_65_PLUS)


@dataclass
class Removed:
    """Counts of what was removed: rows deleted, and filled-in fields cleared, by model."""

    deleted: Counter[str] = field(default_factory=Counter)
    cleared: Counter[str] = field(default_factory=Counter)
    history_rows_deleted: Counter[str] = field(default_factory=Counter)
    history_values_cleared: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            "deleted": dict(self.deleted),
            "cleared": dict(self.cleared),
            "history_rows_deleted": dict(self.history_rows_deleted),
            "history_values_cleared": dict(self.history_values_cleared),
        }


def _clear(rows: QuerySet[Any], label: str, values: dict[str, Any], counts: Counter[str]) -> None:
    for name, value in values.items():
        empty: Any = None if value is None else ({} if isinstance(value, dict) else "")
        changed = rows.exclude(**{name: empty}).update(**{name: value})
        if changed:
            counts[f"{label}.{name}"] += changed


def _model(record: Record, label: str) -> type[Model] | None:
    return next((m for m in record.rows if m._meta.label == label), None)


def _clear_in_record_and_history(
    record: Record, policy: dict[str, dict[str, Any]], removed: Removed
) -> None:
    for label, values in policy.items():
        model = _model(record, label)
        if model is None or not record.ids(model):
            continue
        _clear(model._base_manager.filter(pk__in=record.ids(model)), label, values, removed.cleared)
        history = record.history(model)
        if history is not None:
            _clear(history, label, values, removed.history_values_cleared)
            history.exclude(history_change_reason=None).update(history_change_reason=None)


def _delete_with_history(record: Record, labels: tuple[str, ...], removed: Removed) -> None:
    for label in labels:
        model = _model(record, label)
        if model is None or not record.ids(model):
            continue
        history = record.history(model)  # read before: it is built from the ids
        deleted, _ = model._base_manager.filter(pk__in=record.ids(model)).delete()
        removed.deleted[label] += deleted
        if history is not None:  # including the rows the deletion itself just wrote
            removed.history_rows_deleted[label] += history.delete()[0]
        _forget_admin_log(model, record.ids(model))


def _forget_admin_log(model: type[Model], ids: list[int]) -> None:
    """The admin's own log names objects by their str(), which for some is their text."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).update(object_repr=f"{model._meta.verbose_name} (anonymised)")


def anonymise_case(*, case: Case, now: datetime) -> RemovalRecord:
    """Remove what identifies the victim from one closed case, its history included, and
    the victim's own details too once all their cases are anonymised.

    The caller has locked the case and checked that it is due.

    1. Clear the case's free text and references, and delete its reminders.
    2. If every case of the victim is now anonymised, clear the victim's details and
       delete their location and important dates.
    3. Leave a RemovalRecord counting what went.
    """
    removed = Removed()
    case_anonymising.send(sender=Case, case=case)  # while the case has its references
    case_record = collect_from(Case, [case.pk])
    _clear_in_record_and_history(case_record, CASE_RECORD_CLEARED, removed)
    _delete_with_history(case_record, CASE_RECORD_DELETED, removed)
    for model in case_record.models():
        _forget_admin_log(model, case_record.ids(model))
    Case.objects.filter(pk=case.pk).update(anonymised_at=now)

    victim = Victim.objects.select_for_update().get(pk=case.victim_id)
    if not Case.objects.filter(victim=victim, anonymised_at__isnull=True).exists():
        victim_record = collect(victim)
        if victim.date_of_birth and not victim.age_band:
            band = age_band_on(victim.date_of_birth, timezone.localdate(victim.created_at))
            Victim.objects.filter(pk=victim.pk).update(age_band=band)
            Victim.history.filter(id=victim.pk, age_band="").update(age_band=band)
        _clear_in_record_and_history(victim_record, {"cases.Victim": VICTIM_CLEARED}, removed)
        _delete_with_history(victim_record, VICTIM_DELETED, removed)
        _forget_admin_log(Victim, [victim.pk])
    return RemovalRecord.objects.create(
        at=now,
        kind=RemovalKind.ANONYMISED,
        victim_reference=victim.reference,
        case_references=[case.reference],
        removed=removed.as_dict(),
    )


@dataclass
class RetentionReport:
    closed_before: datetime
    records: list[RemovalRecord] = field(default_factory=list)

    def summary(self) -> str:
        totals: Counter[str] = Counter()
        for record in self.records:
            for group in record.removed.values():
                totals.update(group)
        cleared = ", ".join(f"{key}: {count}" for key, count in sorted(totals.items()))
        return (
            f"Anonymised {len(self.records)} cases closed before "
            f"{timezone.localtime(self.closed_before):%d %B %Y}"
            + (f" ({cleared})" if cleared else "")
        )


def due_cases(*, now: datetime) -> QuerySet[Case]:
    """Closed cases past the retention period and not yet anonymised (through the index)."""
    closed_before = now - timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS)
    return Case.objects.filter(
        status=CaseStatus.CLOSED, anonymised_at__isnull=True, closed_at__lte=closed_before
    ).order_by("closed_at", "pk")


def anonymise_closed_cases(*, now: datetime) -> RetentionReport:
    """The scheduled job: anonymise every closed case past its retention period.

    Each case in its own transaction, claimed with SKIP LOCKED, so two runs at once
    share the work and a case a person is reopening right now waits for the next run.
    """
    report = RetentionReport(
        closed_before=now - timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS)
    )
    while True:
        with transaction.atomic():
            case = (
                due_cases(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("victim")
                .first()
            )
            if case is None:
                break
            report.records.append(anonymise_case(case=case, now=now))
    if report.records:
        logger.info("%s", report.summary())
    return report
