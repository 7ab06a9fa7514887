"""Handovers in a real browser: a navigator hands a case's support over from the case page,
and the partner's caseworker acknowledges and accepts it; each page passes axe-core at a
phone's and a desktop's width, with a screenshot to look at."""

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from handovers.choices import HandoverState
from handovers.models import Handover
from tests.alerts.helpers import agree
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_handover_sent_acknowledged_and_accepted(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    from django.utils import timezone

    agree(world.case_a, world.nadia, at=timezone.now(), interval=7)
    reference = world.case_a.reference
    navigator = open_tab(viewport)
    page = navigator.sign_in("nadia")
    navigator.go(f"/cases/{reference}/")
    page.get_by_role("link", name="Hand over").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hand over")
    navigator.check_accessibility("handover-send")
    page.get_by_label("Referral to a support service").check()
    page.get_by_role("button", name="Send the handover").click()
    expect(page.locator(".error-summary")).to_be_focused()
    navigator.check_accessibility("handover-send-errors")
    page.get_by_label("Which organisation receives it?").select_option(label="Haven")
    page.get_by_label("Why is it being handed over?").fill("She asked for counselling.")
    page.get_by_label("Needs and risks").fill("Afraid of being seen near her old work.")
    page.get_by_role("button", name="Send the handover").click()
    expect(page.get_by_text("Handover sent to Haven")).to_be_visible()
    expect(page.locator("#handovers").locator("..")).to_contain_text("Sent, waiting")
    navigator.check_accessibility("case-page-handovers")

    partner = open_tab(viewport)
    page = partner.sign_in("pat")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Handovers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handovers to you")
    partner.check_accessibility("handover-inbox")
    page.get_by_role("link", name="Referral to a support service").click()
    expect(page.get_by_text("Afraid of being seen near her old work.")).to_be_visible()
    partner.check_accessibility("handover-detail")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged: the sender knows you have it.")).to_be_visible()
    page.get_by_text("Decline it").click()
    page.get_by_role("button", name="Decline the handover").click()
    expect(page.locator(".error-summary")).to_be_visible()
    partner.check_accessibility("handover-decline-error")
    page.get_by_role("button", name="Accept the handover").click()
    expect(page.get_by_text("Accepted: the responsibility is now yours.")).to_be_visible()
    partner.check_accessibility("handover-accepted")
    assert Handover.objects.get().state == HandoverState.ACCEPTED
