"""The broker stops while navigators log contacts: every contact is saved, every request
answered, and the alerts and their emails catch up when it returns."""

from collections import Counter
from datetime import timedelta
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.models import Alert, SweepRun
from alerts.tasks import sweep_task
from contacts.models import CheckIn
from tests.alerts.helpers import agree
from tests.brokers import celery_broker
from tests.factories import CaseFactory, PointOfContactFactory
from tests.faults.servers import PrivateRedis, Workers, wait_for
from tests.personas import World

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]


def log_contact(client: Client, reference: str, channel: str) -> int:
    form = {
        "submission_key": str(uuid4()),  # each a new contact, as from a fresh form
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "direction": "outbound",
        "channel": channel,
        "outcome": "reached",
        "update_given": "news",
        "place": "remote",
    }
    return client.post(reverse("checkin-create", args=[reference]), form).status_code


def test_contacts_logged_while_the_broker_is_down_are_kept_and_their_emails_catch_up(
    world: World, private_redis: PrivateRedis, workers: Workers, caplog
) -> None:  # type: ignore[no-untyped-def]
    agreed = timezone.now() - timedelta(days=3)
    people = {world.nadia: [], world.noah: []}
    for navigator, cases in people.items():
        for _ in range(3):
            case = CaseFactory(police_force=world.force_a)
            PointOfContactFactory(case=case, person=navigator, started_at=agreed)
            agree(case, navigator, at=agreed, unsafe_channel="email")  # email breaks it
            cases.append(case)
    clients = {}
    for navigator in people:
        clients[navigator] = Client()
        clients[navigator].force_login(navigator)
    workers.start()
    answered: list[int] = []

    with celery_broker(private_redis.url):
        # The broker is up: a contact on the unsafe channel is emailed through the worker.
        answered.append(
            log_contact(clients[world.nadia], people[world.nadia][0].reference, "email")
        )
        first = Alert.objects.get(case=people[world.nadia][0], kind=AlertKind.AGREEMENT_BROKEN)
        wait_for(
            lambda: Alert.objects.filter(pk=first.pk, high_notified_at__isnull=False).exists(),
            "the worker to send the first email",
        )

        private_redis.stop()
        # The broker is down: navigators go on logging, some on the unsafe channel.
        for navigator, cases in people.items():
            for case in cases:
                answered.append(log_contact(clients[navigator], case.reference, "text"))
                answered.append(log_contact(clients[navigator], case.reference, "email"))
        health = Client().get(reverse("health"), HTTP_ACCEPT="application/json")

        # Every request was answered as if nothing were wrong, and every contact was kept.
        assert answered == [302] * 13
        assert CheckIn.objects.count() == 13
        assert "Could not queue alerts.tasks.notify_high_severity_task" in caplog.text
        assert health.status_code == 500
        assert "Cannot reach the broker" in health.json()["Broker()"]
        waiting = Alert.objects.filter(severity=Severity.HIGH, high_notified_at__isnull=True)
        assert waiting.count() == 5  # the breaches logged while it was down, not yet emailed

        # The broker comes back (empty: it kept nothing), and beat's next sweep runs.
        private_redis.start()
        sweep_task.delay()
    wait_for(
        lambda: SweepRun.objects.filter(finished_at__isnull=False).exists(),
        "the sweep after the broker returned",
    )
    workers.stop_all()

    assert not waiting.exists()  # every high-severity alert emailed ...
    subjects = Counter(workers.emails())
    breaches = Alert.objects.filter(kind=AlertKind.AGREEMENT_BROKEN).select_related("case")
    assert breaches.count() == 6
    assert subjects == Counter(f"High-severity alert on case {a.case.reference}" for a in breaches)
    # ... exactly once each, and no contact lost on the way.
    assert CheckIn.objects.filter(channel="email").count() == 7
