"""Build cases with an agreement and contacts, through the same services people use."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from alerts.choices import LIVE_STATUSES
from alerts.models import Alert
from cases.models import Case
from contacts.choices import Channel, Direction, Outcome, UpdateGiven
from contacts.services import log_checkin, record_agreement

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def agree(case: Case, user: Any, *, at: datetime, interval: int = 2, **terms: Any) -> None:
    terms.setdefault("channels", [Channel.TEXT, Channel.PHONE_CALL])
    record_agreement(
        case=case,
        acting_user=user,
        update_interval_days=interval,
        agreed_on=at.astimezone(LONDON).date(),
        now=at,
        **terms,
    )


def update(case: Case, user: Any, *, at: datetime, **fields: Any) -> None:
    """A contact that counts as an update: the victim reached, told there is no news yet."""
    fields.setdefault("channel", Channel.PHONE_CALL)
    fields.setdefault("outcome", Outcome.REACHED)
    fields.setdefault("update_given", UpdateGiven.NO_NEWS_ACTIVE)
    log_checkin(case=case, acting_user=user, at=at, direction=Direction.OUTBOUND, now=at, **fields)


def live(case: Case) -> dict[str, int]:
    """The case's live alerts, as kind -> severity."""
    return dict(
        Alert.objects.filter(case=case, status__in=LIVE_STATUSES).values_list("kind", "severity")
    )
