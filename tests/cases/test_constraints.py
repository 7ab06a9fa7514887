"""Invariants the database itself refuses to break, whatever the code above it does."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.choices import CaseStatus, NrmDecision, PocRole
from contacts.models import CheckIn
from tests.factories import (
    AgreementFactory,
    CaseFactory,
    CheckInFactory,
    PointOfContactFactory,
    PromiseFactory,
    VictimFactory,
)
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_database_refuses_a_second_current_point_of_contact_for_a_role(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PointOfContactFactory(case=world.case_a, role=PocRole.NAVIGATOR, person=world.noah)


def test_a_past_point_of_contact_and_other_roles_may_coexist(world: World) -> None:
    PointOfContactFactory(
        case=world.case_a,
        role=PocRole.NAVIGATOR,
        person=world.noah,
        started_at=timezone.now() - dt.timedelta(days=90),
        ended_at=timezone.now() - dt.timedelta(days=31),
    )
    assert world.case_a.points_of_contact.filter(role=PocRole.NAVIGATOR).count() == 2


def test_database_refuses_a_second_current_agreement(world: World) -> None:
    AgreementFactory(case=world.case_a, version=1, created_by=world.nadia)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(case=world.case_a, version=2, created_by=world.nadia)


@pytest.mark.parametrize("interval", [0])
def test_database_refuses_an_agreement_interval_of_zero(world: World, interval: int) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(case=world.case_a, update_interval_days=interval, created_by=world.nadia)


@pytest.mark.parametrize("field", ["wellbeing", "trust"])
@pytest.mark.parametrize("score", [0, 6])
def test_database_refuses_scores_outside_one_to_five(world: World, field: str, score: int) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInFactory(case=world.case_a, by=world.nadia, **{field: score})
    assert not CheckIn.objects.exists()


def test_database_refuses_a_closed_case_without_a_reason(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(status=CaseStatus.CLOSED, status_reason="")


def test_database_refuses_a_victim_with_neither_birth_date_nor_age_band(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        VictimFactory(age_band="", date_of_birth=None)


def test_database_refuses_an_undated_or_out_of_order_nrm_decision(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(rg_decision=NrmDecision.POSITIVE, rg_decided_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(
            rg_decision=NrmDecision.NEGATIVE,
            rg_decided_on=dt.date(2026, 1, 5),
            cg_decision=NrmDecision.POSITIVE,
            cg_decided_on=dt.date(2026, 3, 5),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(
            rg_decision=NrmDecision.POSITIVE,
            rg_decided_on=dt.date(2026, 3, 5),
            cg_decision=NrmDecision.POSITIVE,
            cg_decided_on=dt.date(2026, 1, 5),
        )


def test_database_refuses_an_open_promise_with_a_resolution_time(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PromiseFactory(case=world.case_a, made_by=world.nadia, resolved_at=timezone.now())


def test_every_case_change_is_kept_with_who_made_it(world: World) -> None:
    from cases.services import set_case_status

    set_case_status(
        case=world.case_a,
        status=CaseStatus.PAUSED,
        reason="Victim asked for a break over Eid",
        acting_user=world.nadia,
    )
    latest = world.case_a.history.first()
    assert latest.status == CaseStatus.PAUSED
    assert latest.history_user == world.nadia
