"""Log a contact: one short form, and a sentence saying what it changed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alerts.choices import LIVE_STATUSES
from alerts.models import Alert
from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from cases.choices import CaseStatus
from cases.models import Case
from contacts import sla
from contacts.agreement_words import how_to_contact, things_to_avoid
from contacts.models import CheckIn
from contacts.services import log_checkin
from contacts.terms import agreement_facts, contact_from_checkin, terms_from_agreement
from explainers.choosing import topic_for_event
from navigator.errors import ValidationError
from pages import changes, selectors
from pages.advice import event_words
from pages.drafts import signed_in_keeping_typing, take_back
from pages.forms import ContactForm
from pages.templatetags.navigator import uk_date


def _reading(case: Case) -> changes.Reading:
    state, due_at = Case.objects.filter(pk=case.pk).values_list("clock_state", "update_due_at")[0]
    live = Alert.objects.filter(case=case, status__in=LIVE_STATUSES).values_list("kind", flat=True)
    return changes.Reading(state=state, due_at=due_at, live=frozenset(live))


@signed_in_keeping_typing
def log_contact(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    if not access.may_log_contacts(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    now = timezone.now()
    name = selectors.victim_name(user, case)
    agreement = case_selectors.current_agreement(case)
    facts = agreement_facts(agreement) if agreement else None
    decisions = selectors.untold_decisions(case, now=now)
    options = {
        "channels": agreement.channels if agreement else (),
        "unsafe_channel": agreement.unsafe_channel if agreement else "",
        "decisions": [
            (event.pk, f"The {event_words(event.kind)} ({uk_date(event.at)})")
            for event in decisions
        ],
        "may_promise": access.may_manage_cases(user.role),
        "show_notes": access.may_read_notes(user.role),
    }
    kept = None
    if request.method == "POST":
        form = ContactForm(request.POST, **options)
    elif (kept := take_back(request)) is not None:
        form = ContactForm(kept, **options)
    else:
        form = ContactForm.blank(**options)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        key = fields.pop("submission_key")
        if CheckIn.objects.filter(case=case, submission_key=key).exists():
            messages.info(request, "This contact was sent twice and saved once.")
            return redirect("case-detail", reference=case.reference)
        before = _reading(case)
        try:
            checkin = log_checkin(
                case=case, acting_user=user, submission_key=key, now=now, **fields
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            counted = agreement is not None and sla.counts_as_update(
                contact_from_checkin(checkin), terms_from_agreement(agreement)
            )
            sentence = changes.what_changed(
                before,
                _reading(case),
                changes.Contact(
                    counted_as_update=counted,
                    breaches=tuple(checkin.breaches),
                    decisions_told=len(fields.get("events_told", [])),
                    promise_due_by=fields.get("promise_due_by")
                    if fields.get("promise_description")
                    else None,
                ),
                now=now,
            )
            messages.success(request, f"Contact logged. {sentence}")
            return redirect("case-detail", reference=case.reference)
    elif kept is not None:
        form.is_valid()  # show at once what still needs mending
    return render(
        request,
        "contacts/log_contact.html",
        {
            "case": case,
            "name": name,
            "form": form,
            "kept": kept is not None,
            "closed": case.status == CaseStatus.CLOSED,
            # Coming events the victim is not yet prepared for: going through the explainer
            # is recorded on its own page, linked from here.
            "to_prepare": [
                event
                for event in case.upcoming_events
                if not event.victim_prepared
                and topic_for_event(event.kind, nrm_stage=case.nrm_stage) is not None
            ]
            if access.may_prepare_victim(user.role)
            else [],
            "how_to_contact": how_to_contact(facts, name) if facts else "",
            "things_to_avoid": things_to_avoid(
                facts, name, include_notes=access.may_see_identity(user.role)
            )
            if facts
            else [],
        },
    )
