"""Named personas for access tests: who each is, and what they should see.

- nadia: navigator, current navigator on case_a (force A, shared with the Haven NGO)
- noah: navigator in the same team, assigned to case_b (force B)
- sam: supervisor of nadia and noah
- sue: a supervisor with an empty team
- olive: officer of force A (police point of contact on case_a)
- omar: another officer of force A, not a point of contact
- oscar: officer of force B
- pat: caseworker at Haven, with which case_a is shared
- pia: caseworker at another NGO, with nothing shared
- ada: administrator
- nemo: a navigator with no cases, who should see nothing
"""

from dataclasses import dataclass

import pytest

from accounts.models import Organisation, Role, Staff
from cases.choices import OrganisationKind, PocRole
from cases.models import Case
from tests.factories import (
    CaseFactory,
    CaseShareFactory,
    OrganisationFactory,
    PointOfContactFactory,
    StaffFactory,
)


@dataclass
class World:
    force_a: Organisation
    force_b: Organisation
    haven: Organisation
    other_ngo: Organisation
    nadia: Staff
    noah: Staff
    sam: Staff
    sue: Staff
    olive: Staff
    omar: Staff
    oscar: Staff
    pat: Staff
    pia: Staff
    ada: Staff
    nemo: Staff
    case_a: Case
    case_b: Case


@pytest.fixture
def world(db: None) -> World:
    service = OrganisationFactory(name="North Navigators", kind=OrganisationKind.NAVIGATOR_SERVICE)
    force_a = OrganisationFactory(name="Force A", kind=OrganisationKind.POLICE_FORCE)
    force_b = OrganisationFactory(name="Force B", kind=OrganisationKind.POLICE_FORCE)
    haven = OrganisationFactory(name="Haven", kind=OrganisationKind.SUPPORT_NGO)
    other_ngo = OrganisationFactory(name="Elsewhere Trust", kind=OrganisationKind.SUPPORT_NGO)

    def staff(
        username: str, role: Role, organisation: Organisation | None, **extra: object
    ) -> Staff:
        return StaffFactory(username=username, role=role, organisation=organisation, **extra)

    sam = staff("sam", Role.SUPERVISOR, service)
    nadia = staff("nadia", Role.NAVIGATOR, service, supervisor=sam, caseload_capacity=12)
    noah = staff("noah", Role.NAVIGATOR, service, supervisor=sam)
    people = {
        "sue": staff("sue", Role.SUPERVISOR, service),
        "olive": staff("olive", Role.OFFICER, force_a),
        "omar": staff("omar", Role.OFFICER, force_a),
        "oscar": staff("oscar", Role.OFFICER, force_b),
        "pat": staff("pat", Role.PARTNER_CASEWORKER, haven),
        "pia": staff("pia", Role.PARTNER_CASEWORKER, other_ngo),
        "ada": staff("ada", Role.ADMIN, None, is_staff=True, is_superuser=True),
        "nemo": staff("nemo", Role.NAVIGATOR, service),
    }
    case_a = CaseFactory(police_force=force_a)
    case_b = CaseFactory(police_force=force_b)
    PointOfContactFactory(case=case_a, role=PocRole.NAVIGATOR, person=nadia)
    PointOfContactFactory(case=case_a, role=PocRole.POLICE, person=people["olive"])
    PointOfContactFactory(case=case_b, role=PocRole.NAVIGATOR, person=noah)
    CaseShareFactory(case=case_a, organisation=haven, shared_by=nadia)
    return World(
        force_a=force_a,
        force_b=force_b,
        haven=haven,
        other_ngo=other_ngo,
        nadia=nadia,
        noah=noah,
        sam=sam,
        case_a=case_a,
        case_b=case_b,
        **people,  # type: ignore[arg-type]
    )
