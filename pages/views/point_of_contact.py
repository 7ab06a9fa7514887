"""Changing a case's point of contact, and handing all of a navigator's cases on at once.

Both through ``cases.services`` (``assign_point_of_contact``, ``hand_on_cases``); both show
each candidate's caseload against their capacity and the languages they speak, the victim's
language picked out (``cases.caseload``).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Staff
from audit.log import record_case_reads
from audit.models import AccessChannel
from cases import access, caseload
from cases import selectors as case_selectors
from cases.choices import PocRole
from cases.models import Case, PointOfContact
from cases.services import (
    PointOfContactChanged,
    assign_point_of_contact,
    current_navigator_cases,
    hand_on_cases,
)
from contacts.models import CommunicationAgreement
from navigator.errors import ValidationError
from pages import selectors, words
from pages.drafts import signed_in_keeping_typing, take_back
from pages.forms import HandOnForm, PointOfContactForm


@dataclass(frozen=True)
class Choice:
    """A candidate as the page shows them."""

    candidate: caseload.Candidate
    load: str
    languages: str
    speaks: bool
    room: bool


def _choices(people: list[Staff], language: str) -> list[Choice]:
    candidates = [
        caseload.Candidate(
            id=person.pk,
            name=str(person),
            load=person.current_load,  # type: ignore[attr-defined]
            capacity=person.caseload_capacity,
            languages=tuple(person.languages or ()),
        )
        for person in people
    ]
    return [
        Choice(
            candidate=c,
            load=caseload.load_words(c),
            languages=caseload.languages_words(c),
            speaks=caseload.speaks(c, language),
            room=caseload.has_room(c),
        )
        for c in caseload.in_order(candidates, language)
    ]


def victim_language(case: Case) -> str:
    """The language to match: the agreement's, or the victim's preferred one."""
    agreement = case_selectors.current_agreement(case)
    return (agreement.language if agreement else "") or case.victim.preferred_language


def _current(case: Case, role: str) -> PointOfContact | None:
    return next((poc for poc in case.current_contacts if poc.role == role), None)


def _poc_form(
    data: Any, case: Case, role: str, user: Any, holder: PointOfContact | None, language: str
) -> tuple[PointOfContactForm, list[Choice]]:
    """The form with everyone who could take over from ``holder``, and how each is shown."""
    people = case_selectors.point_of_contact_candidates(case=case, role=role, acting_user=user)
    people = [p for p in people if holder is None or p.pk != holder.person_id]
    choices = _choices(people, language)
    options: dict[str, Any] = {
        "people": [(c.candidate.id, c.candidate.name) for c in choices],
        "has_current": holder is not None,
    }
    if data is None:
        based_on = holder.person_id if holder else 0
        return PointOfContactForm.blank(based_on=based_on, **options), choices
    return PointOfContactForm(data, **options), choices


@signed_in_keeping_typing
def change_point_of_contact(request: HttpRequest, reference: str, role: str) -> HttpResponse:
    user = request.user
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    if role not in PocRole.values:
        raise Http404("No such role")
    case = case_selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    name = selectors.victim_name(user, case)
    language = victim_language(case)
    current = _current(case, role)
    conflict = None

    kept = take_back(request) if request.method == "GET" else None
    form, choices = _poc_form(
        request.POST if request.method == "POST" else kept, case, role, user, current, language
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        person = Staff.objects.get(pk=fields.pop("person"))
        try:
            poc = assign_point_of_contact(
                case=case, role=PocRole(role), person=person, acting_user=user, **fields
            )
        except PointOfContactChanged as error:
            current = error.current
            conflict = error.messages[0]
            data = request.POST.copy()
            data["based_on"] = str(current.person_id if current else 0)
            form, choices = _poc_form(data, case, role, user, current, language)
            form.is_valid()
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            told = f"{poc.person} is now the {words.poc_role_words(poc.role)} point of contact"
            if poc.introduced_by_predecessor:
                told += ", introduced by their predecessor."
            elif current is not None:
                told += ". They have not been introduced yet: arrange an introduction soon."
            else:
                told += "."
            messages.success(request, told)
            if access.visible_cases(user).filter(pk=case.pk).exists():
                return redirect("case-detail", reference=case.reference)
            messages.info(request, f"Case {case.reference} is no longer in your cases.")
            return redirect("home")
    elif kept is not None:
        form.is_valid()
    return render(
        request,
        "cases/change_point_of_contact.html",
        {
            "case": case,
            "name": name,
            "role": PocRole(role),
            "current": current,
            "form": form,
            "person_choices": list(zip(form["person"], choices, strict=True)),
            "language": language,
            "conflict": conflict,
            "kept": kept is not None,
        },
    )


@signed_in_keeping_typing
def hand_on_all(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor hands all of one navigator's cases to others at once."""
    user = request.user
    # The same answer for anyone not a navigator of the user's team as for no one at all.
    person = Staff.objects.filter(pk=pk).first()
    if person is None or not access.may_hand_on_cases_of(user, person):
        raise PermissionDenied
    held = current_navigator_cases(person)
    # The page names every victim whose case it lists: each is a read of their record.
    record_case_reads(reader=user, cases=held, channel=AccessChannel.PAGE)
    show_identity = access.may_see_identity(user.role)
    team = [
        p
        for p in case_selectors.point_of_contact_candidates(
            case=None, role=PocRole.NAVIGATOR, acting_user=user
        )
        if p.pk != person.pk
    ]
    choices = _choices(team, "")
    by_id = {p.pk: p for p in team}
    agreed = dict(
        CommunicationAgreement.objects.filter(
            case__in=held, superseded_at__isnull=True
        ).values_list("case_id", "language")
    )
    languages = {case.pk: agreed.get(case.pk) or case.victim.preferred_language for case in held}
    rows = []
    for case in held:
        label = f"Case {case.reference}"
        if show_identity:
            label = f"{case.victim.display_name}, case {case.reference}"
            if languages[case.pk]:
                label += f" (speaks {languages[case.pk]})"
        rows.append((case, label))
    options = {
        "cases": [(case.pk, label) for case, label in rows],
        "people": [
            (
                c.candidate.id,
                f"{c.candidate.name} ({c.load}; {c.languages[:1].lower()}{c.languages[1:]})",
            )
            for c in choices
        ],
    }
    kept = take_back(request) if request.method == "GET" else None
    if request.method == "POST":
        form = HandOnForm(request.POST, **options)
    elif kept is not None:
        form = HandOnForm(kept, **options)
    else:
        suggested = caseload.suggest(
            [(case.pk, languages[case.pk]) for case in held], [c.candidate for c in choices]
        )
        form = HandOnForm(
            initial={f"case_{pk}": str(to) for pk, to in suggested.items()}, **options
        )
    if request.method == "POST" and form.is_valid():
        try:
            changes = hand_on_cases(
                from_person=person,
                successors={pk: by_id[to] for pk, to in form.successors().items()},
                acting_user=user,
                reason=form.cleaned_data["reason"].strip(),
                introduced_by_predecessor=form.cleaned_data["introduced_by_predecessor"] == "yes",
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"{len(changes)} {'case' if len(changes) == 1 else 'cases'} handed on from "
                f"{person}.",
            )
            return redirect("home")
    elif kept is not None:
        form.is_valid()
    return render(
        request,
        "cases/hand_on_all.html",
        {
            "person": person,
            "form": form,
            "held": held,
            "choices": choices,
            "kept": kept is not None,
        },
    )
