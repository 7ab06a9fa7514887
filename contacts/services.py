"""Writes to agreements, check-ins and promises: one path for pages, the API and commands."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from alerts.services import raise_breach_alert
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import CaseStatus
from cases.models import Case, CaseEvent
from cases.services import require_case_manager
from contacts import sla
from contacts.choices import (
    TWO_WAY_OUTCOMES,
    AvoidFlag,
    Channel,
    Concern,
    Direction,
    LevelOfDetail,
    Outcome,
    Place,
    PromiseStatus,
    UpdateGiven,
)
from contacts.models import CheckIn, CommunicationAgreement, Promise
from contacts.terms import contact_from_checkin, terms_from_agreement
from navigator.errors import PermissionDenied, ValidationError
from navigator.history import save_as

# A device clock a few minutes fast must not stop a navigator logging a call.
FUTURE_TOLERANCE = timedelta(minutes=5)


class _Errors:
    """Collects every refused field so the user can mend them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_choice(errors: _Errors, field: str, value: Any, choices: Any) -> None:
    if value not in choices.values:
        errors.add(field, f"{value!r} is not one of: {', '.join(choices.values)}.")


def _parse_hhmm(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return None


def clean_windows(raw: Any, errors: _Errors) -> list[dict[str, Any]]:
    """Check contact windows ``[{"days": [0..6], "start": "HH:MM", "end": "HH:MM"}]``."""
    if not isinstance(raw, list):
        errors.add("contact_windows", "Give a list of windows.")
        return []
    cleaned = []
    for number, window in enumerate(raw, start=1):
        if not isinstance(window, dict):
            errors.add("contact_windows", f"Window {number} is not a window.")
            continue
        days = window.get("days")
        start, end = _parse_hhmm(window.get("start")), _parse_hhmm(window.get("end"))
        if (
            not isinstance(days, list)
            or not days
            or not all(isinstance(d, int) and 0 <= d <= 6 for d in days)
        ):
            errors.add("contact_windows", f"Window {number}: days must be 0 (Monday) to 6.")
            continue
        if start is None or end is None:
            errors.add("contact_windows", f"Window {number}: give start and end as HH:MM.")
            continue
        if end <= start:
            errors.add(
                "contact_windows",
                f"Window {number} ends at {end:%H:%M}, before it starts at {start:%H:%M}.",
            )
            continue
        cleaned.append(
            {"days": sorted(set(days)), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
        )
    return cleaned


@transaction.atomic
def record_agreement(
    *,
    case: Case,
    acting_user: Any,
    channels: Sequence[str],
    update_interval_days: int,
    agreed_on: date,
    level_of_detail: str = LevelOfDetail.HEADLINE,
    contact_windows: Any = (),
    avoid_flags: Iterable[str] = (),
    avoid_notes: str = "",
    unsafe_channel: str = "",
    unsafe_channel_note: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    review_by: date | None = None,
    preferred_contact: Any = None,
    now: datetime | None = None,
) -> CommunicationAgreement:
    """Record what the victim agreed, as a new version superseding the current one."""
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors = _Errors()
    channels = list(channels)
    if not channels:
        errors.add("channels", "Choose at least one channel the victim accepts.")
    for channel in channels:
        _check_choice(errors, "channels", channel, Channel)
    if len(set(channels)) != len(channels):
        errors.add("channels", "Each channel may be listed once.")
    if unsafe_channel:
        _check_choice(errors, "unsafe_channel", unsafe_channel, Channel)
        if unsafe_channel in channels:
            errors.add("unsafe_channel", "A channel marked unsafe cannot also be an agreed one.")
    if not isinstance(update_interval_days, int) or update_interval_days < 1:
        errors.add("update_interval_days", "The update interval must be at least one day.")
    _check_choice(errors, "level_of_detail", level_of_detail, LevelOfDetail)
    flags = sorted(set(avoid_flags))
    for flag in flags:
        _check_choice(errors, "avoid_flags", flag, AvoidFlag)
    windows = clean_windows(list(contact_windows), errors)
    if review_by is not None and review_by < agreed_on:
        errors.add("review_by", "The review date cannot be before the agreement was made.")
    if agreed_on > timezone.localdate(now):
        errors.add("agreed_on", "An agreement cannot be made in the future.")
    errors.raise_if_any()

    current = CommunicationAgreement.objects.filter(case=case, superseded_at__isnull=True).first()
    version = 1
    if current is not None:
        current.superseded_at = now
        save_as(current, acting_user, update_fields=["superseded_at"])
        version = current.version + 1
    agreement = CommunicationAgreement(
        case=case,
        version=version,
        preferred_contact=preferred_contact,
        channels=channels,
        update_interval_days=update_interval_days,
        level_of_detail=level_of_detail,
        contact_windows=windows,
        avoid_flags=flags,
        avoid_notes=avoid_notes,
        unsafe_channel=unsafe_channel,
        unsafe_channel_note=unsafe_channel_note,
        language=language,
        interpreter_needed=interpreter_needed,
        agreed_on=agreed_on,
        review_by=review_by,
        created_by=acting_user,
        created_at=now,
    )
    save_as(agreement, acting_user)
    # A shorter interval can make the case overdue at once.
    refresh_cases([case.pk], now=now)
    return agreement


@transaction.atomic
def log_checkin(
    *,
    case: Case,
    acting_user: Any,
    at: datetime,
    direction: str,
    channel: str,
    outcome: str,
    update_given: str = UpdateGiven.NONE,
    place: str = Place.REMOTE,
    number_withheld: bool = False,
    interpreter_name: str = "",
    wellbeing: int | None = None,
    trust: int | None = None,
    concerns: Iterable[str] = (),
    notes: str = "",
    events_told: Iterable[int] = (),
    now: datetime | None = None,
) -> CheckIn:
    """Log one contact with the victim, reached or not.

    1. Check the user may log contacts on this case, and every field.
    2. Lock the case, so that the clock sees contacts in the order they were logged.
    3. Save the check-in, recording how it broke the agreement, if it did.
    4. Mark any key decisions it told the victim of, and re-run the clock.
    """
    now = now or timezone.now()
    if not access.may_log_contacts(acting_user.role) or not (
        access.visible_cases(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("You may not log contacts on this case.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors = _Errors()
    if case.status == CaseStatus.CLOSED:
        errors.add("case", f"Case {case.reference} is closed; reopen it to log a contact.")
    if timezone.is_naive(at):
        errors.add("at", "Give the time with its time zone.")
    elif at > now + FUTURE_TOLERANCE:
        errors.add("at", "A contact cannot be logged in the future.")
    _check_choice(errors, "direction", direction, Direction)
    _check_choice(errors, "channel", channel, Channel)
    _check_choice(errors, "outcome", outcome, Outcome)
    _check_choice(errors, "update_given", update_given, UpdateGiven)
    _check_choice(errors, "place", place, Place)
    for name, score in (("wellbeing", wellbeing), ("trust", trust)):
        if score is not None and (not isinstance(score, int) or not 1 <= score <= 5):
            errors.add(name, f"{name.capitalize()} is scored from 1 to 5.")
    tags = sorted(set(concerns))
    for tag in tags:
        _check_choice(errors, "concerns", tag, Concern)
    events = list(
        CaseEvent.objects.filter(case=case, pk__in=list(events_told), is_key_decision=True)
    )
    if len(events) != len(set(events_told)):
        errors.add("events_told", "Only this case's key decisions can be marked as told.")
    if events and outcome not in TWO_WAY_OUTCOMES:
        errors.add("events_told", "A key decision is told in a contact that reached the victim.")
    errors.raise_if_any()

    checkin = CheckIn(
        case=case,
        by=acting_user,
        at=at,
        direction=direction,
        channel=channel,
        outcome=outcome,
        update_given=update_given,
        place=place,
        number_withheld=number_withheld,
        interpreter_used=bool(interpreter_name.strip()),
        interpreter_name=interpreter_name.strip(),
        wellbeing=wellbeing,
        trust=trust,
        concerns=tags,
        notes=notes,
        created_at=now,
    )
    agreement = CommunicationAgreement.objects.filter(case=case, superseded_at__isnull=True).first()
    terms = terms_from_agreement(agreement) if agreement else None
    if terms is not None:
        checkin.breaches = list(sla.agreement_breaches(contact_from_checkin(checkin), terms))
    save_as(checkin, acting_user)
    if checkin.breaches:
        raise_breach_alert(
            case=case,
            breaches=checkin.breaches,
            unsafe_channel_used=terms is not None and checkin.channel == terms.unsafe_channel,
            acting_user=acting_user,
            now=now,
        )
    for event in events:
        if event.victim_told_at is None:
            event.victim_told_at = at
            save_as(event, acting_user, update_fields=["victim_told_at"])
    refresh_cases([case.pk], now=now)
    return checkin


@transaction.atomic
def make_promise(
    *,
    case: Case,
    acting_user: Any,
    description: str,
    due_by: datetime,
    made_in: CheckIn | None = None,
    now: datetime | None = None,
) -> Promise:
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    errors = _Errors()
    if not description.strip():
        errors.add("description", "Say what was promised.")
    if timezone.is_naive(due_by):
        errors.add("due_by", "Give the time with its time zone.")
    if made_in is not None and made_in.case_id != case.pk:
        errors.add("made_in", "The check-in belongs to another case.")
    errors.raise_if_any()
    promise = Promise(
        case=case, made_in=made_in, made_by=acting_user, description=description, due_by=due_by
    )
    save_as(promise, acting_user)
    refresh_cases([case.pk], now=now)
    return promise


@transaction.atomic
def resolve_promise(
    *, promise: Promise, status: str, acting_user: Any, now: datetime | None = None
) -> Promise:
    require_case_manager(acting_user, promise.case)
    now = now or timezone.now()
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    if status not in (PromiseStatus.KEPT, PromiseStatus.BROKEN, PromiseStatus.WITHDRAWN):
        raise ValidationError({"status": ["A promise is resolved as kept, broken or withdrawn."]})
    if promise.status != PromiseStatus.OPEN:
        raise ValidationError({"status": [f"This promise is already {promise.status}."]})
    promise.status = status
    promise.resolved_at = now
    save_as(promise, acting_user, update_fields=["status", "resolved_at"])
    refresh_cases([promise.case_id], now=now)
    return promise
