"""Logging a contact costs a fixed number of queries, however much the case has behind it.

The count is what a real request runs: the savepoints a test's own transaction adds around
the service's are left out. ``python manage.py bench_log_contact`` measures the time.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Alert
from cases.choices import EventKind
from contacts.choices import Channel, Concern, Direction, Outcome, UpdateGiven
from contacts.models import CheckIn
from contacts.services import log_checkin
from tests.factories import AgreementFactory, CaseEventFactory, CheckInFactory, PromiseFactory
from tests.personas import World

pytestmark = pytest.mark.django_db

# The access check with the lock; the agreement; the contact and its history row; then the
# clock and the signals re-run over what the case holds (handovers waiting included), and
# its next look stored.
QUERIES_FOR_A_CONTACT = 12
# A case with concerns raised and a tipping point coming: the signals also read the responses
# to those concerns and whether a partner is to be told of the tipping point.
QUERIES_AT_MOST = 14


def log(world: World, *, channel: str = Channel.PHONE_CALL) -> int:
    with CaptureQueriesContext(connection) as queries:
        log_checkin(
            case=world.case_a,
            acting_user=world.nadia,
            at=timezone.now() - timedelta(minutes=5),
            direction=Direction.OUTBOUND,
            channel=channel,
            outcome=Outcome.REACHED,
            update_given=UpdateGiven.NEWS,
            wellbeing=4,
            trust=3,
            notes="Told her the interview is next week.",
        )
    return sum(
        1
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    )


def give_the_case_a_history(world: World, *, weeks: int) -> None:
    """Contacts (some raising a fear for safety), promises, a key decision, a hearing soon."""
    now = timezone.now()
    case = world.case_a
    for days_ago in range(1, 7 * weeks):
        CheckInFactory(
            case=case,
            by=world.nadia,
            at=now - timedelta(days=days_ago),
            wellbeing=3,
            concerns=[Concern.SAFETY_FEAR] if days_ago % 10 == 0 else [],
        )
    for days in range(2, 2 + weeks):
        PromiseFactory(case=case, made_by=world.nadia, due_by=now + timedelta(days=days))
    CaseEventFactory(
        case=case,
        kind=EventKind.CHARGING_DECISION,
        at=now - timedelta(days=3),
        is_key_decision=True,
    )
    CaseEventFactory(case=case, kind=EventKind.COURT_HEARING, at=now + timedelta(hours=12))


def test_a_usual_contact_costs_the_fixed_count(world: World) -> None:
    AgreementFactory(case=world.case_a, created_by=world.nadia)
    log(world)  # the first contact of a case opens nothing new; measure a usual one
    assert log(world) == QUERIES_FOR_A_CONTACT
    assert CheckIn.objects.filter(case=world.case_a).count() == 2


@pytest.mark.parametrize("weeks", [2, 6])
def test_a_case_with_everything_the_signals_read_costs_no_more(world: World, weeks: int) -> None:
    AgreementFactory(case=world.case_a, created_by=world.nadia)
    give_the_case_a_history(world, weeks=weeks)
    log(world)  # brings the case's alerts in line with its history
    assert log(world) == QUERIES_AT_MOST


def test_a_contact_that_breaks_the_agreement_adds_only_its_alert(world: World) -> None:
    AgreementFactory(case=world.case_a, created_by=world.nadia, channels=[Channel.TEXT])
    # Looking up any live alert, whom to assign it to, writing it and its history.
    assert log(world, channel=Channel.PHONE_CALL) == QUERIES_FOR_A_CONTACT + 4
    assert Alert.objects.filter(case=world.case_a, kind="agreement_broken").exists()
