"""A partner tells the case's team the victim moved, or that it had contact with them: it
reaches the case's points of contact as an alert and shows on the case."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from alerts.selectors import live_alerts
from partners.models import PartnerReport
from tests.partners.helpers import client_for, session_client
from tests.personas import World

pytestmark = pytest.mark.django_db

AN_HOUR_AGO = (timezone.now() - timedelta(hours=1)).isoformat()
MOVED = {
    "kind": "relocation",
    "happened_at": AN_HOUR_AGO,
    "accommodation_kind": "safe_house",
    "note": "Moved to our house in Exampleshire; call us before visiting.",
}
CONTACT = {
    "kind": "contact",
    "happened_at": AN_HOUR_AGO,
    "channel": "phone_call",
    "outcome": "reached",
    "concerns": ["safety_fear"],
    "note": "Thinks she saw someone from the house near the shop.",
}


def post(world: World, body: dict, client=None):  # type: ignore[no-untyped-def, type-arg]
    client = client or client_for(world.haven)
    return client.post(
        f"/api/v1/cases/{world.case_a.reference}/reports/", body, content_type="application/json"
    )


def test_a_move_reaches_the_navigator_and_the_police_as_a_high_alert(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    world.nadia.supervisor = world.sam
    with django_capture_on_commit_callbacks(execute=True):
        response = post(world, MOVED)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "relocation" and body["case"] == world.case_a.reference
    assert "note" not in body  # written, never read back
    alert = Alert.objects.get(case=world.case_a, kind=AlertKind.PARTNER_REPORT)
    assert alert.severity == Severity.HIGH
    assert alert.assigned_to == world.nadia
    assert alert.summary.startswith("Haven reports the victim has moved (safe house)")
    assert "Exampleshire" not in alert.summary  # the note stays on the case page
    assert alert in live_alerts(world.nadia)
    assert alert in live_alerts(world.olive)  # the police point of contact sees it too
    assert [m.subject for m in mail.outbox] == [
        f"High-severity alert on case {world.case_a.reference}"
    ]


def test_reports_gather_on_one_live_alert_and_show_on_the_case(world: World) -> None:
    post(world, {**CONTACT, "concerns": []})
    alert = Alert.objects.get(kind=AlertKind.PARTNER_REPORT)
    assert alert.severity == Severity.LOW
    post(world, CONTACT)
    alert.refresh_from_db()
    assert alert.severity == Severity.HIGH  # a fear for their safety
    assert len(alert.reasons["reports"]) == 2
    page = session_client(world.nadia).get(reverse("case-detail", args=[world.case_a.reference]))
    assert b"From partners" in page.content
    assert b"near the shop" in page.content  # the navigator reads the partner's note
    officer_page = (
        session_client(world.olive)
        .get(reverse("case-detail", args=[world.case_a.reference]))
        .content
    )
    assert b"From partners" in officer_page and b"near the shop" not in officer_page
    partner_page = (
        session_client(world.pat)
        .get(reverse("partner-case", args=[world.case_a.reference]))
        .content
    )
    assert b"near the shop" not in partner_page


def test_a_report_names_the_organisation_and_key_in_history(world: World) -> None:
    post(world, MOVED)
    report = PartnerReport.objects.get()
    assert report.organisation == world.haven
    assert report.reported_by.is_service_account
    assert report.history.get().history_change_reason.startswith("API key ")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**MOVED, "accommodation_kind": ""}, {"accommodation_kind"}),
        ({**MOVED, "channel": "phone_call"}, {"channel"}),
        ({**CONTACT, "outcome": ""}, {"outcome"}),
        ({**CONTACT, "concerns": ["curses"]}, {"concerns.0"}),
        ({**CONTACT, "happened_at": "2999-01-01T00:00:00Z"}, {"happened_at"}),
        ({**CONTACT, "happened_at": "yesterday"}, {"happened_at"}),
        ({"kind": "gossip", "happened_at": AN_HOUR_AGO}, {"kind"}),
        (
            {**MOVED, "happened_at": "2001-01-01T00:00:00Z"},
            {"happened_at"},
        ),  # years back: a mistake
        ({**MOVED, "note": "x" * 2001}, {"note"}),
    ],
)
def test_a_report_that_does_not_fit_its_kind_is_refused_field_by_field(
    world: World,
    body: dict,
    fields: set[str],  # type: ignore[type-arg]
) -> None:
    response = post(world, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == fields
    assert not PartnerReport.objects.exists() and not Alert.objects.exists()


def test_staff_report_through_their_own_pages_not_here(world: World) -> None:
    response = post(world, MOVED, client=session_client(world.nadia))
    assert response.status_code == 403
    assert response.json()["detail"] == "Only partner organisations report here."


def test_opening_a_report_in_the_admin_is_a_logged_read_of_the_case(world: World) -> None:
    from audit.models import AccessLogEntry

    post(world, MOVED)
    report = PartnerReport.objects.get()
    admin = session_client(world.ada)
    url = reverse("admin:partners_partnerreport_change", args=[report.pk])
    assert admin.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(
        reader=world.ada, case_id=world.case_a.pk, channel="admin"
    ).exists()
