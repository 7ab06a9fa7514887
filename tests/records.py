"""A victim's whole record built through the services, and a scan of the raw database."""

from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from alerts.choices import AlertKind
from alerts.models import Alert, Reminder
from alerts.services import resolve_alert
from cases.choices import CaseStatus, EventKind, PocRole
from cases.models import Case, ImportantDate, VictimLocation
from cases.services import (
    assign_point_of_contact,
    create_victim,
    open_case,
    record_case_event,
    set_case_status,
)
from contacts.choices import Channel, Concern, Direction, Outcome
from contacts.concerns import respond_to_concern
from contacts.services import log_checkin, make_promise, record_agreement
from tests.personas import World

# Each would tell someone where to find the victim, or how; none may be readable in the database.
SECRETS = {
    "safe_phone": "07700 900123",
    "safe_email": "quiet.robin@example.org",
    "safe_contact_notes": "Text first; her sister answers the landline",
    "needs": "Registering with the GP on Albion Street",
    "vulnerabilities": "Diabetic, needs insulin daily",
    "address": "14 Larkspur Close, Exampleton",
    "postcode": "ZZ9 4LC",
    "location_notes": "Flat above the bakery, side door",
    "avoid_notes": "Never mention the car wash on Mill Road",
    "unsafe_channel_note": "Old phone the gang master topped up",
    "agreed_through": "At the Harbour refuge with her cousin Mariam",
    "checkin_notes": "Said the man from the house drove past twice",
    "action": "Moved her to the Harbour refuge that evening",
    "status_reason": "Relocated to Northshire under witness protection",
    "event_notes": "Hearing at Eastgate Crown Court, screen requested",
    "resolution_note": "Spoke to her at the refuge on Quay Road",
}
# Stored in plain text (so that they can be found, or because they feed other records),
# and identifying: anonymising removes them.
IDENTIFYING = {
    "full_name": "Fictional Person",
    "preferred_name": "Fictie",
    "crime_reference": "CR/77812/26",
    "nrm_reference": "NRM-5512-XY",
    "interpreter_name": "Ilse Interpretova",
    "promise": "Ring Dr Okafor about the letter",
    "important_date": "Day she left the farm",
    "change_reason": "Navigator moved to the Fenwick office",
}


def build_a_full_record(world: World) -> Case:
    """A victim's whole record, through the services people use, every secret in its field."""
    navigator = world.nadia
    victim = create_victim(
        acting_user=navigator,
        full_name=IDENTIFYING["full_name"],
        preferred_name=IDENTIFYING["preferred_name"],
        date_of_birth=date(1994, 7, 14),
        safe_phone=SECRETS["safe_phone"],
        safe_email=SECRETS["safe_email"],
        safe_contact_notes=SECRETS["safe_contact_notes"],
        needs=SECRETS["needs"],
        vulnerabilities=SECRETS["vulnerabilities"],
    )
    VictimLocation.objects.create(
        victim=victim,
        address=SECRETS["address"],
        postcode=SECRETS["postcode"],
        notes=SECRETS["location_notes"],
    )
    ImportantDate.objects.create(
        victim=victim, label=IDENTIFYING["important_date"], date=date(2024, 5, 2)
    )
    case = open_case(
        victim=victim,
        police_force=world.force_a,
        acting_user=navigator,
        navigator=navigator,
        crime_reference=IDENTIFYING["crime_reference"],
        nrm_reference=IDENTIFYING["nrm_reference"],
    )
    now = timezone.now()
    assign_point_of_contact(
        case=case,
        role=PocRole.NAVIGATOR,
        person=world.noah,
        acting_user=navigator,
        reason=IDENTIFYING["change_reason"],
    )
    navigator = world.noah
    record_agreement(
        case=case,
        acting_user=navigator,
        channels=[Channel.TEXT],
        update_interval_days=7,
        agreed_on=timezone.localdate(),
        avoid_notes=SECRETS["avoid_notes"],
        unsafe_channel=Channel.EMAIL,
        unsafe_channel_note=SECRETS["unsafe_channel_note"],
        agreed_through=SECRETS["agreed_through"],
    )
    checkin = log_checkin(
        case=case,
        acting_user=navigator,
        at=now - timedelta(minutes=30),
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,  # the unsafe channel: raises a breach alert to resolve
        outcome=Outcome.REACHED,
        concerns=[Concern.SAFETY_FEAR],
        interpreter_name=IDENTIFYING["interpreter_name"],
        notes=SECRETS["checkin_notes"],
    )
    make_promise(
        case=case,
        acting_user=navigator,
        description=IDENTIFYING["promise"],
        due_by=now - timedelta(minutes=5),  # already overdue: an alert quotes it
        made_in=checkin,
    )
    respond_to_concern(
        checkin=checkin,
        concern=Concern.SAFETY_FEAR,
        action=SECRETS["action"],
        acting_user=navigator,
    )
    record_case_event(
        case=case,
        kind=EventKind.COURT_HEARING,
        at=now + timedelta(days=20),
        acting_user=navigator,
        notes=SECRETS["event_notes"],
    )
    Reminder.objects.create(
        case=case,
        key=f"date:test:{case.pk}",
        about=IDENTIFYING["important_date"],
        happens_on=timezone.localdate() + timedelta(days=2),
        recipient=navigator,
    )
    alert = Alert.objects.get(case=case, kind=AlertKind.AGREEMENT_BROKEN)
    resolve_alert(alert=alert, note=SECRETS["resolution_note"], acting_user=navigator)
    set_case_status(
        case=case,
        status=CaseStatus.PAUSED,
        reason=SECRETS["status_reason"],
        acting_user=navigator,
    )
    return case


def tables_containing(text: str) -> list[str]:
    """Every table (history included) with a row whose text form contains ``text``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        found = []
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT 1 FROM {quoted} AS t WHERE t::text ILIKE %s LIMIT 1",  # noqa: S608 - table names from the catalogue
                [f"%{text}%"],
            )
            if cursor.fetchone():
                found.append(table)
    return found
