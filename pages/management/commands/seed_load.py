"""Seed the database the load test (bin/load) runs against, and write its logins.

    python manage.py seed_load var/load/logins.json
    python manage.py seed_load var/load/logins.json --navigators 50 --cases-each 20

Fictional data only, for a throwaway database (bin/load creates one and drops it): a
team of navigators, each with open cases, agreements and six weeks of contacts (the
same team bench_pages measures, seeded the same way); police officers of the force the
cases belong to; partner organisations, each with an API key, cases shared with it and
notices in its feed. One run of the periodic checks (as after a deploy) then brings the
clocks and alerts (with their history) to where they would be.

Everyone signs in with the same password, made afresh for each run. The file written
holds it, the usernames with the case references each may use, and the partners' API
keys: what the load generator needs, nothing it could not be given.
"""

import json
import random
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.periodic import run_periodic_checks
from cases.choices import OrganisationKind, PocRole
from cases.models import Case, CaseShare, PointOfContact
from pages.management.commands.bench_pages import seed as seed_team
from partners.keys import issue_key
from partners.models import NoticeKind, PartnerNotice

# Officers look up cases by reference: each is given this many of the force's.
REFERENCES_PER_OFFICER = 50


class Command(BaseCommand):
    help = "Seed a throwaway database for the load test and write its logins to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("logins", type=Path, help="where to write the logins (JSON)")
        parser.add_argument("--navigators", type=int, default=50)
        parser.add_argument("--cases-each", type=int, default=20)
        parser.add_argument("--officers", type=int, default=10)
        parser.add_argument("--partners", type=int, default=20)
        parser.add_argument("--shared-each", type=int, default=10)
        parser.add_argument("--notices-each", type=int, default=100)

    def handle(
        self,
        *args: Any,
        logins: Path,
        navigators: int,
        cases_each: int,
        officers: int,
        partners: int,
        shared_each: int,
        notices_each: int,
        **options: Any,
    ) -> None:
        if Case.objects.exists():
            raise CommandError("The database already holds cases: seed_load needs an empty one.")
        started = time.perf_counter()
        now = timezone.now().replace(microsecond=0)
        password = secrets.token_urlsafe(18)
        with transaction.atomic():
            team = seed_team(navigators, cases_each, now)
            force = Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE)
            officer_staff = [
                Staff.objects.create(
                    username=f"load-officer-{n}",
                    first_name=f"Officer {n}",
                    role=Role.OFFICER,
                    organisation=force,
                )
                for n in range(officers)
            ]
            Staff.objects.filter(role__in=[Role.NAVIGATOR, Role.OFFICER]).update(
                password=make_password(password)
            )
            caseloads = navigator_caseloads(exclude=team.light.pk)
            keys = seed_partners(partners, shared_each, notices_each, sharer=team.busy, now=now)
        references = sorted(ref for refs in caseloads.values() for ref in refs)
        rng = random.Random(2026)  # noqa: S311 - picks fictional references, not a secret
        logins.parent.mkdir(parents=True, exist_ok=True)
        logins.write_text(
            json.dumps(
                {
                    "password": password,
                    "navigators": [
                        {"username": name, "cases": refs} for name, refs in caseloads.items()
                    ],
                    "officers": [
                        {
                            "username": officer.username,
                            "cases": rng.sample(
                                references, min(REFERENCES_PER_OFFICER, len(references))
                            ),
                        }
                        for officer in officer_staff
                    ],
                    "partners": [{"organisation": name, "key": key} for name, key in keys],
                },
                indent=1,
            )
        )
        logins.chmod(0o600)
        report = run_periodic_checks(now=now, daily=True).sweep
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Seeded {len(caseloads)} navigators with {len(references):,} open cases, "
            f"{officers} officers and {partners} partner organisations in "
            f"{time.perf_counter() - started:.1f} s; the sweep opened "
            f"{len(report.opened):,} alerts; logins in {logins}"
        )


def navigator_caseloads(*, exclude: int) -> dict[str, list[str]]:
    """Each navigator's username and the references of the cases they are the navigator on."""
    caseloads: dict[str, list[str]] = {}
    rows = (
        PointOfContact.objects.filter(role=PocRole.NAVIGATOR, ended_at__isnull=True)
        .exclude(person_id=exclude)
        .order_by("person__username", "case__reference")
        .values_list("person__username", "case__reference")
    )
    for username, reference in rows:
        caseloads.setdefault(username, []).append(reference)
    return caseloads


def seed_partners(
    count: int,
    shared_each: int,
    notices_each: int,
    *,
    sharer: Staff,
    now: datetime,
) -> list[tuple[str, str]]:
    """Partner organisations, each with an API key, cases shared with it (with consent
    recorded) and notices in its feed, oldest first. Returns (name, key) for each."""
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    kinds = [kind for kind in NoticeKind.values if kind != NoticeKind.HANDOVER]
    keys = []
    for number in range(count):
        organisation = Organisation.objects.create(
            name=f"Load Partner {number:02d}", kind=OrganisationKind.SUPPORT_NGO
        )
        keys.append(
            (
                organisation.name,
                issue_key(organisation=organisation, name="load test", acting_user=None).key,
            )
        )
        shared = [case_ids[(number * shared_each + n) % len(case_ids)] for n in range(shared_each)]
        CaseShare.objects.bulk_create(
            CaseShare(
                case_id=case_id,
                organisation=organisation,
                consent_recorded_on=now.date(),
                consent_recorded_by=sharer,
                shared_by=sharer,
            )
            for case_id in shared
        )
        PartnerNotice.objects.bulk_create(
            PartnerNotice(
                case_id=shared[n % len(shared)],
                organisation=organisation,
                kind=kinds[n % len(kinds)],
                subject="Something happened on a case you support",
                happens_at=now + timedelta(days=n % 7) if n % 3 == 0 else None,
                created_at=now - timedelta(minutes=notices_each - n),
                acknowledged_at=now if n % 4 == 0 else None,
            )
            for n in range(notices_each)
        )
    return keys
