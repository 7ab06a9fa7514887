"""Today, as its readers see it: what needs doing first, why, and how to make contact."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from alerts.sweep import refresh_cases
from audit.models import AccessLogEntry
from cases.choices import EventKind, PocRole
from cases.models import ImportantDate
from cases.services import record_case_event
from contacts.choices import AvoidFlag, Channel
from tests.alerts.helpers import agree, update
from tests.factories import CaseFactory, PointOfContactFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_a_navigator_sees_what_needs_doing_first_with_why_and_how(
    world: World, overdue: Alert
) -> None:
    name = world.case_a.victim.display_name
    page = client_for(world.nadia).get(reverse("today")).content.decode()
    assert "Overdue <span" in page
    assert name in page
    assert "Overdue since" in page  # why, in words
    assert f"Text {name}, headlines only." in page  # how, from the agreement
    assert reverse("checkin-create", args=[world.case_a.reference]) in page


def test_the_order_is_overdue_then_due_today_then_early_warning_then_coming_up(
    world: World,
) -> None:
    now = timezone.now()
    cases = {}
    for label in ("coming", "warning", "due", "overdue", "fine"):
        case = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=world.nadia)
        cases[label] = case
    agree(cases["overdue"], world.nadia, at=now - timedelta(days=10), interval=7)
    update(cases["overdue"], world.nadia, at=now - timedelta(days=10))
    agree(cases["due"], world.nadia, at=now - timedelta(days=7, minutes=-60), interval=7)
    update(cases["due"], world.nadia, at=now - timedelta(days=7, minutes=-60))
    agree(cases["fine"], world.nadia, at=now - timedelta(days=1), interval=14)
    update(cases["fine"], world.nadia, at=now - timedelta(days=1))
    agree(cases["coming"], world.nadia, at=now - timedelta(days=1), interval=14)
    update(cases["coming"], world.nadia, at=now - timedelta(days=1))
    record_case_event(
        case=cases["coming"],
        kind=EventKind.INTERVIEW,
        at=now + timedelta(days=3),
        acting_user=world.nadia,
        victim_prepared=True,
    )
    agree(cases["warning"], world.nadia, at=now - timedelta(days=5), interval=14)
    update(
        cases["warning"], world.nadia, at=now - timedelta(days=5), concerns=["wants_to_withdraw"]
    )
    refresh_cases([c.pk for c in cases.values()], now=now)

    page = client_for(world.nadia).get(reverse("today")).content.decode()
    positions = [
        page.index(cases[label].reference) for label in ("overdue", "due", "warning", "coming")
    ]
    assert positions == sorted(positions)
    assert page.index("Overdue <span") < page.index("Due today") < page.index("Early warning <span")
    assert "Signs of drifting away" in page and "Interview" in page
    assert cases["fine"].reference not in page
    assert "other case" in page and "on track" in page


def test_key_decisions_not_yet_told_are_at_the_top(world: World) -> None:
    agree(world.case_a, world.nadia, at=timezone.now() - timedelta(days=3), interval=7)
    record_case_event(
        case=world.case_a,
        kind=EventKind.ARREST,
        at=timezone.now() - timedelta(hours=2),
        acting_user=world.nadia,
        is_key_decision=True,
    )
    page = client_for(world.nadia).get(reverse("today")).content.decode()
    name = world.case_a.victim.display_name
    assert page.index("Key decisions to tell") < page.index("<h2", page.index("Key decisions") + 10)
    assert f"Tell {name} of the arrest (today)" in page


def test_coming_up_names_dates_that_matter(world: World) -> None:
    agree(world.case_a, world.nadia, at=timezone.now() - timedelta(days=1), interval=14)
    update(world.case_a, world.nadia, at=timezone.now() - timedelta(days=1))
    ImportantDate.objects.create(
        victim=world.case_a.victim,
        label="Her daughter's birthday",
        date=(timezone.localdate() + timedelta(days=2)).replace(year=2015),
    )
    page = client_for(world.nadia).get(reverse("today")).content.decode()
    assert "Her daughter&#x27;s birthday" in page


def test_a_supervisor_sees_the_team_with_each_navigator_named(world: World, overdue: Alert) -> None:
    page = client_for(world.sam).get(reverse("today")).content.decode()
    assert world.case_a.reference in page
    assert f"navigator {world.nadia}" in page
    assert "Your team" in page


@pytest.mark.parametrize("who", ["olive", "pat"])
def test_today_is_not_for_officers_or_partners(world: World, overdue: Alert, who: str) -> None:
    assert client_for(getattr(world, who)).get(reverse("today")).status_code == 403


@pytest.mark.parametrize("who", ["noah", "nemo", "sue"])
def test_today_shows_nobody_elses_cases(world: World, overdue: Alert, who: str) -> None:
    page = client_for(getattr(world, who)).get(reverse("today")).content.decode()
    assert world.case_a.reference not in page
    assert world.case_a.victim.display_name not in page


def test_today_needs_signing_in(world: World) -> None:
    from django.test import Client

    response = Client().get(reverse("today"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_every_victim_named_on_today_is_in_the_access_log(world: World, overdue: Alert) -> None:
    client_for(world.nadia).get(reverse("today"))
    assert AccessLogEntry.objects.filter(
        reader=world.nadia, case_id=world.case_a.pk, channel="page"
    ).exists()


def _queries_for_today(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("today")).status_code == 200
    return len(queries.captured_queries)


def test_todays_queries_do_not_grow_with_the_caseload(world: World) -> None:
    now = timezone.now()

    def add_cases(count: int) -> None:
        for number in range(count):
            case = CaseFactory(police_force=world.force_a)
            PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=world.nadia)
            agree(
                case,
                world.nadia,
                at=now - timedelta(days=10),
                interval=7,
                avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
                channels=[Channel.TEXT],
                preferred_contact=world.nadia,
            )
            update(case, world.nadia, at=now - timedelta(days=10 - number % 4))
            record_case_event(
                case=case,
                kind=EventKind.ARREST,
                at=now - timedelta(hours=1),
                acting_user=world.nadia,
                is_key_decision=True,
            )
            ImportantDate.objects.create(victim=case.victim, label="Birthday", date=now.date())
            refresh_cases([case.pk], now=now)

    client = client_for(world.nadia)
    add_cases(2)
    few = _queries_for_today(client)
    add_cases(10)
    many = _queries_for_today(client)
    assert few == many <= 12, (few, many)
