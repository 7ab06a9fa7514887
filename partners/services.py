"""What partner organisations do: acknowledge the notices they receive, and report to the
case's team what they learn. A request made with an API key acts as the organisation's
API account, so the same services serve the pages, the API and commands."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from alerts.choices import Severity
from alerts.services import raise_partner_report_alert
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import AccommodationKind
from cases.models import Case
from contacts.choices import Channel, Concern, Outcome
from navigator.errors import PermissionDenied, ValidationError
from navigator.history import save_as
from partners import outbox
from partners.models import PartnerNotice, PartnerReport, ReportKind

# A partner's clock a few minutes fast must not stop a report.
FUTURE_TOLERANCE = timedelta(minutes=5)
# A late report still matters (a move nobody was told of); a date years back is a mistake.
OLDEST_REPORT = timedelta(days=366)
NOTE_LIMIT = 2000


@transaction.atomic
def acknowledge_notice(
    *, notice: PartnerNotice, acting_user: Any, now: datetime | None = None
) -> PartnerNotice:
    """A partner confirms it has the notice; acknowledging again changes nothing.

    Once every partner whose share covers events has acknowledged its notice of a
    hard moment, the event counts as "partners told" and the case's clock is re-run,
    so the early-warning signal clears at once.
    """
    if access.partner_organisation_id(acting_user) != notice.organisation_id:
        raise PermissionDenied("Only the organisation a notice was sent to can acknowledge it.")
    now = now or timezone.now()
    notice = PartnerNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.acknowledged_at is not None:
        return notice
    notice.acknowledged_at = now
    save_as(notice, acting_user, update_fields=["acknowledged_at"])
    if notice.event_id is not None:
        changed = outbox.settle_partners_told(
            case_ids=[notice.case_id], now=now, acting_user=acting_user
        )
        if changed:
            refresh_cases(changed, now=now)
    return notice


def _require_partner_on(case: Case, acting_user: Any, now: datetime) -> int:
    organisation_id = access.partner_organisation_id(acting_user)
    if organisation_id is None:
        raise PermissionDenied("Only partner organisations report here.")
    if access.partner_share(acting_user, case, now=now) is None:
        raise PermissionDenied("The case is not shared with your organisation.")
    return organisation_id


@transaction.atomic
def report_to_case(
    *,
    case: Case,
    kind: str,
    happened_at: datetime,
    acting_user: Any,
    accommodation_kind: str = "",
    channel: str = "",
    outcome: str = "",
    concerns: Iterable[str] = (),
    note: str = "",
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> PartnerReport:
    """A partner tells the case's team the victim moved, or that it had contact with them.

    1. Check the partner's share is in force. A form sent twice (the same
       ``submission_key``, under the case's lock) gets the report the first one saved.
    2. Check every field fits the kind of report.
    3. Record the report (it shows on the case page).
    4. Raise it to the case's points of contact as an alert: a move at once (high),
       a contact by what the victim raised.
    """
    now = now or timezone.now()
    organisation_id = _require_partner_on(case, acting_user, now)
    if submission_key is not None:
        list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk"))
        already = PartnerReport.objects.filter(submission_key=submission_key).first()
        if already is not None:
            if (already.case_id, already.organisation_id) != (case.pk, organisation_id):
                raise ValidationError({"submission_key": ["This form belongs to another case."]})
            return already
    concerns = list(dict.fromkeys(concerns))
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in ReportKind.values:
        refuse("kind", f"Report a {' or a '.join(ReportKind.values)}.")
    if timezone.is_naive(happened_at):
        refuse("happened_at", "Give the time with its time zone.")
    elif happened_at > now + FUTURE_TOLERANCE:
        refuse("happened_at", "Report what has happened, not what will.")
    elif happened_at < now - OLDEST_REPORT:
        refuse("happened_at", "Report what happened in the last year.")
    if len(note) > NOTE_LIMIT:
        refuse("note", f"Keep the note to {NOTE_LIMIT} characters.")
    if kind == ReportKind.RELOCATION:
        if accommodation_kind not in AccommodationKind.values:
            refuse("accommodation_kind", "Say what kind of place the victim now lives in.")
        for field, value in (("channel", channel), ("outcome", outcome), ("concerns", concerns)):
            if value:
                refuse(field, "A relocation report does not take this; report a contact.")
    elif kind == ReportKind.CONTACT:
        if channel not in Channel.values:
            refuse("channel", f"Give one of: {', '.join(Channel.values)}.")
        if outcome not in Outcome.values:
            refuse("outcome", f"Give one of: {', '.join(Outcome.values)}.")
        for concern in concerns:
            if concern not in Concern.values:
                refuse("concerns", f"{concern!r} is not one of: {', '.join(Concern.values)}.")
        if accommodation_kind:
            refuse("accommodation_kind", "A contact report does not take this.")
    if errors:
        raise ValidationError(errors)
    report = PartnerReport(
        case=case,
        organisation_id=organisation_id,
        kind=kind,
        happened_at=happened_at,
        accommodation_kind=accommodation_kind,
        channel=channel,
        outcome=outcome,
        concerns=concerns,
        note=note.strip(),
        reported_by=acting_user,
        reported_at=now,
        submission_key=submission_key,
    )
    save_as(report, acting_user)
    raise_partner_report_alert(
        case=case,
        severity=report_severity(kind, concerns),
        summary=report_summary(report),
        entry={
            "report": report.pk,
            "kind": kind,
            "organisation": report.organisation.name,
            "happened_at": happened_at.isoformat(),
        },
        acting_user=acting_user,
        now=now,
    )
    return report


def report_severity(kind: str, concerns: Iterable[str]) -> Severity:
    """A move matters at once (officers may be on their way to the old address), as does
    a fear for their safety; any other concern soon; a contact without one is for
    information."""
    concerns = set(concerns)
    if kind == ReportKind.RELOCATION or Concern.SAFETY_FEAR in concerns:
        return Severity.HIGH
    return Severity.MEDIUM if concerns else Severity.LOW


def report_summary(report: PartnerReport) -> str:
    """The report in a sentence, for the alert: never the partner's note."""
    when = f"{timezone.localtime(report.happened_at):%a %d %b %H:%M}"
    if report.kind == ReportKind.RELOCATION:
        place = AccommodationKind(report.accommodation_kind).label.lower()
        return f"{report.organisation.name} reports the victim has moved ({place}), {when}."
    contact = (
        f"{report.organisation.name} had contact with the victim "
        f"({Channel(report.channel).label.lower()}, {Outcome(report.outcome).label.lower()}), "
        f"{when}."
    )
    if report.concerns:
        contact += " The victim raised: " + ", ".join(report.concern_labels).lower() + "."
    return contact
