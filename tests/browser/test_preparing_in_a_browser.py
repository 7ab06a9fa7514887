"""Preparing a victim for an interview on a phone: the navigator sees the interview coming on
the case page, opens the explainer in the victim's language at their level of detail, records
going through it, and the early warning stops; an officer finds the force's tactical adviser
on the case page. Each page passes axe-core, with a screenshot to look at."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cases.choices import EventKind
from cases.models import CaseEvent
from contacts.choices import Channel, LevelOfDetail
from directory.choices import SpecialistRole
from directory.services import save_entry
from explainers.library import LIBRARY
from explainers.models import Preparation
from explainers.services import load_library
from tests.alerts.helpers import agree
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_navigator_prepares_a_victim_for_an_interview(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    from django.utils import timezone

    from cases.services import record_case_event

    load_library(library=LIBRARY, acting_user=world.ada, approve=True)
    agree(
        world.case_b,
        world.noah,
        at=timezone.now() - timedelta(days=1),
        interval=7,
        language="Romanian",
        level_of_detail=LevelOfDetail.HEADLINE,
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        unsafe_channel=Channel.EMAIL,
    )
    event = record_case_event(
        case=world.case_b,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=3),
        acting_user=world.noah,
    )
    save_entry(
        acting_user=world.oscar,
        organisation=world.force_b,
        role=SpecialistRole.TACTICAL_ADVISER,
        title="Interview tactical adviser",
        mailbox="tacad@force-b.invalid",
        phone="01632 960201",
        hours="Monday to Friday 08:00 to 18:00",
    )
    reference = world.case_b.reference

    navigator = open_tab(viewport)
    page = navigator.sign_in("noah")
    navigator.go(f"/cases/{reference}/")
    coming = page.locator("#coming").locator("..")
    expect(coming).to_contain_text("Victim not yet prepared")
    expect(coming).to_contain_text("Interviul tău înregistrat video")
    expect(coming).to_contain_text("Never by email")
    navigator.check_accessibility("case-page-explainer")

    page.get_by_role("link", name=re.compile(r"Prepare .* with the explainer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("for the interview")
    expect(page.get_by_text("needs a professional translation").first).to_be_visible()
    navigator.check_accessibility("explainer-prepare")

    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Interviul tău înregistrat video")
    navigator.check_accessibility("explainer-print")
    page.go_back()

    page.get_by_role("button", name=re.compile("Record that")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    navigator.check_accessibility("explainer-prepare-errors")
    page.get_by_label("In person").check()
    page.get_by_role("button", name=re.compile("Record that")).click()
    expect(page.get_by_text("The early warning for it clears.")).to_be_visible()
    expect(page.locator("#coming").locator("..")).to_contain_text("Victim prepared")
    navigator.check_accessibility("case-page-prepared")
    assert Preparation.objects.get().event_id == event.pk
    assert CaseEvent.objects.get(pk=event.pk).victim_prepared

    officer = open_tab(viewport)
    page = officer.sign_in("oscar")
    officer.go(f"/cases/{reference}/")
    who = page.locator("#who-to-call").locator("..")
    expect(who).to_contain_text("An interview is planned")
    expect(who.get_by_role("link", name="01632 960201")).to_be_visible()
    officer.check_accessibility("case-page-who-to-call")
    page.get_by_role("link", name=re.compile("Everyone at")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who to call")
    officer.check_accessibility("who-to-call")
