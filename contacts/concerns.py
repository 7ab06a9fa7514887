"""Responding to a concern the victim raised: a fear needs an answer within hours."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction

from alerts.sweep import refresh_cases
from cases.dates import past_moment_problem
from cases.models import Case
from cases.services import moment_of, require_case_manager, saved_before
from contacts.models import CheckIn, ConcernResponse
from navigator.errors import field_error
from navigator.history import save_as


@transaction.atomic
def respond_to_concern(
    *,
    checkin: CheckIn,
    concern: str,
    action: str,
    acting_user: Any,
    at: datetime | None = None,
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> ConcernResponse:
    """Log what was done about a concern raised in ``checkin`` (the safety plan updated, say).

    A form sent twice (the same ``submission_key``) records one response.
    """
    require_case_manager(acting_user, checkin.case)
    now = moment_of(now)
    at = at or now
    Case.objects.filter(pk=checkin.case_id).lock()
    already = saved_before(
        ConcernResponse, submission_key, case=checkin.case, case_path="checkin__case"
    )
    if already is not None:
        return already
    if concern not in checkin.concerns:
        raise field_error("concern", "That concern was not raised in this contact.")
    if not action.strip():
        raise field_error("action", "Say what was done about the concern.")
    problem = past_moment_problem(at, noun="A response", opened_at=checkin.case.opened_at, now=now)
    if problem is None and at < checkin.at:
        problem = "A response comes after the concern was raised."
    if problem is not None:
        raise field_error("at", problem)
    response = ConcernResponse(
        checkin=checkin,
        concern=concern,
        action=action.strip(),
        by=acting_user,
        at=at,
        submission_key=submission_key,
    )
    save_as(response, acting_user)
    refresh_cases([checkin.case_id], now=now)
    return response
