"""Reads of contacts, scoped by the access rules."""

from typing import Any

from django.db.models import QuerySet

from cases import access
from cases.models import Case
from contacts.models import CheckIn


def checkins_visible_to(user: Any) -> QuerySet[CheckIn]:
    """Check-ins on visible cases; the notes are left behind for roles that may not read them."""
    checkins = CheckIn.objects.filter(case__in=access.visible_cases(user)).select_related("by")
    if not access.may_read_notes(getattr(user, "role", "")):
        checkins = checkins.defer("notes")
    return checkins


def recent_checkins(user: Any, case: Case, limit: int = 20) -> list[CheckIn]:
    return list(checkins_visible_to(user).filter(case=case).order_by("-at")[:limit])
