"""Preparing a victim for a coming event: the explainer that fits, in their language and at
their level of detail, recorded as gone through; and a printable copy for a visit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from cases.models import Case, CaseEvent
from explainers import selectors as explainer_selectors
from explainers.models import Explainer
from explainers.services import record_preparation
from navigator.errors import ValidationError
from pages import selectors
from pages.drafts import signed_in_keeping_typing, take_back
from pages.forms import DATETIME_INPUT, PreparationForm


def _event(request: HttpRequest, reference: str, pk: int) -> tuple[Case, CaseEvent]:
    """A coming event of a case the user may prepare the victim on (the case read is
    logged); anything else is not found or refused, alike for cases out of reach."""
    user = request.user
    if access.signed_in_partner_organisation_id(user) is not None or not (
        access.may_prepare_victim(user.role)
    ):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    event = next((e for e in case.upcoming_events if e.pk == pk), None)
    if event is None or not access.may_see_event(user.role, event.kind):
        raise Http404("No such event")
    return case, event


def _context(request: HttpRequest, case: Case, event: CaseEvent) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    agreement = case_selectors.current_agreement(case)
    (item,) = explainer_selectors.for_events(
        user,
        case,
        [event],
        agreement=agreement,
        fields=access.case_fields(user, case, now=now),
        now=now,
    )
    return {
        "case": case,
        "event": event,
        "item": item,
        "version": item.fitting.version if item.fitting else None,
        "notes": item.fitting.choice.notes() if item.fitting and item.fitting.choice else [],
        "name": selectors.victim_name(user, case),
    }


@signed_in_keeping_typing
def prepare(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, event = _event(request, reference, pk)
    context = _context(request, case, event)
    item = context["item"]
    kept = take_back(request) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else kept
    form = PreparationForm(
        data,
        ways=item.ways,
        initial={"at": timezone.localtime().strftime(DATETIME_INPUT)},
    )
    if request.method == "POST" and form.is_valid():
        if context["version"] is None:
            form.add_error(None, "There is no approved explainer for this event yet.")
        else:
            try:
                record_preparation(
                    event=event,
                    version=context["version"],
                    channel=form.cleaned_data["channel"],
                    at=form.cleaned_data["at"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                # Not named: messages travel in a cookie.
                messages.success(
                    request,
                    f"Recorded: the victim is prepared for the "
                    f"{event.get_kind_display().lower()}. The early warning for it clears.",
                )
                return redirect("case-detail", reference=case.reference)
    elif kept is not None:
        form.is_valid()
    context["form"] = form
    return render(request, "explainers/prepare.html", context)


@login_required
def print_explainer(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The explainer alone, to print for a visit: nothing about the victim on it."""
    case, event = _event(request, reference, pk)
    context = _context(request, case, event)
    if context["version"] is None:
        raise Http404("No explainer for this event")
    context["back"] = reverse("explainer-prepare", args=[case.reference, event.pk])
    return render(request, "explainers/print.html", context)


def _explainer_for_case(
    request: HttpRequest, reference: str, pk: int
) -> tuple[Case, Any, dict[str, Any]]:
    user = request.user
    if access.signed_in_partner_organisation_id(user) is not None or not (
        access.may_prepare_victim(user.role)
    ):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    explainer = Explainer.objects.filter(pk=pk).first()
    if explainer is None:
        raise Http404("No such explainer")
    found = explainer_selectors.fitting_for_case(
        explainer, case, agreement=case_selectors.current_agreement(case), now=timezone.now()
    )
    if found.version is None:
        raise Http404("No approved version")
    return (
        case,
        explainer,
        {
            "case": case,
            "explainer": explainer,
            "version": found.version,
            "notes": found.choice.notes() if found.choice else [],
            "name": selectors.victim_name(user, case),
        },
    )


@login_required
def read_explainer(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """An explainer that fits where the case is (not tied to an event), in the victim's
    language and at their level of detail."""
    _case, _explainer, context = _explainer_for_case(request, reference, pk)
    return render(request, "explainers/read.html", context)


@login_required
def print_stage_explainer(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    _case, _explainer, context = _explainer_for_case(request, reference, pk)
    context["back"] = reverse("explainer-read", args=[reference, pk])
    return render(request, "explainers/print.html", context)
