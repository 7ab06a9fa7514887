"""Every service that takes a date, fed dates across Python's whole range: each is saved when
the case can have it, refused beside its field when not, and never answers anything else
(no OverflowError, no TypeError, no database error)."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.choices import EventKind, PocRole
from cases.services import (
    add_important_date,
    assign_point_of_contact,
    create_victim,
    open_case,
    record_case_event,
    record_engagement_measures,
    record_relocation,
    set_case_status,
    share_case,
)
from contacts.choices import Channel, Concern, Direction, Outcome
from contacts.concerns import respond_to_concern
from contacts.models import CheckIn
from contacts.services import log_checkin, make_promise, record_agreement, resolve_promise
from navigator.errors import ValidationError
from tests.factories import OrganisationFactory, PromiseFactory
from tests.personas import World

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.astimezone(LONDON).date()
TEN_YEARS = timedelta(days=3660)

# Aware moments anywhere in the range and any zone, naive ones, and plausible ones (so that
# the accepted side is tried as often as the refused one).
MOMENTS = st.one_of(
    st.datetimes(timezones=st.timezones()),
    st.datetimes(timezones=st.none()),
    st.datetimes(
        min_value=(NOW - timedelta(days=500)).replace(tzinfo=None),
        max_value=(NOW + timedelta(days=500)).replace(tzinfo=None),
        timezones=st.just(UTC) | st.timezones(),
    ),
)
DAYS = st.one_of(
    st.dates(),
    st.dates(min_value=TODAY - timedelta(days=500), max_value=TODAY + timedelta(days=500)),
)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def opening_day(world: World) -> datetime:
    day = world.case_a.opened_at.astimezone(LONDON).date()
    return datetime.combine(day, time.min, tzinfo=LONDON)


def happened_ok(value: datetime, world: World) -> bool:
    """Written out here, not taken from the code under test."""
    if value.tzinfo is None or value.utcoffset() is None:
        return False
    return opening_day(world) <= value <= NOW + timedelta(minutes=5)


def planned_ok(value: datetime, world: World) -> bool:
    if value.tzinfo is None or value.utcoffset() is None:
        return False
    return opening_day(world) <= value <= NOW + TEN_YEARS


def day_ok(value: date, world: World) -> bool:
    return opening_day(world).date() <= value <= TODAY


def check(call: Callable[[], Any], *, accepted: bool, field: str) -> None:
    """Run ``call`` in a savepoint that is always rolled back."""
    with transaction.atomic():
        try:
            call()
        except ValidationError as error:
            assert not accepted, f"refused a good value: {error.message_dict}"
            assert field in error.message_dict, error.message_dict
        else:
            assert accepted, "saved a value the case cannot have"
        transaction.set_rollback(True)


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def contact(world: World, **fields: Any) -> None:
    log_checkin(
        case=world.case_a,
        acting_user=world.nadia,
        direction=Direction.OUTBOUND,
        channel=Channel.PHONE_CALL,
        outcome=Outcome.REACHED,
        update_given="news",
        now=NOW,
        **{"at": NOW - timedelta(hours=1), **fields},
    )


@EXAMPLES
@given(at=MOMENTS)
def test_a_contacts_time(world: World, frozen: None, at: datetime) -> None:
    check(lambda: contact(world, at=at), accepted=happened_ok(at, world), field="at")


@EXAMPLES
@given(due=MOMENTS)
def test_a_promise_made_in_a_contact(world: World, frozen: None, due: datetime) -> None:
    check(
        lambda: contact(world, promise_description="Call back", promise_due_by=due),
        accepted=planned_ok(due, world),
        field="promise_due_by",
    )


@EXAMPLES
@given(due=MOMENTS)
def test_a_promise(world: World, frozen: None, due: datetime) -> None:
    check(
        lambda: make_promise(
            case=world.case_a, acting_user=world.nadia, description="x", due_by=due, now=NOW
        ),
        accepted=planned_ok(due, world),
        field="due_by",
    )


@EXAMPLES
@given(at=MOMENTS)
def test_an_event(world: World, frozen: None, at: datetime) -> None:
    check(
        lambda: record_case_event(
            case=world.case_a, kind=EventKind.INTERVIEW, at=at, acting_user=world.nadia, now=NOW
        ),
        accepted=planned_ok(at, world),
        field="at",
    )


@EXAMPLES
@given(agreed=DAYS, review=st.none() | DAYS)
def test_an_agreement(world: World, frozen: None, agreed: date, review: date | None) -> None:
    agreed_ok = day_ok(agreed, world)
    review_ok = review is None or agreed <= review <= TODAY + TEN_YEARS
    check(
        lambda: record_agreement(
            case=world.case_a,
            acting_user=world.nadia,
            channels=[Channel.TEXT],
            update_interval_days=7,
            agreed_on=agreed,
            review_by=review,
            now=NOW,
        ),
        accepted=agreed_ok and review_ok,
        field="agreed_on" if not agreed_ok else "review_by",
    )


RAISED_AT = NOW - timedelta(days=2)


@pytest.fixture
def fear_raised(world: World, frozen: None) -> CheckIn:
    contact(world, at=RAISED_AT, concerns=[Concern.SAFETY_FEAR])
    return world.case_a.checkins.get()


@EXAMPLES
@given(at=MOMENTS)
def test_a_response_to_a_concern(world: World, fear_raised: CheckIn, at: datetime) -> None:
    checkin = fear_raised
    ok = happened_ok(at, world) and at >= RAISED_AT
    check(
        lambda: respond_to_concern(
            checkin=checkin,
            concern=Concern.SAFETY_FEAR,
            action="Safety plan updated",
            acting_user=world.nadia,
            at=at,
            now=NOW,
        ),
        accepted=ok,
        field="at",
    )


@EXAMPLES
@given(at=MOMENTS)
def test_a_hand_over(world: World, frozen: None, at: datetime) -> None:
    start = world.case_a.points_of_contact.get(role=PocRole.NAVIGATOR).started_at
    ok = happened_ok(at, world) and at >= start
    check(
        lambda: assign_point_of_contact(
            case=world.case_a,
            role=PocRole.NAVIGATOR,
            person=world.noah,
            acting_user=world.nadia,
            at=at,
            now=NOW,
        ),
        accepted=ok,
        field="at",
    )


@EXAMPLES
@given(day=DAYS)
def test_consent_to_share(world: World, frozen: None, day: date) -> None:
    other = OrganisationFactory(name="Another Trust")
    check(
        lambda: share_case(
            case=world.case_a, organisation=other, consent_recorded_on=day, acting_user=world.nadia
        ),
        accepted=day_ok(day, world),
        field="consent_recorded_on",
    )


@EXAMPLES
@given(day=DAYS)
def test_support_offered(world: World, frozen: None, day: date) -> None:
    check(
        lambda: record_engagement_measures(
            case=world.case_a,
            acting_user=world.nadia,
            support_offered_on=day,
            support_accepted="yes",
            investigation_engagement="unknown",
            now=NOW,
        ),
        accepted=day_ok(day, world),
        field="support_offered_on",
    )


@EXAMPLES
@given(opened=MOMENTS)
def test_a_case_opening(world: World, frozen: None, opened: datetime) -> None:
    aware = opened.tzinfo is not None and opened.utcoffset() is not None
    ok = aware and datetime(2000, 1, 1, tzinfo=LONDON) <= opened <= NOW + timedelta(minutes=5)
    check(
        lambda: open_case(
            victim=world.case_a.victim,
            police_force=world.force_a,
            acting_user=world.nadia,
            opened_at=opened,
        ),
        accepted=ok,
        field="opened_at",
    )


@EXAMPLES
@given(born=DAYS)
def test_a_date_of_birth(world: World, frozen: None, born: date) -> None:
    check(
        lambda: create_victim(acting_user=world.nadia, full_name="Test Person", date_of_birth=born),
        accepted=date(1900, 1, 1) <= born <= timezone.localdate(),
        field="date_of_birth",
    )


@EXAMPLES
@given(ends=MOMENTS)
def test_the_end_of_a_share(world: World, frozen: None, ends: datetime) -> None:
    other = OrganisationFactory(name="Another Trust")
    check(
        lambda: share_case(
            case=world.case_a,
            organisation=other,
            consent_recorded_on=TODAY,
            acting_user=world.nadia,
            expires_at=ends,
            now=NOW,
        ),
        accepted=planned_ok(ends, world) and ends > NOW,
        field="expires_at",
    )


@EXAMPLES
@given(day=DAYS, every_year=st.booleans())
def test_a_date_that_matters(world: World, frozen: None, day: date, every_year: bool) -> None:
    earliest = date(1900, 1, 1) if every_year else TODAY
    check(
        lambda: add_important_date(
            case=world.case_a,
            label="Her birthday",
            day=day,
            every_year=every_year,
            acting_user=world.nadia,
            now=NOW,
        ),
        accepted=earliest <= day <= TODAY + TEN_YEARS,
        field="day",
    )


@EXAMPLES
@given(since=DAYS)
def test_a_move(world: World, frozen: None, since: date) -> None:
    check(
        lambda: record_relocation(
            victim=world.case_a.victim,
            address="1 New Street",
            since=since,
            acting_user=world.nadia,
            now=NOW,
        ),
        accepted=date(1900, 1, 1) <= since <= TODAY,
        field="since",
    )


# The services below take no date from the person using them, only the moment they run
# (``now``, from the clock): fed the whole range, they work, or refuse a clock the rules
# cannot count from, never crash.
CLOCKS = st.one_of(
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(
        min_value=(NOW - timedelta(days=500)).replace(tzinfo=None),
        max_value=(NOW + timedelta(days=500)).replace(tzinfo=None),
        timezones=st.just(UTC),
    ),
)


def clock_ok(now: datetime) -> bool:
    return 2000 <= now.year <= 9000


@EXAMPLES
@given(now=CLOCKS, status=st.sampled_from(["open", "paused", "closed"]))
@example(now=datetime.min.replace(tzinfo=UTC), status="paused")
@example(now=datetime.max.replace(tzinfo=UTC), status="paused")
def test_a_status_change(world: World, frozen: None, now: datetime, status: str) -> None:
    check(
        lambda: set_case_status(
            case=world.case_a, status=status, reason="She asked", acting_user=world.nadia, now=now
        ),
        accepted=clock_ok(now),
        field="now",
    )


@EXAMPLES
@given(now=CLOCKS, status=st.sampled_from(["kept", "broken", "withdrawn"]))
@example(now=datetime.min.replace(tzinfo=UTC), status="kept")
@example(now=datetime.max.replace(tzinfo=UTC), status="kept")
def test_a_promise_resolved(world: World, frozen: None, now: datetime, status: str) -> None:
    promise = PromiseFactory(case=world.case_a, made_by=world.nadia)
    check(
        lambda: resolve_promise(promise=promise, status=status, acting_user=world.nadia, now=now),
        accepted=clock_ok(now),
        field="now",
    )
