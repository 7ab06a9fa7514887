"""The agreement editor: record a new version, see every version and what changed."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.models import AccessChannel
from cases import access
from cases import selectors as case_selectors
from cases.access import CaseField
from cases.models import Case
from contacts.agreement_changes import NOTHING_CHANGED, what_changed
from contacts.agreement_words import how_to_contact
from contacts.models import CommunicationAgreement
from contacts.services import AgreementChanged, record_agreement
from contacts.terms import agreement_facts
from navigator.errors import ValidationError
from pages import selectors
from pages.agreement_forms import AgreementForm
from pages.drafts import signed_in_keeping_typing, take_back


def _people(case: Case, agreement: CommunicationAgreement | None) -> dict[int, Any]:
    """Whom the victim may name as the person they would rather hear from: the case's
    current points of contact, and whoever the current version names."""
    people = {poc.person_id: poc.person for poc in case.current_contacts}
    if agreement is not None and agreement.preferred_contact is not None:
        people.setdefault(agreement.preferred_contact_id, agreement.preferred_contact)
    return people


@dataclass(frozen=True)
class Conflict:
    """Someone recorded a newer version while this form was open: what they changed."""

    version: CommunicationAgreement
    based_on: int
    changes: list[str]


def _conflict(
    case: Case, error: AgreementChanged, *, name: str, include_notes: bool
) -> Conflict | None:
    versions = {
        a.version: a
        for a in CommunicationAgreement.objects.filter(
            case=case, version__in=[error.based_on, error.current]
        ).select_related("created_by", "preferred_contact")
    }
    current = versions.get(error.current)
    if current is None:  # versions are never deleted; anonymised cases cannot be edited
        return None
    before = versions.get(error.based_on)
    changes = what_changed(
        agreement_facts(before) if before else None,
        agreement_facts(current),
        name,
        include_notes=include_notes,
    )
    return Conflict(version=current, based_on=error.based_on, changes=changes)


@signed_in_keeping_typing
def change_agreement(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a new version of what the victim agreed, through ``record_agreement`` only."""
    user = request.user
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    name = selectors.victim_name(user, case)
    include_notes = CaseField.AGREEMENT_FREE_TEXT in access.case_fields(user, case)
    agreement = case_selectors.current_agreement(case)
    people = _people(case, agreement)
    choices = [(pk, str(person)) for pk, person in people.items()]
    options: dict[str, Any] = {
        "people": choices,
        "windows": len(agreement.contact_windows) if agreement else 0,
    }
    kept = take_back(request) if request.method == "GET" else None
    conflict = None
    if request.method == "POST":
        form = AgreementForm(request.POST, **options)
    elif kept is not None:
        form = AgreementForm(kept, **options)
    else:
        form = AgreementForm.for_agreement(agreement, **options)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        preferred = fields.pop("preferred_contact")
        try:
            saved = record_agreement(
                case=case,
                acting_user=user,
                preferred_contact=people.get(preferred) if preferred else None,
                **fields,
            )
        except AgreementChanged as error:
            conflict = _conflict(case, error, name=name, include_notes=include_notes)
            # What they typed stays; saving again is a decision made knowing the change.
            data: QueryDict = request.POST.copy()
            data["based_on_version"] = str(error.current)
            form = AgreementForm(data, **options)
            form.is_valid()
        except ValidationError as error:
            form.add_service_errors(error, AgreementForm.SERVICE_ALIASES)
        else:
            messages.success(request, f"Version {saved.version} of the agreement is recorded.")
            return redirect(reverse("agreement-versions", args=[case.reference]))
    elif kept is not None:
        form.is_valid()
    return render(
        request,
        "contacts/change_agreement.html",
        {
            "case": case,
            "name": name,
            "form": form,
            "agreement": agreement,
            "kept": kept is not None,
            "conflict": conflict,
            "how_to_contact": how_to_contact(agreement_facts(agreement), name) if agreement else "",
        },
    )


@dataclass(frozen=True)
class Version:
    agreement: CommunicationAgreement
    how_to_contact: str
    changes: list[str]


def _version_number(raw: str | None, numbers: list[int]) -> int | None:
    try:
        number = int(raw or "")
    except ValueError:
        return None
    return number if number in numbers else None


@login_required
def agreement_versions(request: HttpRequest, reference: str) -> HttpResponse:
    """Every version, newest first, each with what changed from the one before; and what
    changed between any two chosen."""
    user = request.user
    if not access.may_see_case_work(user.role):
        raise PermissionDenied
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    fields = access.case_fields(user, case)
    if CaseField.AGREEMENT not in fields:
        raise PermissionDenied
    name = selectors.victim_name(user, case)
    include_notes = CaseField.AGREEMENT_FREE_TEXT in fields
    agreements = selectors.agreement_versions(case)  # oldest first
    facts = [agreement_facts(a) for a in agreements]
    versions = [
        Version(
            agreement=a,
            how_to_contact=how_to_contact(facts[i], name),
            changes=what_changed(
                facts[i - 1] if i else None, facts[i], name, include_notes=include_notes
            ),
        )
        for i, a in enumerate(agreements)
    ]
    numbers = [a.version for a in agreements]
    compare_from = _version_number(request.GET.get("from"), numbers)
    compare_to = _version_number(request.GET.get("to"), numbers)
    if compare_from is None or compare_to is None:
        compare_to = numbers[-1] if numbers else None
        compare_from = numbers[-2] if len(numbers) > 1 else None
    comparison: list[str] = []
    if compare_from is not None and compare_to is not None:
        by_number = dict(zip(numbers, facts, strict=True))
        comparison = what_changed(
            by_number[compare_from], by_number[compare_to], name, include_notes=include_notes
        ) or [NOTHING_CHANGED]
    return render(
        request,
        "contacts/agreement_versions.html",
        {
            "case": case,
            "name": name,
            "versions": list(reversed(versions)),
            "numbers": numbers,
            "compare_from": compare_from,
            "compare_to": compare_to,
            "comparison": comparison,
            "show_free_text": include_notes,
            "may_manage": access.may_manage_cases(user.role),
        },
    )
