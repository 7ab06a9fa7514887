"""The alert queue, and Today and the contact form as the alerts see them."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, AlertStatus
from alerts.models import Alert
from alerts.sweep import refresh_cases
from contacts.models import CheckIn
from tests.alerts.helpers import agree, update
from tests.personas import World

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def overdue(world: World) -> Alert:
    long_ago = timezone.now() - timedelta(days=10)
    agree(world.case_a, world.nadia, at=long_ago)
    update(world.case_a, world.nadia, at=long_ago)
    refresh_cases([world.case_a.pk], now=timezone.now())
    return Alert.objects.get(case=world.case_a, kind=AlertKind.UPDATE_OVERDUE)


def test_today_lists_the_victims_who_need_contact(world: World, overdue: Alert) -> None:
    page = client_for(world.nadia).get(reverse("home"), follow=True).content.decode()
    assert world.case_a.reference in page
    assert "Overdue" in page
    assert "Overdue since" in page  # the clock says why, in words


def test_today_and_alerts_show_nothing_across_the_rules(world: World, overdue: Alert) -> None:
    for who in ("noah", "oscar", "nemo", "sue"):
        client = client_for(getattr(world, who))
        home = client.get(reverse("home"), follow=True).content.decode()
        assert world.case_a.reference not in home, who
        assert world.case_a.reference not in client.get(reverse("alert-list")).content.decode()
    # Partners get notices, not the police's and navigators' alert queue.
    assert client_for(world.pat).get(reverse("alert-list")).status_code == 403


def test_acknowledge_and_resolve_from_the_queue(world: World, overdue: Alert) -> None:
    client = client_for(world.sam)
    client.post(reverse("alert-acknowledge", args=[overdue.pk]))
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.ACKNOWLEDGED and overdue.acknowledged_by == world.sam

    response = client.post(reverse("alert-resolve", args=[overdue.pk]), {"note": ""}, follow=True)
    assert "Say what was done" in response.content.decode()
    client.post(reverse("alert-resolve", args=[overdue.pk]), {"note": "Spoke to her by text"})
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.RESOLVED and overdue.resolution_note


@pytest.mark.parametrize("who", ["noah", "oscar", "pat", "nemo"])
def test_alerts_out_of_reach_cannot_be_acted_on(world: World, overdue: Alert, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.post(reverse("alert-acknowledge", args=[overdue.pk])).status_code == 404
    assert (
        client.post(reverse("alert-resolve", args=[overdue.pk]), {"note": "x"}).status_code == 404
    )
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.OPEN


def test_logging_an_update_from_the_form_clears_the_overdue_alert(
    world: World, overdue: Alert
) -> None:
    form = {
        "submission_key": str(uuid4()),
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "direction": "outbound",
        "channel": "phone_call",
        "outcome": "reached",
        "update_given": "no_news_active",
        "place": "remote",
        "wellbeing": "4",
        "trust": "",
        "notes": "Told her the file is with the CPS.",
    }
    url = reverse("checkin-create", args=[world.case_a.reference])
    response = client_for(world.nadia).post(url, form)
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.CLEARED


def test_the_form_shows_the_services_refusal_beside_the_field(world: World) -> None:
    url = reverse("checkin-create", args=[world.case_a.reference])
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "submission_key": str(uuid4()),
        "at": future,
        "direction": "outbound",
        "channel": "phone_call",
        "outcome": "reached",
        "update_given": "news",
        "place": "remote",
    }
    response = client_for(world.nadia).post(url, form)
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("who", ["noah", "pat", "nemo"])
def test_the_contact_form_is_out_of_reach_across_the_rules(world: World, who: str) -> None:
    url = reverse("checkin-create", args=[world.case_a.reference])
    assert client_for(getattr(world, who)).get(url).status_code in (403, 404)


def test_alert_queue_query_count_does_not_grow_with_alerts(
    world: World, overdue: Alert, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.sam)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("alert-list")).status_code == 200


def test_partners_are_not_offered_pages_they_cannot_use(world: World) -> None:
    # The case list sends a partner to their own shared cases, whose menu is checked.
    response = client_for(world.pat).get(reverse("case-list"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("partner-cases")}"' in page
    assert f'href="{reverse("alert-list")}"' not in page
    assert f'href="{reverse("today")}"' not in page
    assert (
        f'href="{reverse("alert-list")}"'
        in client_for(world.nadia).get(reverse("case-list")).content.decode()
    )


def test_today_names_each_cases_navigator_for_the_supervisor(world: World, overdue: Alert) -> None:
    page = client_for(world.sam).get(reverse("home"), follow=True).content.decode()
    assert str(world.nadia) in page
