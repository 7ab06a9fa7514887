"""The supervisor's dashboard: the team at a glance, and handing a case on from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from alerts.choices import AlertStatus
from cases import access
from cases.choices import PocRole
from cases.services import assign_point_of_contact
from navigator.errors import ValidationError
from pages import charts
from pages.forms import HandCaseOnForm
from pages.selectors import dashboard_facts

LEVELS = (("high", "High"), ("watch", "Watch"), ("none", "No signs"))


def _page(request: HttpRequest, hand_on: HandCaseOnForm | None = None) -> HttpResponse:
    user = request.user
    now = timezone.now()
    facts = dashboard_facts(user, now=now)
    return render(
        request,
        "pages/dashboard.html",
        {
            "facts": facts,
            "chart": charts.share_chart(facts.weeks),
            "levels": [(key, label, facts.levels.get(key, 0)) for key, label in LEVELS],
            "waiting": [
                {"alert": alert, "acknowledged": alert.status == AlertStatus.ACKNOWLEDGED}
                for alert in facts.waiting
            ],
            "form": hand_on or HandCaseOnForm(team=facts.team),
            "is_admin": user.role == Role.ADMIN,
            "now": now,
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not access.may_oversee_team(request.user.role):
        raise PermissionDenied
    return _page(request)


@login_required
@require_POST
def hand_on(request: HttpRequest) -> HttpResponse:
    """Make another navigator of the team the case's navigator, through the one service that
    changes a point of contact. The reference comes in the form, never the address."""
    user = request.user
    if not access.may_oversee_team(user.role):
        raise PermissionDenied
    team = list(access.team_of(user).only("first_name", "last_name", "username"))
    form = HandCaseOnForm(request.POST, team=team)
    if form.is_valid():
        case = access.visible_cases(user).filter(reference=form.cleaned_data["reference"]).first()
        person = form.people.get(form.cleaned_data["person"])
        if case is None:
            form.add_error("reference", "No case of your team has this reference.")
        else:
            try:
                assign_point_of_contact(
                    case=case,
                    role=PocRole.NAVIGATOR,
                    person=person,
                    acting_user=user,
                    reason="Handed on from the dashboard",
                    introduced_by_predecessor=form.cleaned_data["introduced_by_predecessor"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Case {case.reference} is now with {person}.")
                return redirect("dashboard")
    return _page(request, hand_on=form)
