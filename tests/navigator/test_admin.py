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

DOMAIN_APPS = {"accounts", "cases", "contacts", "alerts", "partners"}


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


def test_pausing_a_case_in_the_admin_stops_its_clock(world: World) -> None:
    from django.utils import timezone

    agree(world.case_a, world.nadia, at=timezone.now())
    case = world.case_a
    url = reverse("admin:cases_case_change", args=[case.pk])
    form = admin_client(world).get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "victim": case.victim_id,
            "police_force": case.police_force_id,
            "status": CaseStatus.PAUSED,
            "status_reason": "Victim asked for a break",
            "exploitation_types": '["labour"]',
            "opened_at_0": timezone.localtime(case.opened_at).strftime("%d/%m/%Y"),
            "opened_at_1": timezone.localtime(case.opened_at).strftime("%H:%M:%S"),
            "points_of_contact-TOTAL_FORMS": "0",
            "points_of_contact-INITIAL_FORMS": "0",
        }
    )
    response = admin_client(world).post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert (case.status, case.clock_state, case.next_check_at) == ("paused", "paused", None)
