"""A form sent twice at the same moment (a double tap on a poor signal), on PostgreSQL: both
sendings reach the service together, the second waits on the case's lock and gets what the
first saved, so one promise, one event, one date, one response, one share."""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.db import connection
from django.utils import timezone

from cases.choices import EventKind
from cases.models import CaseEvent, CaseShare, ImportantDate
from cases.services import add_important_date, record_case_event, share_case
from contacts.choices import Concern
from contacts.concerns import respond_to_concern
from contacts.models import ConcernResponse, Promise
from contacts.services import make_promise
from tests.factories import CheckInFactory
from tests.personas import World

pytestmark = pytest.mark.django_db(transaction=True)


def twice_at_once(send: Callable[[], Any]) -> list[Any]:
    start = threading.Barrier(2)
    saved: list[Any] = []
    errors: list[BaseException] = []

    def act() -> None:
        try:
            start.wait()
            saved.append(send().pk)
        except BaseException as error:  # the main thread reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return saved


def test_the_same_form_sent_twice_at_once_saves_once(world: World) -> None:
    assert connection.vendor == "postgresql"
    case, nadia = world.case_a, world.nadia
    soon = timezone.now() + timedelta(days=3)
    checkin = CheckInFactory(
        case=case, by=nadia, at=timezone.now() - timedelta(hours=1), concerns=[Concern.HOUSING]
    )
    sends: list[tuple[type, Callable[..., Any]]] = [
        (
            Promise,
            lambda key: make_promise(
                case=case,
                acting_user=nadia,
                description="Ring back",
                due_by=soon,
                submission_key=key,
            ),
        ),
        (
            CaseEvent,
            lambda key: record_case_event(
                case=case, kind=EventKind.INTERVIEW, at=soon, acting_user=nadia, submission_key=key
            ),
        ),
        (
            ImportantDate,
            lambda key: add_important_date(
                case=case,
                label="Birthday",
                day=timezone.localdate(),
                acting_user=nadia,
                submission_key=key,
            ),
        ),
        (
            ConcernResponse,
            lambda key: respond_to_concern(
                checkin=checkin,
                concern=Concern.HOUSING,
                action="Called the council",
                acting_user=nadia,
                submission_key=key,
            ),
        ),
        (
            CaseShare,
            lambda key: share_case(
                case=case,
                organisation=world.other_ngo,
                consent_recorded_on=timezone.localdate(),
                acting_user=nadia,
                submission_key=key,
            ),
        ),
    ]
    for model, send in sends:
        key = uuid4()
        saved = twice_at_once(lambda send=send, key=key: send(key))
        assert len(saved) == 2 and saved[0] == saved[1], (model, saved)
        assert model.objects.filter(submission_key=key).count() == 1
