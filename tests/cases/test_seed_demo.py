from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Role, Staff
from cases import access
from cases.choices import CaseStatus
from cases.models import Case, Victim
from contacts.models import CheckIn

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_a_fictional_dataset_once_and_prints_logins() -> None:
    first = seed()
    counts = (Victim.objects.count(), Case.objects.count(), CheckIn.objects.count())
    assert counts[0] == 50
    assert counts[2] > 200
    assert "nadia.demo" in first
    assert "password for all" in first

    second = seed()
    assert "already loaded" in second
    assert (Victim.objects.count(), Case.objects.count(), CheckIn.objects.count()) == counts


def test_seeded_people_each_see_what_their_role_allows() -> None:
    seed()
    for role in (Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.PARTNER_CASEWORKER):
        person = Staff.objects.filter(role=role, username__endswith=".demo").first()
        assert person is not None
        visible = access.visible_cases(person).count()
        assert 0 < visible < Case.objects.count(), role
    assert Case.objects.filter(status=CaseStatus.PAUSED).exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED).exists()
