"""A supervisor in a real browser: reads the dashboard's chart, then resolves alerts in bulk,
at a phone's width and a desktop's, with axe-core on each page and screenshots to look at."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alerts.choices import AlertKind, AlertStatus, Severity
from alerts.models import Alert
from cases.choices import PocRole
from tests.alerts.helpers import agree, update
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.factories import AlertFactory, CaseFactory, PointOfContactFactory
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def a_team_at_work(world: World) -> list[Alert]:
    """Ten weeks of weekly updates on two cases, some of them late; three open alerts."""
    now = timezone.now()
    started = now - timedelta(weeks=10)
    for case, navigator, late_every in (
        (world.case_a, world.nadia, 3),
        (world.case_b, world.noah, 4),
    ):
        agree(case, navigator, at=started, interval=7)
        at = started
        for week in range(1, 10):
            at += timedelta(days=9 if week % late_every == 0 else 6)
            if at < now:
                update(case, navigator, at=at)
    cases = [world.case_a, world.case_b]
    for navigator in (world.nadia, world.noah):
        case = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=navigator)
        cases.append(case)
    return [
        AlertFactory(
            case=cases[2],
            kind=AlertKind.PROMISE_OVERDUE,
            assigned_to=world.nadia,
            opened_at=now - timedelta(days=6),
        ),
        AlertFactory(
            case=cases[3],
            kind=AlertKind.AGREEMENT_REVIEW_DUE,
            severity=Severity.LOW,
            assigned_to=world.noah,
            opened_at=now - timedelta(days=3),
        ),
        AlertFactory(
            case=cases[0],
            kind=AlertKind.DISENGAGEMENT,
            severity=Severity.HIGH,
            reasons={"level": "high"},
            assigned_to=world.nadia,
            opened_at=now - timedelta(days=1),
        ),
    ]


@WIDTHS
def test_a_supervisor_reads_the_dashboard_and_resolves_alerts_in_bulk(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    world.nadia.caseload_capacity = 1
    world.nadia.save()
    promise, review, warning = a_team_at_work(world)
    tab = open_tab(viewport)
    page = tab.sign_in("sam")

    # The dashboard: where a supervisor lands.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team")
    chart = page.get_by_role("img", name="Share of updates on time")
    expect(chart).to_be_visible()
    expect(page.locator("#on-time-summary")).to_contain_text("on time")
    expect(page.locator("svg.chart rect.chart__bar").first).to_be_visible()
    page.get_by_text("Show the weeks as a table").click()
    expect(page.get_by_role("table")).to_contain_text("Week beginning")
    expect(page.locator("#navigators")).to_be_visible()
    expect(page.get_by_text("Over capacity")).to_be_visible()
    tab.check_accessibility("dashboard")

    # The queue: tick two alerts and resolve them at once.
    page.get_by_role("link", name="Alerts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open alerts")
    tab.check_accessibility("alerts-supervisor")
    page.get_by_label(f"Tick case {promise.case.reference}").check()
    page.get_by_label(f"Tick case {review.case.reference}").check()
    page.get_by_label("Resolve, saying what was done").check()
    page.get_by_role("button", name="Apply to the ticked alerts").click()
    expect(page.locator(".error-summary")).to_be_focused()  # no note: nothing done
    expect(page.locator(".error-summary")).to_contain_text("Say what was done")
    expect(page.get_by_label(f"Tick case {promise.case.reference}")).to_be_checked()
    tab.check_accessibility("alerts-bulk-error")
    page.get_by_label("What was done about them?").fill("Spoke to both navigators; sorted")
    page.get_by_role("button", name="Apply to the ticked alerts").click()
    expect(page.locator(".notice--success")).to_have_text("2 alerts resolved.")
    tab.check_accessibility("alerts-bulk-done")
    for alert in (promise, review):
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED
    warning.refresh_from_db()
    assert warning.status == AlertStatus.OPEN

    # Narrowed to high severity, only the early warning is left.
    page.get_by_label("Severity").select_option("3")
    page.get_by_role("button", name="Show alerts").click()
    expect(page.locator(".cards > li")).to_have_count(1)
    assert "severity=3" in page.url and world.case_a.reference not in page.url
    tab.check_accessibility("alerts-filtered")

    # Hand a case to another navigator from the dashboard: a mistyped reference first.
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.get_by_label("Case reference").fill("C-NOPE9")
    page.get_by_label("New navigator").select_option(label=str(world.nadia))
    page.get_by_role("button", name="Hand the case on").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".field-error")).to_contain_text("No case of your team has this")
    expect(page.get_by_label("Case reference")).to_have_value("C-NOPE9")
    tab.check_accessibility("dashboard-hand-on-error")
    page.get_by_label("Case reference").fill(world.case_b.reference)
    page.get_by_role("button", name="Hand the case on").click()
    expect(page.locator(".notice--success")).to_have_text(
        f"Case {world.case_b.reference} is now with {world.nadia}."
    )
    assert world.case_b.reference not in page.url
