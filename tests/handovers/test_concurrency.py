"""The receiver and their supervisor press "accept" and "decline" at the same moment, on
PostgreSQL: exactly one wins, the other is told it is already decided, and the point of
contact changes once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.choices import PocRole
from cases.models import PointOfContact
from handovers.choices import HandoverState
from handovers.models import Handover
from handovers.services import accept_handover, decline_handover
from tests.handovers.helpers import change_navigator
from tests.personas import World


@pytest.mark.django_db(transaction=True)
def test_accept_and_decline_at_once_one_wins(world: World) -> None:
    assert connection.vendor == "postgresql"
    handover = change_navigator(world)
    start = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def act(name: str) -> None:
        try:
            start.wait()
            if name == "accept":
                accept_handover(
                    handover=handover, acting_user=world.noah, introduced_by_predecessor=True
                )
            else:
                decline_handover(handover=handover, reason="Caseload full", acting_user=world.sam)
            outcomes.append(name)
        except ValidationError as refused:
            outcomes.append(f"refused: {refused.message_dict}")
        except BaseException as error:  # the main thread reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(name,)) for name in ("accept", "decline")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    won = [o for o in outcomes if not o.startswith("refused")]
    assert len(won) == 1 and len(outcomes) == 2, outcomes
    final = Handover.objects.get(pk=handover.pk)
    assert final.state == (HandoverState.ACCEPTED if won == ["accept"] else HandoverState.DECLINED)
    navigators = PointOfContact.objects.filter(case=world.case_a, role=PocRole.NAVIGATOR)
    expected = world.noah if won == ["accept"] else world.nadia
    assert navigators.get(ended_at__isnull=True).person == expected
    assert navigators.count() == (2 if won == ["accept"] else 1)
