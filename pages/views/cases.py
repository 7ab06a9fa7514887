"""The case list and the case page, with the small forms that live on it."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alerts.selectors import case_clock
from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from cases.access import CaseField
from cases.choices import CaseStatus, PocRole
from cases.models import Case
from cases.services import record_engagement_measures, set_case_status
from contacts.agreement_words import agreement_words
from contacts.terms import agreement_facts
from directory.selectors import whom_to_involve
from explainers import selectors as explainer_selectors
from handovers.selectors import of_case as handovers_of_case
from navigator.errors import ValidationError
from pages import selectors
from pages.advice import what_to_do
from pages.drafts import signed_in_keeping_typing, take_back
from pages.forms import EngagementForm, StatusForm
from pages.words import capitalise
from partners.selectors import reports_on


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access.signed_in_partner_organisation_id(user) is not None:
        return redirect("partner-cases")  # partners have their own pages
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": case_selectors.case_list(user),
            "show_identity": access.may_see_identity(user.role),
        },
    )


def _engagement_form(case: Case, data: Any = None) -> EngagementForm:
    return EngagementForm(
        data,
        initial={
            "support_offered_on": case.support_offered_on,
            "support_accepted": case.support_accepted,
            "investigation_engagement": case.investigation_engagement,
        },
    )


def _case_context(
    request: HttpRequest,
    case: Case,
    *,
    status_form: StatusForm | None = None,
    engagement_form: EngagementForm | None = None,
) -> dict[str, Any]:
    """Everything the case page shows ``request.user``, each part as ``cases.access`` allows.
    Never a partner's: partners have their own case page (``pages.views.partner``)."""
    user = request.user
    now = timezone.now()
    name = selectors.victim_name(user, case)
    # What this person may see of the case: decided by cases.access, by role or by share.
    fields = access.case_fields(user, case, now=now)
    may_manage = access.may_manage_cases(user.role)
    show_notes = CaseField.NOTES in fields
    show_identity = CaseField.IDENTITY in fields
    agreement = case_selectors.current_agreement(case) if CaseField.AGREEMENT in fields else None
    facts = agreement_facts(agreement) if agreement else None
    events = selectors.upcoming_events(case, now=now) if CaseField.EVENTS in fields else []
    visible_events = [e for e in events if access.may_see_event(user.role, e.kind)]
    # Read once for both lists of explainers below (a small table, but a query each).
    versions = (
        explainer_selectors.approved_versions() if access.may_prepare_victim(user.role) else {}
    )
    context: dict[str, Any] = {
        "case": case,
        "name": name,
        "show_identity": show_identity,
        "show_preferred_name": CaseField.PREFERRED_NAME in fields,
        "show_language": CaseField.LANGUAGE in fields,
        "show_notes": show_notes,
        "show_location": CaseField.LOCATION in fields,
        "show_contacts": CaseField.POINTS_OF_CONTACT in fields,
        "show_agreement": CaseField.AGREEMENT in fields,
        "show_investigation": CaseField.INVESTIGATION_STAGE in fields,
        "agreement": agreement,
        # Free text (why a channel is unsafe, notes on what to avoid) only for those who
        # may read it; the rules themselves keep the victim safe, so everyone sees those.
        **agreement_words(facts, name, include_notes=CaseField.AGREEMENT_FREE_TEXT in fields),
        "contacts": case.current_contacts if CaseField.POINTS_OF_CONTACT in fields else [],
        "upcoming_events": visible_events,
        # Each coming event with the explainer that fits it and the one the victim was given.
        "event_explainers": explainer_selectors.for_events(
            user,
            case,
            visible_events,
            agreement=agreement,
            fields=fields,
            now=now,
            versions=versions,
        ),
        "may_prepare": access.may_prepare_victim(user.role) and case.status != CaseStatus.CLOSED,
        # Explainers for where the case is (the Victims' Code, after a negative decision...).
        "stage_explainers": explainer_selectors.for_stage(
            user, case, agreement=agreement, now=now, versions=versions
        ),
        "partner_reports": reports_on(user, case),
        "handovers": handovers_of_case(user, case, now=now),
        "show_handovers": CaseField.HANDOVERS in fields,
        "sees_work": CaseField.CONTACT_LOG in fields and access.may_see_case_work(user.role),
        "may_log": access.may_log_contacts(user.role) and case.status != CaseStatus.CLOSED,
        "may_manage": may_manage,
        "now": now,
    }
    if may_manage and CaseField.POINTS_OF_CONTACT in fields:
        held = {poc.role for poc in case.current_contacts}
        # A caseworker is named only once the case is shared: the change page says so.
        context["missing_roles"] = [role for role in PocRole if role not in held]
        navigator = next(
            (p.person for p in case.current_contacts if p.role == PocRole.NAVIGATOR), None
        )
        if navigator is not None and access.may_hand_on_cases_of(user, navigator):
            context["hand_on_navigator"] = navigator
    if not context["sees_work"]:
        return context
    context["whom_to_involve"] = whom_to_involve(
        case,
        visible_events,
        interpreter_needed=bool(
            (agreement.interpreter_needed if agreement else False) or case.victim.interpreter_needed
        ),
    )
    context["settle_days"] = settings.DISENGAGEMENT_SETTLE_DAYS
    live = selectors.live_alerts_of(user, case)
    entries, earlier = selectors.timeline(
        user, case, now=now, before=None, show_notes=show_notes, show_reasons=show_identity
    )
    context.update(
        clock_sentence=case_clock(case, now=now).sentence,
        alerts=[
            {
                "alert": alert,
                "what_to_do": what_to_do(alert.kind, name),
                "reasons": [
                    capitalise(reason) + "." for reason in selectors.alert_fact(alert).reasons
                ],
            }
            for alert in live
        ],
        promises=selectors.open_promises(case),
        concerns_waiting=selectors.unanswered_concerns(case) if may_manage else [],
        important_dates=selectors.important_dates(case, now=now) if show_identity else [],
        chart=selectors.chart(case, now=now, live=live),
        timeline=entries,
        timeline_earlier=earlier,
        engagement_form=engagement_form or _engagement_form(case),
        status_form=status_form or StatusForm(initial={"status": case.status}),
        statuses=CaseStatus,
    )
    return context


@login_required
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    if access.signed_in_partner_organisation_id(request.user) is not None:
        return redirect("partner-case", reference=reference)
    case = case_selectors.case_detail(request.user, reference, channel=AccessChannel.PAGE)
    return render(request, "cases/case_page.html", _case_context(request, case))


@login_required
def case_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    """Earlier entries of the timeline: a fragment for htmx, a page of its own without it."""
    user = request.user
    if not access.may_see_case_work(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    try:
        before = datetime.fromisoformat(request.GET.get("before", ""))
    except ValueError:
        before = None
    if before is not None and timezone.is_naive(before):
        before = None
    entries, earlier = selectors.timeline(
        user,
        case,
        now=timezone.now(),
        before=before,
        show_notes=access.may_read_notes(user.role),
        show_reasons=access.may_see_identity(user.role),
    )
    template = "cases/_timeline_entries.html" if request.htmx else "cases/timeline_page.html"
    return render(
        request,
        template,
        {
            "case": case,
            "name": selectors.victim_name(user, case),
            "timeline": entries,
            "timeline_earlier": earlier,
        },
    )


@signed_in_keeping_typing
def case_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Pause at the victim's request, close, or reopen a case."""
    user = request.user
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    kept = take_back(request) if request.method == "GET" else None
    if request.method != "POST" and kept is None:
        return redirect("case-detail", reference=reference)
    form = StatusForm(request.POST if request.method == "POST" else kept)
    if form.is_valid() and request.method == "POST":
        try:
            case = set_case_status(
                case=case,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["status_reason"],
                acting_user=user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The case is now {case.get_status_display().lower()}.")
            return redirect("case-detail", reference=reference)
    return render(request, "cases/case_page.html", _case_context(request, case, status_form=form))


@signed_in_keeping_typing
def case_engagement(request: HttpRequest, reference: str) -> HttpResponse:
    """Record the three engagement measures; answers a fragment to htmx."""
    user = request.user
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    kept = take_back(request) if request.method == "GET" else None
    if request.method != "POST" and kept is None:
        return redirect("case-detail", reference=reference)
    form = _engagement_form(case, request.POST if request.method == "POST" else kept)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            case = record_engagement_measures(case=case, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            saved = True
            if not request.htmx:
                messages.success(request, "Engagement measures saved.")
                return redirect("case-detail", reference=reference)
            form = _engagement_form(case)
    elif kept is not None:
        form.is_valid()
    if request.htmx:
        return render(
            request,
            "cases/_engagement.html",
            {"case": case, "engagement_form": form, "may_manage": True, "saved": saved},
        )
    return render(
        request, "cases/case_page.html", _case_context(request, case, engagement_form=form)
    )
