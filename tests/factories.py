"""factory_boy factories: each builds a valid, clearly fictional object."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from cases.choices import (
    AgeBand,
    CaseStatus,
    EventKind,
    NationalityGroup,
    OrganisationKind,
    PocRole,
)
from cases.models import Case, CaseEvent, CaseShare, PointOfContact, Victim, VictimLocation
from contacts.choices import Channel, Direction, Outcome, UpdateGiven
from contacts.models import CheckIn, CommunicationAgreement, Promise


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.SUPPORT_NGO


class PoliceForceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Constabulary {n}")
    kind = OrganisationKind.POLICE_FORCE


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Example"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.NAVIGATOR
    organisation = factory.SubFactory(
        OrganisationFactory, name="Example Navigator Service", kind="navigator_service"
    )
    password = factory.django.Password("correct-horse-battery-staple")


class VictimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Victim

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    preferred_name = factory.Sequence(lambda n: f"Tess {n}")
    age_band = AgeBand.AGE_25_34
    nationality = "Testland"
    nationality_group = NationalityGroup.NON_UK
    preferred_language = "English"
    safe_phone = "07700 900000"


class VictimLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VictimLocation

    victim = factory.SubFactory(VictimFactory)
    address = "1 Fictional Street, Exampletown"
    postcode = "ZZ1 1ZZ"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    victim = factory.SubFactory(VictimFactory)
    police_force = factory.SubFactory(PoliceForceFactory, name="Example Constabulary")
    crime_reference = factory.Sequence(lambda n: f"CR/{n:05d}/26")
    exploitation_types = factory.LazyFunction(lambda: ["labour"])
    status = CaseStatus.OPEN
    # A closed case records when it closed (a database constraint): retention counts from it.
    closed_at = factory.LazyAttribute(
        lambda case: timezone.now() if case.status == CaseStatus.CLOSED else None
    )
    # Opened well before anything a test logs on it: services refuse earlier dates.
    opened_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=400))


class PointOfContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOfContact

    case = factory.SubFactory(CaseFactory)
    role = PocRole.NAVIGATOR
    person = factory.SubFactory(StaffFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


class CaseShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    consent_recorded_on = factory.LazyFunction(lambda: timezone.localdate())
    shared_by = factory.SubFactory(StaffFactory)
    consent_recorded_by = factory.SelfAttribute("shared_by")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationAgreement

    case = factory.SubFactory(CaseFactory)
    version = 1
    channels = factory.LazyFunction(lambda: [Channel.TEXT, Channel.PHONE_CALL])
    update_interval_days = 7
    agreed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    created_by = factory.SubFactory(StaffFactory)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    case = factory.SubFactory(CaseFactory)
    by = factory.SubFactory(StaffFactory)
    at = factory.LazyFunction(timezone.now)
    direction = Direction.OUTBOUND
    channel = Channel.PHONE_CALL
    outcome = Outcome.REACHED
    update_given = UpdateGiven.NO_NEWS_ACTIVE
    notes = "Private note from the navigator"


class PromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promise

    case = factory.SubFactory(CaseFactory)
    made_by = factory.SubFactory(StaffFactory)
    description = "Call back about the court date"
    due_by = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = EventKind.INTERVIEW
    at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=5))
    created_by = factory.SubFactory(StaffFactory)


class AlertFactory(factory.django.DjangoModelFactory):
    """A live alert as the sweep opens one: on a case, for nobody until a test says."""

    class Meta:
        model = Alert

    case = factory.SubFactory(CaseFactory)
    kind = AlertKind.UPDATE_OVERDUE
    severity = Severity.MEDIUM
    summary = "Overdue since the end of Friday 13 November: every 7 days by text."
    opened_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
