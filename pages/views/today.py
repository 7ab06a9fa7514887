"""Home by role, and Today: what needs doing across a navigator's (or a team's) cases."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import Role
from cases import access
from pages import today as plan_today
from pages.navigation import home_for
from pages.selectors import today_facts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_for(request.user.role))


@login_required
def today(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Today lists the cases a person keeps: navigators, their supervisors, administrators.
    if not access.may_manage_cases(user.role):
        raise PermissionDenied
    now = timezone.now()
    facts = today_facts(user, now=now)
    plan = plan_today.plan(facts.cases, facts.decisions, now=now)
    sections = [
        {
            "key": section,
            "heading": plan_today.SECTION_HEADINGS[section],
            "intro": plan_today.SECTION_INTROS[section],
            "cards": cards,
        }
        for section, cards in plan.sections
    ]
    return render(
        request,
        "pages/today.html",
        {
            "plan": plan,
            "sections": sections,
            "any_cards": any(cards for _, cards in plan.sections),
            "show_navigator": user.role != Role.NAVIGATOR,
        },
    )
