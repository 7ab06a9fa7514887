"""PostgreSQL restarts while navigators use Navigator: every request made while it is down
is answered with the 503 page ("try again in a minute"), never a 500, and saves nothing
half-way; every request after it is back succeeds on the web workers' kept connections
(checked before reuse), and a contact sent again after a 503 is saved once."""

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode
from uuid import uuid4

import psycopg
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.faults.servers import (
    ROOT,
    PrivatePostgres,
    free_port,
    the_test_database_url,
    wait_for,
)
from tests.personas import World

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

CSRF = "faulttestcsrfsecret0123456789abc"  # a CSRF secret of the right form (32 characters)
TRY_AGAIN = "Try again in a minute"


@dataclass(frozen=True)
class Answer:
    kind: str  # "today" or "contact"
    status: int
    body: str
    started: float
    key: str = ""  # a contact's submission key


class Navigator:
    """A signed-in navigator's browser, over plain HTTP to the test's own web server
    (redirects are not followed: a saved contact is the redirect to its case page)."""

    def __init__(self, port: int, session: str, reference: str) -> None:
        self.port = port
        self.reference = reference
        self.cookies = f"sessionid={session}; csrftoken={CSRF}"

    def _send(
        self, method: str, path: str, kind: str, form: dict[str, str] | None = None
    ) -> Answer:
        headers = {"Cookie": self.cookies}
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form)
        started = time.monotonic()
        server = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            server.request(method, path, body=body, headers=headers)
            response = server.getresponse()
            text = response.read().decode()
        finally:
            server.close()
        return Answer(kind, response.status, text, started, (form or {}).get("submission_key", ""))

    def today(self) -> Answer:
        return self._send("GET", "/today/", "today")

    def log_contact(self, key: str | None = None) -> Answer:
        form = {
            "csrfmiddlewaretoken": CSRF,
            "submission_key": key or str(uuid4()),
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "direction": "outbound",
            "channel": "phone_call",
            "outcome": "reached",
            "update_given": "no_news_active",
            "place": "remote",
        }
        path = reverse("checkin-create", args=[self.reference])
        return self._send("POST", path, "contact", form)


def copy_of_the_test_database(server: PrivatePostgres, directory: Path) -> None:
    """The test database (migrated, with the test's people and cases) restored into the
    private cluster: quicker than migrating it there."""
    dump = directory / "navigator.dump"
    subprocess.run(
        [str(server.binaries / "pg_dump"), "-Fc", "-f", str(dump), the_test_database_url()],
        check=True,
    )
    with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
        admin.execute("CREATE DATABASE navigator")
    subprocess.run(
        [str(server.binaries / "pg_restore"), "--no-owner", "-d", server.url(), str(dump)],
        check=True,
    )


@contextmanager
def web_server(database_url: str, directory: Path) -> Iterator[int]:
    """gunicorn (two workers, each keeping its database connection between requests, as
    in production) on the private cluster, with DEBUG off."""
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "true",  # the laptop defaults; tests.faults.live_settings turns DEBUG off
        "DJANGO_SETTINGS_MODULE": "tests.faults.live_settings",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "NAVIGATOR_VAR_DIR": str(directory / "var"),  # the broker kept in files there
        "LOG_LEVEL": "WARNING",
    }
    log = (directory / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "navigator.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return server.poll() is not None  # stop waiting: it has exited

    try:
        wait_for(answers, "gunicorn to start")
        assert server.poll() is None, (directory / "gunicorn.log").read_text()
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def saved_keys(server: PrivatePostgres) -> list[str]:
    with psycopg.connect(server.url()) as db:
        rows = db.execute(
            "SELECT submission_key::text FROM contacts_checkin WHERE submission_key IS NOT NULL"
        ).fetchall()
    return [row[0] for row in rows]


def contacts_without_history(server: PrivatePostgres) -> int:
    with psycopg.connect(server.url()) as db:
        row = db.execute(
            "SELECT count(*) FROM contacts_checkin c WHERE NOT EXISTS "
            "(SELECT 1 FROM contacts_historicalcheckin h WHERE h.id = c.id)"
        ).fetchone()
    return int(row[0]) if row else 0


def test_requests_while_postgresql_restarts_get_the_503_page_and_those_after_succeed(
    world: World, private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    client = Client()
    client.force_login(world.nadia)  # the session row travels with the copy
    session = client.cookies["sessionid"].value
    copy_of_the_test_database(private_postgres, tmp_path)

    with web_server(private_postgres.url(), tmp_path) as port:
        nadia = Navigator(port, session, world.case_a.reference)
        # Both workers connect, and keep their connections between requests.
        before = [nadia.today() for _ in range(4)] + [nadia.log_contact() for _ in range(2)]
        assert [a.status for a in before] == [200] * 4 + [302] * 2

        # A restart while nobody is asking: each kept connection is now dead, and only
        # checking it before reuse (CONN_HEALTH_CHECKS) saves the next request from it.
        private_postgres.stop()
        private_postgres.start()
        after_a_quiet_restart = [nadia.log_contact(), nadia.today(), nadia.log_contact()]
        after_a_quiet_restart += [nadia.today() for _ in range(3)]

        # A restart while a navigator's browser goes on working throughout.
        answers: list[Answer] = []
        stop = threading.Event()

        def keep_working() -> None:
            while not stop.is_set():
                answers.append(nadia.today())
                answers.append(nadia.log_contact())

        working = threading.Thread(target=keep_working)
        working.start()
        try:
            wait_for(lambda: len(answers) >= 2, "requests before the restart")
            private_postgres.stop()
            down_since = time.monotonic()
            during = [nadia.today(), nadia.log_contact()]
            wait_for(
                lambda: sum(a.started > down_since for a in answers) >= 2,
                "requests while PostgreSQL is down",
            )
            private_postgres.start()
            back_since = time.monotonic()
            after = [nadia.today(), nadia.log_contact(), nadia.today(), nadia.log_contact()]
            wait_for(
                lambda: sum(a.started > back_since for a in answers) >= 6,
                "requests after PostgreSQL is back",
            )
        finally:
            stop.set()
            working.join(timeout=60)

        # Sent again, as the 503 page asks: each contact refused while it was down.
        refused = [a for a in [*during, *answers] if a.kind == "contact" and a.status == 503]
        again = [nadia.log_contact(a.key) for a in refused]

    everything = [*before, *after_a_quiet_restart, *during, *answers, *after, *again]
    # Never a 500: a page, a redirect after a saved contact, or the 503 page.
    assert {a.status for a in everything} <= {200, 302, 503}
    assert [a.status for a in during] == [503, 503]
    assert refused, "no contact was sent while PostgreSQL was down"
    for answer in (a for a in everything if a.status == 503):
        assert TRY_AGAIN in answer.body
        assert "Traceback" not in answer.body and "OperationalError" not in answer.body
        assert world.case_a.victim.full_name not in answer.body
    # Every request made once PostgreSQL was back succeeded, on the kept connections.
    assert [a.status for a in after_a_quiet_restart] == [302, 200, 302, 200, 200, 200]
    assert [a.status for a in after] == [200, 302, 200, 302]
    assert all(a.status in (200, 302) for a in answers if a.started > back_since)
    assert [a.status for a in again] == [302] * len(again)
    # Each contact answered as saved, or refused and sent again, is saved once, whole.
    expected = {a.key for a in everything if a.kind == "contact" and a.status == 302}
    assert sorted(saved_keys(private_postgres)) == sorted(expected)
    assert contacts_without_history(private_postgres) == 0
