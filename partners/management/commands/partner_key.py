"""Issue, list, rotate and revoke partner organisations' API keys.

    python manage.py partner_key create --org haven --name "Case system"
    python manage.py partner_key create --org haven --name "Trial" --expires 2026-06-30
    python manage.py partner_key list [--org haven]
    python manage.py partner_key rotate PREFIX [--overlap-days 7]
    python manage.py partner_key revoke PREFIX

A new key is printed once, here; Navigator keeps only its hash.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import Organisation
from navigator.errors import ValidationError, validation_message
from partners import keys
from partners.models import PartnerAPIKey


def parse_expiry(value: str) -> datetime:
    """A day (the key works to the end of it, UK time) or a moment with its offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires {value!r}: give a date like 2026-06-30") from None
    if len(value) == 10:  # a day: to the end of it
        moment = datetime.combine(moment.date() + timedelta(days=1), time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Issue, list, rotate and revoke partner organisations' API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        create = commands.add_parser("create", help="Issue a key to an organisation.")
        create.add_argument("--org", required=True, help="The organisation's slug.")
        create.add_argument("--name", default="API key", help="What the key is for.")
        create.add_argument("--expires", type=parse_expiry, help="Last day it works.")
        listing = commands.add_parser("list", help="List keys (never the keys themselves).")
        listing.add_argument("--org", help="Only this organisation's keys.")
        rotate = commands.add_parser("rotate", help="Issue a replacement; the old key overlaps.")
        rotate.add_argument("prefix")
        rotate.add_argument("--overlap-days", type=float, default=7.0)
        revoke = commands.add_parser("revoke", help="Stop a key working, at once.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{subcommand}")(**options)
        except ValidationError as error:
            raise CommandError(validation_message(error)) from None

    def _organisation(self, slug: str) -> Organisation:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            known = ", ".join(
                Organisation.objects.filter(kind__in=keys.KEY_HOLDING_KINDS).values_list(
                    "slug", flat=True
                )
            )
            raise CommandError(f"No organisation {slug!r}. Partner organisations: {known}.")
        return organisation

    def _key(self, prefix: str) -> PartnerAPIKey:
        api_key = PartnerAPIKey.objects.select_related("organisation").filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No key with prefix {prefix!r}.")
        return api_key

    def _print_new(self, issued: keys.IssuedKey) -> None:
        api_key = issued.api_key
        expires = (
            f", expires {api_key.expiry_date:%Y-%m-%d %H:%M %Z}" if api_key.expiry_date else ""
        )
        self.stdout.write(
            f"Issued key {api_key.prefix} ({api_key.name}) to {api_key.organisation}{expires}.\n"
            "Give it to the organisation safely; it is not shown again:\n\n"
            f"    {issued.key}\n\n"
            "Requests send it as: Authorization: Api-Key <key>"
        )

    def do_create(self, org: str, name: str, expires: datetime | None, **_: Any) -> None:
        issued = keys.issue_key(
            organisation=self._organisation(org), name=name, expires_at=expires, acting_user=None
        )
        self._print_new(issued)

    def do_list(self, org: str | None, **_: Any) -> None:
        rows = PartnerAPIKey.objects.select_related("organisation").order_by(
            "organisation__name", "-created"
        )
        if org:
            rows = rows.filter(organisation=self._organisation(org))
        now = timezone.now()
        for api_key in rows:
            if api_key.revoked:
                state = f"revoked {timezone.localtime(api_key.revoked_at):%Y-%m-%d %H:%M}"
            elif api_key.expiry_date and api_key.expiry_date <= now:
                state = f"expired {timezone.localtime(api_key.expiry_date):%Y-%m-%d %H:%M}"
            elif api_key.expiry_date:
                state = f"works until {timezone.localtime(api_key.expiry_date):%Y-%m-%d %H:%M}"
            else:
                state = "works"
            self.stdout.write(
                f"{api_key.prefix}  {api_key.organisation.slug:<24} {api_key.name:<30} "
                f"issued {timezone.localtime(api_key.created):%Y-%m-%d}  {state}"
            )

    def do_rotate(self, prefix: str, overlap_days: float, **_: Any) -> None:
        issued = keys.rotate_key(
            api_key=self._key(prefix), overlap=timedelta(days=overlap_days), acting_user=None
        )
        self._print_new(issued)
        self.stdout.write(f"The old key {prefix} keeps working for {overlap_days:g} days.")

    def do_revoke(self, prefix: str, **_: Any) -> None:
        api_key = keys.revoke_key(api_key=self._key(prefix), acting_user=None)
        self.stdout.write(
            f"Revoked {api_key.prefix} ({api_key.organisation}): it stopped working at "
            f"{timezone.localtime(api_key.revoked_at):%Y-%m-%d %H:%M}."
        )
