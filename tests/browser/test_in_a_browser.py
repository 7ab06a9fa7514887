"""What people do, in a real browser: sign in, log a contact on a phone, see alerts come and
go, stay out of what is not theirs; and every page built here passes axe-core at a phone's
and a desktop's width, with a screenshot of each saved to look at."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from alerts.sweep import run_sweep
from cases.choices import EventKind
from cases.models import Case, CaseEvent, ImportantDate
from cases.services import record_case_event
from contacts.choices import AvoidFlag, Channel
from contacts.services import make_promise
from partners.models import PartnerNotice
from partners.outbox import issue_tipping_point_notices
from tests.alerts.helpers import agree, update
from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.factories import VictimLocationFactory
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OpenTab = Callable[..., Tab]


def make_overdue(world: World) -> None:
    """case_a: texts every 7 days agreed, the last update ten days ago, not yet swept."""
    long_ago = timezone.now() - timedelta(days=10)
    agree(
        world.case_a,
        world.nadia,
        at=long_ago,
        interval=7,
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
    )
    update(world.case_a, world.nadia, at=long_ago, wellbeing=4, trust=3)
    # As if the sweep had not come round yet since the update fell due.
    Case.objects.filter(pk=world.case_a.pk).update(
        next_check_at=timezone.now() - timedelta(minutes=1), clock_state="on_track"
    )


def test_each_role_signs_in_to_its_own_page(world: World, open_tab: OpenTab) -> None:
    for who, heading in [
        ("nadia", "Today"),
        ("sam", "Your team"),
        ("olive", "Find a case"),
        ("pat", "Inbox"),
        ("ada", "Every team"),
    ]:
        page = open_tab().sign_in(getattr(world, who).username)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def test_setting_up_two_factor(world: World, open_tab: OpenTab) -> None:
    tab = open_tab(PHONE)
    tab.sign_in("nadia")
    page = tab.go("/account/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.locator("svg.qr-code")).to_be_visible()
    device = TOTPDevice.objects.get(user=world.nadia, confirmed=False)
    page.get_by_label("Code", exact=True).fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(page.locator(".codes li")).to_have_count(10)


def test_a_navigator_on_a_phone_logs_a_contact_and_sees_the_clock_change(
    world: World, open_tab: OpenTab
) -> None:
    make_overdue(world)
    run_sweep(now=timezone.now())
    name = world.case_a.victim.display_name
    tab = open_tab(PHONE)
    page = tab.sign_in("nadia")
    card = page.locator(".card", has_text=name)
    expect(card).to_contain_text("Overdue since")
    expect(card).to_contain_text(f"Text {name}, headlines only; never from a withheld number.")
    card.get_by_role("link", name=f"Log a contact with {name}").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a contact")
    expect(page.get_by_label("Text message (agreed)")).to_be_checked()
    page.get_by_label("Reached").check()
    page.get_by_label("Yes: no news, but the case is still active").check()
    page.get_by_role("group", name="Wellbeing").get_by_label("4").check()
    page.get_by_label("Notes").fill("Told her the file is with the CPS; she is relieved.")
    tab.no_sideways_scrolling()
    page.get_by_role("button", name="Save the contact").click()

    expect(page.get_by_role("status")).to_contain_text("Contact logged. Next update due")
    expect(page.get_by_role("status")).to_contain_text("the overdue alert is cleared")
    expect(page.locator(".lead")).to_contain_text("On track: next update due")
    tab.no_sideways_scrolling()


def test_an_overdue_alert_appears_after_a_sweep_and_clears_after_an_update(
    world: World, open_tab: OpenTab
) -> None:
    make_overdue(world)
    tab = open_tab(DESKTOP)
    page = tab.sign_in("nadia")
    tab.go("/alerts/")
    expect(page.locator(".cards").get_by_text("Update overdue")).to_have_count(0)

    run_sweep(now=timezone.now())  # beat's next pass
    page.reload()
    expect(
        page.get_by_role("heading", name="High Update overdue").or_(
            page.get_by_role("heading", name="Medium Update overdue")
        )
    ).to_be_visible()

    tab.go(f"/cases/{world.case_a.reference}/contacts/new/")
    page.get_by_label("Reached").check()
    page.get_by_label("Yes, there was news").check()
    page.get_by_role("button", name="Save the contact").click()
    expect(page.get_by_role("status")).to_contain_text("the overdue alert is cleared")
    tab.go("/alerts/")
    expect(page.locator(".cards").get_by_text("Update overdue")).to_have_count(0)


def test_a_partner_cannot_open_a_staff_page(world: World, open_tab: OpenTab) -> None:
    tab = open_tab(PHONE)
    page = tab.sign_in("pat")
    for path in (
        "/today/",
        "/alerts/",
        "/find/",
        "/report/",
        f"/cases/{world.case_a.reference}/contacts/new/",
        f"/cases/{world.case_a.reference}/timeline/",
    ):
        tab.go(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do that here")
    tab.go(f"/cases/{world.case_b.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    tab.go(f"/cases/{world.case_a.reference}/")  # shared with her organisation: her own page
    assert page.url.endswith(f"/partner/cases/{world.case_a.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.case_a.reference)
    expect(page.get_by_text(world.case_a.victim.full_name)).to_have_count(0)


def full_case(world: World) -> None:
    make_overdue(world)
    now = timezone.now()
    update(world.case_a, world.nadia, at=now - timedelta(days=20), wellbeing=2, trust=2)
    make_promise(
        case=world.case_a,
        acting_user=world.nadia,
        description="Call back with the hearing date",
        due_by=now + timedelta(days=2),
    )
    record_case_event(
        case=world.case_a,
        kind=EventKind.COURT_HEARING,
        at=now + timedelta(days=5),
        acting_user=world.nadia,
    )
    record_case_event(
        case=world.case_a,
        kind=EventKind.ARREST,
        at=now - timedelta(hours=3),
        acting_user=world.nadia,
        is_key_decision=True,
    )
    ImportantDate.objects.create(
        victim=world.case_a.victim, label="Birthday", date=timezone.localdate()
    )
    VictimLocationFactory(victim=world.case_a.victim)
    run_sweep(now=now)


WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@WIDTHS
def test_the_signing_in_pages_pass_axe(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    tab = open_tab(viewport)
    page = tab.go("/sign-in/")
    tab.check_accessibility("sign-in")
    tab.sign_in("nadia", "wrong")
    expect(page.locator(".error-summary")).to_be_visible()
    tab.check_accessibility("sign-in-error")
    tab.go("/sign-in/reset/")
    tab.check_accessibility("password-reset")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_role("button", name="Send the link").click()
    tab.check_accessibility("password-reset-sent")
    for _ in range(4):  # five wrong in all
        tab.sign_in("nadia", "wrong")
    tab.sign_in("nadia")  # now even the right password is refused
    expect(page.get_by_role("heading", level=1)).to_have_text("This account is locked for now")
    tab.check_accessibility("locked-out")

    # Two-factor sign-in, with a code from the app.
    device = TOTPDevice.objects.create(user=world.sam, name="Authenticator app", confirmed=True)
    second = open_tab(viewport)
    second.sign_in("sam")
    second.check_accessibility("two-factor-code")
    second.page.get_by_label("Code", exact=True).fill(f"{totp(device.bin_key):06d}")
    second.page.get_by_role("button", name="Continue").click()
    expect(second.page.get_by_role("heading", level=1)).to_have_text("Your team")  # signed in
    second.go("/account/")
    second.check_accessibility("account")
    second.page.get_by_role("button", name="Make new recovery codes").click()
    second.check_accessibility("recovery-codes")

    third = open_tab(viewport)
    third.sign_in("noah")
    third.go("/account/two-factor/set-up/")
    third.check_accessibility("two-factor-set-up")
    third.page.get_by_role("button", name="Turn on two-factor sign-in").click()
    third.check_accessibility("two-factor-set-up-error")
    third.go("/account/password/")
    third.check_accessibility("change-password")


@WIDTHS
def test_the_working_pages_pass_axe(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    full_case(world)
    reference = world.case_a.reference
    tab = open_tab(viewport)
    page = tab.sign_in("nadia")
    tab.check_accessibility("today")
    tab.go(f"/cases/{reference}/")
    tab.check_accessibility("case-page")
    page.get_by_text("Record the engagement measures").click()
    page.get_by_label("When was support offered?").fill("1900-01-01")
    page.get_by_label("Yes").check()
    page.get_by_label("Positive").check()
    page.get_by_role("button", name="Save the measures").click()  # sent by htmx, in place
    expect(page.locator("#engagement")).to_contain_text("Support cannot be before")
    tab.check_accessibility("case-page-engagement-error")
    tab.go(f"/cases/{reference}/timeline/?before={timezone.now().isoformat()}")
    tab.check_accessibility("timeline")
    tab.go(f"/cases/{reference}/contacts/new/")
    tab.check_accessibility("log-a-contact")
    page.get_by_role("button", name="Save the contact").click()  # nothing chosen
    expect(page.locator(".error-summary")).to_be_focused()
    tab.check_accessibility("log-a-contact-errors")
    tab.go("/cases/")
    tab.check_accessibility("case-list")
    tab.go("/alerts/")
    tab.check_accessibility("alerts")
    tab.go(f"/cases/{world.case_b.reference}/")
    tab.check_accessibility("not-found")

    officer = open_tab(viewport)
    officer.sign_in("olive")
    officer.check_accessibility("find-a-case")
    officer.go(f"/cases/{reference}/")
    officer.check_accessibility("case-page-officer")
    partner = open_tab(viewport)
    partner.sign_in("pat")
    partner.go("/today/")
    partner.check_accessibility("not-allowed")


@WIDTHS
def test_a_partner_caseworker_on_a_phone_acknowledges_a_hard_moment(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    """At a phone's width (and a desktop's): the notice of an interview waits in the inbox,
    is acknowledged, and shows as acknowledged; the case's team sees partners were told."""
    full_case(world)  # a court hearing in five days: Haven has its notice
    record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=2),
        acting_user=world.nadia,
    )
    issue_tipping_point_notices(now=timezone.now())
    reference = world.case_a.reference
    tab = open_tab(viewport)
    page = tab.sign_in("pat")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    tab.check_accessibility("partner-inbox")
    card = page.locator(".card", has_text="Interview for case")
    expect(card).to_contain_text("New")
    expect(card).to_contain_text(reference)
    card.get_by_role("button", name="Acknowledge").click()

    expect(page.get_by_role("status")).to_contain_text("Acknowledged: advance notice")
    card = page.locator(".card", has_text="Interview for case")
    expect(card).to_contain_text("Acknowledged")
    expect(card.get_by_role("button", name="Acknowledge")).to_have_count(0)
    tab.check_accessibility("partner-inbox-acknowledged")
    interview = CaseEvent.objects.get(case=world.case_a, kind=EventKind.INTERVIEW)
    assert PartnerNotice.objects.get(event=interview).acknowledged_at is not None

    page.get_by_role("link", name=f"Case {reference}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.get_by_text("Call back with the hearing date")).to_have_count(0)
    tab.check_accessibility("partner-case")
    page.get_by_role("link", name="Report a contact").click()
    page.get_by_role("button", name="Send the contact").click()  # nothing chosen
    expect(page.locator(".error-summary")).to_be_focused()
    tab.check_accessibility("partner-report-errors")
    page.get_by_label("Phone call").check()
    page.get_by_label("Reached").check()
    page.get_by_label("Safety fear").check()
    page.get_by_role("button", name="Send the contact").click()
    expect(page.get_by_role("status")).to_contain_text("Sent.")
    tab.go("/partner/cases/")
    tab.check_accessibility("partner-cases")


@WIDTHS
def test_a_partner_administrator_issues_a_key(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    world.pat.is_partner_administrator = True
    world.pat.save(update_fields=["is_partner_administrator"])
    tab = open_tab(viewport)
    page = tab.sign_in("pat")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="API keys").click()
    tab.check_accessibility("partner-keys-none")
    page.get_by_label("Name the key").fill("Case system")
    page.get_by_role("button", name="Issue the key").click()
    expect(page.get_by_text("This is the only time the key is shown.")).to_be_visible()
    tab.check_accessibility("partner-key-issued")
    page.get_by_role("button", name="Rotate").click()
    expect(page.get_by_role("heading", name="Key rotated: copy it now")).to_be_visible()
    tab.go("/partner/keys/")
    tab.check_accessibility("partner-keys")
