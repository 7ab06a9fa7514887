from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organisation
from navigator.admin_mixins import WrittenThroughServicesAdmin
from navigator.errors import PermissionDenied, ValidationError, validation_message
from partners.keys import KEY_HOLDING_KINDS
from webhooks import addresses, services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ["organisation", "url", "description", "enabled"]

    def clean_url(self) -> str:
        # The service's own rule, so the refusal shows beside the field.
        url = str(self.cleaned_data["url"]).strip()
        try:
            addresses.check_url(url, allow_http_loopback=settings.WEBHOOK_ALLOW_HTTP_LOOPBACK)
        except addresses.AddressRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return url

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                kind__in=KEY_HOLDING_KINDS
            )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(SimpleHistoryAdmin):
    """Endpoints are made and changed through the same services as the API; the secret is
    shown once, on the page answering its making or rotation (never in a message, which
    travels in a cookie), and never stored in the clear anywhere an administrator can read
    it again."""

    list_display = ["url", "organisation", "enabled", "disabled_reason", "created_at"]
    list_filter = ["enabled", "organisation"]
    search_fields = ["url", "organisation__name"]
    list_select_related = ["organisation"]
    actions = ["rotate_secrets"]
    form = EndpointForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        shown = [
            "disabled_reason",
            "disabled_at",
            "disabled_by",
            "created_by",
            "created_at",
            "secret_rotated_at",
            "previous_secret_until",
        ]
        return shown if obj is None else ["organisation", *shown]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["organisation", "url", "description"]
        return [
            "organisation",
            "url",
            "description",
            "enabled",
            *self.get_readonly_fields(request, obj)[1:],
        ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if change:
                services.update_endpoint(
                    endpoint=obj,
                    acting_user=request.user,
                    url=data["url"],
                    description=data["description"],
                    enabled=data["enabled"],
                )
                return
            made = services.create_endpoint(
                organisation=data["organisation"],
                url=data["url"],
                description=data["description"],
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _message(error))
            return
        obj.pk = made.endpoint.pk
        request._made_endpoints = [made]  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        made = getattr(request, "_made_endpoints", [])
        if not made:  # refused by the service: the message says why
            return super().response_add(request, obj, post_url_continue)
        return self._show_once(request, made, rotated=False)

    def _show_once(
        self, request: HttpRequest, made: list[services.EndpointWithSecret], *, rotated: bool
    ) -> HttpResponse:
        # Rendered straight into this response: a secret never passes through a message
        # (messages travel in a cookie), the session or a log.
        response = TemplateResponse(
            request,
            "admin/webhooks/webhookendpoint/secret.html",
            {
                **self.admin_site.each_context(request),
                "title": "Signing secret rotated" if rotated else "Webhook endpoint added",
                "made": made,
                "rotated": rotated,
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_endpoint(endpoint=obj, acting_user=request.user)

    @admin.action(description="Rotate the signing secret (the old one signs for 24 hours)")
    def rotate_secrets(
        self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]
    ) -> HttpResponse:
        rotated = [
            services.rotate_secret(endpoint=endpoint, acting_user=request.user)
            for endpoint in queryset.select_related("organisation")
        ]
        return self._show_once(request, rotated, rotated=True)


def _message(error: Exception) -> str:
    return validation_message(error) if isinstance(error, ValidationError) else str(error)


class AttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WebhookAttempt
    fields = ["started_at", "finished_at", "outcome", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Every delivery with every attempt; redeliver one with the action."""

    list_display = [
        "message_id",
        "endpoint",
        "notice",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "dead_at",
    ]
    list_filter = ["status", "endpoint__organisation"]
    search_fields = ["=message_id", "notice__case__reference"]
    list_select_related = ["endpoint__organisation", "notice__case", "notice__organisation"]
    inlines = [AttemptInline]
    actions = ["redeliver"]

    @admin.action(description="Redeliver (from the start of the schedule, same webhook-id)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = 0
        for delivery in queryset:
            services.redeliver(delivery=delivery, acting_user=request.user)
            count += 1
        messages.success(request, f"{count} deliveries will be sent again shortly.")


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Every attempt, as it went (also shown on each delivery's page)."""

    list_display = ["delivery", "started_at", "outcome", "status_code", "duration_ms", "error"]
    list_filter = ["outcome"]
    search_fields = ["=delivery__message_id"]
    list_select_related = ["delivery"]
