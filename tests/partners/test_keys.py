"""API keys: issued to an organisation, stored hashed, shown once, revocable and rotatable,
from the admin and the command line; a request made with one acts as the organisation."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Staff
from audit.models import AccessLogEntry
from cases.services import set_case_status
from navigator.errors import PermissionDenied, ValidationError
from partners.keys import issue_key, revoke_key, rotate_key
from partners.models import PartnerAPIKey, PartnerNotice
from tests.partners.helpers import issue, key_client
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_with_a_visible_prefix(world: World) -> None:
    issued = issue(world.haven)
    prefix, _, secret = issued.key.partition(".")
    stored = PartnerAPIKey.objects.get(prefix=prefix)
    assert stored.organisation == world.haven
    assert len(secret) >= 32
    assert secret not in stored.hashed_key and secret not in stored.pk
    assert stored.hashed_key.startswith("sha512$$")
    assert issued.key not in str(list(stored.history.values()))


def test_a_key_acts_as_its_organisations_api_account(world: World) -> None:
    issued = issue(world.haven)
    account = Staff.objects.get(organisation=world.haven, is_service_account=True)
    assert (account.role, account.has_usable_password()) == (Role.PARTNER_CASEWORKER, False)
    assert str(account) == "Haven (API)"
    response = key_client(issued.key).get(f"/api/v1/cases/{world.case_a.reference}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(case_id=world.case_a.pk, channel="api")
    assert (entry.reader, entry.organisation, entry.api_key_prefix) == (
        account,
        world.haven,
        issued.api_key.prefix,
    )
    # A second key for the same organisation acts as the same account.
    issue(world.haven, name="Second system")
    assert Staff.objects.filter(organisation=world.haven, is_service_account=True).count() == 1


def test_what_a_key_changes_is_kept_in_history_as_the_organisation(world: World) -> None:
    set_case_status(case=world.case_a, status="paused", reason="Asked", acting_user=world.nadia)
    notice = PartnerNotice.objects.get(organisation=world.haven)
    issued = issue(world.haven)
    key_client(issued.key).post(f"/api/v1/notices/{notice.pk}/acknowledge/")
    change = notice.history.latest()
    assert change.history_user.organisation == world.haven
    assert change.history_user.is_service_account
    assert change.history_change_reason == f"API key {issued.api_key.prefix}"


def test_the_api_account_cannot_sign_in_even_with_a_password_set_by_mistake(
    world: World,
) -> None:
    issue(world.haven)
    account = Staff.objects.get(organisation=world.haven, is_service_account=True)
    account.set_password("a-password-set-by-mistake")
    account.save()
    request = RequestFactory().post(reverse("login"))
    assert (
        authenticate(request, username=account.username, password="a-password-set-by-mistake")
        is None
    )
    login = Client().post(
        reverse("login"), {"username": account.username, "password": "a-password-set-by-mistake"}
    )
    assert login.status_code == 200  # the form again, not a redirect in
    assert "_auth_user_id" not in Client().session


def test_an_unknown_mistyped_revoked_or_expired_key_is_refused_at_once(world: World) -> None:
    issued = issue(world.haven, expires_at=timezone.now() + timedelta(hours=1))
    url = "/api/v1/notices/"
    assert key_client(issued.key).get(url).status_code == 200
    for wrong in (issued.key[:-1] + "x", "nothing.here", "", issued.api_key.prefix):
        response = key_client(wrong).get(url)
        assert response.status_code == 401, wrong
        assert response.json()["code"] in {"authentication_failed", "not_authenticated"}
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert key_client(issued.key).get(url).status_code == 401  # expired
    revoke_key(api_key=issued.api_key, acting_user=None)
    response = key_client(issued.key).get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_key_of_an_organisation_whose_account_is_disabled_stops_working(world: World) -> None:
    issued = issue(world.haven)
    Staff.objects.filter(is_service_account=True).update(is_active=False)
    assert key_client(issued.key).get("/api/v1/notices/").status_code == 401


def test_rotation_keeps_the_old_key_working_for_the_overlap_only(world: World) -> None:
    old = issue(world.haven)
    now = timezone.now()
    new = rotate_key(api_key=old.api_key, acting_user=None, overlap=timedelta(days=2), now=now)
    old.api_key.refresh_from_db()
    assert old.api_key.replaced_by == new.api_key
    assert new.api_key.name == old.api_key.name and new.api_key.expiry_date is None
    for key in (old.key, new.key):
        assert key_client(key).get("/api/v1/notices/").status_code == 200
    with time_machine.travel(now + timedelta(days=2, seconds=1)):
        assert key_client(old.key).get("/api/v1/notices/").status_code == 401
        assert key_client(new.key).get("/api/v1/notices/").status_code == 200
    with pytest.raises(ValidationError):
        rotate_key(api_key=old.api_key, acting_user=None)  # already rotated


def test_revoking_the_old_key_ends_the_overlap_at_once(world: World) -> None:
    old = issue(world.haven)
    new = rotate_key(api_key=old.api_key, acting_user=None)
    revoke_key(api_key=old.api_key, acting_user=None)
    assert key_client(old.key).get("/api/v1/notices/").status_code == 401
    assert key_client(new.key).get("/api/v1/notices/").status_code == 200


def test_only_administrators_and_the_command_line_issue_keys_and_only_to_partners(
    world: World,
) -> None:
    with pytest.raises(PermissionDenied):
        issue_key(organisation=world.haven, name="x", acting_user=world.nadia)
    with pytest.raises(ValidationError, match="not a partner organisation"):
        issue_key(organisation=world.force_a, name="x", acting_user=world.ada)
    with pytest.raises(ValidationError, match="future"):
        issue_key(
            organisation=world.haven,
            name="x",
            acting_user=world.ada,
            expires_at=timezone.now() - timedelta(days=1),
        )
    issued = issue_key(organisation=world.haven, name="From the admin", acting_user=world.ada)
    assert issued.api_key.issued_by == world.ada


def run(*args: str) -> str:
    out = StringIO()
    call_command("partner_key", *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_lists_rotates_and_revokes(world: World) -> None:
    assert world.haven.slug == "haven"
    created = run("create", "--org", "haven", "--name", "Case system", "--expires", "2099-06-30")
    key = next(line.strip() for line in created.splitlines() if line.startswith("    "))
    prefix = key.partition(".")[0]
    assert key_client(key).get("/api/v1/notices/").status_code == 200
    api_key = PartnerAPIKey.objects.get(prefix=prefix)
    assert timezone.localtime(api_key.expiry_date).date().isoformat() == "2099-07-01"

    listed = run("list", "--org", "haven")
    assert prefix in listed and "Case system" in listed and key not in listed

    rotated = run("rotate", prefix, "--overlap-days", "1")
    new_key = next(line.strip() for line in rotated.splitlines() if line.startswith("    "))
    assert key_client(new_key).get("/api/v1/notices/").status_code == 200

    assert "Revoked" in run("revoke", prefix)
    assert key_client(key).get("/api/v1/notices/").status_code == 401
    assert "revoked" in run("list")
    with pytest.raises(CommandError, match="No organisation 'nobody'"):
        run("create", "--org", "nobody")
    with pytest.raises(CommandError, match="No key"):
        run("revoke", "zzzzzzzz")
    with pytest.raises(CommandError, match="not a partner"):
        run("create", "--org", world.force_a.slug)


def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.ada)
    return client


def test_the_admin_issues_a_key_shown_once_and_never_stored(world: World) -> None:
    client = admin_client(world)
    response = client.post(
        reverse("admin:partners_partnerapikey_add"),
        {"organisation": world.haven.pk, "name": "From the admin"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = PartnerAPIKey.objects.get(name="From the admin")
    key = response.context["issued"][0].key
    assert key.startswith(api_key.prefix + ".") and key.encode() in response.content
    assert key_client(key).get("/api/v1/notices/").status_code == 200
    # Nowhere to be seen again: not on the key's page, not in a message.
    page = client.get(reverse("admin:partners_partnerapikey_change", args=[api_key.pk]))
    assert key.encode() not in page.content
    assert not list(page.context["messages"])
    # Police forces do not get keys.
    refused = client.post(
        reverse("admin:partners_partnerapikey_add"),
        {"organisation": world.force_a.pk, "name": "No"},
    )
    assert refused.status_code == 200 and not PartnerAPIKey.objects.filter(name="No").exists()


def test_the_admin_revokes_and_rotates_through_actions(world: World) -> None:
    first, second = issue(world.haven), issue(world.other_ngo)
    client = admin_client(world)
    url = reverse("admin:partners_partnerapikey_changelist")
    client.post(url, {"action": "revoke_keys", "_selected_action": [first.api_key.pk]})
    assert key_client(first.key).get("/api/v1/notices/").status_code == 401
    rotated = client.post(url, {"action": "rotate_keys", "_selected_action": [second.api_key.pk]})
    new_key = rotated.context["issued"][0].key
    assert key_client(new_key).get("/api/v1/notices/").status_code == 200
    assert key_client(second.key).get("/api/v1/notices/").status_code == 200  # overlapping


@time_machine.travel("2026-03-02 09:00 +0000", tick=False)
def test_list_shows_expiry_states(world: World) -> None:
    issue(world.haven, name="Ends soon", expires_at=timezone.now() + timedelta(days=1))
    assert "works until 2026-03-03" in run("list")
