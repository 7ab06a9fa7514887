"""The partner caseworker's pages: their organisation's inbox of notices, the cases shared
with it, telling the case's team what happened, and (for a partner administrator) the
organisation's API keys.

Who may do what is asked of ``cases.access``; every write goes through the same service as
the API (``partners.services``, ``partners.keys``).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from cases.access import CaseField
from cases.models import Case
from contacts.agreement_words import agreement_words
from contacts.terms import agreement_facts
from explainers import selectors as explainer_selectors
from handovers.selectors import of_case as handovers_of_case
from navigator.errors import ValidationError
from pages.drafts import signed_in_keeping_typing, take_back
from pages.partner_forms import (
    ContactReportForm,
    InboxFilterForm,
    IssueKeyForm,
    RelocationReportForm,
)
from partners import keys, selectors, services
from partners.models import ReportKind

NOTICES_PER_PAGE = 20
CASES_PER_PAGE = 20
KEYS_PER_PAGE = 50
View = Callable[..., HttpResponse]


def for_partner_caseworkers(view: View) -> View:
    """A page for people who sign in as a partner organisation's caseworker; everyone else
    is refused (403), and someone signed out is asked to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if access.signed_in_partner_organisation_id(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def for_partner_administrators(view: View) -> View:
    """A page for a partner organisation's administrators (its keys and webhook endpoints);
    everyone else is refused (403), and someone signed out is asked to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_partner_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _page(request: HttpRequest, items: Any, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _victim_name(fields: frozenset[CaseField], case: Case) -> str:
    preferred = case.victim.preferred_name
    return preferred if CaseField.PREFERRED_NAME in fields and preferred else "the victim"


# The inbox


@login_required
@for_partner_caseworkers
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = InboxFilterForm(request.GET)
    page = _page(request, selectors.inbox(user, **filters.selection()), NOTICES_PER_PAGE)
    notices = list(page.object_list)
    # A notice links to its case only while the case is still shared (one query a page).
    open_cases = set(
        access.visible_cases(user)
        .filter(pk__in={n.case_id for n in notices})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "partner/inbox.html",
        {
            "filters": filters,
            "query": filters.query(),
            "page": page,
            "notices": [(notice, notice.case_id in open_cases) for notice in notices],
            "filtered": any(filters.data.get(name) for name in filters.fields),
        },
    )


def _back_to_inbox(posted: QueryDict) -> str:
    """The inbox as it was (filter and page), rebuilt from known fields only."""
    query = QueryDict(mutable=True)
    for name in ("kind", "state", "page"):
        value = posted.get(name, "")
        if value and value.isascii() and len(value) <= 40:
            query[name] = value
    address = reverse("partner-inbox")
    return f"{address}?{query.urlencode()}" if query else address


@require_POST
@login_required
@for_partner_caseworkers
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge a notice, as ``POST /api/v1/notices/{id}/acknowledge/`` does."""
    notice = get_object_or_404(selectors.notices_for(request.user).select_related("case"), pk=pk)
    services.acknowledge_notice(notice=notice, acting_user=request.user)
    messages.success(
        request,
        f"Acknowledged: {notice.get_kind_display().lower()}, case {notice.case.reference}. "
        "The case's team can see your organisation has it.",
    )
    if request.POST.get("back") == "case":  # acknowledged on the case's own page
        return redirect("partner-case", reference=notice.case.reference)
    return redirect(_back_to_inbox(request.POST))


# Shared cases


@login_required
@for_partner_caseworkers
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    page = _page(request, case_selectors.case_list(user, now=now), CASES_PER_PAGE)
    cases = []
    for case in page.object_list:
        # What the share gives is decided by cases.access, case by case.
        fields = access.case_fields(user, case, now=now)
        cases.append({"case": case, "name": _victim_name(fields, case)})
    return render(request, "partner/case_list.html", {"page": page, "cases": cases})


@login_required
@for_partner_caseworkers
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    """A shared case, showing exactly what the share gives; the view is logged."""
    user = request.user
    now = timezone.now()
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE, now=now)
    fields = access.case_fields(user, case, now=now)
    name = _victim_name(fields, case)
    agreement = case_selectors.current_agreement(case) if CaseField.AGREEMENT in fields else None
    facts = agreement_facts(agreement) if agreement else None
    location = None
    if CaseField.LOCATION in fields:
        try:
            location = case.victim.location
        except ObjectDoesNotExist:
            location = None
    events = (
        [e for e in case.upcoming_events if access.may_see_event(user.role, e.kind)]
        if CaseField.EVENTS in fields
        else []
    )
    notices = list(selectors.notices_for(user).filter(case=case).select_related("case")[:10])
    return render(
        request,
        "partner/case_page.html",
        {
            "case": case,
            "name": name,
            "show_preferred_name": CaseField.PREFERRED_NAME in fields,
            "show_language": CaseField.LANGUAGE in fields,
            "show_contacts": CaseField.POINTS_OF_CONTACT in fields,
            "show_agreement": CaseField.AGREEMENT in fields,
            "show_events": CaseField.EVENTS in fields,
            # Which explainer the victim was given before each event, so nobody tells
            # them a different story (cases.access.sees_explainers_given).
            "event_explainers": explainer_selectors.for_events(
                user, case, events, agreement=agreement, fields=fields, now=now
            ),
            "show_location": CaseField.LOCATION in fields,
            "show_handovers": CaseField.HANDOVERS in fields,
            "hide_people": not access.sees_handover_people(user),
            "handovers": handovers_of_case(user, case, now=now)
            if CaseField.HANDOVERS in fields
            else [],
            "agreement": agreement,
            # The agreement's free text (why a channel is unsafe) is never in a share.
            **agreement_words(facts, name, include_notes=CaseField.AGREEMENT_FREE_TEXT in fields),
            "contacts": case.current_contacts if CaseField.POINTS_OF_CONTACT in fields else [],
            "location": location,
            "upcoming_events": events,
            "notices": notices,
        },
    )


# Telling the case's team

REPORT_FORMS = {
    ReportKind.RELOCATION: (RelocationReportForm, "Report a move", "Send the move"),
    ReportKind.CONTACT: (ContactReportForm, "Report a contact", "Send the contact"),
}


@signed_in_keeping_typing
@for_partner_caseworkers
def report(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """Tell the case's team the victim moved, or of a contact: ``partners.services.report_to_case``,
    as ``POST /api/v1/cases/{reference}/reports/`` does."""
    user = request.user
    form_class, heading, button = REPORT_FORMS[ReportKind(kind)]
    case = get_object_or_404(
        access.visible_cases(user).select_related("victim"), reference=reference
    )
    kept = take_back(request) if request.method == "GET" else None
    if request.method == "POST":
        form = form_class(request.POST)
    elif kept is not None:
        form = form_class(kept)
        form.is_valid()  # show at once what still needs mending
    else:
        form = form_class.blank()
    if request.method == "POST" and form.is_valid():
        try:
            services.report_to_case(case=case, kind=kind, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "Sent. The case's navigator and police point of contact have it now, as an alert.",
            )
            return redirect("partner-case", reference=case.reference)
    fields = access.case_fields(user, case)
    return render(
        request,
        "partner/report.html",
        {
            "case": case,
            "name": _victim_name(fields, case),
            "form": form,
            "heading": heading,
            "button": button,
            "kept": kept is not None,
        },
    )


# API keys (partner administrators)


def _keys_page(request: HttpRequest, **extra: Any) -> HttpResponse:
    user = request.user
    now = timezone.now()
    page = _page(
        request,
        selectors.keys_for(user).select_related("replaced_by").order_by("-created"),
        KEYS_PER_PAGE,
    )
    listed = [
        {
            "key": key,
            "expired": key.expiry_date is not None and key.expiry_date <= now,
            "works": not key.revoked and (key.expiry_date is None or key.expiry_date > now),
        }
        for key in page.object_list
    ]
    context = {"page": page, "keys": listed, "form": IssueKeyForm(), "issued": None, **extra}
    return render(request, "partner/keys.html", context)


@for_partner_administrators
def key_list(request: HttpRequest) -> HttpResponse:
    return _keys_page(request)


@require_POST
@for_partner_administrators
def key_issue(request: HttpRequest) -> HttpResponse:
    """Issue a key; it is shown in this response only, never stored, logged or redirected."""
    user = request.user
    form = IssueKeyForm(request.POST)
    if form.is_valid():
        try:
            issued = keys.issue_key(
                organisation=user.organisation, acting_user=user, **form.service_fields()
            )
        except ValidationError as error:
            form.add_service_errors(error, aliases={"expires_at": "expires_on"})
        else:
            return _keys_page(request, issued=issued, verb="issued")
    return _keys_page(request, form=form)


@require_POST
@for_partner_administrators
def key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    api_key = get_object_or_404(selectors.keys_for(request.user), prefix=prefix)
    keys.revoke_key(api_key=api_key, acting_user=request.user)
    messages.success(request, f"Key {api_key.prefix} is revoked: it no longer works.")
    return redirect("partner-keys")


@require_POST
@for_partner_administrators
def key_rotate(request: HttpRequest, prefix: str) -> HttpResponse:
    """Issue a key to take over from another, which works on for the overlap."""
    api_key = get_object_or_404(selectors.keys_for(request.user), prefix=prefix)
    try:
        issued = keys.rotate_key(api_key=api_key, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, f"Key {api_key.prefix}: {' '.join(error.messages)}")
        return redirect("partner-keys")
    return _keys_page(
        request,
        issued=issued,
        verb="rotated",
        overlap_days=keys.DEFAULT_ROTATION_OVERLAP.days,
        old_prefix=api_key.prefix,
    )
