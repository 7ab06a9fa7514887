"""A delivery that died shows on the case page to its navigator and supervisor, with what
to do."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.dispatch import dispatch
from webhooks.schedule import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead(world: World, receiver: Receiver) -> World:
    receiver.answer_with(503)
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    with time_machine.travel("2026-03-02 09:00Z", tick=False) as clock:
        for _ in range(MAX_ATTEMPTS):
            dispatch()
            clock.shift(timedelta(hours=27))
    return world


@pytest.mark.parametrize("who", ["nadia", "sam"])
def test_the_team_sees_it_on_the_case_with_what_to_do(dead: World, who: str) -> None:
    client = Client()
    client.force_login(getattr(dead, who))
    page = client.get(reverse("case-detail", args=[dead.case_a.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "A partner&#x27;s webhook failed" in html or "A partner's webhook failed" in html
    assert "did not take a notice about this case" in html
