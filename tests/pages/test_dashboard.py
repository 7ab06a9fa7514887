"""The supervisor's dashboard: the team at a glance, and handing a case on from it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.choices import AlertKind, Severity
from alerts.sweep import refresh_cases
from cases.choices import CaseStatus, PocRole
from cases.models import PointOfContact
from tests.alerts.helpers import agree, london, update
from tests.factories import AlertFactory, CaseFactory, PointOfContactFactory, StaffFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_figures() -> None:
    """Each test works the weekly figures out afresh (they are kept a few minutes)."""
    cache.clear()


NOW = london(2026, 11, 25, 12)


def team_case(world: World, navigator: object, **fields: object) -> object:
    case = CaseFactory(police_force=world.force_a, **fields)
    PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=navigator)
    return case


def overdue_case(world: World, navigator: object) -> object:
    """Weekly updates agreed, the last one ten days ago."""
    case = team_case(world, navigator)
    long_ago = timezone.now() - timedelta(days=10)
    agree(case, navigator, at=long_ago, interval=7)
    update(case, navigator, at=long_ago)
    return case


def test_supervisors_and_administrators_land_on_the_dashboard(world: World) -> None:
    for who in ("sam", "ada"):
        response = client_for(getattr(world, who)).get(reverse("home"))
        assert response["Location"] == reverse("dashboard"), who
    assert client_for(world.nadia).get(reverse("home"))["Location"] == reverse("today")
    admin_page = client_for(world.ada).get(reverse("dashboard")).content.decode()
    assert reverse("admin:index") in admin_page and "Open the administration" in admin_page
    assert "Open the administration" not in (
        client_for(world.sam).get(reverse("dashboard")).content.decode()
    )


def test_the_dashboard_shows_overdue_and_caseload_by_navigator(world: World) -> None:
    overdue = overdue_case(world, world.nadia)
    team_case(world, world.nadia, status=CaseStatus.PAUSED, status_reason="Asked for a break")
    refresh_cases([overdue.pk, world.case_a.pk], now=timezone.now())
    page = client_for(world.sam).get(reverse("dashboard")).content.decode()
    assert "3 open cases with 2 navigators: 1 overdue" in page
    nadia = page[page.index(str(world.nadia)) :]
    nadia = nadia[: nadia.index("</li>")]
    assert '<span class="tag tag--overdue">1</span>' in nadia
    assert "3 of 12" in nadia and "(1 paused)" in nadia
    noah = page[page.index(str(world.noah)) :]
    assert "(no capacity set)" in noah[: noah.index("</li>")]


def test_the_navigator_most_overdue_comes_first(world: World) -> None:
    overdue = overdue_case(world, world.noah)
    refresh_cases([overdue.pk], now=timezone.now())
    page = client_for(world.sam).get(reverse("dashboard")).content.decode()
    section = page[page.index('id="navigators"') : page.index('id="early-warning"')]
    assert section.index(str(world.noah)) < section.index(str(world.nadia))


def test_over_capacity_is_said_in_words(world: World) -> None:
    world.noah.caseload_capacity = 1
    world.noah.save()
    team_case(world, world.noah)
    page = client_for(world.sam).get(reverse("dashboard")).content.decode()
    assert '2 of 1 <span class="tag tag--high">Over capacity</span>' in page


def test_early_warning_levels_and_the_alerts_waiting_longest(world: World) -> None:
    now = timezone.now()
    cases = [team_case(world, world.noah) for _ in range(3)]
    AlertFactory(case=cases[0], kind=AlertKind.DISENGAGEMENT, reasons={"level": "high"})
    AlertFactory(case=cases[1], kind=AlertKind.DISENGAGEMENT, reasons={"level": "watch"})
    oldest = AlertFactory(case=cases[2], opened_at=now - timedelta(days=20), severity=Severity.HIGH)
    page = client_for(world.sam).get(reverse("dashboard")).content.decode()
    levels = page[page.index('id="early-warning"') : page.index('id="waiting"')]
    assert "High</span></dt><dd>1 case<" in levels
    assert "Watch</span></dt><dd>1 case<" in levels
    assert "No signs</dt><dd>3 cases<" in levels  # case_a, case_b and the third
    waiting = page[page.index('id="waiting"') :]
    assert waiting.index(oldest.case.reference) < waiting.index(cases[0].reference)


def test_the_chart_counts_the_teams_updates_week_by_week(world: World) -> None:
    with time_machine.travel(london(2026, 11, 2, 10), tick=False):
        agree(world.case_a, world.nadia, at=london(2026, 11, 2, 10), interval=7)
    with time_machine.travel(london(2026, 11, 9, 9), tick=False):
        update(world.case_a, world.nadia, at=london(2026, 11, 9, 9))  # on time
    with time_machine.travel(NOW, tick=False):
        # The next was due Monday 16th, missed at the end of it; and the one after, due
        # Monday 23rd, missed too: each week's missed update counts in its own week.
        page = client_for(world.sam).get(reverse("dashboard")).content.decode()
    assert "This week so far: 0% on time (0 of 1 updates). Last week: 0% on time (0 of 1" in page
    assert "between 0% and 100% on time, 1 of 3 in all." in page
    assert "<td>Week beginning 9 Nov</td><td>1 of 1</td><td>100%</td>" in page
    assert "<td>Week beginning 16 Nov</td><td>0 of 1</td><td>0%</td>" in page
    assert 'class="chart__bar"' in page and '<title id="on-time-title">' in page


def test_a_supervisor_hands_a_case_to_another_navigator_of_the_team(world: World) -> None:
    response = client_for(world.sam).post(
        reverse("dashboard-hand-on"),
        {
            "reference": world.case_a.reference.lower(),
            "person": world.noah.pk,
            "introduced_by_predecessor": "on",
        },
        follow=True,
    )
    assert f"Case {world.case_a.reference} is now with {world.noah}." in response.content.decode()
    current = PointOfContact.objects.get(
        case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
    )
    assert current.person == world.noah and current.introduced_by_predecessor


def test_handing_on_refuses_with_the_error_beside_the_field_keeping_what_was_typed(
    world: World,
) -> None:
    client = client_for(world.sam)
    outsider = StaffFactory(role=Role.NAVIGATOR, organisation=world.nadia.organisation)
    cases = [
        ({"reference": "C-NOPE1", "person": world.noah.pk}, "No case of your team has this"),
        ({"reference": world.case_b.reference, "person": world.noah.pk}, "already the point"),
        ({"reference": world.case_a.reference, "person": outsider.pk}, "navigator in your team"),
        ({"reference": "", "person": ""}, "Enter the case reference."),
    ]
    for form, problem in cases:
        page = client.post(reverse("dashboard-hand-on"), form).content.decode()
        assert "There is a problem" in page and problem in page, problem
        assert f'value="{form["reference"]}"' in page or not form["reference"]
    assert (
        PointOfContact.objects.get(
            case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
        ).person
        == world.nadia
    )


@pytest.mark.parametrize("who", ["sue", "ada"])
def test_a_case_outside_the_team_cannot_be_handed_on(world: World, who: str) -> None:
    """Sue's team is empty; an administrator may hand any case, but only to a navigator."""
    response = client_for(getattr(world, who)).post(
        reverse("dashboard-hand-on"),
        {"reference": world.case_a.reference, "person": world.olive.pk},
    )
    assert response.status_code == 200
    assert (
        PointOfContact.objects.get(
            case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
        ).person
        == world.nadia
    )


@pytest.mark.parametrize("who", ["nadia", "olive", "pat", "nemo"])
def test_the_dashboard_is_for_supervisors_and_administrators_only(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(reverse("dashboard")).status_code == 403
    response = client.post(
        reverse("dashboard-hand-on"), {"reference": world.case_a.reference, "person": world.noah.pk}
    )
    assert response.status_code == 403


def test_another_teams_supervisor_sees_none_of_this_team(world: World) -> None:
    overdue = overdue_case(world, world.nadia)
    AlertFactory(case=overdue, kind=AlertKind.DISENGAGEMENT, reasons={"level": "high"})
    refresh_cases([overdue.pk], now=timezone.now())
    page = client_for(world.sue).get(reverse("dashboard")).content.decode()
    assert "0 open cases with 0 navigators: 0 overdue, 0 open alerts." in page
    for name in (str(world.nadia), str(world.noah), overdue.reference, world.case_a.reference):
        assert name not in page
    assert "No updates were due in the last 12 weeks." in page


def test_the_dashboard_costs_the_same_queries_for_a_small_team_or_a_large_one(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(world.sam)
    overdue_case(world, world.nadia)
    client.get(reverse("dashboard"))
    cache.clear()
    with django_assert_num_queries(10):
        assert client.get(reverse("dashboard")).status_code == 200
    for _ in range(4):
        navigator = StaffFactory(
            role=Role.NAVIGATOR, organisation=world.nadia.organisation, supervisor=world.sam
        )
        for _ in range(3):
            case = overdue_case(world, navigator)
            AlertFactory(case=case, kind=AlertKind.PROMISE_OVERDUE, assigned_to=navigator)
    cache.clear()
    with django_assert_num_queries(10):
        page = client.get(reverse("dashboard")).content.decode()
    assert "15 open cases with 6 navigators" in page
    # Within five minutes the weekly figures are not worked out again: two queries fewer.
    with django_assert_num_queries(8):
        client.get(reverse("dashboard"))


def test_the_weekly_figures_are_kept_for_each_person_a_few_minutes(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        agree(world.case_a, world.nadia, at=NOW - timedelta(days=5), interval=7)
        client_for(world.sam).get(reverse("dashboard"))
        update(world.case_a, world.nadia, at=NOW - timedelta(hours=1))
        kept = client_for(world.sam).get(reverse("dashboard")).content.decode()
        # Another person's figures are their own, worked out now.
        fresh = client_for(world.ada).get(reverse("dashboard")).content.decode()
    assert "No updates were due in the last 12 weeks." in kept
    assert "This week so far: 100% on time (1 of 1 updates)." in fresh
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        later = client_for(world.sam).get(reverse("dashboard")).content.decode()
    assert "This week so far: 100% on time (1 of 1 updates)." in later


def test_a_cache_that_is_down_only_means_the_figures_are_worked_out_each_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    response = client_for(world.sam).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Updates on time" in response.content.decode()
