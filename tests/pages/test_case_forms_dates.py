"""The case page's small forms, sent dates across the whole range a date field can hold:
each answer is the form again with the error beside the field, or the thing saved; never an
error page."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.choices import EventKind, SharePurpose
from contacts.choices import Concern
from tests.factories import CheckInFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db
NOW = datetime.now(UTC)
# What a person can type, read off the clock's face: the zone plays no part.
FIRST = datetime.min.replace(tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DAYS = st.one_of(
    st.dates(),
    st.dates(
        min_value=NOW.date() - timedelta(days=500), max_value=NOW.date() + timedelta(days=500)
    ),
)
MOMENTS = st.one_of(
    st.datetimes(),
    st.datetimes(
        min_value=(NOW - timedelta(days=500)).replace(tzinfo=None),
        max_value=(NOW + timedelta(days=500)).replace(tzinfo=None),
    ),
)


def typed_day(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def typed_moment(moment: datetime) -> str:
    return f"{typed_day(moment.date())}T{moment.hour:02d}:{moment.minute:02d}"


def answered(client: Client, url: str, form: dict[str, Any]) -> None:
    answer = client.post(url, {"submission_key": str(uuid4()), **form})
    assert answer.status_code in (200, 302), answer.status_code
    if answer.status_code == 200:
        assert "There is a problem" in answer.content.decode()


def case_url(world: World, name: str, *args: Any) -> str:
    return reverse(name, args=[world.case_a.reference, *args])


@EXAMPLES
@given(due=MOMENTS)
@example(due=FIRST)
@example(due=LAST)
def test_a_promise(world: World, due: datetime) -> None:
    answered(
        client_for(world.nadia),
        case_url(world, "promise-new"),
        {"description": "Ring back", "due_by": typed_moment(due)},
    )


@EXAMPLES
@given(at=MOMENTS)
@example(at=FIRST)
@example(at=LAST)
def test_an_event(world: World, at: datetime) -> None:
    answered(
        client_for(world.nadia),
        case_url(world, "event-new"),
        {"kind": EventKind.COURT_HEARING, "at": typed_moment(at)},
    )


@EXAMPLES
@given(day=DAYS, every_year=st.booleans())
@example(day=date.min, every_year=True)
@example(day=date.max, every_year=False)
def test_a_date_that_matters(world: World, day: date, every_year: bool) -> None:
    form = {"label": "Birthday", "day": typed_day(day)}
    if every_year:
        form["every_year"] = "on"
    answered(client_for(world.nadia), case_url(world, "important-dates"), form)


@EXAMPLES
@given(at=MOMENTS)
@example(at=FIRST)
@example(at=LAST)
def test_a_response_to_a_concern(world: World, at: datetime) -> None:
    checkin = CheckInFactory(case=world.case_a, by=world.nadia, concerns=[Concern.SAFETY_FEAR])
    answered(
        client_for(world.nadia),
        case_url(world, "concern-respond", checkin.pk),
        {"concern": Concern.SAFETY_FEAR, "action": "Safety plan", "at": typed_moment(at)},
    )


@EXAMPLES
@given(consent=DAYS, ends=st.none() | DAYS)
@example(consent=date.min, ends=date.max)
@example(consent=date.max, ends=date.min)
@example(consent=NOW.date(), ends=date.max - timedelta(days=1))
def test_a_share(world: World, consent: date, ends: date | None) -> None:
    answered(
        client_for(world.nadia),
        case_url(world, "case-share"),
        {
            "organisation": world.other_ngo.pk,
            "purpose": SharePurpose.SUPPORT,
            "covers": ["events"],
            "consent_recorded_on": typed_day(consent),
            "consent_recorded_by": world.nadia.pk,
            "expires_on": typed_day(ends) if ends else "",
        },
    )
