"""Reading the engagement report, as the access rules allow."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import Organisation, Role
from cases import access
from engagement.counting import Period
from engagement.report import CohortChoice, Report, make_report
from navigator.errors import PermissionDenied

ALL_FORCES = "All forces"


def engagement_report(
    user: Any,
    *,
    cohorts: CohortChoice,
    force: Organisation | None,
    period: Period,
    now: datetime | None = None,
) -> Report:
    """The report for ``force`` (None: every force ``user`` may see), or PermissionDenied.

    Officers see their own force's figures only; supervisors and administrators any
    force's, or all together; anyone else nothing (cases.access).
    """
    allowed = access.engagement_report_forces(user)
    if force is None and user.is_authenticated and user.role == Role.OFFICER:
        force = allowed.first()
        if force is None:
            raise PermissionDenied("You may not read the engagement report.")
    if not allowed.exists() or (force is not None and not allowed.filter(pk=force.pk).exists()):
        raise PermissionDenied("You may not read the engagement report for this force.")
    return report_for_operator(cohorts=cohorts, force=force, period=period, now=now)


def report_for_operator(
    *,
    cohorts: CohortChoice,
    force: Organisation | None,
    period: Period,
    now: datetime | None = None,
) -> Report:
    """The report with no one's access applied: for the command line, run by an operator."""
    return make_report(
        cohorts=cohorts,
        force_ids=None if force is None else [force.pk],
        force_name=ALL_FORCES if force is None else force.name,
        period=period,
        minimum=settings.ENGAGEMENT_REPORT_MIN_COUNT,
        now=now or timezone.now(),
    )
