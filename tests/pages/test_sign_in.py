"""Signing in: the landing page by role, lockout, password reset, the session's time limits,
typing kept across a sign-in that ended, and two-factor sign-in."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import Role
from contacts.models import CheckIn
from pages.navigation import home_for, menu_for
from tests.pages.conftest import client_for, contact_form
from tests.personas import World

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


@pytest.mark.parametrize(
    ("role", "home", "menu"),
    [
        (Role.NAVIGATOR, "today", ["Today", "Cases", "Alerts", "Handovers", "Your account"]),
        (
            Role.SUPERVISOR,
            "dashboard",
            ["Dashboard", "Today", "Cases", "Alerts", "Report", "Handovers", "Your account"],
        ),
        (
            Role.OFFICER,
            "case-lookup",
            ["Find a case", "Cases", "Alerts", "Report", "Handovers", "Your account"],
        ),
        (
            Role.PARTNER_CASEWORKER,
            "partner-inbox",
            ["Inbox", "Shared cases", "Handovers", "Your account"],
        ),
        (
            Role.ADMIN,
            "dashboard",
            ["Dashboard", "Cases", "Alerts", "Report", "Administration", "Your account"],
        ),
    ],
)
def test_each_role_lands_on_its_own_page(role: str, home: str, menu: list[str]) -> None:
    assert home_for(role) == home
    assert [item.label for item in menu_for(role)] == menu


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("nadia", "today"),
        ("sam", "dashboard"),
        ("ada", "dashboard"),
        ("olive", "case-lookup"),
        ("pat", "partner-inbox"),
    ],
)
def test_signing_in_lands_each_role_on_its_page(world: World, who: str, lands_on: str) -> None:
    client = Client()
    response = sign_in(client, getattr(world, who).username)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse(lands_on)


def test_a_wrong_password_says_so_in_plain_words_and_keeps_the_username(world: World) -> None:
    response = sign_in(Client(), "nadia", "not-her-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The username or password is not right" in page
    assert "after 5 wrong tries the account is locked" in page
    assert 'value="nadia"' in page
    assert "There is a problem" in page  # the error summary


def test_repeated_failures_lock_the_account_and_the_log_never_holds_the_password(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Tr0ub4dor&3-wrong"
    for _ in range(5):
        sign_in(Client(), "nadia", wrong)
    locked = sign_in(Client(), "nadia")  # even the right password, from anywhere
    assert locked.status_code == 429
    assert "This account is locked for now" in locked.content.decode()
    assert "set a new password" in locked.content.decode()

    lines = [record.getMessage() for record in caplog.records]
    assert any(
        f"locked after repeated failures for staff id {world.nadia.pk}" in line for line in lines
    )
    assert not any(wrong in line or PASSWORD in line for line in lines)
    for attempt in AccessAttempt.objects.all():
        assert wrong not in attempt.post_data and PASSWORD not in attempt.post_data


def test_other_accounts_are_not_locked_by_someone_elses_failures(world: World) -> None:
    for _ in range(5):
        sign_in(Client(), "nadia", "wrong-wrong-wrong")
    assert sign_in(Client(), "noah").status_code == 302


def test_a_password_reset_sets_a_strong_password_and_lifts_the_lockout(world: World) -> None:
    for _ in range(5):
        sign_in(Client(), "nadia", "wrong-wrong-wrong")
    client = Client()
    client.post(reverse("password-reset"), {"email": world.nadia.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/sign-in/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link

    too_weak = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    assert "too short" in too_weak.content.decode()
    assert "too common" in too_weak.content.decode()
    new = "amber kettle orbit lantern"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert sign_in(Client(), "nadia", new).status_code == 302  # unlocked, with the new one


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(world: World) -> None:
    response = Client().post(reverse("password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password-reset-sent")
    assert mail.outbox == []


@pytest.mark.parametrize("password", ["short-one", "password1234", "123456789012", "nadiaexample1"])
def test_weak_passwords_are_refused(world: World, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=world.nadia)


def test_a_sign_in_ends_after_thirty_minutes_without_activity(world: World) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        assert client.get(reverse("today")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("today")).status_code == 200  # activity counts
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("today")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("today"))
        assert response.status_code == 302 and reverse("login") in response["Location"]
        page = client.get(response["Location"]).content.decode()
        assert "signed out after 30 minutes without activity" in page


def test_a_sign_in_ends_at_its_maximum_age_however_active(world: World) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        for _ in range(8 * 3):  # busy every 20 minutes for eight hours
            clock.shift(timedelta(minutes=20))
            response = client.get(reverse("today"))
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "a sign-in lasts at most 8 hours" in page


def test_a_partial_request_after_the_sign_in_ended_loads_the_sign_in_page(world: World) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        clock.shift(timedelta(minutes=31))
        url = reverse("case-timeline", args=[world.case_a.reference])
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_note_typed_as_the_sign_in_ended_is_kept_for_the_same_person(world: World) -> None:
    client = Client()
    url = reverse("checkin-create", args=[world.case_a.reference])
    note = "She saw the car again near the school; wants a call on Friday."
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        client.get(url)
        clock.shift(timedelta(minutes=45))  # a long visit before pressing save
        sent = client.post(url, contact_form(notes=note, wellbeing="2"))
        assert sent.status_code == 302 and reverse("login") in sent["Location"]
        assert not CheckIn.objects.exists()
        assert "What you typed has been kept" in client.get(sent["Location"]).content.decode()

        signed_in = sign_in(client, "nadia", next=url)
        assert signed_in["Location"] == url
        page = client.get(url).content.decode()
        assert note in page
        assert "You were signed out before this contact was saved" in page
        assert re.search(r'<input type="radio" name="wellbeing" value="2"[^>]* checked', page)
        assert note not in client.get(url).content.decode()  # given back once


def test_a_kept_note_is_never_shown_to_someone_else_signing_in(world: World) -> None:
    client = Client()
    url = reverse("checkin-create", args=[world.case_a.reference])
    note = "Private: she is thinking of moving."
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        clock.shift(timedelta(minutes=31))
        client.post(url, contact_form(notes=note))
        sign_in(client, "sam")  # her supervisor, on the same phone
        assert note not in client.get(url).content.decode()
        sign_in(client, "nadia")
        assert note not in client.get(url).content.decode()  # dropped, not kept for later


def test_a_kept_note_lapses_after_an_hour(world: World) -> None:
    client = Client()
    url = reverse("checkin-create", args=[world.case_a.reference])
    note = "Wants the hearing date in writing."
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        clock.shift(timedelta(minutes=31))
        client.post(url, contact_form(notes=note))
        clock.shift(timedelta(minutes=61))
        sign_in(client, "nadia")
        assert note not in client.get(url).content.decode()


# --- Two-factor sign-in ---------------------------------------------------------------------


def set_up_app(client: Client) -> TOTPDevice:
    """Go through the set-up page as a person would; returns the confirmed device."""
    page = client.get(reverse("two-factor-set-up"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("two-factor-set-up"), {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 200
    assert "Keep these recovery codes somewhere safe" in response.content.decode()
    device.refresh_from_db()
    return device


def test_setting_up_two_factor_shows_a_server_drawn_code_and_ten_recovery_codes(
    world: World,
) -> None:
    client = client_for(world.nadia)
    page = client.get(reverse("two-factor-set-up")).content.decode()
    assert '<svg class="qr-code" role="img"' in page
    assert "<img" not in page  # drawn inline, not fetched from anywhere
    device = TOTPDevice.objects.get(user=world.nadia, confirmed=False)
    wrong = client.post(reverse("two-factor-set-up"), {"code": "000000"})
    assert "That code did not work" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        response = client.post(
            reverse("two-factor-set-up"), {"code": f"{totp(device.bin_key):06d}"}
        )
    codes = re.findall(r"<li>([a-z2-7]{4} [a-z2-7]{4})</li>", response.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=world.nadia).count() == 10
    assert two_factor.has_two_factor(world.nadia)


def test_with_two_factor_a_password_alone_reaches_nothing(world: World) -> None:
    set_up_app(client_for(world.nadia))
    client = Client()
    sign_in(client, "nadia")
    for url in (reverse("today"), reverse("case-detail", args=[world.case_a.reference])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two-factor-code"))
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403 and "two-factor code" in api.json()["detail"]
    assert client.get(reverse("two-factor-code")).status_code == 200


def test_the_apps_code_completes_the_sign_in_and_a_recovery_code_works_once(
    world: World,
) -> None:
    device = set_up_app(client_for(world.nadia))
    codes = list(
        StaticToken.objects.filter(device__user=world.nadia).values_list("token", flat=True)
    )
    client = Client()
    sign_in(client, "nadia", next=reverse("case-list"))
    later = timezone.now() + timedelta(seconds=61)  # a new code, not the one used to set up
    with time_machine.travel(later, tick=True):
        wrong = client.post(reverse("two-factor-code"), {"code": "123456"})
        assert "That code did not work" in wrong.content.decode()
    with time_machine.travel(later + timedelta(seconds=62), tick=True):
        response = client.post(
            reverse("two-factor-code"),
            {"code": f"{totp(device.bin_key):06d}", "next": reverse("case-list")},
        )
        assert response["Location"] == reverse("case-list")
        assert client.get(reverse("today")).status_code == 200

    recovered = Client()
    sign_in(recovered, "nadia")
    code = f"{codes[0][:4]} {codes[0][4:].upper()}"  # typed as shown, in capitals
    assert recovered.post(reverse("two-factor-code"), {"code": code}).status_code == 302
    assert recovered.get(reverse("today")).status_code == 200
    again = Client()
    sign_in(again, "nadia")
    used = again.post(reverse("two-factor-code"), {"code": codes[0]})
    assert "That code did not work" in used.content.decode()


def test_required_two_factor_sends_everyone_without_it_to_set_it_up(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REQUIRE_TWO_FACTOR = True
    for who in ("nadia", "olive", "pat", "ada"):
        client = Client()
        sign_in(client, getattr(world, who).username)
        response = client.get(reverse("case-list"))
        assert response["Location"].startswith(reverse("two-factor-set-up")), who
        assert client.get("/api/v1/cases/").status_code == 403
        assert client.get("/admin/").status_code == 302
    client = Client()
    sign_in(client, "nadia")
    set_up_app(client)
    assert client.get(reverse("today")).status_code == 200
    account = client.get(reverse("account")).content.decode()
    assert "Turn off two-factor sign-in" not in account  # not while it is required
    assert client.post(reverse("two-factor-turn-off")).status_code == 403


def test_two_factor_can_be_turned_off_when_not_required(world: World) -> None:
    client = client_for(world.nadia)
    set_up_app(client)
    response = client.post(reverse("two-factor-turn-off"), follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not two_factor.has_two_factor(world.nadia)
    fresh = Client()
    sign_in(fresh, "nadia")
    assert fresh.get(reverse("today")).status_code == 200


def test_new_recovery_codes_replace_the_old(world: World) -> None:
    client = client_for(world.nadia)
    set_up_app(client)
    old = set(StaticToken.objects.values_list("token", flat=True))
    response = client.post(reverse("two-factor-recovery-codes"))
    assert "your old codes no longer work" in response.content.decode()
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not old & new


@pytest.mark.parametrize("change", ["set up", "new recovery codes", "turn off"])
def test_changing_the_second_factor_ends_every_other_session(world: World, change: str) -> None:
    here = client_for(world.nadia)
    if change != "set up":
        set_up_app(here)
    elsewhere = Client()
    sign_in(elsewhere, "nadia")
    if change != "set up":  # the other session has its code too
        device = TOTPDevice.objects.get(user=world.nadia)
        with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
            elsewhere.post(reverse("two-factor-code"), {"code": f"{totp(device.bin_key):06d}"})
    assert elsewhere.get(reverse("today")).status_code == 200

    if change == "set up":
        set_up_app(here)
    elif change == "new recovery codes":
        here.post(reverse("two-factor-recovery-codes"))
    else:
        here.post(reverse("two-factor-turn-off"))

    assert here.get(reverse("today")).status_code == 200  # the session that made the change
    ended = elsewhere.get(reverse("today"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("login"))


def test_sessions_from_before_any_change_of_second_factor_stay_signed_in(world: World) -> None:
    from django.contrib.auth.base_user import AbstractBaseUser

    # Until the second factor first changes, a session's check is Django's own, so the
    # sessions open when this rule arrived were not ended by it.
    assert world.nadia.sign_in_generation == 0
    django_hash = AbstractBaseUser.get_session_auth_hash(world.nadia)
    assert world.nadia.get_session_auth_hash() == django_hash
    two_factor.end_other_sessions(user=world.nadia)
    assert world.nadia.get_session_auth_hash() != django_hash


def test_the_admins_own_sign_in_page_sends_people_to_navigators(world: World) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_pages_answer_in_a_few_queries(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(2):
        assert Client().get(reverse("login")).status_code == 200
    client = client_for(world.nadia)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("account")).status_code == 200


def test_someone_whose_lost_phone_an_administrator_removed_is_not_stuck(world: World) -> None:
    set_up_app(client_for(world.nadia))
    client = Client()
    sign_in(client, "nadia")
    assert client.get(reverse("today"))["Location"].startswith(reverse("two-factor-code"))
    two_factor.turn_off(user=world.nadia)  # the administrator removes her devices
    response = client.get(reverse("two-factor-code"))
    assert response["Location"].startswith(reverse("two-factor-set-up"))
    assert client.get(reverse("today")).status_code == 200  # set-up is offered, not forced


def test_a_kept_note_is_encrypted_in_the_session_store(world: World) -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    note = "She is staying with her cousin in Leeds now."
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        clock.shift(timedelta(minutes=31))
        client.post(
            reverse("checkin-create", args=[world.case_a.reference]), contact_form(notes=note)
        )
        stored = " ".join(
            str(session.get_decoded()) + session.session_data for session in Session.objects.all()
        )
    assert "kept_form" in stored
    assert "cousin" not in stored and "Leeds" not in stored
