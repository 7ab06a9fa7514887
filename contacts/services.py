"""Writes to agreements, check-ins and promises: one path for pages, the API and commands."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from alerts.services import raise_breach_alert
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import CaseStatus
from cases.dates import (
    day_words,
    past_day_problem,
    past_moment_problem,
    planned_day_problem,
    planned_moment_problem,
)
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


class _Errors:
    """Collects every refused field so the user can mend them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def add_problem(self, field: str, problem: str | None) -> None:
        if problem is not None:
            self.add(field, problem)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


class AgreementChanged(ValidationError):
    """The agreement was changed after the form recording a new version was opened.

    Raised instead of silently overwriting the newer version: the person is shown what
    changed and decides again.
    """

    def __init__(self, *, based_on: int, current: int) -> None:
        self.based_on = based_on
        self.current = current
        seen = f"version {based_on}" if based_on else "no agreement"
        super().__init__(
            f"The agreement changed while this form was open: it was based on {seen}, "
            f"and version {current} has been recorded since.",
            code="agreement_changed",
        )


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
    agreed_through: str = "",
    based_on_version: int | None = None,
    now: datetime | None = None,
) -> CommunicationAgreement:
    """Record what the victim agreed, as a new version superseding the current one.

    1. Check the user keeps this case's records, and lock the case.
    2. With ``based_on_version`` (the version a form showed; 0 for none), refuse with
       ``AgreementChanged`` if another version was recorded since: checked under the lock,
       so of two forms opened on the same version only the first is saved.
    3. Check every field, the dates against what the case can have.
    4. Supersede the current version, save the new one, and re-run the clock.
    """
    require_case_manager(acting_user, case)
    now = now or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    current = CommunicationAgreement.objects.filter(case=case, superseded_at__isnull=True).first()
    current_version = current.version if current is not None else 0
    if based_on_version is not None and based_on_version != current_version:
        raise AgreementChanged(based_on=based_on_version, current=current_version)
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
    today = timezone.localdate(now)
    agreed_problem = past_day_problem(
        agreed_on, noun="An agreement", opened_at=case.opened_at, today=today
    )
    errors.add_problem("agreed_on", agreed_problem)
    if review_by is not None and agreed_problem is None:
        errors.add_problem(
            "review_by",
            planned_day_problem(
                review_by,
                noun="The review date",
                not_before=agreed_on,
                not_before_words=f"the agreement was made ({day_words(agreed_on)})",
                today=today,
            ),
        )
    agreed_through = agreed_through.strip()
    if len(agreed_through) > CommunicationAgreement._meta.get_field("agreed_through").max_length:
        errors.add("agreed_through", "Say through whom in 300 characters or fewer.")
    errors.raise_if_any()

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
        agreed_through=agreed_through,
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
    promise_description: str = "",
    promise_due_by: datetime | None = None,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Log one contact with the victim, reached or not, and any promise made in it.

    1. Check the user may log contacts on this case.
    2. Lock the case, so that the clock sees contacts in the order they were logged and a
       form sent twice (the same ``submission_key``) is saved once: the second sending
       gets the contact the first one saved.
    3. Check every field, the date against what the case can have.
    4. Save the check-in, recording how it broke the agreement, if it did, and the promise.
    5. Mark any key decisions it told the victim of, and re-run the clock.
    """
    now = now or timezone.now()
    # The access check and the lock are one query: the case is read, locked, only if the
    # user may see it.
    locked = (
        access.visible_cases(acting_user).select_for_update().filter(pk=case.pk).first()
        if access.may_log_contacts(acting_user.role)
        else None
    )
    if locked is None:
        raise PermissionDenied("You may not log contacts on this case.")
    case = locked
    if submission_key is not None:
        already = CheckIn.objects.filter(submission_key=submission_key).first()
        if already is not None:
            if already.case_id != case.pk:
                raise ValidationError({"submission_key": ["This form belongs to another case."]})
            return already
    errors = _Errors()
    if case.status == CaseStatus.CLOSED:
        errors.add("case", f"Case {case.reference} is closed; reopen it to log a contact.")
    errors.add_problem(
        "at", past_moment_problem(at, noun="A contact", opened_at=case.opened_at, now=now)
    )
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
    told_ids = set(events_told)
    events = list(CaseEvent.objects.filter(case=case, pk__in=told_ids, is_key_decision=True))
    if len(events) != len(told_ids):
        errors.add("events_told", "Only this case's key decisions can be marked as told.")
    if events and outcome not in TWO_WAY_OUTCOMES:
        errors.add("events_told", "A key decision is told in a contact that reached the victim.")
    promised = bool(promise_description.strip()) or promise_due_by is not None
    if promised:
        if not access.may_manage_cases(acting_user.role):
            errors.add("promise_description", "Promises are recorded by the navigation team.")
        _check_promise(
            errors,
            case=case,
            description=promise_description,
            due_by=promise_due_by,
            now=now,
            prefix="promise_",
        )
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
        submission_key=submission_key,
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
    if promised and promise_due_by is not None:  # both checked above
        save_as(
            Promise(
                case=case,
                made_in=checkin,
                made_by=acting_user,
                description=promise_description.strip(),
                due_by=promise_due_by,
            ),
            acting_user,
        )
    refresh_cases([case.pk], now=now, locked=[case])
    return checkin


def _check_promise(
    errors: _Errors,
    *,
    case: Case,
    description: str,
    due_by: datetime | None,
    now: datetime,
    prefix: str = "",
) -> None:
    if not description.strip():
        errors.add(f"{prefix}description", "Say what was promised.")
    elif len(description.strip()) > Promise._meta.get_field("description").max_length:
        errors.add(f"{prefix}description", "Say what was promised in 300 characters or fewer.")
    if due_by is None:
        errors.add(f"{prefix}due_by", "Say when the promise is due.")
    else:
        errors.add_problem(
            f"{prefix}due_by",
            planned_moment_problem(due_by, noun="A promise", opened_at=case.opened_at, now=now),
        )


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
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors = _Errors()
    _check_promise(errors, case=case, description=description, due_by=due_by, now=now)
    if made_in is not None and made_in.case_id != case.pk:
        errors.add("made_in", "The check-in belongs to another case.")
    errors.raise_if_any()
    promise = Promise(
        case=case,
        made_in=made_in,
        made_by=acting_user,
        description=description.strip(),
        due_by=due_by,
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
