"""Handovers in the pages: a navigator sends one from the case page; whoever receives one
(a partner caseworker, a navigator taking a case over, an officer of the force a case moves
to) reads it, acknowledges it, and accepts or declines it. Every write is a service of
``handovers.services``; who may do what is ``cases.access``'s."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from contacts.agreement_words import agreement_words
from handovers import agreement_copy, selectors, services
from handovers.choices import OPEN_STATES, HandoverKind, HandoverState
from handovers.models import Handover
from handovers.rules import hours_words
from navigator.errors import ValidationError
from pages.drafts import signed_in_keeping_typing, take_back
from pages.forms import AcceptHandoverForm, DeclineHandoverForm, HandoverForm

INBOX_LIMIT = 100


@signed_in_keeping_typing
def send_handover(request: HttpRequest, reference: str) -> HttpResponse:
    """Hand part of the victim's support over: one column, from the case page."""
    user = request.user
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    kept = take_back(request) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else kept
    form = HandoverForm(data) if data is not None else HandoverForm.blank()
    if request.method == "POST" and form.is_valid():
        try:
            services.send_handover(case=case, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            receiver = form.cleaned_data["to_person"] or form.cleaned_data["to_organisation"]
            messages.success(
                request,
                f"Handover sent to {receiver}. They have been told, and you will be alerted "
                "if they have not acknowledged it in time.",
            )
            return redirect("case-detail", reference=reference)
    elif kept is not None:
        form.is_valid()
    return render(
        request,
        "handovers/send.html",
        {
            "case": case,
            "form": form,
            "kept": kept is not None,
            "ack_hours": hours_words(settings.HANDOVER_ACK_HOURS),
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The handovers addressed to you (or your organisation): waiting ones first."""
    handovers = list(selectors.addressed_to(request.user).order_by("-sent_at", "-id")[:INBOX_LIMIT])
    waiting = [h for h in handovers if h.state in OPEN_STATES]
    done = [h for h in handovers if h.state not in OPEN_STATES]
    return render(request, "handovers/inbox.html", {"waiting": waiting, "done": done})


def _detail_context(
    request: HttpRequest,
    handover: Handover,
    *,
    accept_form: AcceptHandoverForm | None = None,
    decline_form: DeclineHandoverForm | None = None,
) -> dict[str, Any]:
    user = request.user
    is_receiver = access.receives_handover(user, handover)
    details = selectors.may_read_details(user, handover)
    facts = agreement_copy.facts(handover.agreement) if details else None
    return {
        "handover": handover,
        "details": details,
        # A share gives a partner organisations, not people, of a handover to someone else.
        "hide_people": not access.sees_handover_people(user, is_receiver=is_receiver),
        **agreement_words(facts, "the victim", include_notes=False),
        "may_act": is_receiver and handover.state in OPEN_STATES,
        "may_acknowledge": is_receiver and handover.state == HandoverState.SENT,
        "asks_introduction": handover.kind == HandoverKind.POINT_OF_CONTACT,
        "accept_form": accept_form or AcceptHandoverForm(),
        "decline_form": decline_form or DeclineHandoverForm(),
    }


@signed_in_keeping_typing
def handover_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One handover: what was handed over and why, the needs and risks, the agreement; for
    its receiver, acknowledge, accept or decline. Reading it is logged."""
    user = request.user
    handover = selectors.handover_detail(user, pk, channel=AccessChannel.PAGE)
    if request.method != "POST":
        return render(request, "handovers/detail.html", _detail_context(request, handover))
    action = request.POST.get("action", "")
    now = timezone.now()
    accept_form = decline_form = None
    try:
        if action == "acknowledge":
            services.acknowledge_handover(handover=handover, acting_user=user, now=now)
            messages.success(request, "Acknowledged: the sender knows you have it.")
            return redirect("handover-detail", pk=pk)
        if action == "accept":
            accept_form = AcceptHandoverForm(request.POST)
            # Only a change of point of contact asks whether the predecessor introduced them.
            asks = handover.kind == HandoverKind.POINT_OF_CONTACT
            if not asks or accept_form.is_valid():
                services.accept_handover(
                    handover=handover,
                    acting_user=user,
                    introduced_by_predecessor=(
                        accept_form.cleaned_data["introduced_by_predecessor"] if asks else None
                    ),
                    now=now,
                )
                messages.success(request, "Accepted: the responsibility is now yours.")
                return redirect("handover-detail", pk=pk)
        elif action == "decline":
            decline_form = DeclineHandoverForm(request.POST)
            if decline_form.is_valid():
                services.decline_handover(
                    handover=handover,
                    acting_user=user,
                    reason=decline_form.cleaned_data["decline_reason"],
                    now=now,
                )
                messages.success(request, "Declined: the sender has been told why.")
                return redirect("handover-detail", pk=pk)
        else:
            return redirect("handover-detail", pk=pk)
    except ValidationError as error:
        form = decline_form if action == "decline" else accept_form
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("handover-detail", pk=pk)
        form.add_service_errors(error)
    return render(
        request,
        "handovers/detail.html",
        _detail_context(request, handover, accept_form=accept_form, decline_form=decline_form),
    )
