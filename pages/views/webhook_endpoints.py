"""A partner administrator's webhook endpoints: list them with how their deliveries are
going, add one (its secret shown once), rotate its secret, turn it off and on, remove it,
read its delivery log and redeliver a delivery that died.

Who may is asked of ``cases.access`` (``webhook_page_organisation_id``); every write goes
through ``webhooks.services``, as the API and the admin do. Another organisation's endpoint
answers as one that does not exist (404).
"""

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from navigator.errors import ValidationError
from pages.partner_forms import AddEndpointForm
from pages.views.partner import for_partner_administrators
from webhooks import selectors, services
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

DELIVERIES_PER_PAGE = 20


def _named(endpoint: WebhookEndpoint) -> str:
    """An endpoint in a message: by its host only. Its URL may carry the partner's token,
    and messages travel in a cookie."""
    return f"The endpoint at {urlsplit(endpoint.url).hostname or 'its address'}"


def _endpoint(request: HttpRequest, pk: int) -> WebhookEndpoint:
    return get_object_or_404(selectors.endpoints_on_pages(request.user), pk=pk)


def _endpoints_page(request: HttpRequest, **extra: Any) -> HttpResponse:
    endpoints = list(selectors.endpoints_on_pages(request.user))
    context = {
        "endpoints": endpoints,
        "dead_total": sum(endpoint.dead for endpoint in endpoints),
        "form": AddEndpointForm(),
        "made": None,
        "most": services.MOST_ENDPOINTS,
        **extra,
    }
    return render(request, "partner/webhook_endpoints.html", context)


@for_partner_administrators
def endpoint_list(request: HttpRequest) -> HttpResponse:
    return _endpoints_page(request)


@require_POST
@for_partner_administrators
def endpoint_add(request: HttpRequest) -> HttpResponse:
    """Register an endpoint; its secret is shown in this response only, never stored in
    the clear, logged or redirected."""
    user = request.user
    form = AddEndpointForm(request.POST)
    if form.is_valid():
        try:
            made = services.create_endpoint(
                organisation=user.organisation,
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                acting_user=user,
            )
        except ValidationError as error:
            form.add_service_errors(error, aliases={"organisation": "url"})
        else:
            return _endpoints_page(request, made=made, verb="added")
    return _endpoints_page(request, form=form)


@require_POST
@for_partner_administrators
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """A new secret, shown once; the old one signs too until the overlap ends."""
    rotated = services.rotate_secret(endpoint=_endpoint(request, pk), acting_user=request.user)
    return _endpoints_page(
        request,
        made=rotated,
        verb="rotated",
        overlap_hours=int(services.DEFAULT_ROTATION_OVERLAP.total_seconds() // 3600),
    )


@require_POST
@for_partner_administrators
def endpoint_switch(request: HttpRequest, pk: int, on: bool) -> HttpResponse:
    endpoint = services.update_endpoint(
        endpoint=_endpoint(request, pk), acting_user=request.user, enabled=on
    )
    if on:
        messages.success(
            request,
            f"{_named(endpoint)} is on again: what it missed while off is sent now, on the "
            "usual schedule.",
        )
    else:
        messages.success(
            request,
            f"{_named(endpoint)} is off: nothing is sent to it until you turn it on again. "
            "Notices written meanwhile are kept for it.",
        )
    return redirect("partner-webhooks")


@require_POST
@for_partner_administrators
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    services.delete_endpoint(endpoint=endpoint, acting_user=request.user)
    messages.success(request, f"{_named(endpoint)} is removed: nothing more is sent to it.")
    return redirect("partner-webhooks")


@for_partner_administrators
def delivery_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The endpoint's deliveries and every attempt at each: when, the answer's status
    code, how long it took, what went wrong. Never what was sent beyond the notice's id
    and kind, nor what the receiver answered."""
    endpoint = _endpoint(request, pk)
    page = Paginator(selectors.delivery_log(endpoint), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partner/webhook_deliveries.html",
        {"endpoint": endpoint, "page": page, "deliveries": page.object_list},
    )


@require_POST
@for_partner_administrators
def redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a dead delivery again from the start of the schedule, with the same
    webhook-id: ``webhooks.services.redeliver``, as the admin's action does."""
    delivery = get_object_or_404(
        WebhookDelivery.objects.filter(
            endpoint__in=selectors.endpoints_on_pages(request.user).values("pk"),
            status=DeliveryStatus.DEAD,
        ),
        pk=pk,
    )
    services.redeliver(delivery=delivery, acting_user=request.user)
    messages.success(
        request,
        f"Notice {delivery.notice_id} will be sent again shortly, with the same webhook-id "
        f"({delivery.message_id}).",
    )
    return redirect("partner-webhook-deliveries", pk=delivery.endpoint_id)
