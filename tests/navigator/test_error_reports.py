"""Errors with victim data in the request, and in the exception itself, leave none of it in
any log line, error email or error page."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.tasks import notify_high_severity_task
from cases.models import Victim
from navigator.logs import VictimDataFilter, format_exception_safely, safe_exception_text
from tests.personas import World

pytestmark = pytest.mark.django_db

NAME = "Marisol Quenby-Achterberg"
PHONE = "07700 900468"
EMAIL = "marisol.hidden@example.org"
ADDRESS = "27 Wrenfield Terrace"
POSTCODE = "ZZ4 7WT"
NOTES = "She is staying with her cousin Teodor above the laundrette"
ALL = (NAME, PHONE, EMAIL, ADDRESS, POSTCODE, NOTES, "Marisol", "Wrenfield", "Teodor")


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the configured console handlers write (the lines a log collector would keep)."""
    buffer = io.StringIO()
    handlers = {
        handler
        for logger in (logging.getLogger(), logging.getLogger("django"))
        for handler in logger.handlers
        if handler.get_name() == "console"
    }
    assert handlers, "the console handler from LOGGING is not installed"
    saved = {handler: handler.setStream(buffer) for handler in handlers}  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        for handler, stream in saved.items():
            handler.setStream(stream)  # type: ignore[attr-defined]


@pytest.fixture
def reports(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ADMINS = [("On call", "oncall@example.org")]


def everything_written(log_lines: io.StringIO, *responses: Any) -> str:
    parts = [log_lines.getvalue()]
    for message in mail.outbox:
        parts += [message.subject, message.body, *(alt[0] for alt in message.alternatives)]
    parts += [response.content.decode() for response in responses]
    return "\n".join(parts)


def assert_no_victim_data(text: str) -> None:
    for secret in ALL:
        assert secret not in text, secret


def failing(message: str) -> Any:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError(message)

    return fail


def test_a_service_failing_on_a_posted_contact_leaves_no_trace_of_it(
    world: World, log_lines: io.StringIO, reports: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug whose message repeats what was posted: the worst case for a log.
    monkeypatch.setattr("contacts.services.refresh_cases", failing(f"could not handle {NOTES}"))
    client = Client(raise_request_exception=False)
    client.force_login(world.nadia)
    url = reverse("checkin-create", args=[world.case_a.reference])
    form = {
        "submission_key": str(uuid4()),
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "direction": "outbound",
        "channel": "phone_call",
        "outcome": "reached",
        "update_given": "news",
        "place": "remote",
        "interpreter_name": NAME,
        "notes": NOTES,
    }
    response = client.post(f"{url}?address={ADDRESS}&phone={PHONE}", form)

    assert response.status_code == 500
    (report,) = mail.outbox  # the admins are told, and can find the fault ...
    assert "Internal Server Error" in report.subject
    assert "RuntimeError (message hidden)" in report.body
    assert "contacts/services.py" in report.body
    assert "RuntimeError (message hidden)" in log_lines.getvalue()
    assert_no_victim_data(everything_written(log_lines, response))  # ... and nothing else


def test_a_database_error_repeating_the_row_is_reported_by_its_constraint(
    world: World, log_lines: io.StringIO, reports: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    details = {"full_name": NAME, "preferred_name": ALL[6], "safe_phone": PHONE}

    def write_a_bad_victim(*args: object, **kwargs: object) -> None:
        # PostgreSQL's message repeats the whole failing row: name, phone, everything.
        Victim.objects.create(**details)  # no date of birth, no age band: refused

    monkeypatch.setattr("pages.views.cases.case_clock", write_a_bad_victim)
    client = Client(raise_request_exception=False)
    client.force_login(world.nadia)
    response = client.get(reverse("case-detail", args=[world.case_a.reference]), {"q": NAME})

    assert response.status_code == 500
    text = everything_written(log_lines, response)
    assert "IntegrityError (SQLSTATE 23514" in text
    assert "constraint victim_has_date_of_birth_or_age_band" in text
    assert_no_victim_data(text)


def test_api_failures_and_bad_bodies_leave_no_trace(
    world: World, log_lines: io.StringIO, reports: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.nadia)
    body = json.dumps({"full_name": NAME, "safe_phone": PHONE, "address": ADDRESS})
    responses = [client.post("/api/v1/cases/", body, content_type="application/json")]
    monkeypatch.setattr(
        "cases.api.serializers.AgreementField.to_representation",
        failing(f"{NAME} at {ADDRESS}"),
    )
    responses.append(client.get(f"/api/v1/cases/{world.case_a.reference}/"))
    responses.append(client.get("/api/v1/cases/", {"email": EMAIL}))  # not a parameter

    assert [r.status_code for r in responses] == [405, 500, 400]
    assert len(mail.outbox) == 1
    assert_no_victim_data(everything_written(log_lines, *responses))


def test_a_failing_task_logs_its_failure_without_its_message(
    world: World, log_lines: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "alerts.notifications.send_high_severity_emails", failing(f"no email for {NAME}")
    )
    result = notify_high_severity_task.apply(kwargs={"alert_ids": [1]})
    assert result.failed()
    text = log_lines.getvalue()
    assert "alerts.tasks.notify_high_severity_task" in text
    assert "RuntimeError (message hidden)" in text
    assert_no_victim_data(text)


def test_the_debug_page_of_the_demo_shows_no_victim_data_either(
    world: World, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    monkeypatch.setattr("contacts.services.refresh_cases", failing(f"{NAME}, {POSTCODE}"))
    client = Client(raise_request_exception=False)
    client.force_login(world.nadia)
    url = reverse("checkin-create", args=[world.case_a.reference])
    response = client.post(
        f"{url}?phone={PHONE}",
        {
            "submission_key": str(uuid4()),
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "direction": "outbound",
            "channel": "phone_call",
            "outcome": "reached",
            "update_given": "news",
            "place": "remote",
            "notes": NOTES,
        },
        HTTP_ACCEPT="text/html",
    )
    assert response.status_code == 500
    page = response.content.decode()
    assert "RuntimeError (message hidden)" in page  # the technical page, made safe
    assert_no_victim_data(page)


def test_the_development_servers_request_lines_lose_their_query_strings() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /cases/?q={NAME} HTTP/1.1", "200", "512"),
        None,
    )
    VictimDataFilter().filter(record)
    assert record.getMessage() == '"GET /cases/?[hidden] HTTP/1.1" 200 512'


def test_a_chained_database_error_keeps_its_frames_and_loses_its_messages(world: World) -> None:
    details = {"full_name": NAME, "safe_phone": PHONE}
    try:
        with transaction.atomic():
            Victim.objects.create(**details)
    except IntegrityError as error:
        text = format_exception_safely(error)
    assert "Traceback (most recent call last)" in text
    assert "test_error_reports.py" in text
    assert "psycopg.errors.CheckViolation (SQLSTATE 23514" in text
    assert "django.db.utils.IntegrityError (SQLSTATE 23514" in text
    assert_no_victim_data(text)


def test_a_failed_connection_says_why_it_failed() -> None:
    import psycopg

    try:
        psycopg.connect("postgresql://nobody@127.0.0.1:1/nowhere", connect_timeout=2)
    except psycopg.OperationalError as error:
        text = safe_exception_text(error)
    assert text.startswith("psycopg.OperationalError: connection")
    assert "127.0.0.1" in text


def test_a_500_answered_without_an_exception_is_reported_without_its_request(
    reports: None, log_lines: io.StringIO
) -> None:
    # A view that returns a 500 itself: Django logs the response with no exception,
    # and the error email puts the log message where the exception would be.
    from django.http import HttpResponseServerError
    from django.test import RequestFactory
    from django.utils.log import log_response

    request = RequestFactory().post(f"/cases/?name={NAME}", {"notes": NOTES})
    log_response(
        "Internal Server Error: %s",
        request.path,
        response=HttpResponseServerError(),
        request=request,
    )
    assert len(mail.outbox) == 1
    assert "Internal Server Error: /cases/" in mail.outbox[0].body
    assert_no_victim_data(everything_written(log_lines))
