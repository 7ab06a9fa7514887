"""Who may see and change what: the one place that decides.

Every queryset reached from a page, the API, the admin or a task starts from
``visible_cases``. Field rules are pure functions of the role so they can be
tested as a table and reused by templates and serializers alike.

- a navigator sees the cases they are the current navigator point of contact for;
- an officer sees the cases their own force investigates, with the points of
  contact and the agreement, but not the navigator's notes;
- a supervisor sees the cases of the navigators in their team;
- a partner caseworker sees only cases shared with their organisation, with
  the victim's recorded consent, and not the notes;
- an administrator sees everything; anyone else sees nothing.
"""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Role
from cases.choices import EventKind, PocRole
from cases.models import Case, CaseShare, PointOfContact, Victim

ROLES_READING_NOTES = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.ADMIN})
ROLES_LOGGING_CONTACTS = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})
ROLES_MANAGING_CASES = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.ADMIN})
ROLES_SEEING_IDENTITY = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})
ROLES_SEEING_CASE_WORK = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})


def may_read_notes(role: str) -> bool:
    """The navigator's notes are theirs and their supervisor's, never the police's."""
    return role in ROLES_READING_NOTES


def may_log_contacts(role: str) -> bool:
    return role in ROLES_LOGGING_CONTACTS


def may_manage_cases(role: str) -> bool:
    """Agreements, points of contact, promises and events are kept by the navigation side."""
    return role in ROLES_MANAGING_CASES


def may_see_identity(role: str) -> bool:
    """Partners work from the pseudonymous reference and what was shared with consent."""
    return role in ROLES_SEEING_IDENTITY


def may_see_case_work(role: str) -> bool:
    """The day-to-day record of a case (contacts without their notes, alerts, promises,
    scores, engagement measures) and the pages built on it (Today, the alert queue): the
    police and the navigation side. Partners see what a share gives them, not this."""
    return role in ROLES_SEEING_CASE_WORK


# The hard moments partners are told of in advance (alerts.periodic's notices), so they can
# be there for the victim. Other events (an arrest, a relocation) are not theirs to see.
EVENTS_FOR_PARTNERS = frozenset(
    {
        EventKind.INTERVIEW,
        EventKind.COURT_HEARING,
        EventKind.CHARGING_DECISION,
        EventKind.NRM_DECISION,
    }
)


def may_see_event(role: str, kind: str) -> bool:
    """Case events: everyone who sees the case work; partners, the hard moments only."""
    return may_see_case_work(role) or (
        role == Role.PARTNER_CASEWORKER and kind in EVENTS_FOR_PARTNERS
    )


def may_see_location(role: str, *, is_current_police_contact: bool) -> bool:
    """Where the victim lives: navigation staff, and the officer who is their point of contact."""
    if role in (Role.NAVIGATOR, Role.SUPERVISOR, Role.ADMIN):
        return True
    return role == Role.OFFICER and is_current_police_contact


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _current_navigator_cases(person_filter: dict[str, Any]) -> Exists:
    return Exists(
        PointOfContact.objects.filter(
            case=OuterRef("pk"), role=PocRole.NAVIGATOR, ended_at__isnull=True, **person_filter
        )
    )


def visible_cases(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may see; an empty queryset for anyone without a rule."""
    cases = Case.objects.all()
    if not _is_active_user(user):
        return cases.none()
    role = user.role
    if role == Role.ADMIN:
        return cases
    if role == Role.NAVIGATOR:
        return cases.filter(_current_navigator_cases({"person": user}))
    if role == Role.SUPERVISOR:
        return cases.filter(_current_navigator_cases({"person__supervisor": user}))
    if role == Role.OFFICER and user.organisation_id is not None:
        return cases.filter(police_force_id=user.organisation_id)
    if role == Role.PARTNER_CASEWORKER and user.organisation_id is not None:
        return cases.filter(
            Exists(
                CaseShare.objects.filter(
                    case=OuterRef("pk"),
                    organisation_id=user.organisation_id,
                    revoked_at__isnull=True,
                )
            )
        )
    return cases.none()


def visible_victims(user: Any) -> QuerySet[Victim]:
    return Victim.objects.filter(Exists(visible_cases(user).filter(victim=OuterRef("pk"))))


def is_current_police_contact(user: Any, case: Case) -> bool:
    return PointOfContact.objects.filter(
        case=case, role=PocRole.POLICE, person=user, ended_at__isnull=True
    ).exists()


def can_see_location(user: Any, case: Case) -> bool:
    if not _is_active_user(user) or not visible_cases(user).filter(pk=case.pk).exists():
        return False
    return may_see_location(
        user.role,
        is_current_police_contact=user.role == Role.OFFICER
        and is_current_police_contact(user, case),
    )
