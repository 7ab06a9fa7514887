from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from alerts import selectors, services
from alerts.forms import FILTER_FIELDS, AlertActionForm, AlertFilterForm
from alerts.services import AlertAction, BulkResult
from cases import access
from navigator.errors import ValidationError, validation_message

# Cards on one page of the queue: enough to work through, few enough for a phone.
PAGE_SIZE = 50

DONE_WORDS = {
    AlertAction.ACKNOWLEDGE: "acknowledged",
    AlertAction.ASSIGN: "given to {assignee}",
    AlertAction.RESOLVE: "resolved",
}


def _queue(
    request: HttpRequest,
    *,
    filters: AlertFilterForm,
    team: list[Any],
    action_form: AlertActionForm | None = None,
    refused: tuple[services.Refusal, ...] = (),
    ticked: frozenset[int] = frozenset(),
) -> HttpResponse:
    now = timezone.now()
    alerts = filters.apply(selectors.live_alerts(request.user), now=now)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.query()
    return render(
        request,
        "alerts/alert_list.html",
        {
            "alerts": page.object_list,
            "page": page,
            "filters": filters,
            "filtered": bool(query),
            "query": urlencode(query),
            "kept": query,
            "may_act": access.may_manage_cases(request.user.role),
            "may_assign": bool(team),
            "team": team,
            "form": action_form or AlertActionForm(team=team),
            "refused": refused,
            "ticked": ticked,
            "now": now,
        },
    )


def _team(request: HttpRequest) -> list[Any]:
    return list(access.team_of(request.user).only("first_name", "last_name", "username"))


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """The live alerts of the cases the person sees, most severe and oldest first, narrowed
    by kind, severity, whose they are and how long they have waited."""
    if not access.may_see_case_work(request.user.role):
        raise PermissionDenied  # partners get notices, not the staff's alert queue
    team = _team(request)
    return _queue(request, filters=AlertFilterForm(request.GET, team=team), team=team)


@login_required
@require_POST
def alert_bulk(request: HttpRequest) -> HttpResponse:
    """One action on the alerts ticked (or the one alert of a card): all of them, or none,
    saying which could not be done and why."""
    user = request.user
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    team = _team(request)
    filters = AlertFilterForm(
        {name: request.POST.get(f"filter_{name}", "") for name in FILTER_FIELDS}, team=team
    )
    form = AlertActionForm(request.POST, team=team)
    if not form.is_valid():
        return _queue(
            request,
            filters=filters,
            team=team,
            action_form=form,
            ticked=_ticked(request),
        )
    ids = form.cleaned_data["alert"]
    alerts = list(selectors.alerts_visible_to(user).filter(pk__in=ids).select_related("case"))
    if len(alerts) != len(set(ids)):
        # Not the person's to see (or gone): the same answer as for an alert that never was.
        return _queue(
            request,
            filters=filters,
            team=team,
            action_form=_refused_form(form, "One of the alerts ticked is not in your queue."),
            ticked=_ticked(request),
        )
    action = AlertAction(form.cleaned_data["action"])
    result = services.act_on_alerts(
        alerts=alerts,
        action=action,
        acting_user=user,
        note=form.cleaned_data.get("note", ""),
        assignee=form.cleaned_data.get("assignee"),
    )
    if not result.ok:
        return _queue(
            request,
            filters=filters,
            team=team,
            action_form=_refused_form(form, _refusal_words(result, action)),
            refused=result.refused,
            ticked=_ticked(request),
        )
    messages.success(request, _done_words(result, action, form.cleaned_data.get("assignee")))
    query = filters.query()
    return redirect(reverse("alert-list") + (f"?{urlencode(query)}" if query else ""))


def _ticked(request: HttpRequest) -> frozenset[int]:
    return frozenset(int(v) for v in request.POST.getlist("alert") if v.isdigit())


def _refused_form(form: AlertActionForm, message: str) -> AlertActionForm:
    form.add_error(None, message)
    return form


def _refusal_words(result: BulkResult, action: AlertAction) -> str:
    verb = DONE_WORDS[action].split()[0]  # "acknowledged", "given", "resolved"
    return (
        f"Nothing was changed: {len(result.refused)} of the {result.tried} alerts could not be "
        f"{verb}. Untick them, or deal with them one at a time, and try again."
    )


def _done_words(result: BulkResult, action: AlertAction, assignee: Any) -> str:
    count = len(result.done)
    noun = "alert" if count == 1 else "alerts"
    return f"{count} {noun} {DONE_WORDS[action].format(assignee=assignee)}."


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
