"""The small forms from the case page, in a real browser: a navigator on a phone records a
promise and a case event; every form passes axe-core at a phone's and a desktop's width,
with a screenshot of each saved to look at."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.choices import Concern
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.factories import CheckInFactory, PromiseFactory
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]


def test_a_navigator_on_a_phone_records_a_promise_and_a_case_event(
    world: World, open_tab: OpenTab
) -> None:
    tab = open_tab(PHONE)
    page = tab.sign_in("nadia")
    tab.go(f"/cases/{world.case_a.reference}/")
    page.get_by_role("link", name="Record a promise").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record a promise")
    due = (timezone.localtime() + timedelta(days=3)).replace(hour=17, minute=0)
    page.get_by_label("What did you promise them?").fill("I will ring you after the hearing.")
    page.get_by_label("When is it due?").fill(due.strftime("%Y-%m-%dT%H:%M"))
    tab.check_accessibility("promise-form")
    page.get_by_role("button", name="Record the promise").click()
    expect(page.get_by_role("status")).to_contain_text("Promise recorded, due")
    promises = page.locator("section", has=page.get_by_role("heading", name="Open promises"))
    expect(promises).to_contain_text("I will ring you after the hearing.")

    page.get_by_role("link", name="Record an event").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an event")
    page.get_by_label("Court hearing").check()
    hearing = (timezone.localtime() + timedelta(days=20)).replace(hour=10, minute=0)
    page.get_by_label("When is it, or when was it?").fill(hearing.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("The victim has been prepared for it").check()
    tab.check_accessibility("event-form")
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_role("status")).to_contain_text("Court hearing recorded")
    coming = page.locator("section", has=page.get_by_role("heading", name="Coming up"))
    expect(coming).to_contain_text("Court hearing")
    tab.check_accessibility("case-page-after-forms")


def test_a_refused_event_says_why_beside_the_field_on_a_phone(
    world: World, open_tab: OpenTab
) -> None:
    tab = open_tab(PHONE)
    page = tab.sign_in("nadia")
    tab.go(f"/cases/{world.case_a.reference}/events/new/")
    page.get_by_label("Interview").check()
    page.get_by_label("When is it, or when was it?").fill("1900-01-01T10:00")
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator(".field--error")).to_contain_text("cannot be before the case was opened")
    expect(page.get_by_label("Interview")).to_be_checked()
    tab.check_accessibility("event-form-refused")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_small_form_passes_axe(world: World, open_tab: OpenTab, viewport: dict) -> None:
    promise = PromiseFactory(case=world.case_a, made_by=world.nadia)
    checkin = CheckInFactory(
        case=world.case_a, by=world.nadia, concerns=[Concern.SAFETY_FEAR, Concern.HOUSING]
    )
    tab = open_tab(viewport)
    tab.sign_in("nadia")
    case = f"/cases/{world.case_a.reference}"
    for name, path in [
        ("case-page-forms", f"{case}/"),
        ("promise-kept", f"{case}/promises/{promise.pk}/"),
        ("dates-that-matter", f"{case}/dates/"),
        ("concern-response", f"{case}/contacts/{checkin.pk}/concerns/"),
        ("sharing", f"{case}/sharing/"),
    ]:
        tab.go(path)
        tab.check_accessibility(name)
