from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, Staff
from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert
from cases import access
from cases.choices import CaseStatus
from cases.models import Case, Victim
from contacts.models import CheckIn
from partners.models import NoticeKind
from partners.selectors import notices_for

pytestmark = pytest.mark.django_db


def run(command: str, **options: object) -> str:
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def test_the_demo_refuses_a_deployment_with_debug_off(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        run("seed_demo")
    assert not Staff.objects.exists()


def test_the_demo_loads_once_shows_each_role_its_share_and_flags_the_drifting() -> None:
    # One test, because loading the demo through the services takes seconds.
    first = run("seed_demo", force=True)  # the test runner turns DEBUG off
    counts = (Victim.objects.count(), Case.objects.count(), CheckIn.objects.count())
    assert counts[0] == 50
    assert counts[2] > 200
    assert "nadia.demo" in first
    assert "password for all" in first

    assert "already loaded" in run("seed_demo", force=True)
    assert (Victim.objects.count(), Case.objects.count(), CheckIn.objects.count()) == counts

    for role in (Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.PARTNER_CASEWORKER):
        person = Staff.objects.filter(role=role, username__endswith=".demo").first()
        assert person is not None
        assert 0 < access.visible_cases(person).count() < Case.objects.count(), role
    assert Case.objects.filter(status=CaseStatus.PAUSED).exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED).exists()

    run("sweep")
    live = Alert.objects.filter(status__in=LIVE_STATUSES)
    assert live.filter(kind=AlertKind.UPDATE_OVERDUE).count() >= 10
    drifting = live.filter(kind=AlertKind.DISENGAGEMENT)
    assert drifting.filter(severity=3).count() >= 3  # high: a safety fear, or many signals
    assert drifting.filter(severity=2).exists()  # watch
    assert all(a.reasons["signals"] for a in drifting)

    # A partner caseworker has hard moments waiting in the inbox, once the sweep has issued
    # the notices; a partner administrator of the same organisation manages its keys.
    priya = Staff.objects.get(username="priya.demo")
    waiting = notices_for(priya).filter(kind=NoticeKind.TIPPING_POINT, acknowledged_at=None)
    assert waiting.count() >= 2
    pam = Staff.objects.get(username="pam.demo")
    assert access.is_partner_administrator(pam) and pam.organisation == priya.organisation
    assert "pam.demo               Partner caseworker, partner administrator" in first

    # The supervisor lands on a dashboard with something to show.
    client = Client()
    client.force_login(Staff.objects.get(username="sally.demo"))
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "Your team" in page and 'class="chart__bar"' in page
    assert "Over 12 weeks: between" in page
