"""Record every read of a victim's record: the one way rows enter the access log."""

from typing import Any

from django.utils import timezone

from audit.models import AccessChannel, AccessLogEntry


def record_case_read(
    *, reader: Any, case: Any, channel: AccessChannel, api_key_prefix: str = ""
) -> AccessLogEntry:
    """Log that ``reader`` read ``case`` (and so its victim's record) through ``channel``.

    ``case`` is a Case with its victim loaded, or anything with ``pk``,
    ``reference`` and ``victim.reference``.
    """
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        reader=reader,
        organisation_id=getattr(reader, "organisation_id", None),
        api_key_prefix=api_key_prefix,
        channel=channel,
        case_id=case.pk,
        case_reference=case.reference,
        victim_reference=case.victim.reference,
    )
