from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alerts import selectors, services
from cases import access
from navigator.errors import ValidationError, validation_message


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    role = request.user.role
    if not access.may_see_case_work(role):
        raise PermissionDenied  # partners get notices, not the staff's alert queue
    return render(
        request,
        "alerts/alert_list.html",
        {
            "alerts": selectors.live_alerts(request.user),
            "may_act": access.may_manage_cases(role),
        },
    )


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    try:
        services.acknowledge_alert(alert=alert, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, validation_message(error))
    return redirect("alert-list")


@login_required
@require_POST
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    try:
        services.resolve_alert(
            alert=alert, note=request.POST.get("note", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, validation_message(error))
    return redirect("alert-list")
