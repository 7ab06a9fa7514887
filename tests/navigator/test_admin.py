"""The admin covers every model, searchable, with history visible; and it keeps the rules."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from cases.choices import CaseStatus
from tests.alerts.helpers import agree
from tests.factories import CheckInFactory
from tests.personas import World

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {
    "accounts",
    "audit",
    "cases",
    "contacts",
    "alerts",
    "partners",
    "privacy",
    "handovers",
    "webhooks",
}


def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.ada)
    return client


def test_every_domain_model_is_in_the_admin_and_searchable(world: World) -> None:
    from django.apps import apps

    registered = set(admin.site._registry)
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert model in registered, model
            model_admin = admin.site._registry[model]
            assert model_admin.search_fields, model
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client(world).get(url, {"q": "x"}).status_code == 200, model


def test_history_is_visible_with_who_changed_what(world: World) -> None:
    checkin = CheckInFactory(case=world.case_a, by=world.nadia)
    for obj in (world.case_a, checkin, world.case_a.victim):
        model_admin = admin.site._registry[type(obj)]
        assert isinstance(model_admin, SimpleHistoryAdmin)
        meta = obj._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
        assert admin_client(world).get(url).status_code == 200


def test_contacts_cannot_be_edited_in_the_admin_around_the_services(world: World) -> None:
    checkin = CheckInFactory(case=world.case_a, by=world.nadia)
    url = reverse("admin:contacts_checkin_change", args=[checkin.pk])
    response = admin_client(world).post(url, {"outcome": "reached"})
    assert response.status_code == 403
    assert admin_client(world).get(reverse("admin:contacts_checkin_add")).status_code == 403


def test_only_administrators_reach_the_admin_and_case_views_are_logged(world: World) -> None:
    from audit.models import AccessLogEntry

    world.nadia.is_staff = True  # even if someone ticks the box by mistake
    world.nadia.save()
    nadia = Client()
    nadia.force_login(world.nadia)
    assert nadia.get(reverse("admin:index")).status_code == 302  # to the admin sign-in

    url = reverse("admin:cases_case_change", args=[world.case_a.pk])
    assert admin_client(world).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(
        reader=world.ada, case_id=world.case_a.pk, channel="admin"
    ).exists()


def test_a_case_is_paused_from_its_page_through_the_service(world: World) -> None:
    from django.utils import timezone

    agree(world.case_a, world.nadia, at=timezone.now())
    client = Client()
    client.force_login(world.nadia)
    url = reverse("case-status", args=[world.case_a.reference])
    client.post(url, {"status": CaseStatus.PAUSED, "status_reason": ""})
    world.case_a.refresh_from_db()
    assert world.case_a.status == CaseStatus.OPEN  # a reason is needed
    client.post(url, {"status": CaseStatus.PAUSED, "status_reason": "Victim asked for a break"})
    world.case_a.refresh_from_db()
    assert (world.case_a.status, world.case_a.clock_state) == ("paused", "paused")
    officer = Client()
    officer.force_login(world.olive)
    officer.post(url, {"status": CaseStatus.OPEN, "status_reason": ""})
    world.case_a.refresh_from_db()
    assert world.case_a.status == CaseStatus.PAUSED  # officers do not change a case's status


def test_opening_any_part_of_a_victims_record_in_the_admin_is_logged(world: World) -> None:
    from audit.models import AccessLogEntry
    from tests.factories import VictimLocationFactory

    victim = world.case_a.victim
    location = VictimLocationFactory(victim=victim)
    checkin = CheckInFactory(case=world.case_a, by=world.nadia)
    version = checkin.history.get()
    pages = [
        reverse("admin:cases_victim_change", args=[victim.pk]),
        reverse("admin:cases_victimlocation_change", args=[location.pk]),
        reverse("admin:cases_victimlocation_history", args=[location.pk]),
        reverse("admin:contacts_checkin_change", args=[checkin.pk]),
        reverse("admin:contacts_checkin_history", args=[checkin.pk]),
        reverse(
            "admin:contacts_checkin_simple_history",
            args=[checkin.pk, version.history_id],
        ),
    ]
    client = admin_client(world)
    for page in pages:
        assert client.get(page).status_code == 200, page
    entries = AccessLogEntry.objects.filter(reader=world.ada, channel="admin")
    assert entries.count() == len(pages)
    assert set(entries.values_list("case_id", flat=True)) == {world.case_a.pk}
    # A list is not a read of anyone's record; an object that is not there is not either.
    client.get(reverse("admin:contacts_checkin_changelist"))
    client.get(reverse("admin:cases_victim_change", args=[987654]))
    assert entries.count() == len(pages)
