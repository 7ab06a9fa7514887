"""A partner organisation's whole journey, as a new partner takes it from the docs page.

Haven, a support organisation, supports a victim whose case is shared with it. Its administrator is
given an API key; its system reads the shared case and the notice feed, registers a
webhook endpoint on its own receiver, is pushed a signed notice of an interview coming,
verifies it with the independent ``standardwebhooks`` package, fetches the notice named
in it, and acknowledges it: at the next sweep the navigator's "partners not told" sign is
gone. Then the navigator hands part of the victim's support to Haven; the handover's
notice is pushed too, and Haven acknowledges and accepts it, which the navigation team
sees on the case.

Only what a partner sends goes to the service: HTTP requests with the key in the header.
The worker's tasks run as the worker runs them (the sweep as beat sends it, the
dispatcher likewise), with time frozen and moved on. Every read of the victim's record is
in the access log as the organisation, and nothing beyond what the share gives is sent.
"""

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from standardwebhooks import Webhook

from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert
from alerts.tasks import sweep_task
from audit.models import AccessChannel, AccessLogEntry
from cases.choices import EventKind
from cases.models import CaseEvent
from cases.services import record_case_event
from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover
from handovers.services import send_handover
from tests.alerts.helpers import agree, london, update
from tests.factories import VictimLocationFactory
from tests.partners.helpers import key_client, session_client
from tests.personas import World
from tests.webhooks.receiver import Receiver, start_receiver
from webhooks.tasks import dispatch_task

pytestmark = pytest.mark.django_db

# What the default share gives on the case itself (cases.access.share_fields, by the
# names the API uses): never the victim's name, location, notes or contact log.
SHARED_CASE_FIELDS = {
    "reference",
    "victim",
    "status",
    "police_force",
    "points_of_contact",
    "preferred_name",
    "language",
    "interpreter_needed",
    "agreement",
    "events",
}
SUMMARY_FIELDS = {"reference", "victim", "status", "police_force", "points_of_contact"}
SIGNS_STOPPED = "These signs have stopped."


class Partner:
    """Haven's system: every request it makes, with its key, and every answer kept."""

    def __init__(self, key: str) -> None:
        self.client: Client = key_client(key)
        self.answers: list[str] = []

    def get(self, path: str) -> Any:
        response = self.client.get(path)
        assert response.status_code == 200, response.content
        self.answers.append(response.content.decode())
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.client.post(path, json.dumps(body or {}), content_type="application/json")
        assert response.status_code in (200, 201), response.content
        self.answers.append(response.content.decode())
        return response.json()


def issue_key_from_the_command_line(slug: str) -> str:
    """What a Navigator administrator does: ``partner_key create --org SLUG``."""
    out = StringIO()
    call_command("partner_key", "create", "--org", slug, stdout=out)
    (key,) = re.findall(r"^\s+(\S+\.\S+)\s*$", out.getvalue(), flags=re.MULTILINE)
    return key


def run_as_beat(task: Any, moment: datetime) -> Any:
    """Run a periodic task as the worker runs it when beat sends it: no arguments, at now."""
    with time_machine.travel(moment, tick=False):
        return task.apply().get()


def verified_delivery(receiver: Receiver, secret: str, at: datetime) -> dict[str, Any]:
    """What the partner's receiver does with each delivery: verify it, or refuse it."""
    delivery = receiver.received[-1]
    with time_machine.travel(at, tick=False):  # the timestamp is checked against now
        return Webhook(secret).verify(delivery.body, delivery.headers)  # type: ignore[no-any-return]


def path_of(url: str) -> str:
    assert url.startswith(settings.SITE_URL + "/api/v1/")
    return urlsplit(url).path


@pytest.fixture
def havens_receiver() -> Iterator[Receiver]:
    """Haven's own webhook receiver: a real HTTP server on 127.0.0.1."""
    started = start_receiver()
    try:
        yield started
    finally:
        started.server.shutdown()
        started.server.server_close()


@pytest.fixture
def navigator(world: World) -> Client:
    return session_client(world.nadia)


def case_page(navigator: Client, reference: str, at: datetime) -> str:
    """The case page as the navigator sees it at ``at``."""
    with time_machine.travel(at, tick=False):
        response = navigator.get(f"/cases/{reference}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_partner_from_key_to_accepted_handover(
    world: World, havens_receiver: Receiver, navigator: Client
) -> None:
    receiver = havens_receiver
    case, nadia, haven = world.case_a, world.nadia, world.haven
    # What the service holds on the victim that no share to Haven gives.
    VictimLocationFactory(victim=case.victim, address="14 Quarry Lane, Exampletown")
    secrets_of_the_case = [
        case.victim.full_name,
        case.victim.safe_phone,
        "14 Quarry Lane",
        "ZZ1 1ZZ",
        case.crime_reference,
        "spoke about her brother",
    ]
    agree(case, nadia, at=london(2026, 2, 23, 9), interval=7)
    update(case, nadia, at=london(2026, 2, 27, 11), notes="She spoke about her brother")
    record_case_event(
        case=case,
        kind=EventKind.INTERVIEW,
        at=london(2026, 3, 6, 10),
        acting_user=nadia,
        victim_prepared=True,  # the navigator has prepared her; only the partner is missing
        now=london(2026, 3, 2, 8),
    )

    # Monday 08:00. Haven asks for a key; an administrator issues one.
    with time_machine.travel(london(2026, 3, 2, 8), tick=False):
        key = issue_key_from_the_command_line(haven.slug)
    prefix = key.split(".")[0]
    partner = Partner(key)

    # 08:05. The docs page and the schema are there to start from, without a key.
    with time_machine.travel(london(2026, 3, 2, 8, 5), tick=False):
        assert Client().get("/api/v1/docs/").status_code == 200
        assert Client().get("/api/v1/schema/").status_code == 200

        # Haven's system reads its shared cases, then the case.
        cases = partner.get("/api/v1/cases/")["results"]
        assert [c["reference"] for c in cases] == [case.reference]
        assert set(cases[0]) == SHARED_CASE_FIELDS & SUMMARY_FIELDS
        shared = partner.get(f"/api/v1/cases/{case.reference}/")
        assert set(shared) == SHARED_CASE_FIELDS
        assert shared["preferred_name"] == case.victim.preferred_name
        assert shared["events"] == []  # it has not been told of the interview yet

        # It registers its receiver for notices pushed as they are written.
        endpoint = partner.post("/api/v1/webhook-endpoints/", {"url": receiver.url})
        secret = endpoint["secret"]
        assert secret.startswith("whsec_")

    # 09:00, the sweep (as beat runs it) sends the advance notice of Friday's interview;
    # the navigator sees that the partner has not been told.
    run_as_beat(sweep_task, london(2026, 3, 2, 9))
    before = case_page(navigator, case.reference, london(2026, 3, 2, 9, 1))
    assert "partners not told" in before and SIGNS_STOPPED not in before

    # The dispatcher (as beat runs it) pushes the notice to Haven's receiver, signed.
    run_as_beat(dispatch_task, london(2026, 3, 2, 9) + timedelta(seconds=10))
    assert len(receiver.received) == 1
    pushed = verified_delivery(receiver, secret, london(2026, 3, 2, 9) + timedelta(seconds=11))
    assert pushed["type"] == "notice.tipping_point"
    assert pushed["data"]["case"] == case.reference

    # 09:30, Haven fetches the notice it was pushed, and finds it waiting in its feed too.
    with time_machine.travel(london(2026, 3, 2, 9, 30), tick=False):
        notice = partner.get(path_of(pushed["data"]["url"]))
        assert (notice["id"], notice["kind"]) == (pushed["data"]["id"], "tipping_point")
        assert "Interview" in notice["subject"] and notice["acknowledged_at"] is None
        waiting = partner.get("/api/v1/notices/?acknowledged=false")["results"]
        assert [n["id"] for n in waiting] == [notice["id"]]
        shared = partner.get(f"/api/v1/cases/{case.reference}/")
        assert [e["kind"] for e in shared["events"]] == ["interview"]

    # 10:00, a caseworker can be there: Haven acknowledges the notice.
    with time_machine.travel(london(2026, 3, 2, 10), tick=False):
        acknowledged = partner.post(f"/api/v1/notices/{notice['id']}/acknowledge/")
    assert acknowledged["acknowledged_at"] is not None
    assert CaseEvent.objects.get(case=case).partners_told_at == london(2026, 3, 2, 10)

    # By the next sweep the sign has stopped (acknowledging re-runs the case's clock, so
    # at once): the navigator reads that the alert was raised because partners were not
    # told, and that this has stopped (it clears after a quiet week, like every sign of
    # disengagement).
    run_as_beat(sweep_task, london(2026, 3, 2, 10, 5))
    after = case_page(navigator, case.reference, london(2026, 3, 2, 10, 6))
    assert "Raised because:" in after and SIGNS_STOPPED in after
    alert = Alert.objects.get(case=case, kind=AlertKind.DISENGAGEMENT, status__in=LIVE_STATUSES)
    assert "quiet_since" in alert.reasons

    # 11:00, the navigator refers the victim to Haven for counselling.
    with time_machine.travel(london(2026, 3, 2, 11), tick=False):
        handover = send_handover(
            case=case,
            kind=HandoverKind.SUPPORT_REFERRAL,
            to_organisation=haven,
            reason="She asked for counselling in her own language",
            needs_and_risks="Prefers women staff; do not call before 10:00.",
            acting_user=nadia,
        )

    # Its notice is pushed; Haven verifies it and fetches it.
    run_as_beat(dispatch_task, london(2026, 3, 2, 11) + timedelta(seconds=10))
    assert len(receiver.received) == 2
    pushed = verified_delivery(receiver, secret, london(2026, 3, 2, 11) + timedelta(seconds=11))
    assert pushed["type"] == "notice.handover"
    with time_machine.travel(london(2026, 3, 2, 11, 15), tick=False):
        notice = partner.get(path_of(pushed["data"]["url"]))
        assert notice["kind"] == "handover" and notice["case"] == case.reference

        # It finds the handover waiting on that case, with what the navigator wrote.
        (waiting,) = partner.get(f"/api/v1/handovers/?state=sent&case={notice['case']}")["results"]
        assert waiting["id"] == handover.pk
        assert waiting["details"]["needs_and_risks"].startswith("Prefers women staff")

        # It acknowledges the notice and the handover, then accepts the handover.
        partner.post(f"/api/v1/notices/{notice['id']}/acknowledge/")
        partner.post(f"/api/v1/handovers/{handover.pk}/acknowledge/")
        accepted = partner.post(f"/api/v1/handovers/{handover.pk}/accept/")
    assert accepted["state"] == HandoverState.ACCEPTED

    # The navigation team sees it accepted, by Haven's system.
    handover = Handover.objects.get(pk=handover.pk)
    assert handover.state == HandoverState.ACCEPTED
    assert handover.decided_by is not None and handover.decided_by.organisation == haven
    page = case_page(navigator, case.reference, london(2026, 3, 2, 11, 20))
    handovers = page.split('<h2 id="handovers">', 1)[1].split("</section>", 1)[0]
    assert "Referral to a support service" in handovers and f"to {haven.name}" in handovers
    assert '<span class="tag tag--ok">Accepted</span>' in handovers

    # Every read of the victim's record was logged as Haven, with the key's prefix: the
    # case read twice, what the navigator wrote read in the list and in each answer to
    # acknowledging and accepting.
    reads = AccessLogEntry.objects.filter(channel=AccessChannel.API)
    assert {(r.organisation_id, r.api_key_prefix, r.case_id) for r in reads} == {
        (haven.pk, prefix, case.pk)
    }
    assert reads.count() == 2 + 1 + 2

    # Nothing beyond the share reached Haven: not in the answers, not in the webhooks.
    sent_to_haven = partner.answers + [r.body.decode() for r in receiver.received]
    for secret_of_the_case in secrets_of_the_case:
        for text in sent_to_haven:
            assert secret_of_the_case.lower() not in text.lower()
    for delivery in receiver.received:  # webhooks are thin: ids, kinds, times and a link
        assert set(json.loads(delivery.body)["data"]) == {
            "id",
            "kind",
            "case",
            "created_at",
            "happens_at",
            "url",
        }
