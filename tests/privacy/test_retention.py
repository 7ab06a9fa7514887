"""Retention: closed cases past the period are anonymised, history included, and leave
a record of what was removed."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import models
from django.utils import timezone

from alerts.models import Alert, Reminder
from audit.models import RemovalKind, RemovalRecord
from cases.choices import AgeBand, CaseStatus
from cases.models import Case, ImportantDate, Victim, VictimLocation
from cases.services import set_case_status
from contacts.models import CheckIn, ConcernResponse, Promise
from navigator.errors import ValidationError
from privacy import retention
from privacy.records import record_models
from privacy.retention import (
    KEPT,
    REMOVED,
    age_band_on,
    anonymise_after,
    anonymise_closed_cases,
)
from tests.personas import World
from tests.records import IDENTIFYING, SECRETS, build_a_full_record, tables_containing

SIX_YEARS = 6 * 365


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (date(2010, 6, 1), date(2026, 5, 31), AgeBand.UNDER_18),
        (date(2008, 6, 1), date(2026, 6, 1), AgeBand.AGE_18_24),  # the 18th birthday
        (date(2001, 6, 2), date(2026, 6, 1), AgeBand.AGE_18_24),
        (date(1990, 1, 1), date(2026, 1, 1), AgeBand.AGE_35_44),
        (date(1950, 1, 1), date(2026, 1, 1), AgeBand.AGE_65_PLUS),
    ],
)
def test_the_age_band_kept_when_the_date_of_birth_goes(born: date, on: date, band: str) -> None:
    assert age_band_on(born, on) == band


def test_a_case_is_due_the_configured_number_of_days_after_it_closed() -> None:
    closed = datetime(2020, 3, 1, 12, tzinfo=UTC)
    assert anonymise_after(closed, retention_days=10) == datetime(2020, 3, 11, 12, tzinfo=UTC)


def text_fields(model: type[models.Model]) -> set[str]:
    return {
        f.name
        for f in model._meta.concrete_fields
        if (isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices)
        or (isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField))
    }


def test_every_field_that_could_say_who_or_where_is_either_removed_or_kept_for_a_reason() -> None:
    # A model or field added to a victim's record fails here until retention decides on it.
    deleted = {*retention.VICTIM_DELETED, *retention.CASE_RECORD_DELETED}
    for model in record_models():
        label = model._meta.label
        if label in deleted:
            continue
        cleared = retention.CASE_RECORD_CLEARED.get(label, {})
        if label == "cases.Victim":
            cleared = retention.VICTIM_CLEARED
        decided = set(cleared) | set(KEPT.get(label, {}))
        assert text_fields(model) <= decided, (label, text_fields(model) - decided)


def close(case: Case, world: World, at: datetime) -> None:
    set_case_status(
        case=case, status=CaseStatus.CLOSED, reason="Concluded", acting_user=world.ada, now=at
    )


@pytest.mark.django_db
def test_closing_starts_the_retention_period_and_reopening_stops_it(world: World) -> None:
    case = world.case_a
    first = timezone.now() - timedelta(days=3)
    close(case, world, first)
    case.refresh_from_db()
    assert case.closed_at == first
    close(case, world, first + timedelta(days=1))  # the reason corrected: the clock runs on
    case.refresh_from_db()
    assert case.closed_at == first
    set_case_status(case=case, status=CaseStatus.OPEN, reason="", acting_user=world.ada)
    case.refresh_from_db()
    assert case.closed_at is None


@pytest.mark.django_db
def test_only_cases_closed_longer_than_the_period_are_anonymised(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = SIX_YEARS
    now = timezone.now()
    close(world.case_a, world, now - timedelta(days=SIX_YEARS + 1))
    close(world.case_b, world, now - timedelta(days=SIX_YEARS - 1))

    report = anonymise_closed_cases(now=now)

    assert [r.case_references for r in report.records] == [[world.case_a.reference]]
    assert Case.objects.get(pk=world.case_a.pk).anonymised_at == now
    assert Case.objects.get(pk=world.case_b.pk).anonymised_at is None
    assert anonymise_closed_cases(now=now).records == []  # done once


@pytest.mark.django_db
def test_anonymising_removes_who_and_where_history_included_and_keeps_what_happened(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = SIX_YEARS
    case = build_a_full_record(world)
    victim = case.victim
    now = timezone.now() + timedelta(days=SIX_YEARS + 1)
    close(case, world, timezone.now())
    checkin = CheckIn.objects.get(case=case)

    (removal,) = anonymise_closed_cases(now=now).records

    # Nothing identifying is left in plain text anywhere, the history tables included ...
    for name, text in IDENTIFYING.items():
        assert tables_containing(text) == [], name
    # ... nor encrypted: every version reads back empty or "removed".
    victim = Victim.objects.get(pk=victim.pk)
    assert (victim.full_name, victim.preferred_name, victim.date_of_birth) == (
        "(anonymised)",
        "",
        None,
    )
    assert victim.age_band == AgeBand.AGE_25_34  # from the date of birth, when recorded
    for version in Victim.history.filter(id=victim.pk):
        assert (version.safe_phone, version.needs, version.full_name) == ("", "", "(anonymised)")
    for version in CheckIn.history.filter(id=checkin.pk):
        assert (version.notes, version.interpreter_name) == ("", "")
    for version in Case.history.filter(id=case.pk):
        assert version.status_reason in ("", REMOVED)
        assert version.crime_reference == ""
    assert {r.action for r in ConcernResponse.history.all()} == {REMOVED}
    assert {a.resolution_note for a in Alert.objects.filter(case=case)} <= {"", REMOVED}
    assert not VictimLocation.objects.filter(victim=victim).exists()
    assert not VictimLocation.history.filter(victim_id=victim.pk).exists()
    assert not ImportantDate.history.filter(victim_id=victim.pk).exists()
    assert not Reminder.objects.filter(case=case).exists()
    for secret in SECRETS.values():
        assert tables_containing(secret) == []

    # What happened stays: the contact, its channel and outcome, the alerts, the references.
    checkin.refresh_from_db()
    assert (checkin.channel, checkin.outcome, checkin.at) == ("email", "reached", checkin.at)
    assert Alert.objects.filter(case=case).count() >= 2
    assert Promise.objects.get(case=case).description == REMOVED
    assert Case.objects.get(pk=case.pk).reference == case.reference

    assert removal.kind == RemovalKind.ANONYMISED and removal.performed_by is None
    assert removal.removed["cleared"]["contacts.CheckIn.notes"] == 1
    assert removal.removed["deleted"]["cases.VictimLocation"] == 1
    assert removal.removed["history_values_cleared"]["cases.Victim.full_name"] >= 1
    assert RemovalRecord.objects.filter(victim_reference=victim.reference).count() == 1


@pytest.mark.django_db
def test_a_victim_keeps_their_details_while_another_of_their_cases_is_open(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CaseFactory

    settings.RETENTION_CLOSED_CASE_DAYS = 30
    victim = world.case_a.victim
    newer = CaseFactory(victim=victim, police_force=world.force_a)
    close(world.case_a, world, timezone.now() - timedelta(days=31))

    anonymise_closed_cases(now=timezone.now())
    victim.refresh_from_db()
    assert victim.full_name != "(anonymised)"
    assert victim.safe_phone

    close(newer, world, timezone.now() - timedelta(days=31))
    anonymise_closed_cases(now=timezone.now())
    victim.refresh_from_db()
    assert (victim.full_name, victim.safe_phone) == ("(anonymised)", "")


@pytest.mark.django_db
def test_an_anonymised_case_cannot_be_reopened(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = 1
    close(world.case_a, world, timezone.now() - timedelta(days=2))
    anonymise_closed_cases(now=timezone.now())
    with pytest.raises(ValidationError, match="anonymised"):
        set_case_status(case=world.case_a, status=CaseStatus.OPEN, reason="", acting_user=world.ada)
