"""Record every read of a victim's record: the one way rows enter the access log."""

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.utils import unquote
from django.http import HttpRequest
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


def record_case_reads(
    *, reader: Any, cases: Iterable[Any], channel: AccessChannel, api_key_prefix: str = ""
) -> int:
    """Log that ``reader`` read each of ``cases`` on one page (Today names many victims), in
    one insert. Each case has its victim loaded. Returns the number of entries written."""
    at = timezone.now()
    entries = [
        AccessLogEntry(
            at=at,
            reader=reader,
            organisation_id=getattr(reader, "organisation_id", None),
            api_key_prefix=api_key_prefix,
            channel=channel,
            case_id=case.pk,
            case_reference=case.reference,
            victim_reference=case.victim.reference,
        )
        for case in cases
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


class LogsRecordReadsInAdmin:
    """For admin pages that show part of a victim's record: opening an object, its history
    or one of its old versions is a read, logged against each case the object belongs to.

    Subclasses say which cases those are (``cases_read``), with each case's victim loaded.
    """

    def cases_read(self, obj: Any) -> Iterable[Any]:
        raise NotImplementedError

    def _log_reads(self, request: HttpRequest, object_id: str) -> None:
        if request.method != "GET":
            return
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is not None:
            for case in self.cases_read(obj):
                record_case_read(reader=request.user, case=case, channel=AccessChannel.ADMIN)

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        self._log_reads(request, object_id)
        return super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc]

    def history_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        self._log_reads(request, object_id)
        return super().history_view(request, object_id, *args, **kwargs)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any
    ) -> Any:
        self._log_reads(request, object_id)
        return super().history_form_view(request, object_id, *args, **kwargs)  # type: ignore[misc]
