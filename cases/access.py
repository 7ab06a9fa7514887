"""Who may see and change what: the one place that decides.

Every queryset reached from a page, the API, the admin or a task starts from
``visible_cases``. Field rules are pure functions (of the role, or of a partner's
share) so they can be tested as a table; ``case_fields`` is what templates and
serializers ask, and they never decide on their own.

- a navigator sees the cases they are the current navigator point of contact for;
- an officer sees the cases their own force investigates, with the points of
  contact and the agreement, but not the navigator's notes;
- a supervisor sees the cases of the navigators in their team;
- a partner caseworker (or their organisation's API key) sees only cases shared
  with their organisation, with the victim's recorded consent, while the share is
  in force, and only the fields the share covers (``share_fields``): never the
  notes or other free text;
- an administrator sees everything; anyone else sees nothing.

Handovers are seen by whoever sees their case (a partner only through a share covering
handovers) and by their receiver, who alone moves them on: the person named, their
supervisor, or, for a partner organisation, whoever acts for it. What the sender wrote for
the receiver (reason, needs and risks, the agreement's copy) is for the receiver and for
those who read the navigators' notes.

A partner administrator (a partner caseworker with ``Staff.is_partner_administrator``)
also manages their own organisation's API keys and webhook endpoints from the pages;
Navigator's administrators manage any partner's (``may_manage_partner_keys``,
``may_manage_webhooks``).

A supervisor oversees their team (the dashboard, giving alerts to a navigator, handing a
case to another navigator): ``team_of`` gives the active navigators of the team, or every
active navigator for an administrator.

The engagement report (counts of groups of cases, never a person) is for supervisors and
administrators, across every force, and for officers, for their own force only;
navigators and partners cannot open it.
"""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from cases.choices import EventKind, OrganisationKind, PocRole, SharePurpose, ShareScope
from cases.models import Case, CaseShare, PointOfContact, Victim
from handovers.choices import HandoverKind

ROLES_READING_NOTES = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.ADMIN})
ROLES_LOGGING_CONTACTS = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})
ROLES_MANAGING_CASES = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.ADMIN})
ROLES_SEEING_IDENTITY = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})
ROLES_SEEING_CASE_WORK = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})
ROLES_READING_THE_ENGAGEMENT_REPORT = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.OFFICER})


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


def may_hand_on_cases_of(user: Any, person: Any) -> bool:
    """Handing all of a navigator's cases on at once (they leave, or are away): their
    supervisor, or an administrator."""
    if not _is_active_user(user) or getattr(person, "role", None) != Role.NAVIGATOR:
        return False
    return user.role == Role.ADMIN or (
        user.role == Role.SUPERVISOR and person.supervisor_id == user.pk
    )


def may_see_event(role: str, kind: str) -> bool:
    """Case events: everyone who sees the case work; partners, the hard moments only."""
    return may_see_case_work(role) or (
        role == Role.PARTNER_CASEWORKER and kind in EVENTS_FOR_PARTNERS
    )


def may_prepare_victim(role: str) -> bool:
    """Going through an explainer with the victim, and recording it, is the navigation
    side's work (the same people who keep the case's events)."""
    return may_manage_cases(role)


def sees_explainers_given(fields: Iterable[str]) -> bool:
    """Which explainer a victim was given before an event goes with the event: whoever
    sees the case's events (staff by role, a partner whose share covers events) sees it,
    so the victim does not hear two different stories."""
    return CaseField.EVENTS in set(fields)


ROLES_KEEPING_OWN_DIRECTORY_ENTRIES = frozenset(
    {Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.PARTNER_CASEWORKER}
)


def may_read_directory(user: Any) -> bool:
    """The directory of specialist roles holds role contacts, never a victim's: every person
    signed in to the pages reads it (an organisation's API account does not)."""
    return _is_active_user(user) and not getattr(user, "is_service_account", False)


def may_keep_directory_entry(user: Any, organisation_id: int) -> bool:
    """Administrators keep every organisation's entries; the people of an organisation
    keep their own organisation's."""
    if not may_read_directory(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return (
        user.role in ROLES_KEEPING_OWN_DIRECTORY_ENTRIES
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def may_see_location(role: str, *, is_current_police_contact: bool) -> bool:
    """Where the victim lives: navigation staff, and the officer who is their point of contact."""
    if role in (Role.NAVIGATOR, Role.SUPERVISOR, Role.ADMIN):
        return True
    return role == Role.OFFICER and is_current_police_contact


class CaseField(StrEnum):
    """The parts of a case record, as the API and the pages name them."""

    REFERENCE = "reference"  # the case's pseudonymous reference
    VICTIM = "victim"  # the victim's pseudonymous reference
    STATUS = "status"
    POLICE_FORCE = "police_force"
    INVESTIGATION_STAGE = "investigation_stage"
    POINTS_OF_CONTACT = "points_of_contact"
    AGREEMENT = "agreement"  # the structured terms
    AGREEMENT_FREE_TEXT = "agreement_free_text"  # the notes written beside the terms
    EVENTS = "events"
    HANDOVERS = "handovers"
    PREFERRED_NAME = "preferred_name"
    LANGUAGE = "language"  # preferred language and whether an interpreter is needed
    LOCATION = "location"  # where the victim lives
    IDENTITY = "identity"  # full name, safe number, status reasons
    CONTACT_LOG = "contact_log"  # the contacts logged, without notes
    NOTES = "notes"  # the navigators' notes and partners' notes
    PARTNER_REPORTS = "partner_reports"  # what partners reported, without their notes


# Every share gives the pseudonymous references and whether the case is open:
# the notices a partner receives say as much.
SHARE_BASE_FIELDS = frozenset({CaseField.REFERENCE, CaseField.VICTIM, CaseField.STATUS})
SCOPE_FIELDS: dict[str, frozenset[CaseField]] = {
    ShareScope.PREFERRED_NAME: frozenset({CaseField.PREFERRED_NAME}),
    ShareScope.LANGUAGE: frozenset({CaseField.LANGUAGE}),
    ShareScope.POINTS_OF_CONTACT: frozenset({CaseField.POINTS_OF_CONTACT, CaseField.POLICE_FORCE}),
    ShareScope.AGREEMENT: frozenset({CaseField.AGREEMENT}),
    ShareScope.EVENTS: frozenset({CaseField.EVENTS}),
    ShareScope.HANDOVERS: frozenset({CaseField.HANDOVERS}),
    ShareScope.LOCATION: frozenset({CaseField.LOCATION}),
}
STAFF_FIELDS = frozenset(
    {
        CaseField.REFERENCE,
        CaseField.VICTIM,
        CaseField.STATUS,
        CaseField.POLICE_FORCE,
        CaseField.INVESTIGATION_STAGE,
        CaseField.POINTS_OF_CONTACT,
        CaseField.AGREEMENT,
        CaseField.EVENTS,
        CaseField.HANDOVERS,
        CaseField.CONTACT_LOG,
        CaseField.PARTNER_REPORTS,
    }
)
IDENTITY_FIELDS = frozenset(
    {
        CaseField.IDENTITY,
        CaseField.PREFERRED_NAME,
        CaseField.LANGUAGE,
        CaseField.AGREEMENT_FREE_TEXT,
    }
)


def share_covers(part: str, *, covers: Iterable[str], purpose: str) -> bool:
    """Whether a share covers ``part`` (a ShareScope): the location only ever for an
    accommodation provider, whatever ``covers`` says."""
    if part == ShareScope.LOCATION and purpose != SharePurpose.ACCOMMODATION:
        return False
    return part in set(covers)


def share_fields(*, covers: Iterable[str], purpose: str) -> frozenset[CaseField]:
    """The case fields a partner's share gives: the one rule serializers and pages ask.

    The pseudonymous references and the status always; then each part the share
    covers (``SCOPE_FIELDS``). No part gives notes or other free text, names other
    than the preferred name, or (unless the share is for the accommodation
    provider) where the victim lives.
    """
    covered = set(covers)
    fields = set(SHARE_BASE_FIELDS)
    for part, part_fields in SCOPE_FIELDS.items():
        if share_covers(part, covers=covered, purpose=purpose):
            fields |= part_fields
    return frozenset(fields)


def role_fields(role: str, *, is_current_police_contact: bool = False) -> frozenset[CaseField]:
    """The case fields staff see by role (partners see by share: ``share_fields``)."""
    if role not in ROLES_SEEING_IDENTITY:
        return frozenset()
    fields = set(STAFF_FIELDS)
    if may_see_identity(role):
        fields |= IDENTITY_FIELDS
    if may_read_notes(role):
        fields.add(CaseField.NOTES)
    if may_see_location(role, is_current_police_contact=is_current_police_contact):
        fields.add(CaseField.LOCATION)
    return frozenset(fields)


def partner_share(user: Any, case: Case, *, now: datetime | None = None) -> CaseShare | None:
    """The share in force through which ``user``'s organisation sees ``case``, if any.

    Uses ``case.partner_shares`` when a selector prefetched it for this user.
    """
    if getattr(user, "role", None) != Role.PARTNER_CASEWORKER or user.organisation_id is None:
        return None
    now = now or timezone.now()
    shares = getattr(case, "partner_shares", None)
    if shares is None:
        shares = list(
            CaseShare.objects.in_force(now).filter(case=case, organisation_id=user.organisation_id)
        )
    return next(
        (s for s in shares if s.organisation_id == user.organisation_id and s.is_in_force(now)),
        None,
    )


def case_fields(user: Any, case: Case, *, now: datetime | None = None) -> frozenset[CaseField]:
    """What ``user`` may see of ``case``, a case ``visible_cases`` already gave them."""
    if not _is_active_user(user):
        return frozenset()
    if user.role == Role.PARTNER_CASEWORKER:
        share = partner_share(user, case, now=now)
        if share is None:
            return frozenset()
        return share_fields(covers=share.covers, purpose=share.purpose)
    return role_fields(
        user.role,
        is_current_police_contact=user.role == Role.OFFICER
        and is_current_police_contact(user, case),
    )


ROLES_OVERSEEING_TEAMS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def may_oversee_team(role: str) -> bool:
    """The dashboard, giving alerts to a navigator and handing cases on from it: the
    supervisors for their team, the administrators for every navigator."""
    return role in ROLES_OVERSEEING_TEAMS


def team_of(user: Any) -> QuerySet[Staff]:
    """The active navigators whose caseloads ``user`` oversees: a supervisor's team, every
    navigator for an administrator, nobody for anyone else."""
    navigators = Staff.objects.filter(role=Role.NAVIGATOR, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    if not _is_active_user(user) or not may_oversee_team(user.role):
        return navigators.none()
    if user.role == Role.SUPERVISOR:
        return navigators.filter(supervisor=user)
    return navigators


def may_read_engagement_report(role: str) -> bool:
    return role in ROLES_READING_THE_ENGAGEMENT_REPORT


def engagement_report_forces(user: Any) -> QuerySet[Organisation]:
    """The police forces whose figures ``user`` may see in the engagement report."""
    forces = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE)
    if not _is_active_user(user) or not may_read_engagement_report(user.role):
        return forces.none()
    if user.role == Role.OFFICER:
        return forces.filter(pk=user.organisation_id)
    return forces


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _current_navigator_cases(person_filter: dict[str, Any]) -> Exists:
    return Exists(
        PointOfContact.objects.filter(
            case=OuterRef("pk"), role=PocRole.NAVIGATOR, ended_at__isnull=True, **person_filter
        )
    )


def visible_cases(user: Any, *, now: datetime | None = None) -> QuerySet[Case]:
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
        # Compared with now at every request: a share revoked or run out stops at once.
        return cases.filter(
            Exists(
                CaseShare.objects.in_force(now or timezone.now()).filter(
                    case=OuterRef("pk"), organisation_id=user.organisation_id
                )
            )
        )
    return cases.none()


def visible_victims(user: Any) -> QuerySet[Victim]:
    return Victim.objects.filter(Exists(visible_cases(user).filter(victim=OuterRef("pk"))))


def is_current_police_contact(user: Any, case: Case) -> bool:
    current = getattr(case, "current_contacts", None)  # prefetched by the selectors
    if current is not None:
        return any(p.role == PocRole.POLICE and p.person_id == user.pk for p in current)
    return PointOfContact.objects.filter(
        case=case, role=PocRole.POLICE, person=user, ended_at__isnull=True
    ).exists()


def can_see_location(user: Any, case: Case) -> bool:
    if not _is_active_user(user) or not visible_cases(user).filter(pk=case.pk).exists():
        return False
    return CaseField.LOCATION in case_fields(user, case)


def partner_organisation_id(user: Any) -> int | None:
    """The organisation ``user`` acts for as a partner (a caseworker or an API key)."""
    if _is_active_user(user) and user.role == Role.PARTNER_CASEWORKER:
        return user.organisation_id  # type: ignore[no-any-return]
    return None


def is_handover_receiver(
    *,
    role: str,
    user_id: int,
    organisation_id: int | None,
    to_organisation_id: int,
    to_person_id: int | None,
    to_person_supervisor_id: int | None,
) -> bool:
    """Whether a person may acknowledge, accept or decline a handover addressed so.

    The person named, or their supervisor (when they are away); a partner organisation acts
    as a whole (its caseworkers and its API key); a police force with nobody named, through
    any of its officers; a navigator service with nobody named, through its supervisors.
    """
    if to_person_id is not None and to_person_id == user_id:
        return True
    if role == Role.SUPERVISOR and to_person_supervisor_id == user_id:
        return True
    if organisation_id is None or organisation_id != to_organisation_id:
        return False
    if role == Role.PARTNER_CASEWORKER:
        return True
    return role in (Role.OFFICER, Role.SUPERVISOR) and to_person_id is None


def receives_handover(user: Any, handover: Any) -> bool:
    """``is_handover_receiver`` for ``user`` and a Handover (its ``to_person`` loaded)."""
    if not _is_active_user(user):
        return False
    to_person = handover.to_person
    return is_handover_receiver(
        role=user.role,
        user_id=user.pk,
        organisation_id=user.organisation_id,
        to_organisation_id=handover.to_organisation_id,
        to_person_id=handover.to_person_id,
        to_person_supervisor_id=to_person.supervisor_id if to_person is not None else None,
    )


def may_read_handover_details(role: str, *, is_receiver: bool) -> bool:
    """The reason, the needs and risks and the agreement's copy were written for the
    receiver; beside them, only those who read the navigators' notes read them."""
    return is_receiver or may_read_notes(role)


def handovers_addressed_to(user: Any) -> Q:
    """A filter on handovers: those ``user`` is the receiver of (``is_handover_receiver``)."""
    if not _is_active_user(user):
        return Q(pk__in=[])
    addressed = Q(to_person_id=user.pk)
    if user.role == Role.SUPERVISOR:
        addressed |= Q(to_person__supervisor_id=user.pk)
    if user.organisation_id is not None:
        if user.role == Role.PARTNER_CASEWORKER:
            addressed |= Q(to_organisation_id=user.organisation_id)
        elif user.role in (Role.OFFICER, Role.SUPERVISOR):
            addressed |= Q(to_organisation_id=user.organisation_id, to_person__isnull=True)
    return addressed


def sees_handover_people(user: Any, *, is_receiver: bool = False) -> bool:
    """Whether ``user`` sees who sent, received and moved on a handover, or only which
    organisations: a partner not receiving it sees organisations, never people."""
    return is_receiver or partner_organisation_id(user) is None


def share_covers_handover(kind: str, *, covers: Iterable[str], purpose: str) -> bool:
    """Whether a partner's share shows it a handover of ``kind`` addressed to someone else.

    A share covering handovers shows them all, by organisation, but one: a move to other
    accommodation names who now houses the victim, near enough where they live, so it is
    shown only with a share that gives the location (an accommodation provider's).
    """
    if not share_covers(ShareScope.HANDOVERS, covers=covers, purpose=purpose):
        return False
    return kind != HandoverKind.ACCOMMODATION_MOVE or share_covers(
        ShareScope.LOCATION, covers=covers, purpose=purpose
    )


def visible_handovers(user: Any, *, now: datetime | None = None) -> Q:
    """A filter on handovers: those ``user`` may see (addressed to them, or on a case they
    see with handovers among its fields)."""
    if not _is_active_user(user):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    addressed = handovers_addressed_to(user)
    if user.role == Role.PARTNER_CASEWORKER and user.organisation_id is not None:
        shares = CaseShare.objects.in_force(now or timezone.now()).filter(
            organisation_id=user.organisation_id
        )
        every_kind, all_but_moves = [], []
        for case_id, covers, purpose in shares.values_list("case_id", "covers", "purpose"):
            if share_covers_handover(
                HandoverKind.ACCOMMODATION_MOVE, covers=covers, purpose=purpose
            ):
                every_kind.append(case_id)
            elif share_covers(ShareScope.HANDOVERS, covers=covers, purpose=purpose):
                all_but_moves.append(case_id)
        return (
            addressed
            | Q(case_id__in=every_kind)
            | (Q(case_id__in=all_but_moves) & ~Q(kind=HandoverKind.ACCOMMODATION_MOVE))
        )
    if CaseField.HANDOVERS in role_fields(user.role):
        return addressed | Q(case__in=visible_cases(user, now=now))
    return addressed


def signed_in_partner_organisation_id(user: Any) -> int | None:
    """The organisation a person signed in to the pages works for as a partner caseworker:
    as ``partner_organisation_id``, but never an organisation's API account."""
    if getattr(user, "is_service_account", False):
        return None
    return partner_organisation_id(user)


def is_partner_administrator(user: Any) -> bool:
    """A partner caseworker who manages their organisation's keys and webhook endpoints."""
    return signed_in_partner_organisation_id(user) is not None and bool(
        getattr(user, "is_partner_administrator", False)
    )


def may_manage_partner_keys(user: Any, organisation_id: int) -> bool:
    """Issuing, rotating and revoking an organisation's API keys: Navigator's
    administrators for any organisation, a partner administrator for their own."""
    if not _is_active_user(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return is_partner_administrator(user) and user.organisation_id == organisation_id


def webhook_organisation_id(user: Any) -> int | None:
    """The organisation whose webhook endpoints ``user`` manages through the API: a request
    made with the organisation's API key (its API account). The API stays key-only: a
    partner administrator manages the same endpoints from the pages
    (``webhook_page_organisation_id``), and Navigator's administrators manage every
    organisation's in the admin (``may_manage_any_webhooks``)."""
    organisation_id = partner_organisation_id(user)
    if organisation_id is not None and getattr(user, "is_service_account", False):
        return organisation_id
    return None


def webhook_page_organisation_id(user: Any) -> int | None:
    """The organisation whose webhook endpoints ``user`` manages from the pages: a partner
    administrator's own. Anyone else has none (their pages are refused)."""
    if is_partner_administrator(user):
        return user.organisation_id  # type: ignore[no-any-return]
    return None


def may_manage_webhooks(user: Any, organisation_id: int) -> bool:
    """Registering, changing, rotating, removing an organisation's webhook endpoints and
    redelivering to them: its API key and its partner administrators for their own,
    Navigator's administrators for any."""
    if may_manage_any_webhooks(user):
        return True
    return organisation_id in (webhook_organisation_id(user), webhook_page_organisation_id(user))


def may_manage_any_webhooks(user: Any) -> bool:
    return _is_active_user(user) and user.role == Role.ADMIN
