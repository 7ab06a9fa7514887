"""Helpers for the page tests: signed-in clients, a case that is overdue, a contact form."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from alerts.choices import AlertKind
from alerts.models import Alert
from alerts.sweep import refresh_cases
from tests.alerts.helpers import agree, update
from tests.personas import World


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def contact_form(**overrides: Any) -> dict[str, Any]:
    """A contact form as a navigator sends it: an update given by phone, just now."""
    form = {
        "submission_key": str(uuid4()),
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "direction": "outbound",
        "channel": "phone_call",
        "outcome": "reached",
        "update_given": "no_news_active",
        "place": "remote",
        "wellbeing": "4",
        "trust": "3",
        "notes": "Told her the file is with the CPS.",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


@pytest.fixture
def overdue(world: World) -> Alert:
    """case_a: weekly text updates agreed, the last one ten days ago."""
    long_ago = timezone.now() - timedelta(days=10)
    agree(world.case_a, world.nadia, at=long_ago, interval=7)
    update(world.case_a, world.nadia, at=long_ago)
    refresh_cases([world.case_a.pk], now=timezone.now())
    return Alert.objects.get(case=world.case_a, kind=AlertKind.UPDATE_OVERDUE)
