"""The agreement editor in a real browser: a navigator records a new version on a phone and
sees what changed; the editor and the versions pass axe-core at both widths."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.choices import AvoidFlag, Channel
from tests.alerts.helpers import agree
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]


def agreed(world: World) -> None:
    agree(
        world.case_a,
        world.nadia,
        at=timezone.now() - timedelta(days=7),
        interval=7,
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
        agreed_through="In person with Nadia",
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_navigator_records_a_new_agreement_version_and_sees_what_changed(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    agreed(world)
    tab = open_tab(viewport)
    tab.sign_in("nadia")
    page = tab.go(f"/cases/{world.case_a.reference}/")
    page.get_by_role("link", name="Change the agreement").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Change the agreement")
    expect(page.get_by_label("How often do they want an update?")).to_have_value("7")
    tab.check_accessibility("agreement-editor")
    page.get_by_label("How often do they want an update?").fill("3")
    page.get_by_label("Full detail").check()
    page.get_by_role("group", name="Which days?").get_by_label("Saturday").check()
    page.get_by_role("group", name="Which days?").get_by_label("Sunday").check()
    page.get_by_label("Not before").first.fill("10:00")
    page.get_by_label("Through whom did they agree it?").fill("By phone, with an interpreter")
    page.get_by_role("button", name="Save the new version").click()

    expect(page.get_by_role("status")).to_contain_text("Version 2 of the agreement is recorded.")
    comparison = page.locator(".panel", has_text="From version 1 to version 2")
    expect(comparison).to_contain_text(
        "An update every 3 days, instead of every 7 days: more often."
    )
    expect(comparison).to_contain_text(
        "Level of detail: in full detail, instead of headlines only."
    )
    expect(comparison).to_contain_text(
        "Contact only weekends after 10:00, instead of at any time of day (UK time)."
    )
    expect(page.locator(".card")).to_have_count(2)
    tab.check_accessibility("agreement-versions")


def test_a_stale_agreement_form_shows_the_conflict(world: World, open_tab: OpenTab) -> None:
    agreed(world)
    tab = open_tab(PHONE)
    tab.sign_in("nadia")
    page = tab.go(f"/cases/{world.case_a.reference}/agreement/")
    # Someone else records version 2 meanwhile.
    agree(world.case_a, world.sam, at=timezone.now(), interval=2)
    page.get_by_label("How often do they want an update?").fill("3")
    page.get_by_role("button", name="Save the new version").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The agreement changed while you were editing")
    expect(alert).to_contain_text("An update every 2 days, instead of every 7 days")
    expect(page.get_by_label("How often do they want an update?")).to_have_value("3")
    tab.check_accessibility("agreement-conflict")
