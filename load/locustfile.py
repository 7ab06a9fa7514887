"""The load test's people (run by bin/load, which seeds their logins with seed_load).

- Navigators sign in, read Today, and log contacts on their own cases: the form is
  fetched, then sent with its CSRF token and submission key, and the case page it leads
  to is read. Every contact answered as saved is written down, so that bin/load can
  check that each one is in the database.
- Police officers sign in and look cases up by reference (the lookup is a POST), then
  read the case page it leads to.
- Partner organisations poll their notice feed with their API key, following ``next``
  as a partner's system would.

Navigator runs behind a proxy that speaks HTTPS to the browser, as in production: every
request says so (``X-Forwarded-Proto``), and the client sends back the cookies Navigator
marks secure.

Settings come from the environment: LOAD_LOGINS (the file seed_load wrote),
LOAD_SAVED_CONTACTS (where to write the saved contacts' keys), LOAD_NAVIGATORS,
LOAD_OFFICERS and LOAD_PARTNERS (how many of each run at once), LOAD_THINK_SECONDS
(how long a person waits between two things they do, at random between two bounds,
"2-8" by default; partners poll about twice as far apart).
"""

import json
import os
import random
import re
import resource
import threading
from datetime import datetime
from http.cookiejar import Cookie
from itertools import cycle
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

LOGINS = json.loads(Path(os.environ.get("LOAD_LOGINS", "var/load/logins.json")).read_text())
SAVED_CONTACTS = Path(os.environ.get("LOAD_SAVED_CONTACTS", "var/load/saved-contacts.txt"))
PASSWORD = LOGINS["password"]
UK = ZoneInfo("Europe/London")
THINK_LEAST, THINK_MOST = (
    float(bound) for bound in os.environ.get("LOAD_THINK_SECONDS", "2-8").split("-")
)

_next_login = {kind: cycle(LOGINS[kind]) for kind in ("navigators", "officers", "partners")}
_saved: list[str] = []
_lock = threading.Lock()
# The figures start once everyone who signs in has: a sign-in is a deliberately slow
# password check, and sixty at once are the start of a day, not its load.
_signing_in = int(os.environ.get("LOAD_NAVIGATORS", "50")) + int(
    os.environ.get("LOAD_OFFICERS", "10")
)

HIDDEN = re.compile(r'<input type="hidden" name="(?P<name>[a-z_]+)" value="(?P<value>[^"]*)"')


def take(kind: str) -> dict[str, Any]:
    with _lock:
        return dict(next(_next_login[kind]))


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden fields of the page's forms (the CSRF token, the submission key)."""
    return {match["name"]: match["value"] for match in HIDDEN.finditer(html)}


class BehindHttpsProxy(RequestsCookieJar):
    """The browser talks HTTPS to the proxy, so it sends back the cookies marked secure
    (kept here as plain ones: the client itself speaks plain HTTP to gunicorn)."""

    def set_cookie(self, cookie: Cookie, *args: Any, **kwargs: Any) -> None:
        cookie.secure = False
        super().set_cookie(cookie, *args, **kwargs)


class Person(HttpUser):
    abstract = True

    def on_start(self) -> None:
        origin = f"https://{urlsplit(self.host).netloc}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin})
        self.client.cookies = BehindHttpsProxy()

    def sign_in(self, username: str) -> None:
        page = self.client.get("/sign-in/", name="sign-in form")
        token = hidden_fields(page.text).get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        global _signing_in
        with _lock:
            _signing_in -= 1
            everyone_in = _signing_in == 0
        if everyone_in:
            self.environment.stats.reset_all()


class Navigator(Person):
    fixed_count = int(os.environ.get("LOAD_NAVIGATORS", "50"))
    wait_time = between(THINK_LEAST, THINK_MOST)

    def on_start(self) -> None:
        super().on_start()
        login = take("navigators")
        self.cases: list[str] = login["cases"]
        self.sign_in(login["username"])

    @task(3)
    def read_today(self) -> None:
        self.client.get("/today/", name="Today")

    @task(2)
    def log_a_contact(self) -> None:
        reference = random.choice(self.cases)  # noqa: S311 - which case, not a secret
        url = f"/cases/{reference}/contacts/new/"
        form = self.client.get(url, name="contact form")
        if form.status_code != 200:
            return
        fields = hidden_fields(form.text)
        key = fields.get("submission_key", "")
        with self.client.post(
            url,
            {
                "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                "submission_key": key,
                "channel": "phone_call",
                "outcome": random.choice(["reached", "reached", "no_answer"]),  # noqa: S311
                "update_given": "no_news_active",
                "at": datetime.now(UK).strftime("%Y-%m-%dT%H:%M"),
                "direction": "outbound",
                "place": "remote",
                "wellbeing": "4",
                "trust": "3",
                "notes": "Told them the file is with the CPS.",
            },
            headers={"Referer": f"{self.client.headers['Origin']}{url}"},
            name="log a contact",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.endswith(f"/cases/{reference}/"):
                response.failure(f"answered {response.status_code} {location}")
                return
        with _lock:
            _saved.append(key)
        self.client.get(location, name="case page")


class Officer(Person):
    fixed_count = int(os.environ.get("LOAD_OFFICERS", "10"))
    wait_time = between(THINK_LEAST, THINK_MOST)

    def on_start(self) -> None:
        super().on_start()
        login = take("officers")
        self.cases = login["cases"]
        self.sign_in(login["username"])

    @task
    def look_a_case_up(self) -> None:
        page = self.client.get("/find/", name="find form")
        token = hidden_fields(page.text).get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/find/",
            {"csrfmiddlewaretoken": token, "term": random.choice(self.cases)},  # noqa: S311
            headers={"Referer": f"{self.client.headers['Origin']}/find/"},
            name="find a case",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"answered {response.status_code}")
                return
            location = response.headers["Location"]
        self.client.get(location, name="case page (officer)")


class Partner(HttpUser):
    fixed_count = int(os.environ.get("LOAD_PARTNERS", "20"))
    wait_time = between(2 * THINK_LEAST, 2 * THINK_MOST)

    def on_start(self) -> None:
        login = take("partners")
        self.client.headers.update(
            {"Authorization": f"Api-Key {login['key']}", "X-Forwarded-Proto": "https"}
        )
        self.feed = "/api/v1/notices/"

    @task
    def poll_notices(self) -> None:
        """Read the feed up to now, page by page, and keep where it ended."""
        for _ in range(20):
            response = self.client.get(self.feed, name="notice feed")
            if response.status_code != 200:
                return
            page = response.json()
            next_link = urlsplit(page["next"])
            self.feed = f"{next_link.path}?{next_link.query}" if next_link.query else self.feed
            if not page["has_more"]:
                return


@events.test_stop.add_listener
def write_saved_contacts(**kwargs: Any) -> None:
    SAVED_CONTACTS.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        SAVED_CONTACTS.write_text("".join(f"{key}\n" for key in _saved))
    # The load generator shares the machine: what it took of it is part of the picture.
    used = resource.getrusage(resource.RUSAGE_SELF)
    (SAVED_CONTACTS.parent / "locust-cpu-seconds").write_text(
        f"{used.ru_utime + used.ru_stime:.1f}"
    )
