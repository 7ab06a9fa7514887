"""Seeding shared by the benchmarks that measure what partners are sent (the notice feed
and webhook deliveries). Not part of the tests."""

from datetime import date

from accounts.models import Organisation, Staff
from cases.models import Case, CaseShare, Victim


def shared_cases(
    organisation: Organisation,
    *,
    count: int,
    prefix: str,
    force: Organisation,
    navigator: Staff,
    consent_on: date,
) -> list[int]:
    """``count`` cases (references ``C-<prefix>0000`` on) shared with ``organisation`` by
    ``navigator``, consent recorded ``consent_on``: their ids, in order."""
    victims = Victim.objects.bulk_create(
        Victim(reference=f"V-{prefix}{n:04d}", full_name="Bench", age_band="25_34")
        for n in range(count)
    )
    cases = Case.objects.bulk_create(
        Case(reference=f"C-{prefix}{n:04d}", victim=v, police_force=force)
        for n, v in enumerate(victims)
    )
    CaseShare.objects.bulk_create(
        CaseShare(
            case=c,
            organisation=organisation,
            consent_recorded_on=consent_on,
            consent_recorded_by=navigator,
            shared_by=navigator,
        )
        for c in cases
    )
    return [c.pk for c in cases]
