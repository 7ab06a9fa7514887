"""Measure webhook deliveries per second from one worker to a local receiver, in a
throwaway database of its own.

    python manage.py bench_webhooks                      # 2,000 notices, 5 endpoints
    python manage.py bench_webhooks --notices 5000 --endpoints 10 --batch 50

It seeds partner organisations with shared cases, one endpoint each on a receiver
running in a process of its own on 127.0.0.1 (so it does not share this process's
interpreter lock), and notices spread across them; then runs the dispatcher once,
as a worker's task would, until every delivery is delivered: fan-out, claims,
signing, the address check, the HTTP posts and the records of every attempt. It
reports deliveries per second and each attempt's time (median, 95th percentile).

It creates a fresh database (``<name>_webhook_benchmark``), so it never touches real
data, and drops it afterwards. Needs PostgreSQL. Not part of the tests.
"""

import multiprocessing
import os
import statistics
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from cases.choices import OrganisationKind
from partners.bench import shared_cases
from partners.models import NoticeKind, PartnerNotice
from webhooks.dispatch import dispatch
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import create_endpoint

CASES_PER_ORGANISATION = 20


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the connection open, as a real receiver would

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(port: Any) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port.value = server.server_address[1]
    server.serve_forever()


class Command(BaseCommand):
    help = "Benchmark webhook deliveries from one worker to a local receiver."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notices", type=int, default=2000)
        parser.add_argument("--endpoints", type=int, default=5)
        parser.add_argument("--batch", type=int, default=None, help="deliveries per claim")
        parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
        old_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_webhook_benchmark"
        self.stdout.write("Creating a throwaway database...")
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        settings.DEBUG = False  # no query log kept, as in production
        settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True  # the receiver is on this machine
        port = multiprocessing.Value("i", 0)
        receiver = multiprocessing.Process(target=serve, args=(port,), daemon=True)
        receiver.start()
        try:
            while not port.value:
                time.sleep(0.01)
            self.bench(port.value, **options)
        finally:
            receiver.terminate()
            receiver.join()
            if not options["keep_db"]:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def bench(
        self, port: int, *, notices: int, endpoints: int, batch: int | None, **_: Any
    ) -> None:
        now = timezone.now()
        force = Organisation.objects.create(name="Bench Force", kind=OrganisationKind.POLICE_FORCE)
        service = Organisation.objects.create(
            name="Bench Navigators", kind=OrganisationKind.NAVIGATOR_SERVICE
        )
        navigator = Staff.objects.create(
            username="bench-navigator", role=Role.NAVIGATOR, organisation=service
        )
        cases_of: dict[int, list[int]] = {}
        for number in range(endpoints):
            organisation = Organisation.objects.create(
                name=f"Bench Partner {number:02d}", kind=OrganisationKind.SUPPORT_NGO
            )
            cases_of[organisation.pk] = shared_cases(
                organisation,
                count=CASES_PER_ORGANISATION,
                prefix=f"W{number:02d}",
                force=force,
                navigator=navigator,
                consent_on=now.date(),
            )
            create_endpoint(
                organisation=organisation,
                url=f"http://127.0.0.1:{port}/hooks/{number}",
                acting_user=None,
            )
        organisation_ids = list(cases_of)
        PartnerNotice.objects.bulk_create(
            PartnerNotice(
                case_id=cases_of[organisation_ids[n % endpoints]][n % CASES_PER_ORGANISATION],
                organisation_id=organisation_ids[n % endpoints],
                kind=NoticeKind.RELOCATION,
                subject="The victim has moved",
                created_at=now - timedelta(seconds=notices - n),
            )
            for n in range(notices)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded {notices:,} notices for {endpoints} endpoints")

        started, cpu_started = time.perf_counter(), time.process_time()
        report = dispatch(batch=batch, budget=timedelta(hours=1))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        delivered = WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
        if delivered != notices:
            raise CommandError(f"Only {delivered} of {notices} were delivered: {report}")
        durations = list(WebhookAttempt.objects.values_list("duration_ms", flat=True))
        median = statistics.median(durations)
        p95 = statistics.quantiles(durations, n=100)[94]
        self.stdout.write(
            f"\nOne worker delivered {delivered:,} webhooks in {elapsed:.2f} s: "
            f"{delivered / elapsed:,.0f} deliveries/s "
            f"(claims of {batch or settings.WEBHOOK_BATCH_SIZE}; each POST median "
            f"{median:.0f} ms, 95th percentile {p95:.0f} ms, {report.attempts} attempts)\n"
            f"The worker's own CPU time: {cpu * 1000 / delivered:.1f} ms a delivery "
            f"({delivered / cpu:,.0f} deliveries per CPU second); the rest was waiting on the "
            "database and the receiver (load average "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})"
        )
