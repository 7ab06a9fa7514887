"""The small forms reached from the case page, each through its one service: a promise and
whether it was kept, a case event, the dates that matter to the victim, what was done about
a concern, and sharing the case with a partner with the victim's consent.

Who may use them is ``cases.access``'s (the navigation team of the case and their
supervisors); reading the case is logged by ``cases.selectors.case_detail``.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from cases.access import CaseField
from cases.choices import PocRole, SharePurpose, ShareScope, default_share_scope
from cases.models import Case, CaseShare, ImportantDate
from cases.services import (
    add_important_date,
    record_case_event,
    remove_important_date,
    revoke_share,
    share_case,
)
from contacts.choices import Concern, PromiseStatus
from contacts.concerns import respond_to_concern
from contacts.models import CheckIn, ConcernResponse, Promise
from contacts.services import make_promise, resolve_promise
from navigator.errors import ValidationError
from pages import selectors
from pages.case_forms import (
    ConcernResponseForm,
    EventForm,
    ImportantDateForm,
    PromiseForm,
    ResolvePromiseForm,
    ShareForm,
    _now,
)
from pages.drafts import signed_in_keeping_typing, take_back
from pages.templatetags.navigator import uk_date


def _managed_case(request: HttpRequest, reference: str) -> Case:
    """The case, for someone who keeps its records: refused to anyone else (a 404 for a
    case they cannot see, so references cannot be probed)."""
    if not access.may_manage_cases(request.user.role):
        raise PermissionDenied
    return case_selectors.case_detail(request.user, reference, channel=AccessChannel.PAGE)


def _form_data(request: HttpRequest) -> tuple[Any, bool]:
    """What was sent, or what was kept when the sign-in ended mid-typing."""
    if request.method == "POST":
        return request.POST, False
    kept = take_back(request)
    return kept, kept is not None


def _page(
    request: HttpRequest, case: Case, template: str, form: Any, kept: bool, **extra: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "case": case,
            "name": selectors.victim_name(request.user, case),
            "form": form,
            "kept": kept,
            **extra,
        },
    )


def _saved_twice(request: HttpRequest, model: Any, key: Any, what: str) -> bool:
    """Whether this form was already saved (sent twice: a double tap, a retry)."""
    if key is not None and model.objects.filter(submission_key=key).exists():
        messages.info(request, f"This {what} was sent twice and saved once.")
        return True
    return False


# Promises


@signed_in_keeping_typing
def new_promise(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a promise made to the victim, through ``make_promise``."""
    case = _managed_case(request, reference)
    data, kept = _form_data(request)
    form = PromiseForm(data) if data is not None else PromiseForm.blank()
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if _saved_twice(request, Promise, fields["submission_key"], "promise"):
            return redirect("case-detail", reference=reference)
        try:
            promise = make_promise(case=case, acting_user=request.user, **fields)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Promise recorded, due {uk_date(promise.due_by)}.")
            return redirect("case-detail", reference=reference)
    elif kept:
        form.is_valid()
    return _page(request, case, "cases/forms/promise.html", form, kept)


def _open_promise(case: Case, pk: int) -> Promise:
    promise = Promise.objects.filter(case=case, pk=pk).first()
    if promise is None:
        raise Http404("No such promise")
    return promise


@signed_in_keeping_typing
def resolve_promise_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Mark a promise kept, broken or withdrawn, through ``resolve_promise``."""
    case = _managed_case(request, reference)
    promise = _open_promise(case, pk)
    data, kept = _form_data(request)
    form = ResolvePromiseForm(data)
    if promise.status != PromiseStatus.OPEN:
        # Someone marked it while this form was open: say so rather than change it again.
        messages.info(
            request,
            f"This promise was already marked {promise.get_status_display().lower()}: "
            "nothing was changed.",
        )
        return redirect("case-detail", reference=reference)
    if request.method == "POST" and form.is_valid():
        try:
            promise = resolve_promise(
                promise=promise, status=form.cleaned_data["status"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"The promise is marked {promise.get_status_display().lower()}."
            )
            return redirect("case-detail", reference=reference)
    elif kept:
        form.is_valid()
    return _page(request, case, "cases/forms/resolve_promise.html", form, kept, promise=promise)


# Case events


@signed_in_keeping_typing
def new_event(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a case event, through ``record_case_event``."""
    case = _managed_case(request, reference)
    data, kept = _form_data(request)
    form = EventForm(data) if data is not None else EventForm.blank({"at": _now()})
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if _saved_twice(request, case.events.model, fields["submission_key"], "event"):
            return redirect("case-detail", reference=reference)
        try:
            event = record_case_event(case=case, acting_user=request.user, **fields)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            key = " It is a key decision: tell the victim in time." if event.is_key_decision else ""
            messages.success(
                request, f"{event.get_kind_display()} recorded for {uk_date(event.at)}.{key}"
            )
            return redirect("case-detail", reference=reference)
    elif kept:
        form.is_valid()
    partners = [
        share.organisation
        for share in case.shares.in_force(timezone.now()).select_related("organisation")
        if access.share_covers(ShareScope.EVENTS, covers=share.covers, purpose=share.purpose)
    ]
    return _page(request, case, "cases/forms/event.html", form, kept, partners=partners)


# Dates that matter to the victim


@signed_in_keeping_typing
def important_dates(request: HttpRequest, reference: str) -> HttpResponse:
    """The dates that matter to the victim: add one, or remove one recorded by mistake."""
    case = _managed_case(request, reference)
    if CaseField.IDENTITY not in access.case_fields(request.user, case):
        raise PermissionDenied
    data, kept = _form_data(request)
    form = ImportantDateForm(data) if data is not None else ImportantDateForm.blank()
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if _saved_twice(request, ImportantDate, fields["submission_key"], "date"):
            return redirect("important-dates", reference=reference)
        try:
            add_important_date(case=case, acting_user=request.user, **fields)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Date added: you will be reminded before it comes round.")
            return redirect("important-dates", reference=reference)
    elif kept:
        form.is_valid()
    dates = list(ImportantDate.objects.filter(victim_id=case.victim_id).order_by("date", "pk"))
    return _page(request, case, "cases/forms/important_dates.html", form, kept, dates=dates)


@require_POST
@signed_in_keeping_typing
def remove_date(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _managed_case(request, reference)
    important = ImportantDate.objects.filter(victim_id=case.victim_id, pk=pk).first()
    if important is None:
        messages.info(request, "That date had already been removed.")
    else:
        remove_important_date(case=case, important=important, acting_user=request.user)
        # Not named: messages travel in a cookie, and the date is the victim's.
        messages.success(request, "The date is removed.")
    return redirect("important-dates", reference=reference)


# Concerns


def _unanswered(checkin: CheckIn) -> list[tuple[str, str]]:
    answered = set(
        ConcernResponse.objects.filter(checkin=checkin).values_list("concern", flat=True)
    )
    labels = dict(Concern.choices)
    return [(tag, str(labels.get(tag, tag))) for tag in checkin.concerns if tag not in answered]


@signed_in_keeping_typing
def respond_to_concern_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Say what was done about a concern the victim raised, through ``respond_to_concern``."""
    case = _managed_case(request, reference)
    checkin = CheckIn.objects.filter(case=case, pk=pk).select_related("case").first()
    if checkin is None or not checkin.concerns:
        raise Http404("No such contact")
    concerns = _unanswered(checkin)
    data, kept = _form_data(request)
    options = {"concerns": concerns}
    if data is not None:
        form = ConcernResponseForm(data, **options)
    else:
        form = ConcernResponseForm.blank({"at": _now()}, **options)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if _saved_twice(request, ConcernResponse, fields["submission_key"], "response"):
            return redirect("case-detail", reference=reference)
        try:
            respond_to_concern(checkin=checkin, acting_user=request.user, **fields)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "What was done is recorded.")
            return redirect("case-detail", reference=reference)
    elif kept:
        form.is_valid()
    if request.method == "POST" and not concerns and not form.errors.get("concern"):
        form.add_error(None, "Every concern raised in this contact has been answered already.")
    return _page(
        request, case, "cases/forms/concern.html", form, kept, checkin=checkin, concerns=concerns
    )


# Sharing with consent


def _field_words() -> dict[str, str]:
    return {
        CaseField.REFERENCE: "the case reference",
        CaseField.VICTIM: "the victim's reference (never their name)",
        CaseField.STATUS: "whether the case is open, paused or closed",
        CaseField.POLICE_FORCE: "the police force",
        CaseField.POINTS_OF_CONTACT: "who the points of contact are",
        CaseField.PREFERRED_NAME: "the name the victim prefers to be called",
        CaseField.LANGUAGE: "their language and whether they need an interpreter",
        CaseField.AGREEMENT: "how and when to contact them (the agreement's terms)",
        CaseField.EVENTS: "interviews, hearings and decisions coming up",
        # Every handover of the case, by organisation (cases.access.visible_handovers), but a
        # move to other accommodation only with the location (share_covers_handover).
        CaseField.HANDOVERS: "the case's handovers: what is handed to which organisation "
        "(a move to other accommodation only if they are told where the victim lives)",
        CaseField.LOCATION: "where the victim lives",
        CaseField.IDENTITY: "the victim's full name and safe number",
        CaseField.AGREEMENT_FREE_TEXT: "what the agreement says in free text",
        CaseField.CONTACT_LOG: "the contacts we logged",
        CaseField.NOTES: "the navigators' notes",
        CaseField.INVESTIGATION_STAGE: "the stage of the investigation",
        CaseField.PARTNER_REPORTS: "what other partners reported",
    }


def what_partner_sees(covers: Any, purpose: str) -> tuple[list[str], list[str]]:
    """What a share with ``covers`` for ``purpose`` shows the partner, and what it never
    does, in words: ``cases.access.share_fields`` decides."""
    words = _field_words()
    seen = access.share_fields(covers=covers, purpose=purpose)
    return (
        [words[f] for f in CaseField if f in seen],
        [words[f] for f in CaseField if f not in seen],
    )


def _recorders(request: HttpRequest, case: Case) -> list[tuple[int, str]]:
    """Who may have recorded the consent: you, or the case's navigator."""
    people = {request.user.pk: str(request.user)}
    for poc in case.current_contacts:
        if poc.role == PocRole.NAVIGATOR:
            people.setdefault(poc.person_id, str(poc.person))
    return list(people.items())


def _shares(case: Case) -> list[CaseShare]:
    return list(
        case.shares.in_force(timezone.now()).select_related("organisation").order_by("shared_at")
    )


@signed_in_keeping_typing
def share(request: HttpRequest, reference: str) -> HttpResponse:
    """Share the case with a partner organisation with the victim's consent, through
    ``share_case``; and see the shares in force, each with a way to end it."""
    case = _managed_case(request, reference)
    recorders = _recorders(request, case)
    data, kept = _form_data(request)
    if data is not None:
        form = ShareForm(data, recorders=recorders)
    else:
        form = ShareForm.blank(
            {
                "consent_recorded_on": timezone.localdate(),
                "consent_recorded_by": request.user.pk,
                "purpose": SharePurpose.SUPPORT,
                "covers": default_share_scope(),
            },
            recorders=recorders,
        )
    people = dict(recorders)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if _saved_twice(request, CaseShare, fields["submission_key"], "share"):
            return redirect("case-share", reference=reference)
        recorder_id = fields.pop("consent_recorded_by")
        recorder = next(
            (poc.person for poc in case.current_contacts if poc.person_id == recorder_id),
            request.user,
        )
        try:
            saved = share_case(
                case=case, acting_user=request.user, consent_recorded_by=recorder, **fields
            )
        except ValidationError as error:
            form.add_service_errors(error, ShareForm.SERVICE_ALIASES)
        else:
            messages.success(request, f"The case is shared with {saved.organisation}.")
            return redirect("case-share", reference=reference)
    elif kept:
        form.is_valid()
    chosen = form["covers"].value() or []
    purpose = form["purpose"].value() or SharePurpose.SUPPORT
    seen, unseen = what_partner_sees(chosen, purpose)
    return _page(
        request,
        case,
        "cases/forms/share.html",
        form,
        kept,
        shares=_shares(case),
        seen=seen,
        unseen=unseen,
        people=people,
        now=timezone.now(),
    )


@require_POST
@signed_in_keeping_typing
def end_share(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """End a share now (the victim withdrew consent), through ``revoke_share``."""
    case = _managed_case(request, reference)
    found = CaseShare.objects.filter(case=case, pk=pk).select_related("organisation").first()
    if found is None:
        raise Http404("No such share")
    if not found.is_in_force(timezone.now()):
        messages.info(request, f"Sharing with {found.organisation} had already ended.")
    else:
        revoke_share(share=found, acting_user=request.user)
        messages.success(
            request, f"Sharing with {found.organisation} has ended: they no longer see the case."
        )
    return redirect("case-share", reference=reference)
