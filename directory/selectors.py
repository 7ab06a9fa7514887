"""Reads of the directory: whom to involve on a case with how to reach them, and the
directory's pages."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.models import Organisation
from cases import access
from cases.choices import PocRole
from cases.models import Case, CaseEvent
from directory import rules
from directory.choices import SpecialistRole
from directory.models import DirectoryEntry

# Roles a case already has a point of contact in: that person comes first.
POC_ROLES = {
    SpecialistRole.VICTIM_NAVIGATOR: PocRole.NAVIGATOR,
    SpecialistRole.NGO_CASEWORKER: PocRole.NGO_CASEWORKER,
}


@dataclass(frozen=True)
class Involve:
    """One piece of advice, with the directory entries for each role it names."""

    reason: str
    # Each role with its directory entries and the case's current points of contact in it.
    roles: list[tuple[SpecialistRole, list[DirectoryEntry], list[Any]]]


def whom_to_involve(
    case: Case, events: Sequence[CaseEvent], *, interpreter_needed: bool
) -> list[Involve]:
    """The advice for ``case``'s coming ``events`` (already scoped for the reader), with the
    entries of the case's force for police roles and of the organisations already working
    with the victim (its points of contact's) for the others: one query.

    Reads ``case.current_contacts`` (with each person) as the case selectors prefetch it.
    """
    advice = rules.advice_for(
        event_kinds=[e.kind for e in events],
        investigation_stage=case.investigation_stage,
        interpreter_needed=interpreter_needed,
    )
    if not advice:
        return []
    working = {
        poc.person.organisation_id
        for poc in getattr(case, "current_contacts", [])
        if poc.person.organisation_id is not None
    }
    roles = {role for a in advice for role in a.roles}
    entries = list(
        DirectoryEntry.objects.filter(
            is_active=True,
            role__in=roles,
            organisation_id__in={case.police_force_id, *working},
        ).select_related("organisation")
    )

    def of(role: SpecialistRole) -> list[DirectoryEntry]:
        if role in rules.POLICE_ROLES:
            return [
                e for e in entries if e.role == role and e.organisation_id == case.police_force_id
            ]
        return [e for e in entries if e.role == role and e.organisation_id in working]

    def people(role: SpecialistRole) -> list[Any]:
        poc_role = POC_ROLES.get(role)
        return [poc.person for poc in getattr(case, "current_contacts", []) if poc.role == poc_role]

    return [Involve(a.reason, [(role, of(role), people(role)) for role in a.roles]) for a in advice]


def organisations_listed() -> QuerySet[Organisation]:
    """Organisations with active entries, for the directory's filter."""
    return (
        Organisation.objects.filter(directory_entries__is_active=True).distinct().order_by("name")
    )


def entries(user: Any, *, organisation_id: int | None = None) -> list[DirectoryEntry]:
    """The directory, by organisation and role: the active entries, and the inactive ones
    of the organisations ``user`` keeps (to switch them back on). One query."""
    found = DirectoryEntry.objects.select_related("organisation").order_by(
        "organisation__name", "role", "title"
    )
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    return [
        e for e in found if e.is_active or access.may_keep_directory_entry(user, e.organisation_id)
    ]
