"""A deterministic, clearly fictional dataset for trying Navigator out.

Every name, organisation and reference here is invented. Times are laid out
relative to now, so the demo always shows some victims kept up, some overdue
and some drifting away. Running it twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from cases.choices import (
    AccommodationKind,
    AgeBand,
    Answer,
    CaseStatus,
    Engagement,
    EventKind,
    ExploitationLocation,
    ExploitationType,
    InvestigationStage,
    NationalityGroup,
    OrganisationKind,
    PocRole,
    ReferralRoute,
    ReferringAgency,
    Sex,
)
from cases.models import Case, ImportantDate, VictimLocation
from cases.services import (
    assign_point_of_contact,
    create_victim,
    open_case,
    record_case_event,
    set_case_status,
    share_case,
)
from contacts.choices import AvoidFlag, Channel, Concern, Direction, Outcome, UpdateGiven
from contacts.services import log_checkin, make_promise, record_agreement, resolve_promise
from navigator.history import save_as

# Contacts are logged a few minutes after they happen, as a navigator would.
LOGGED_AFTER = timedelta(minutes=5)
DEMO_PASSWORD = "navigator-demo"  # noqa: S105 - printed on purpose: fictional demo logins
NAVIGATOR_SERVICE = "Bridgeway Navigators (demo)"
VICTIM_COUNT = 50
FIRST_NAMES = [
    "Ama", "Bogdan", "Chen", "Dritan", "Esi", "Farah", "Goran", "Hoa", "Ioana", "Jamal",
    "Kofi", "Lan", "Mirela", "Nadir", "Oksana", "Pavel", "Quynh", "Rasa", "Sami", "Tuan",
    "Uche", "Vesna", "Wei", "Xhoana", "Yusuf",
]  # fmt: skip
LANGUAGES = ["English", "Romanian", "Vietnamese", "Albanian", "Polish", "Tigrinya", "Arabic"]
NATIONALITIES = ["Examplestan", "Fictonia", "Mockovia", "Sampleland", "Testovia"]


@dataclass(frozen=True)
class Profile:
    """How a demo victim's contacts have gone."""

    name: str
    count: int


PROFILES = [
    Profile("kept_up", 26),
    Profile("overdue", 10),
    Profile("drifting", 9),
    Profile("paused", 2),
    Profile("closed", 2),
    Profile("no_agreement", 1),
]


class Command(BaseCommand):
    help = "Load a deterministic, fictional demo dataset and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo even with DEBUG off (it creates logins with a printed password)",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo logins with DEBUG off: this looks like a real deployment. "
                "Pass --force if this database really is a demo."
            )
        if Organisation.objects.filter(name=NAVIGATOR_SERVICE).exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                Seeder(now=timezone.now()).run()
            self.stdout.write(self.style.SUCCESS(f"Loaded {VICTIM_COUNT} fictional victims."))
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for staff in Staff.objects.filter(username__endswith=".demo").order_by("role", "username"):
            role = staff.get_role_display()
            if staff.is_partner_administrator:
                role += ", partner administrator (API keys)"
            self.stdout.write(f"  {staff.username:<22} {role}")


class Seeder:
    def __init__(self, *, now: datetime) -> None:
        self.now = now
        # One hash for every demo login: hashing is slow by design.
        self.password_hash = make_password(DEMO_PASSWORD)
        self.random = random.Random(2026)  # fixed: the same demo every time
        # The engagement measures draw from their own sequence, so the rest stays as it was.
        self.measures_random = random.Random(2027)

    def run(self) -> None:
        self.organisations()
        self.people()
        number = 0
        for profile in PROFILES:
            for _ in range(profile.count):
                number += 1
                self.victim_with_case(number, profile.name)
        self.hard_moments_for_partners()

    def organisations(self) -> None:
        def org(name: str, kind: OrganisationKind) -> Organisation:
            return Organisation.objects.create(name=name, kind=kind)

        self.service = org(NAVIGATOR_SERVICE, OrganisationKind.NAVIGATOR_SERVICE)
        self.northshire = org("Northshire Constabulary (demo)", OrganisationKind.POLICE_FORCE)
        self.southvale = org("Southvale Police (demo)", OrganisationKind.POLICE_FORCE)
        self.harbour = org("Harbour Light Trust (demo)", OrganisationKind.SUPPORT_NGO)
        self.safe_steps = org("Safe Steps Housing (demo)", OrganisationKind.SUPPORT_NGO)

    def staff(self, username: str, first: str, last: str, role: Role, **extra: Any) -> Staff:
        person = Staff(
            username=f"{username}.demo",
            first_name=first,
            last_name=last,
            email=f"{username}@demo.invalid",
            role=role,
            **extra,
        )
        person.password = self.password_hash
        person.save()
        return person

    def people(self) -> None:
        self.admin = self.staff(
            "admin", "Ada", "Admin", Role.ADMIN, is_staff=True, is_superuser=True
        )
        sally = self.staff(
            "sally", "Sally", "Supervisor", Role.SUPERVISOR, organisation=self.service
        )
        simon = self.staff(
            "simon", "Simon", "Supervisor", Role.SUPERVISOR, organisation=self.service
        )
        self.navigators = [
            self.staff(
                name,
                name.capitalize(),
                "Navigator",
                Role.NAVIGATOR,
                organisation=self.service,
                supervisor=supervisor,
                languages=languages,
                caseload_capacity=15,
            )
            for name, supervisor, languages in [
                ("nadia", sally, ["English", "Arabic"]),
                ("nikhil", sally, ["English", "Romanian"]),
                ("nora", simon, ["English", "Vietnamese"]),
                ("ned", simon, ["English", "Albanian", "Polish"]),
            ]
        ]
        self.officers = {
            self.northshire.pk: [
                self.staff(
                    "olivia", "Olivia", "Officer", Role.OFFICER, organisation=self.northshire
                ),
                self.staff("owen", "Owen", "Officer", Role.OFFICER, organisation=self.northshire),
                self.staff("orla", "Orla", "Officer", Role.OFFICER, organisation=self.northshire),
            ],
            self.southvale.pk: [
                self.staff("otto", "Otto", "Officer", Role.OFFICER, organisation=self.southvale),
                self.staff("oona", "Oona", "Officer", Role.OFFICER, organisation=self.southvale),
            ],
        }
        # Pam manages Harbour Light's API keys (and, later, its webhook endpoints).
        self.staff(
            "pam",
            "Pam",
            "Partner-Admin",
            Role.PARTNER_CASEWORKER,
            organisation=self.harbour,
            is_partner_administrator=True,
        )
        self.partners = {
            self.harbour.pk: self.staff(
                "priya", "Priya", "Partner", Role.PARTNER_CASEWORKER, organisation=self.harbour
            ),
            self.safe_steps.pk: self.staff(
                "paul", "Paul", "Partner", Role.PARTNER_CASEWORKER, organisation=self.safe_steps
            ),
        }

    def at(self, days_ago: float, hour: int = 11) -> datetime:
        """A moment ``days_ago`` days back, moved off the weekend so it keeps weekday windows."""
        day = timezone.localdate(self.now) - timedelta(days=int(days_ago))
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        moment = timezone.make_aware(
            datetime.combine(day, time(hour, self.random.choice([5, 20, 40])))
        )
        return min(moment, self.now - timedelta(minutes=30))

    def day_ahead(self, days: int, hour: int) -> datetime:
        day = timezone.localdate(self.now) + timedelta(days=days)
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def victim_with_case(self, number: int, profile: str) -> None:
        rng = self.random
        navigator = self.navigators[number % len(self.navigators)]
        language = rng.choice(LANGUAGES)
        british = number % 4 == 1
        victim = create_victim(
            acting_user=navigator,
            full_name=f"{FIRST_NAMES[number % len(FIRST_NAMES)]} Demo-{number:02d}",
            preferred_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            age_band=rng.choice([b for b in AgeBand.values if b != AgeBand.UNDER_18]),
            sex=rng.choice(Sex.values),
            nationality="British" if british else rng.choice(NATIONALITIES),
            nationality_group=NationalityGroup.UK if british else NationalityGroup.NON_UK,
            preferred_language=language,
            interpreter_needed=language != "English",
            safe_phone=f"07700 900{number:03d}",
            accommodation_kind=rng.choice(AccommodationKind.values),
            needs="Fictional: help with GP registration and benefits.",
        )
        VictimLocation.objects.create(
            victim=victim, address=f"{number} Imaginary Road, Demotown", postcode="ZZ99 9ZZ"
        )
        if number % 5 == 0:
            ImportantDate.objects.create(
                victim=victim,
                label="Birthday",
                date=(timezone.localdate(self.now) + timedelta(days=2)).replace(year=1990),
            )
        force = self.northshire if number % 3 else self.southvale
        opened = self.now - timedelta(days=rng.randint(45, 120))
        case = open_case(
            victim=victim,
            police_force=force,
            acting_user=navigator,
            navigator=navigator,
            opened_at=opened,
            crime_reference=f"DEMO/{number:04d}/26",
            referral_route=rng.choice([ReferralRoute.NRM, ReferralRoute.NRM, ReferralRoute.MS1]),
            exploitation_types=rng.sample(ExploitationType.values, k=rng.choice([1, 1, 2])),
            investigation_stage=rng.choice(
                [InvestigationStage.INVESTIGATING, InvestigationStage.SUSPECT_CHARGED]
            ),
            county_lines=number % 11 == 0,
            **self.engagement_measures(opened),
        )
        officer = self.officers[force.pk][0]
        assign_point_of_contact(
            case=case,
            role=PocRole.POLICE,
            person=officer,
            acting_user=navigator,
            at=opened,
            reason="Officer in the case",
        )
        if number % 4 == 0:
            partner_org = self.harbour if number % 8 == 0 else self.safe_steps
            share_case(
                case=case,
                organisation=partner_org,
                consent_recorded_on=opened.date(),
                acting_user=navigator,
            )
            assign_point_of_contact(
                case=case,
                role=PocRole.NGO_CASEWORKER,
                person=self.partners[partner_org.pk],
                acting_user=navigator,
                at=opened,
                reason="Support provider",
            )
        interval = rng.choice([2, 3, 7, 7, 14])
        options = [
            [Channel.TEXT, Channel.PHONE_CALL],
            [Channel.PHONE_CALL],
            [Channel.MESSAGING_APP, Channel.IN_PERSON],
        ]
        if number % 4 == 0:  # shared with a partner: the caseworker can pass messages on
            options.append([Channel.VIA_NGO, Channel.PHONE_CALL])
        channels = rng.choice(options)
        # Contacts keep to the agreement: a call where calls were agreed, else the first channel.
        channel = Channel.PHONE_CALL if Channel.PHONE_CALL in channels else channels[0]
        if profile != "no_agreement":
            windows = (
                [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "18:00"}] if number % 2 else []
            )
            record_agreement(
                case=case,
                acting_user=navigator,
                channels=channels,
                update_interval_days=interval,
                agreed_on=opened.date(),
                contact_windows=windows,
                avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER]
                + ([AvoidFlag.NO_VOICEMAIL] if number % 3 == 0 else []),
                unsafe_channel=Channel.EMAIL if number % 7 == 0 else "",
                unsafe_channel_note="Old email account the exploiter knows"
                if number % 7 == 0
                else "",
                language=language,
                interpreter_needed=language != "English",
                # A few agreements are past their review date, to show that alert.
                review_by=timezone.localdate(self.now) + timedelta(days=60 if number % 9 else -3),
                preferred_contact=navigator,
                agreed_through=f"In person with {navigator}"
                + (f" and a {language} interpreter" if language != "English" else ""),
                now=opened,
            )
        self.history(case, navigator, officer, channel, profile, interval, language)
        if profile == "paused":
            set_case_status(
                case=case,
                status=CaseStatus.PAUSED,
                reason="Victim asked for no contact until after a family visit",
                acting_user=navigator,
            )
        elif profile == "closed":
            set_case_status(
                case=case,
                status=CaseStatus.CLOSED,
                reason="Investigation concluded; victim supported to move on",
                acting_user=navigator,
            )

    def hard_moments_for_partners(self) -> None:
        """An interview coming up on two open cases shared with Harbour Light, so its inbox
        has advance notices to acknowledge once the sweep (which bin/demo runs) issues them."""
        shared = Case.objects.filter(
            shares__organisation=self.harbour, status=CaseStatus.OPEN
        ).order_by("pk")
        for days, case in zip((2, 5), shared[:2], strict=False):
            navigator = case.points_of_contact.get(role=PocRole.NAVIGATOR, ended_at__isnull=True)
            record_case_event(
                case=case,
                kind=EventKind.INTERVIEW,
                at=self.day_ahead(days, hour=10),
                acting_user=navigator.person,
                now=self.now,
            )

    def engagement_measures(self, opened: datetime) -> dict[str, Any]:
        """The report's case facts and three measures: offered, accepted, engaged."""
        rng = self.measures_random
        offered = rng.random() < 0.6
        return {
            "referring_agency": rng.choice(ReferringAgency.values),
            "exploitation_location": rng.choice(
                [ExploitationLocation.UK_ONLY] * 3 + list(ExploitationLocation)
            ),
            "offender_identified": rng.random() < 0.4,
            "support_offered_on": (opened + timedelta(days=rng.randint(1, 20))).date()
            if offered
            else None,
            "support_accepted": rng.choice([Answer.YES, Answer.YES, Answer.NO])
            if offered
            else Answer.UNKNOWN,
            "investigation_engagement": rng.choice(
                [Engagement.POSITIVE, Engagement.POSITIVE, Engagement.NEGATIVE, Engagement.UNKNOWN]
            ),
        }

    def history(
        self,
        case: Case,
        navigator: Staff,
        officer: Staff,
        channel: Channel,
        profile: str,
        interval: int,
        language: str,
    ) -> None:
        """Several weeks of contacts shaped by the profile."""
        rng = self.random
        interpreter = f"Interpreter {rng.randint(1, 9)} (demo)" if language != "English" else ""
        step = max(interval, 2)
        if profile == "overdue":
            last_update_days_ago = interval + rng.randint(2, 6)
        elif profile == "drifting":
            last_update_days_ago = interval + rng.randint(4, 10)
        else:
            last_update_days_ago = rng.randint(0, max(interval - 1, 0))
        days_ago = 42
        wellbeing = 4
        while days_ago > last_update_days_ago:
            self.checkin(
                case, navigator, channel, days_ago, Outcome.REACHED, wellbeing, interpreter
            )
            days_ago -= step
        self.checkin(
            case, navigator, channel, last_update_days_ago, Outcome.REACHED, wellbeing, interpreter
        )
        if profile == "drifting":
            self.drift(case, navigator, officer, channel)
        elif profile == "kept_up" and case.pk % 13 == 0:
            self.log(
                case=case,
                acting_user=officer,
                at=self.at(1, hour=16),
                direction=Direction.OUTBOUND,
                channel=Channel.PHONE_CALL,
                outcome=Outcome.NO_ANSWER,
                number_withheld=True,
            )
        elif profile == "kept_up" and case.pk % 4 == 0:
            record_case_event(
                case=case,
                kind=EventKind.INTERVIEW,
                at=self.day_ahead(rng.randint(8, 20), hour=14),
                acting_user=navigator,
                victim_prepared=True,
            )
            promise = make_promise(
                case=case,
                acting_user=navigator,
                description="Send the bus route to the interview suite",
                due_by=self.now - timedelta(days=1),
                now=self.now - timedelta(days=4),
            )
            resolve_promise(promise=promise, status="kept", acting_user=navigator, now=self.now)
        elif profile == "overdue" and case.pk % 2 == 0:
            event = record_case_event(
                case=case,
                kind=EventKind.SUSPECT_BAILED_OR_RELEASED,
                at=self.now - timedelta(days=3),
                acting_user=navigator,
                is_key_decision=True,
                notes="Fictional: suspect released on bail with conditions.",
            )
            event.partners_told_at = event.at + timedelta(hours=2)
            save_as(event, navigator, update_fields=["partners_told_at"])

    def drift(self, case: Case, navigator: Staff, officer: Staff, channel: Channel) -> None:
        """Three ways of drifting away, each with the signals a navigator would notice."""

        def attempt(user: Staff, days_ago: int, outcome: Outcome, hour: int = 14) -> None:
            self.log(
                case=case,
                acting_user=user,
                at=self.at(days_ago, hour=hour),
                direction=Direction.OUTBOUND,
                channel=channel,
                outcome=outcome,
            )

        kind = case.pk % 3
        if kind == 0:  # pulling away: calls unanswered, then declined, from several people
            attempt(navigator, 7, Outcome.NO_ANSWER)
            attempt(navigator, 5, Outcome.NO_ANSWER)
            colleagues = self.officers[case.police_force_id]
            attempt(officer, 3, Outcome.DECLINED, hour=10)
            attempt(colleagues[-1], 1, Outcome.DECLINED, hour=10)
        elif kind == 1:  # frightened: a fear raised in the evening, and no answer since
            self.log(
                case=case,
                acting_user=navigator,
                at=self.at(2, hour=19),
                direction=Direction.INBOUND,
                channel=Channel.PHONE_CALL,
                outcome=Outcome.VICTIM_GOT_IN_TOUCH,
                update_given=UpdateGiven.NONE,
                concerns=[Concern.SAFETY_FEAR, Concern.WANTS_TO_WITHDRAW],
                wellbeing=1,
                trust=2,
                notes="Fictional: says she saw someone from the house near the shop.",
            )
        else:  # let down: a promise not kept, calls unanswered, a hearing coming unprepared
            make_promise(
                case=case,
                acting_user=navigator,
                description="Find out when the court date will be set",
                due_by=self.now - timedelta(days=5),
                now=self.now - timedelta(days=12),
            )
            for days_ago in (5, 3, 1):
                attempt(navigator, days_ago, Outcome.NO_ANSWER)
            record_case_event(
                case=case,
                kind=EventKind.COURT_HEARING,
                at=self.day_ahead(self.random.randint(2, 6), hour=10),
                acting_user=navigator,
                notes="Fictional: first hearing.",
            )

    def log(self, **fields: Any) -> None:
        """Log a contact as of its own time, so the clock replays the history as it happened."""
        log_checkin(**fields, now=fields["at"] + LOGGED_AFTER)

    def checkin(
        self,
        case: Case,
        navigator: Staff,
        channel: Channel,
        days_ago: float,
        outcome: Outcome,
        wellbeing: int,
        interpreter: str,
    ) -> None:
        rng = self.random
        at = self.at(days_ago)
        self.log(
            case=case,
            acting_user=navigator,
            at=at,
            direction=Direction.OUTBOUND,
            channel=channel,
            outcome=outcome,
            update_given=rng.choice([UpdateGiven.NEWS, UpdateGiven.NO_NEWS_ACTIVE]),
            interpreter_name=interpreter,
            wellbeing=max(1, min(5, wellbeing + rng.choice([-1, 0, 0, 1]))),
            trust=rng.choice([3, 4, 4, 5]),
            notes="Fictional: talked through the week; no new worries.",
        )
