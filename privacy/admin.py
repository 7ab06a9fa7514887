"""Subject access and erasure requests, answered from the admin by an administrator."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from cases.models import Victim
from navigator.admin_mixins import WrittenThroughServicesAdmin
from privacy.erasure import erase_victim
from privacy.models import VictimRecord
from privacy.records import collect
from privacy.subject_access import export_subject_access, to_json


def _one(request: HttpRequest, queryset: QuerySet[VictimRecord]) -> Victim | None:
    if queryset.count() != 1:
        messages.error(request, "Choose exactly one victim: requests are answered one at a time.")
        return None
    return Victim.objects.get(pk=queryset.get().pk)


@admin.register(VictimRecord)
class VictimRecordAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):
    """Find the person, then export their data or erase it. Nothing here is edited."""

    list_display = ["reference", "preferred_name", "created_at", "case_count"]
    search_fields = ["=reference", "full_name", "preferred_name"]
    actions = ["export_subject_access", "erase"]
    # Only the list: the record itself is read through the case pages and the export.
    fields = ["reference", "created_at"]
    readonly_fields = ["reference", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[VictimRecord]:
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description="cases", ordering="case_count")
    def case_count(self, victim: Any) -> int:
        return victim.case_count

    @admin.action(description="Export everything held about this victim (subject access)")
    def export_subject_access(
        self, request: HttpRequest, queryset: QuerySet[VictimRecord]
    ) -> HttpResponse | None:
        victim = _one(request, queryset)
        if victim is None:
            return None
        document = export_subject_access(victim=victim, acting_user=request.user)
        response = HttpResponse(to_json(document), content_type="application/json")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{victim.reference}-{stamp}.json"'
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Erase this victim's data (erasure request)")
    def erase(self, request: HttpRequest, queryset: QuerySet[VictimRecord]) -> Any:
        victim = _one(request, queryset)
        if victim is None:
            return None
        if request.POST.get("confirm_reference") is not None:
            if request.POST["confirm_reference"].strip() != victim.reference:
                messages.error(request, "The reference typed did not match; nothing was erased.")
                return None
            removal = erase_victim(victim=victim, acting_user=request.user)
            rows = sum(removal.removed["deleted"].values())
            history = sum(removal.removed["history_rows_deleted"].values())
            messages.success(
                request,
                f"Erased {victim.reference}: {rows} records and {history} history rows. "
                "The removal record is kept.",
            )
            return None
        record = collect(victim)
        return TemplateResponse(
            request,
            "admin/privacy/confirm_erasure.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Erase {victim.reference}?",
                "victim": victim,
                "counts": sorted(
                    (model._meta.verbose_name_plural, len(record.ids(model)))
                    for model in record.models()
                ),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
