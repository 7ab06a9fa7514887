from io import StringIO

import pytest
from django.core.management import call_command

from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert
from handovers.models import Handover

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_handover_waiting_and_one_overdue() -> None:
    call_command("seed_demo", force=True, stdout=StringIO())
    call_command("seed_demo_handovers", force=True, stdout=StringIO())
    assert Handover.objects.filter(to_organisation__name__startswith="Harbour").count() == 2
    call_command("sweep", stdout=StringIO())
    assert (
        Alert.objects.filter(
            kind=AlertKind.HANDOVER_UNACKNOWLEDGED, status__in=LIVE_STATUSES
        ).count()
        == 1
    )
    out = StringIO()
    call_command("seed_demo_handovers", force=True, stdout=out)
    assert "nothing changed" in out.getvalue()
