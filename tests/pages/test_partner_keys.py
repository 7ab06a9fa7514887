"""Partner administrators: a flag on a partner caseworker, held only where it makes sense,
and the "API keys" page where they issue (shown once), rotate and revoke their own
organisation's keys through ``partners.keys``, the one write path."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Staff
from cases import access
from navigator.errors import PermissionDenied
from pages.navigation import menu_for
from partners.keys import issue_key, revoke_key
from partners.models import PartnerAPIKey
from tests.factories import StaffFactory
from tests.pages.conftest import client_for
from tests.partners.helpers import issue, key_client
from tests.personas import World

pytestmark = pytest.mark.django_db

KEYS = reverse("partner-keys")
ISSUE = reverse("partner-key-issue")


@pytest.fixture
def admin_pat(world: World) -> Staff:
    world.pat.is_partner_administrator = True
    world.pat.save(update_fields=["is_partner_administrator"])
    return world.pat


# The flag


def test_only_a_partner_caseworker_can_be_a_partner_administrator(world: World) -> None:
    for who in ("nadia", "olive", "sam"):
        person = getattr(world, who)
        person.is_partner_administrator = True
        with pytest.raises(IntegrityError), transaction.atomic():
            person.save(update_fields=["is_partner_administrator"])
    account = issue(world.haven).api_key.organisation.staff.get(is_service_account=True)
    account.is_partner_administrator = True
    with pytest.raises(IntegrityError), transaction.atomic():
        account.save(update_fields=["is_partner_administrator"])


def test_the_database_refuses_a_partner_administrator_outside_a_partner_organisation(
    world: World, admin_pat: Staff
) -> None:
    at_a_force = StaffFactory(role=Role.PARTNER_CASEWORKER, organisation=world.force_a)
    at_a_force.is_partner_administrator = True
    with pytest.raises(IntegrityError), transaction.atomic():
        at_a_force.save(update_fields=["is_partner_administrator"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffFactory(
            role=Role.PARTNER_CASEWORKER,
            organisation=world.force_a,
            is_partner_administrator=True,
        )
    admin_pat.organisation = world.force_a  # moved to a police force, still flagged
    with pytest.raises(IntegrityError), transaction.atomic():
        admin_pat.save(update_fields=["organisation"])
    world.haven.kind = "police_force"  # Haven turned into a force under its administrator
    with pytest.raises(IntegrityError), transaction.atomic():
        world.haven.save(update_fields=["kind"])
    world.other_ngo.kind = "other"  # a partner with no administrator changes freely
    world.other_ngo.save(update_fields=["kind"])


def test_the_admin_form_refuses_a_partner_administrator_outside_a_partner_organisation(
    world: World,
) -> None:
    at_a_force = StaffFactory(
        role=Role.PARTNER_CASEWORKER, organisation=world.force_a, is_partner_administrator=False
    )
    at_a_force.is_partner_administrator = True
    with pytest.raises(DjangoValidationError, match="partner caseworker of a partner"):
        at_a_force.full_clean()
    world.pat.is_partner_administrator = True
    world.pat.full_clean()  # Haven is a support NGO


def test_the_flag_is_set_in_the_admin(world: World) -> None:
    client = client_for(world.ada)
    url = reverse("admin:accounts_staff_change", args=[world.pat.pk])
    form = client.get(url).content.decode()
    assert 'name="is_partner_administrator"' in form


@pytest.mark.parametrize(
    ("who", "organisation", "may"),
    [
        ("ada", "haven", True),  # Navigator's administrators, for any partner
        ("ada", "other_ngo", True),
        ("admin_pat", "haven", True),  # a partner administrator, for their own
        ("admin_pat", "other_ngo", False),
        ("pat", "haven", False),  # a caseworker who is not an administrator
        ("nadia", "haven", False),
        ("olive", "haven", False),
        ("sam", "haven", False),
    ],
)
def test_who_manages_an_organisations_keys(
    world: World, admin_pat: Staff, who: str, organisation: str, may: bool
) -> None:
    if who == "pat":
        admin_pat.is_partner_administrator = False
    user = admin_pat if who == "admin_pat" else getattr(world, who)
    assert access.may_manage_partner_keys(user, getattr(world, organisation).pk) is may


def test_a_partner_administrator_is_offered_the_keys_and_a_caseworker_is_not() -> None:
    caseworker = [item.label for item in menu_for(Role.PARTNER_CASEWORKER)]
    administrator = [
        item.label for item in menu_for(Role.PARTNER_CASEWORKER, partner_administrator=True)
    ]
    assert caseworker == ["Inbox", "Shared cases", "Handovers", "Your account"]
    assert administrator == ["Inbox", "Shared cases", "Handovers", "API keys", "Your account"]


def test_the_keys_service_lets_a_partner_administrator_act_for_their_own_only(
    world: World, admin_pat: Staff
) -> None:
    issued = issue_key(organisation=world.haven, name="Case system", acting_user=admin_pat)
    assert issued.api_key.issued_by == admin_pat
    with pytest.raises(PermissionDenied):
        issue_key(organisation=world.other_ngo, name="x", acting_user=admin_pat)
    theirs = issue(world.other_ngo)
    with pytest.raises(PermissionDenied):
        revoke_key(api_key=theirs.api_key, acting_user=admin_pat)


# The page


def test_issuing_a_key_shows_it_once_with_a_plain_warning(world: World, admin_pat: Staff) -> None:
    client = client_for(admin_pat)
    response = client.post(ISSUE, {"name": "Case system", "expires_on": ""})
    assert response.status_code == 200
    page = response.content.decode()
    api_key = PartnerAPIKey.objects.get(organisation=world.haven)
    assert (api_key.name, api_key.issued_by, api_key.expiry_date) == (
        "Case system",
        admin_pat,
        None,
    )
    shown = page.split('aria-label="The new key">')[1].split("<")[0]
    assert shown.startswith(api_key.prefix + ".")
    assert "This is the only time the key is shown." in page
    assert "no-store" in response["Cache-Control"]
    assert key_client(shown).get("/api/v1/notices/").status_code == 200  # it works
    again = client.get(KEYS).content.decode()
    assert shown not in again and api_key.prefix in again  # never shown again
    assert "no expiry" in again


def test_a_key_with_a_last_day_works_to_the_end_of_it(world: World, admin_pat: Staff) -> None:
    last_day = timezone.localdate() + timedelta(days=30)
    client_for(admin_pat).post(ISSUE, {"name": "Trial", "expires_on": last_day.isoformat()})
    api_key = PartnerAPIKey.objects.get(organisation=world.haven)
    assert api_key.expiry_date is not None
    assert timezone.localtime(api_key.expiry_date).date() == last_day + timedelta(days=1)
    assert timezone.localtime(api_key.expiry_date).hour == 0


def test_issuing_with_mistakes_says_what_to_mend_and_keeps_what_was_typed(
    world: World, admin_pat: Staff
) -> None:
    client = client_for(admin_pat)
    page = client.post(ISSUE, {"name": "", "expires_on": "31/02/2026"}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_name">Name the key' in page
    assert 'href="#id_expires_on">Enter a real date' in page
    yesterday = (timezone.localdate() - timedelta(days=2)).isoformat()
    page = client.post(ISSUE, {"name": "Old", "expires_on": yesterday}).content.decode()
    assert 'href="#id_expires_on">Give an expiry in the future' in page
    assert 'value="Old"' in page
    assert not PartnerAPIKey.objects.exists()


def test_rotating_a_key_shows_the_new_one_and_keeps_the_old_for_the_overlap(
    world: World, admin_pat: Staff
) -> None:
    old = issue(world.haven, name="Case system")
    client = client_for(admin_pat)
    response = client.post(reverse("partner-key-rotate", args=[old.api_key.prefix]))
    page = response.content.decode()
    new = PartnerAPIKey.objects.get(organisation=world.haven, replaces=old.api_key)
    assert f"{new.prefix}." in page and "keeps working for 7 more days" in page
    assert key_client(old.key).get("/api/v1/notices/").status_code == 200  # the overlap
    listing = client.get(KEYS).content.decode()
    assert f'rotated: replaced by <span class="reference">{new.prefix}' in listing


def test_revoking_a_key_stops_it_at_once(world: World, admin_pat: Staff) -> None:
    issued = issue(world.haven)
    client = client_for(admin_pat)
    response = client.post(reverse("partner-key-revoke", args=[issued.api_key.prefix]))
    assert response["Location"] == KEYS
    assert key_client(issued.key).get("/api/v1/notices/").status_code == 401
    page = client.get(KEYS).content.decode()
    assert f"Key {issued.api_key.prefix} is revoked" in page and ">Revoked<" in page
    issued.api_key.refresh_from_db()
    assert issued.api_key.revoked_by == admin_pat


def test_another_organisations_keys_cannot_be_seen_or_touched(
    world: World, admin_pat: Staff
) -> None:
    theirs = issue(world.other_ngo, name="Elsewhere system")
    client = client_for(admin_pat)
    assert theirs.api_key.prefix not in client.get(KEYS).content.decode()
    for name in ("partner-key-revoke", "partner-key-rotate"):
        assert client.post(reverse(name, args=[theirs.api_key.prefix])).status_code == 404
        assert client.post(reverse(name, args=["NOSUCHKY"])).status_code == 404  # alike
    theirs.api_key.refresh_from_db()
    assert not theirs.api_key.revoked and theirs.api_key.replaced_by is None


KEY_PAGES: list[tuple[str, str, Any]] = [
    ("list", "get", lambda w, prefix: KEYS),
    ("issue", "post", lambda w, prefix: ISSUE),
    ("revoke", "post", lambda w, prefix: reverse("partner-key-revoke", args=[prefix])),
    ("rotate", "post", lambda w, prefix: reverse("partner-key-rotate", args=[prefix])),
]


@pytest.mark.parametrize("who", ["pat", "pia", "nadia", "olive", "sam", "ada"])
@pytest.mark.parametrize(("page", "method", "url"), KEY_PAGES, ids=[p[0] for p in KEY_PAGES])
def test_the_keys_page_is_only_for_partner_administrators(
    world: World, who: str, page: str, method: str, url: Any
) -> None:
    """Caseworkers who are not administrators, other roles, and Navigator's administrators
    (who use the admin) are refused; nothing changes."""
    issued = issue(world.haven)
    client = client_for(getattr(world, who))
    response = getattr(client, method)(url(world, issued.api_key.prefix), {"name": "x"})
    assert response.status_code == 403
    assert PartnerAPIKey.objects.count() == 1
    issued.api_key.refresh_from_db()
    assert not issued.api_key.revoked


@pytest.mark.parametrize(("page", "method", "url"), KEY_PAGES, ids=[p[0] for p in KEY_PAGES])
def test_nobody_signed_out_reaches_the_keys(world: World, page: str, method: str, url: Any) -> None:
    response = getattr(Client(), method)(url(world, "ABCDEFGH"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_keys_page_does_not_grow_with_the_keys(
    world: World,
    admin_pat: Staff,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(admin_pat)
    old = issue(world.haven)
    client.post(reverse("partner-key-rotate", args=[old.api_key.prefix]))
    with django_assert_max_num_queries(6):
        assert client.get(KEYS).status_code == 200
    for n in range(30):
        issue(world.haven, name=f"System {n}")
    with django_assert_max_num_queries(6):
        assert client.get(KEYS).status_code == 200
