from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from rest_framework_api_key.models import APIKey
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organisation
from audit.log import LogsRecordReadsInAdmin
from cases.admin import case_with_victim
from cases.models import Case
from navigator.admin_mixins import WrittenThroughServicesAdmin
from navigator.errors import ValidationError, validation_message
from partners import keys
from partners.models import PartnerAPIKey, PartnerNotice, PartnerReport

# Keys belong to organisations here; the library's own, unattached kind is not used.
admin.site.unregister(APIKey)


@admin.register(PartnerNotice)
class PartnerNoticeAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "organisation", "kind", "happens_at", "created_at", "acknowledged_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["case__reference", "subject"]
    list_select_related = ["case", "organisation"]


@admin.register(PartnerReport)
class PartnerReportAdmin(LogsRecordReadsInAdmin, WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    """A partner's report holds its note about the victim: opening one is a read of the case."""

    list_display = ["case", "organisation", "kind", "happened_at", "reported_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["case__reference", "organisation__name"]
    list_select_related = ["case", "organisation"]

    def cases_read(self, obj: PartnerReport) -> Iterable[Case]:
        return case_with_victim(obj.case_id)


class IssueKeyForm(forms.ModelForm):
    class Meta:
        model = PartnerAPIKey
        fields = ["organisation", "name", "expiry_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                kind__in=keys.KEY_HOLDING_KINDS
            )

    def clean_expiry_date(self) -> Any:
        expires = self.cleaned_data.get("expiry_date")
        if expires is not None and expires <= timezone.now():
            raise forms.ValidationError("Give an expiry in the future, or none.")
        return expires


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(SimpleHistoryAdmin):
    """Issue keys here (each is shown once, on the page that follows), and revoke or
    rotate them with the actions; a key is never edited or deleted."""

    list_display = [
        "prefix",
        "name",
        "organisation",
        "created",
        "expiry_date",
        "revoked_at",
        "replaced_by",
    ]
    list_filter = ["organisation", "revoked"]
    search_fields = ["=prefix", "name", "organisation__name"]
    list_select_related = ["organisation", "replaced_by"]
    actions = ["revoke_keys", "rotate_keys"]
    form = IssueKeyForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return [
            "prefix",
            "organisation",
            "name",
            "created",
            "expiry_date",
            "issued_by",
            "revoked_at",
            "revoked_by",
            "replaced_by",
        ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (
            ["organisation", "name", "expiry_date"]
            if obj is None
            else self.get_readonly_fields(request, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return  # keys change only through the actions
        issued = keys.issue_key(
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expiry_date"],
            acting_user=request.user,
        )
        obj.pk = issued.api_key.pk
        obj.prefix = issued.api_key.prefix
        request._issued_keys = [issued]  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        return self._show_once(request, getattr(request, "_issued_keys", []), "issued")

    def _show_once(self, request: HttpRequest, issued: list[Any], verb: str) -> HttpResponse:
        # Rendered straight into this response: the key never passes through a message
        # cookie, the session or a log.
        response = TemplateResponse(
            request,
            "admin/partners/partnerapikey/issued.html",
            {
                **self.admin_site.each_context(request),
                "title": f"API key {verb}",
                "issued": issued,
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected keys (they stop working at once)")
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[PartnerAPIKey]) -> None:
        for api_key in queryset:
            keys.revoke_key(api_key=api_key, acting_user=request.user)
        messages.success(request, f"Revoked {queryset.count()} key(s).")

    @admin.action(description="Rotate the selected keys (the old ones work for 7 more days)")
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[PartnerAPIKey]) -> Any:
        issued = []
        for api_key in queryset:
            try:
                issued.append(keys.rotate_key(api_key=api_key, acting_user=request.user))
            except ValidationError as error:
                messages.error(request, f"{api_key.prefix}: {validation_message(error)}")
        if not issued:
            return None
        return self._show_once(request, issued, "rotated")
