from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from audit.log import LogsRecordReadsInAdmin
from cases.models import Case
from explainers.models import Explainer, ExplainerVersion, Preparation
from explainers.services import approve_version
from navigator.admin_mixins import WrittenThroughServicesAdmin
from navigator.errors import PermissionDenied, ValidationError, validation_message


class ExplainerVersionInline(admin.TabularInline):
    model = ExplainerVersion
    extra = 0
    fields = ["language", "level", "revision", "title", "approved_by", "approved_at", "review_by"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Explainer)
class ExplainerAdmin(SimpleHistoryAdmin):
    list_display = ["title", "topic"]
    search_fields = ["title"]
    inlines = [ExplainerVersionInline]


@admin.register(ExplainerVersion)
class ExplainerVersionAdmin(SimpleHistoryAdmin):
    """Administrators write versions here and approve them with the action; an approved
    version is read-only: a change is a new revision."""

    list_display = [
        "explainer",
        "language",
        "level",
        "revision",
        "needs_professional_translation",
        "approved_by",
        "approved_at",
        "review_by",
    ]
    list_filter = ["explainer", "level", "language", "needs_professional_translation"]
    search_fields = ["title", "language"]
    actions = ["approve"]
    exclude = ["written_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        always = ["approved_by", "approved_at"]
        if obj is not None and obj.approved_at is not None:
            return [f.name for f in self.model._meta.fields if f.name != "id"]
        return always

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version someone was prepared with stays, so the record shows what they heard.
        return obj is None or obj.approved_at is None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.written_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve the selected versions")
    def approve(self, request: HttpRequest, queryset: QuerySet[ExplainerVersion]) -> None:
        approved = 0
        for version in queryset.filter(approved_at__isnull=True):
            try:
                approve_version(version=version, acting_user=request.user)  # type: ignore[arg-type]
            except (PermissionDenied, ValidationError) as error:
                message = (
                    validation_message(error) if isinstance(error, ValidationError) else str(error)
                )
                self.message_user(request, f"{version}: {message}", messages.ERROR)
            else:
                approved += 1
        self.message_user(request, f"{approved} approved.")


@admin.register(Preparation)
class PreparationAdmin(WrittenThroughServicesAdmin, LogsRecordReadsInAdmin, SimpleHistoryAdmin):
    """Written only through the navigator's record of going through an explainer; opening
    one is a read of its case."""

    list_display = ["event", "version", "by", "at", "channel"]
    search_fields = ["event__case__reference"]
    list_select_related = ["event__case", "version__explainer", "by"]

    def cases_read(self, obj: Preparation) -> Iterable[Case]:
        return Case.objects.filter(pk=obj.event.case_id).select_related("victim")
