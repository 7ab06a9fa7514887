"""Erasure at the victim's request: their whole record goes, history included, and an
append-only RemovalRecord says that it happened, when, at whose hands and how much went.

The access log is kept: it names the record only by pseudonymous references, which
lead nowhere once the record is gone, and it is the evidence of who read the record
before (see docs/operations.md).
"""

from collections import Counter
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Staff
from audit.models import RemovalKind, RemovalRecord
from cases.models import Case, Victim
from privacy.records import collect
from privacy.subject_access import require_administrator


@transaction.atomic
def erase_victim(
    *, victim: Victim, acting_user: Staff, now: datetime | None = None
) -> RemovalRecord:
    """Delete everything held about ``victim``, and leave only the record of the erasure.

    1. Check that an administrator asks; lock the victim's cases.
    2. Collect the record (every row below the victim) and its history.
    3. Delete the rows, children before parents, then every history row, and the
       admin's own log entries about them (they name objects by their text).
    4. Write the RemovalRecord: references and counts only.
    """
    require_administrator(acting_user)
    now = now or timezone.now()
    victim = Victim.objects.select_for_update().get(pk=victim.pk)
    Case.objects.filter(victim=victim).lock()
    record = collect(victim)
    case_references = sorted(row.reference for row in record.rows[Case].values())
    histories = {model: record.history(model) for model in record.models()}
    deleted: Counter[str] = Counter()
    history_deleted: Counter[str] = Counter()
    # Children before parents: some parents protect their children (a case its contacts).
    for model in reversed(record.models()):
        _, per_model = model._base_manager.filter(pk__in=record.ids(model)).delete()
        deleted.update(per_model)  # what cascaded is counted under its own model
    for model, history in histories.items():
        if history is not None:
            # Built from ids, so it also finds the rows the deletions above just wrote.
            history_deleted[model._meta.label] += history.delete()[0]
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in record.ids(model)],
        ).delete()
    return RemovalRecord.objects.create(
        at=now,
        kind=RemovalKind.ERASED,
        performed_by=acting_user,
        victim_reference=victim.reference,
        case_references=case_references,
        removed={"deleted": dict(deleted), "history_rows_deleted": dict(history_deleted)},
    )
