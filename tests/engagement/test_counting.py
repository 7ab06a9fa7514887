"""Counting both cohorts in the database, the same way, one grouped query per factor."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest

from cases.choices import Answer, Engagement, NationalityGroup, Sex
from engagement import counting
from engagement.counting import Period
from engagement.factors import FACTORS, PERIOD, period_factor
from engagement.models import PoliceRecord
from engagement.records import COLUMN_NAMES
from engagement.services import import_police_records
from engagement.tables import Counts
from tests.factories import CaseFactory, VictimFactory
from tests.personas import World

pytestmark = pytest.mark.django_db


def navigator_case(world: World, opened: datetime, **fields: object) -> None:
    victim_fields = {
        key.removeprefix("victim_"): fields.pop(key)
        for key in list(fields)
        if key.startswith("victim_")
    }
    CaseFactory(
        police_force=fields.pop("force", world.force_a),
        opened_at=opened,
        victim=VictimFactory(**victim_fields),
        **fields,
    )


def police_record(world: World, reference: str, **fields: object) -> PoliceRecord:
    values = {
        "force": world.force_a,
        "crime_reference": reference,
        "recorded_on": date(2021, 3, 1),
        "victim_sex": Sex.FEMALE,
        "victim_age_band": "25_34",
        "victim_nationality": NationalityGroup.UK,
        "referral_route": "nrm",
        "referring_agency": "police",
        "exploitation_types": ["criminal"],
        "exploitation_location": "uk_only",
        "county_lines": False,
        "offender_identified": False,
        "support_offered": False,
        "support_accepted": Answer.UNKNOWN,
        "engagement": Engagement.UNKNOWN,
    }
    return PoliceRecord.objects.create(**{**values, **fields})


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_navigator_cases_are_counted_by_factor_and_measure(world: World) -> None:
    # world has two cases of its own (force A and B), opened now, no measures recorded.
    opened = at(2021, 3, 1, 12)
    navigator_case(
        world,
        opened,
        victim_sex=Sex.MALE,
        victim_nationality_group=NationalityGroup.UK,
        exploitation_types=["criminal", "sexual"],
        county_lines=True,
        offender_identified=True,
        support_offered_on=date(2021, 3, 5),
        support_accepted=Answer.YES,
        investigation_engagement=Engagement.POSITIVE,
    )
    navigator_case(
        world,
        opened,
        victim_sex=Sex.MALE,
        victim_nationality_group="",
        exploitation_types=["labour"],
        # An answer without an offer date: support was offered all the same.
        support_accepted=Answer.NO,
        investigation_engagement=Engagement.NEGATIVE,
    )
    navigator_case(
        world, opened, force=world.force_b, support_offered_on=date(2021, 4, 1)
    )  # offered, no answer yet

    total, by_factor = counting.count(counting.navigator(None, Period()), FACTORS)

    assert total == Counts(n=5, offered=3, accepted=1, declined=1, positive=1, negative=1)
    assert by_factor["victim_sex"]["male"] == Counts(2, 2, 1, 1, 1, 1)
    assert by_factor["victim_nationality"][""] == Counts(1, 1, 0, 1, 0, 1)
    assert by_factor["exploitation_criminal"]["yes"] == Counts(1, 1, 1, 0, 1, 0)
    assert by_factor["exploitation_sexual"]["yes"].n == 1
    assert by_factor["exploitation_labour"]["yes"].n == 4  # the factory's default type
    assert by_factor["county_lines"] == {
        "yes": Counts(1, 1, 1, 0, 1, 0),
        "no": Counts(4, 2, 0, 1, 0, 1),
    }
    assert by_factor["offender_identified"]["yes"].n == 1
    assert by_factor["offender_identified"][""].n == 4  # not recorded
    # Only force B's cases:
    force_b, _ = counting.count(counting.navigator([world.force_b.pk], Period()), FACTORS[:1])
    assert force_b.n == 2 and force_b.offered == 1


def test_a_victims_age_is_their_age_when_the_case_opened(world: World) -> None:
    opened = at(2021, 6, 10, 12)
    for born in (date(2003, 6, 10), date(2003, 6, 11), date(1956, 6, 10), date(1956, 6, 11)):
        navigator_case(world, opened, victim_date_of_birth=born, victim_age_band="")
    navigator_case(world, opened, victim_age_band="45_54")  # no date of birth: the band given

    _, by_factor = counting.count(
        counting.navigator(None, Period(since=date(2021, 6, 1), until=date(2021, 6, 30))),
        FACTORS[1:2],
    )
    ages = {band: counts.n for band, counts in by_factor["victim_age_band"].items()}
    # 18 on the day; 17 the day before a birthday; 65 on the day; 64 the day before.
    assert ages == {"18_24": 1, "under_18": 1, "65_plus": 1, "55_64": 1, "45_54": 1}


def test_whole_months_in_uk_time_and_the_comparison_either_side_of_a_month(world: World) -> None:
    navigator_case(world, at(2020, 12, 31, 23, 30))  # GMT: still December
    navigator_case(world, at(2021, 1, 1, 0, 30))
    navigator_case(world, at(2021, 6, 30, 23, 30))  # BST: already 1 July in the UK
    navigator_case(world, at(2021, 6, 30, 22, 30))  # 23:30 on 30 June in the UK
    period = Period(since=date(2021, 1, 1), until=date(2021, 6, 30), compare_at=date(2021, 2, 1))

    total, by_factor = counting.count(
        counting.navigator(None, period), [period_factor(date(2021, 2, 1))]
    )
    assert total.n == 2
    assert {level: counts.n for level, counts in by_factor[PERIOD].items()} == {
        "before_2021-02": 1,
        "from_2021-02": 1,
    }


def test_police_records_are_counted_the_same_way(world: World) -> None:
    police_record(world, "A/1", support_offered=True, support_accepted=Answer.NO)
    police_record(
        world,
        "A/2",
        victim_age_band="",
        exploitation_types=["domestic_servitude", "other"],
        engagement=Engagement.POSITIVE,
        recorded_on=date(2020, 1, 31),
    )
    police_record(world, "B/1", force=world.force_b, offender_identified=True)
    period = Period(compare_at=date(2021, 1, 1))

    total, by_factor = counting.count(
        counting.baseline(None, period), [period_factor(date(2021, 1, 1)), *FACTORS]
    )
    assert total == Counts(n=3, offered=1, accepted=0, declined=1, positive=1, negative=0)
    assert by_factor["victim_age_band"][""].n == 1
    assert by_factor["exploitation_domestic_servitude"]["yes"] == Counts(1, 0, 0, 0, 1, 0)
    assert by_factor["exploitation_other"]["yes"].n == 1
    assert by_factor["exploitation_criminal"]["no"].n == 1
    assert by_factor["offender_identified"] == {"yes": Counts(1), "no": Counts(2, 1, 0, 1, 1, 0)}
    assert by_factor[PERIOD]["before_2021-01"].n == 1

    force_a, _ = counting.count(counting.baseline([world.force_a.pk], Period()), FACTORS[:1])
    assert force_a.n == 2
    spring, _ = counting.count(
        counting.baseline(None, Period(since=date(2021, 3, 1), until=date(2021, 3, 31))),
        FACTORS[:1],
    )
    assert spring.n == 2


def test_side_by_side_a_police_record_of_a_navigator_case_counts_once(world: World) -> None:
    world.case_a.crime_reference = "CR/0001"
    world.case_a.save(update_fields=["crime_reference"])
    police_record(world, "CR/0001")  # the same case, as the police recorded it
    police_record(world, "CR/0002")
    police_record(world, "CR/0001", force=world.force_b)  # another force's reference

    alone, _ = counting.count(counting.baseline(None, Period()), FACTORS[:1])
    beside, _ = counting.count(
        counting.baseline(None, Period(), without_navigator_cases=True), FACTORS[:1]
    )
    assert (alone.n, beside.n) == (3, 2)


def test_side_by_side_an_anonymised_navigator_case_still_counts_once(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    from cases.choices import CaseStatus
    from cases.services import set_case_status
    from privacy.retention import anonymise_closed_cases

    settings.RETENTION_CLOSED_CASE_DAYS = 30
    world.case_a.crime_reference = "CR/0001"
    world.case_a.save(update_fields=["crime_reference"])
    police_record(world, "CR/0001")
    police_record(world, "CR/0002")
    set_case_status(
        case=world.case_a,
        status=CaseStatus.CLOSED,
        reason="Concluded",
        acting_user=world.ada,
        now=at(2021, 1, 4, 12),
    )

    assert len(anonymise_closed_cases(now=at(2021, 3, 1, 12)).records) == 1

    world.case_a.refresh_from_db()
    assert world.case_a.crime_reference == ""  # retention took the reference away ...
    beside, _ = counting.count(
        counting.baseline(None, Period(), without_navigator_cases=True), FACTORS[:1]
    )
    assert beside.n == 1  # ... and the police record of the case is still not counted twice
    alone, _ = counting.count(counting.baseline(None, Period()), FACTORS[:1])
    assert alone.n == 2  # alone, the baseline is every police record
    # The force's corrected file, imported again, updates the record and keeps it apart.
    corrected = (
        f"{','.join(COLUMN_NAMES)}\n{world.force_a.name},CR/0001,2021-03-01,female,25_34,uk,"
        "nrm,police,criminal,uk_only,no,no,no,,positive\n"
    )
    assert import_police_records(StringIO(corrected), today=date(2021, 3, 2)).updated == 1
    beside, _ = counting.count(
        counting.baseline(None, Period(), without_navigator_cases=True), FACTORS[:1]
    )
    assert beside.n == 1


def test_one_grouped_query_per_factor(world: World, django_assert_num_queries) -> None:
    police_record(world, "A/1")
    factors = [period_factor(date(2021, 1, 1)), *FACTORS]
    period = Period(since=date(2020, 1, 1), until=date(2022, 12, 31), compare_at=date(2021, 1, 1))
    with django_assert_num_queries(len(factors)):
        counting.count(counting.baseline(None, period, without_navigator_cases=True), factors)
    with django_assert_num_queries(len(factors)):
        counting.count(counting.navigator([world.force_a.pk], period), factors)


def test_the_age_at_opening_agrees_with_retentions_age_band_rule(world: World) -> None:
    """Two codings of one rule: the report's, in SQL, and retention's, in Python."""
    from privacy.retention import age_band_on

    opened = datetime(2021, 2, 28, 23, 30, tzinfo=UTC)  # 28 February in the UK too
    births = [date(2003, 2, 28), date(2003, 3, 1), date(2004, 2, 29), date(1996, 3, 1),
              date(1986, 2, 28), date(1976, 12, 31), date(1966, 3, 1), date(1956, 2, 28),
              date(1950, 1, 1)]  # fmt: skip
    for born in births:
        navigator_case(world, opened, victim_date_of_birth=born, victim_age_band="")
    expected: dict[str, int] = {}
    for born in births:
        band = age_band_on(born, date(2021, 2, 28))
        expected[band] = expected.get(band, 0) + 1

    _, by_factor = counting.count(
        counting.navigator(None, Period(since=date(2021, 2, 1), until=date(2021, 2, 28))),
        FACTORS[1:2],
    )
    assert {band: c.n for band, c in by_factor["victim_age_band"].items()} == expected
