"""Changing a point of contact and handing a navigator's cases on, in a real browser: the
pages pass axe-core at a phone's and a desktop's width, with screenshots to look at."""

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from cases.choices import PocRole
from cases.models import PointOfContact
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.factories import CaseFactory, PointOfContactFactory
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]


def speakers(world: World) -> None:
    world.noah.languages, world.noah.caseload_capacity = ["Tigrinya", "English"], 4
    world.noah.save()
    world.nemo.languages, world.nemo.caseload_capacity = ["English"], 1
    world.nemo.save()
    PointOfContactFactory(
        case=CaseFactory(police_force=world.force_a), role=PocRole.NAVIGATOR, person=world.nemo
    )
    world.case_a.victim.preferred_language = "Tigrinya"
    world.case_a.victim.save()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_supervisor_changes_the_navigator_choosing_by_load_and_language(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    speakers(world)
    tab = open_tab(viewport)
    tab.sign_in("sam")
    page = tab.go(f"/cases/{world.case_a.reference}/")
    page.get_by_role("link", name="Change the navigator point of contact").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change the navigator")
    noah = page.locator(".choice--candidate", has_text=str(world.noah))
    expect(noah).to_contain_text("1 of 4 cases")
    expect(noah).to_contain_text("Speaks Tigrinya")
    expect(
        page.locator(".choice--candidate", has_text=str(world.nemo)).locator(".tag")
    ).to_have_text("Full: 1 of 1 case")
    tab.check_accessibility("point-of-contact-change")
    page.get_by_label(str(world.noah)).check()
    page.get_by_label("Yes, they have been introduced").check()
    page.get_by_label("Why is it changing?").fill("Nadia is moving office")
    page.get_by_role("button", name="Change the point of contact").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{world.noah} is now the navigator point of contact, introduced by their predecessor."
    )
    assert (
        PointOfContact.objects.get(
            case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
        ).person
        == world.noah
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_supervisor_hands_all_of_a_navigators_cases_on(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    speakers(world)
    tab = open_tab(viewport)
    tab.sign_in("sam")
    page = tab.go(f"/cases/{world.case_a.reference}/")
    page.get_by_role("link", name=f"Hand on all of {world.nadia}'s cases").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hand on all of")
    tab.check_accessibility("hand-on-cases")
    page.get_by_label("No, not all of them").check()
    page.get_by_role("button", name="Hand on 1 case").click()
    expect(page.get_by_role("status")).to_contain_text(f"1 case handed on from {world.nadia}.")
