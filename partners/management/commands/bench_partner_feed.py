"""Measure the partner notice feed at scale, in a throwaway database of its own.

    python manage.py bench_partner_feed                    # 100,000 notices, 50 organisations
    python manage.py bench_partner_feed --notices 20000 --rounds 3

It seeds partner organisations, each with a key and cases shared with it, and
notices spread across them; then walks feeds page by page (100 a page, following
``next`` as a partner's system would) through the whole Django stack (the WSGI
application, with its middleware, key authentication, throttling, filters and
paging), and through a bare view over the same rows (psycopg and orjson, no
framework) in alternating rounds of the same requests, and reports:

- Django's server time per page (median and 95th percentile) and its queries per
  request;
- the throughput of each (pages a second) and their ratio.

It creates a fresh database (``<name>_feed_benchmark``), so it never touches real
data, and drops it afterwards. Needs PostgreSQL.
"""

import statistics
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg

try:
    import orjson  # the bare view writes with it, as the feed does
except ImportError:  # pragma: no cover - only without the dev extras
    orjson = None
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from cases.choices import OrganisationKind
from navigator.api import throttling
from partners.bench import shared_cases
from partners.keys import issue_key
from partners.models import NoticeKind, PartnerNotice

PAGE = 100
HOST = "feed-benchmark.invalid"
CASES_PER_ORGANISATION = 40
CHUNK = 10_000
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Command(BaseCommand):
    help = "Benchmark the partner notice feed against a bare view, in a throwaway database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notices", type=int, default=100_000)
        parser.add_argument("--organisations", type=int, default=50)
        parser.add_argument(
            "--feeds", type=int, default=10, help="organisations whose feed is walked per round"
        )
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        if orjson is None:
            raise CommandError("The benchmark needs orjson: pip install -r requirements.lock")
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
        old_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_feed_benchmark"
        self.stdout.write("Creating a throwaway database...")
        bench_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        # The benchmark asks far faster than any partner may: the limits are not measured.
        throttling.ApiKeyRateThrottle.THROTTLE_RATES = {"api_key": "100000000/second"}
        # As production runs: no query log kept, and answering for its own host name.
        settings.DEBUG = False
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
        try:
            self.bench(bench_name, **options)
        finally:
            if not options["keep_db"]:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def bench(
        self,
        bench_name: str,
        *,
        notices: int,
        organisations: int,
        feeds: int,
        rounds: int,
        **_: Any,
    ) -> None:
        started = time.perf_counter()
        keys = seed(notices, organisations)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Seeded {notices:,} notices across {organisations} organisations "
            f"in {time.perf_counter() - started:.1f} s"
        )
        django_app = get_wsgi_application()
        bare_app, bare_connection = bare_feed_view(
            connection.get_connection_params() | {"dbname": bench_name}
        )
        try:
            self.measure(django_app, bare_app, keys, feeds=feeds, rounds=rounds)
        finally:
            bare_connection.close()

    def measure(
        self,
        django_app: WSGIApp,
        bare_app: WSGIApp,
        keys: dict[int, str],
        *,
        feeds: int,
        rounds: int,
    ) -> None:
        walked = list(keys.items())[:feeds]

        # The requests a round makes: each walked organisation's feed, page by page.
        pages = []
        for organisation_id, key in walked:
            url, after = "/api/v1/notices/?page_size=100", 0
            while True:
                response = call(django_app, url, {"HTTP_AUTHORIZATION": f"Api-Key {key}"})
                body = orjson.loads(response)
                pages.append((organisation_id, key, url, after))
                if not body["has_more"]:
                    break
                after = body["results"][-1]["id"]
                url = body["next"].replace(f"https://{HOST}", "")
        self.stdout.write(f"A round is {len(pages)} pages ({feeds} feeds walked in full)")

        # Queries per request, on a page from the middle of a feed.
        _, key, url, _ = pages[len(pages) // 2]
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            call(django_app, url, {"HTTP_AUTHORIZATION": f"Api-Key {key}"})
        queries = len(captured.captured_queries)

        django_times: list[float] = []
        bare_times: list[float] = []
        django_total = bare_total = 0.0
        for _ in range(rounds):
            round_started = time.perf_counter()
            for _organisation_id, key, url, _after in pages:
                t = time.perf_counter()
                call(django_app, url, {"HTTP_AUTHORIZATION": f"Api-Key {key}"})
                django_times.append(time.perf_counter() - t)
            django_total += time.perf_counter() - round_started
            round_started = time.perf_counter()
            for organisation_id, _key, _url, after in pages:
                t = time.perf_counter()
                call(bare_app, f"/bare/?organisation={organisation_id}&after={after}", {})
                bare_times.append(time.perf_counter() - t)
            bare_total += time.perf_counter() - round_started

        requests = len(pages) * rounds
        django_rate, bare_rate = requests / django_total, requests / bare_total

        def ms(values: list[float], q: float) -> str:
            return f"{statistics.quantiles(values, n=100)[int(q) - 1] * 1000:.2f} ms"

        self.stdout.write(
            f"\nDjango feed, per page of {PAGE}: median {ms(django_times, 50)}, "
            f"95th percentile {ms(django_times, 95)}, {queries} queries per request\n"
            f"Bare psycopg + orjson view:  median {ms(bare_times, 50)}, "
            f"95th percentile {ms(bare_times, 95)}\n"
            f"Throughput over {requests:,} pages each: Django {django_rate:,.0f} pages/s, "
            f"bare {bare_rate:,.0f} pages/s, ratio {django_rate / bare_rate:.2f}"
        )


def call(app: WSGIApp, url: str, extra: dict[str, str]) -> bytes:
    """One GET through a WSGI application, as a server would make it; the body read whole."""
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "443",
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT": "application/json",
        "wsgi.url_scheme": "https",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **extra,
    }
    statuses: list[str] = []
    body = b"".join(app(environ, lambda status, headers, *_: statuses.append(status)))
    if not statuses[0].startswith("200"):
        raise CommandError(f"{url} answered {statuses[0]}: {body[:200]!r}")
    return body


# The page as the feed reads it (partners.selectors.KEY_AND_FEED_PAGE_SQL): through the
# organisation's own index, a plan PostgreSQL keeps whatever the cursor. (Written as
# ``organisation_id = %s AND id > %s ORDER BY id``, its plan walks every organisation's
# notices by id from the cursor: here 50 read for each one of its own.)
BARE_SQL = """
    SELECT page.* FROM accounts_organisation o CROSS JOIN LATERAL (
      SELECT n.id, n.kind, c.reference, n.subject, n.happens_at, n.created_at,
             n.acknowledged_at
      FROM partners_partnernotice n JOIN cases_case c ON c.id = n.case_id
      WHERE n.organisation_id = o.id AND (n.organisation_id, n.id) > (o.id, %(after)s::bigint)
      ORDER BY n.organisation_id, n.id LIMIT %(limit)s::bigint
    ) page
    WHERE o.id = %(organisation)s::bigint
"""


def bare_feed_view(params: dict[str, Any]) -> tuple[WSGIApp, psycopg.Connection[Any]]:
    """The same page of the same rows, with nothing but psycopg and orjson."""
    conn = psycopg.connect(**{k: v for k, v in params.items() if v not in (None, "")})
    conn.autocommit = True

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        query = parse_qs(environ["QUERY_STRING"])
        organisation, after = int(query["organisation"][0]), int(query["after"][0])
        with conn.cursor() as cursor:
            cursor.execute(
                BARE_SQL,
                {"organisation": organisation, "after": after, "limit": PAGE + 1},
                prepare=True,
            )
            rows = cursor.fetchall()
        results = [
            {
                "id": r[0],
                "kind": r[1],
                "case": r[2],
                "subject": r[3],
                "happens_at": r[4],
                "created_at": r[5],
                "acknowledged_at": r[6],
            }
            for r in rows[:PAGE]
        ]
        last = results[-1]["id"] if results else after
        body = orjson.dumps(
            {
                "next": f"/bare/?organisation={organisation}&after={last}",
                "has_more": len(rows) > PAGE,
                "results": results,
            }
        )
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    return app, conn


def seed(total: int, organisations: int) -> dict[int, str]:
    """Partner organisations with a key and shared cases, and ``total`` notices spread
    evenly across them, oldest first. Returns each organisation's key."""
    now = timezone.now()
    force = Organisation.objects.create(name="Benchmark Police", kind=OrganisationKind.POLICE_FORCE)
    navigator_service = Organisation.objects.create(
        name="Benchmark Navigators", kind=OrganisationKind.NAVIGATOR_SERVICE
    )
    navigator = Staff.objects.create(
        username="bench-navigator", role=Role.NAVIGATOR, organisation=navigator_service
    )
    keys: dict[int, str] = {}
    cases_of: dict[int, list[int]] = {}
    for number in range(organisations):
        organisation = Organisation.objects.create(
            name=f"Benchmark Partner {number:02d}", kind=OrganisationKind.SUPPORT_NGO
        )
        keys[organisation.pk] = issue_key(
            organisation=organisation, name="bench", acting_user=None
        ).key
        cases_of[organisation.pk] = shared_cases(
            organisation,
            count=CASES_PER_ORGANISATION,
            prefix=f"B{number:02d}",
            force=force,
            navigator=navigator,
            consent_on=now.date(),
        )
    kinds = [k for k in NoticeKind.values if k != NoticeKind.HANDOVER]
    organisation_ids = list(keys)
    batch = []
    for n in range(total):
        organisation_id = organisation_ids[n % organisations]
        cases = cases_of[organisation_id]
        batch.append(
            PartnerNotice(
                case_id=cases[(n // organisations) % len(cases)],
                organisation_id=organisation_id,
                kind=kinds[n % len(kinds)],
                subject=f"Something happened on case C-B{n % 10_000:06d}",
                happens_at=now + timedelta(days=n % 7) if n % 3 == 0 else None,
                created_at=now - timedelta(seconds=total - n),
                acknowledged_at=now if n % 4 == 0 else None,
            )
        )
        if len(batch) == CHUNK:
            PartnerNotice.objects.bulk_create(batch)
            batch = []
    PartnerNotice.objects.bulk_create(batch)
    return keys
