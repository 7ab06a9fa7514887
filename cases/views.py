from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alerts.selectors import case_clock, live_alerts
from cases import access, selectors
from contacts.selectors import recent_checkins


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list(request.user)
    return render(request, "cases/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_detail(user, reference, channel="page")
    context = {
        "case": case,
        "contacts": case.current_contacts,
        "agreement": selectors.current_agreement(case),
        "show_identity": access.may_see_identity(user.role),
        "show_notes": access.may_read_notes(user.role),
        "show_location": access.can_see_location(user, case),
        "checkins": recent_checkins(user, case),
        "may_log": access.may_log_contacts(user.role) and case.status != "closed",
        "clock_sentence": case_clock(case, now=timezone.now()).sentence,
        "alerts": live_alerts(user).filter(case=case),
    }
    return render(request, "cases/case_detail.html", context)
