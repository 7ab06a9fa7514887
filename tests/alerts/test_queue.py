"""The supervisor's alert queue: filters, and acting on one alert or many at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.choices import AlertKind, AlertStatus, Severity
from alerts.models import Alert
from alerts.services import AlertAction, act_on_alerts, assign_alert, resolve_alert
from alerts.sweep import refresh_cases
from cases.choices import PocRole
from navigator.errors import ValidationError
from tests.alerts.helpers import agree, update
from tests.factories import AlertFactory, CaseFactory, PointOfContactFactory, StaffFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


def team_case(world: World, navigator: object) -> object:
    case = CaseFactory(police_force=world.force_a)
    PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=navigator)
    return case


def test_a_supervisor_gives_an_alert_to_a_navigator_of_their_team(world: World) -> None:
    alert = AlertFactory(case=world.case_a, assigned_to=world.nadia)
    assign_alert(alert=alert, assignee=world.noah, acting_user=world.sam)
    alert.refresh_from_db()
    assert alert.assigned_to == world.noah and alert.assigned_by == world.sam
    assert alert.history.first().history_user == world.sam  # type: ignore[attr-defined]


def test_nobody_outside_the_team_can_be_given_an_alert(world: World) -> None:
    alert = AlertFactory(case=world.case_a, assigned_to=world.nadia)
    stranger = StaffFactory(role=Role.NAVIGATOR, organisation=world.nadia.organisation)
    for assignee in (world.nemo, stranger, world.olive):
        with pytest.raises(ValidationError, match="navigator in your team"):
            assign_alert(alert=alert, assignee=assignee, acting_user=world.sam)
    for who in ("nadia", "olive"):
        with pytest.raises(PermissionDenied):
            assign_alert(alert=alert, assignee=world.noah, acting_user=getattr(world, who))
    alert.refresh_from_db()
    assert alert.assigned_to == world.nadia and alert.assigned_by is None


def test_the_sweep_leaves_an_alert_given_by_hand_with_its_assignee(world: World) -> None:
    long_ago = timezone.now() - timedelta(days=10)
    agree(world.case_a, world.nadia, at=long_ago, interval=7)
    update(world.case_a, world.nadia, at=long_ago)
    refresh_cases([world.case_a.pk], now=timezone.now())
    alert = Alert.objects.get(case=world.case_a, kind=AlertKind.UPDATE_OVERDUE)
    assert alert.assigned_to == world.nadia
    assign_alert(alert=alert, assignee=world.noah, acting_user=world.sam)
    # Overdue by the interval again: the sweep raises the severity, and keeps the assignee.
    refresh_cases([world.case_a.pk], now=timezone.now() + timedelta(days=8))
    alert.refresh_from_db()
    assert alert.severity == Severity.HIGH
    assert alert.assigned_to == world.noah


def test_a_bulk_action_is_all_or_nothing_and_names_each_refusal(world: World) -> None:
    first = AlertFactory(case=world.case_a)
    second = AlertFactory(case=world.case_b, kind=AlertKind.PROMISE_OVERDUE)
    resolve_alert(alert=second, note="Called back", acting_user=world.sam)
    result = act_on_alerts(
        alerts=[first, second],
        action=AlertAction.RESOLVE,
        acting_user=world.sam,
        note="Spoke to both",
    )
    assert not result.ok
    assert [r.alert.pk for r in result.refused] == [second.pk]
    assert "already resolved" in result.refused[0].reason
    first.refresh_from_db()
    assert first.status == AlertStatus.OPEN  # undone with the rest


def test_a_supervisor_resolves_alerts_in_bulk_from_the_queue(world: World) -> None:
    alerts = [AlertFactory(case=world.case_a), AlertFactory(case=world.case_b)]
    response = client_for(world.sam).post(
        reverse("alert-bulk"),
        {"alert": [a.pk for a in alerts], "action": "resolve", "note": "Both updated by phone"},
        follow=True,
    )
    assert "2 alerts resolved." in response.content.decode()
    for alert in alerts:
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED
        assert alert.resolution_note == "Both updated by phone"
        assert alert.resolved_by == world.sam


def test_a_refused_bulk_action_changes_nothing_and_says_which_and_why(world: World) -> None:
    live = AlertFactory(case=world.case_a)
    gone = AlertFactory(case=world.case_b)
    resolve_alert(alert=gone, note="Done already", acting_user=world.sam)
    response = client_for(world.sam).post(
        reverse("alert-bulk"),
        {"alert": [live.pk, gone.pk], "action": "acknowledge"},
    )
    page = response.content.decode()
    assert response.status_code == 200, page
    assert (
        "There is a problem" in page
        and "Nothing was changed: 1 of the 2 alerts could not be acknowledged" in page
    )
    assert world.case_b.reference in page and "already resolved" in page
    assert f'value="{live.pk}" id="tick-{live.pk}" form="act-on-ticked-form" checked' in page
    live.refresh_from_db()
    assert live.status == AlertStatus.OPEN


def test_the_action_form_says_what_is_missing_beside_the_field(world: World) -> None:
    alert = AlertFactory(case=world.case_a)
    client = client_for(world.sam)
    page = client.post(reverse("alert-bulk"), {"alert": [alert.pk], "action": "resolve"})
    assert "Say what was done about the alerts." in page.content.decode()
    page = client.post(reverse("alert-bulk"), {"alert": [alert.pk], "action": "assign"})
    assert "Choose the navigator to give the alerts to." in page.content.decode()
    page = client.post(reverse("alert-bulk"), {"action": "acknowledge"})
    assert "Tick at least one alert." in page.content.decode()
    many = {"alert": [str(n) for n in range(1, 102)], "action": "acknowledge"}
    assert "Tick at most 100 alerts" in client.post(reverse("alert-bulk"), many).content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_a_card_gives_its_alert_to_a_navigator_keeping_the_filters(world: World) -> None:
    alert = AlertFactory(case=world.case_a, assigned_to=world.nadia)
    response = client_for(world.sam).post(
        reverse("alert-bulk"),
        {
            "alert": [alert.pk],
            "action": "assign",
            "assignee": world.noah.pk,
            "filter_kind": "update_overdue",
            "filter_severity": "nonsense",
        },
    )
    assert response["Location"] == reverse("alert-list") + "?kind=update_overdue"
    alert.refresh_from_db()
    assert alert.assigned_to == world.noah


@pytest.mark.parametrize("who", ["sue", "nemo", "noah"])
def test_alerts_out_of_reach_are_refused_in_bulk_and_nothing_changes(
    world: World, who: str
) -> None:
    """Another team's supervisor, a navigator with no cases, a navigator of another case."""
    alert = AlertFactory(case=world.case_a)
    page = client_for(getattr(world, who)).post(
        reverse("alert-bulk"), {"alert": [alert.pk], "action": "resolve", "note": "Mine now"}
    )
    assert "not in your queue" in page.content.decode()
    assert world.case_a.reference not in page.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


@pytest.mark.parametrize(("who", "status"), [("olive", 403), ("pat", 403)])
def test_officers_and_partners_cannot_act_in_bulk(world: World, who: str, status: int) -> None:
    alert = AlertFactory(case=world.case_a)
    response = client_for(getattr(world, who)).post(
        reverse("alert-bulk"), {"alert": [alert.pk], "action": "acknowledge"}
    )
    assert response.status_code == status
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_queue_filters_by_kind_severity_navigator_and_age(world: World) -> None:
    now = timezone.now()
    cases = {label: team_case(world, world.noah) for label in ("old", "high", "promise")}
    AlertFactory(case=world.case_a, assigned_to=world.nadia, opened_at=now - timedelta(hours=2))
    AlertFactory(case=cases["old"], assigned_to=world.noah, opened_at=now - timedelta(days=9))
    AlertFactory(case=cases["high"], assigned_to=world.noah, severity=Severity.HIGH)
    AlertFactory(case=cases["promise"], assigned_to=world.noah, kind=AlertKind.PROMISE_OVERDUE)
    client = client_for(world.sam)

    def shown(**query: object) -> set[str]:
        page = client.get(reverse("alert-list"), query).content.decode()
        every = [("a", world.case_a), *cases.items()]
        return {label for label, case in every if case.reference in page}

    assert shown() == {"a", "old", "high", "promise"}
    assert shown(kind="promise_overdue") == {"promise"}
    assert shown(severity=3) == {"high"}
    assert shown(navigator=world.nadia.pk) == {"a"}
    assert shown(age=7) == {"old"}
    # Values not on the list are ignored, never obeyed or echoed.
    assert shown(kind="x' OR 1=1", navigator=world.nemo.pk, age=99) == {
        "a",
        "old",
        "high",
        "promise",
    }


def test_the_queue_costs_the_same_queries_for_two_alerts_or_forty(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    AlertFactory(case=world.case_a)
    AlertFactory(case=world.case_b)
    client = client_for(world.sam)
    client.get(reverse("alert-list"))  # the session is warm
    with django_assert_num_queries(5):
        client.get(reverse("alert-list"), {"kind": "update_overdue"})
    for _ in range(19):
        for navigator in (world.nadia, world.noah):
            AlertFactory(case=team_case(world, navigator), assigned_to=navigator)
    with django_assert_num_queries(5):
        page = client.get(reverse("alert-list"), {"kind": "update_overdue"}).content.decode()
    assert page.count('class="card ') == 40
