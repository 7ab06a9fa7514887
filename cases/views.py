from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alerts.selectors import case_clock, live_alerts
from audit.models import AccessChannel
from cases import access, selectors
from cases.choices import CaseStatus
from cases.services import set_case_status
from contacts.selectors import recent_checkins
from navigator.errors import ValidationError, validation_message


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list(request.user)
    return render(request, "cases/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    context = {
        "case": case,
        "contacts": case.current_contacts,
        "agreement": selectors.current_agreement(case),
        "show_identity": access.may_see_identity(user.role),
        "show_notes": access.may_read_notes(user.role),
        "show_location": access.can_see_location(user, case),
        "checkins": recent_checkins(user, case),
        "may_log": access.may_log_contacts(user.role) and case.status != CaseStatus.CLOSED,
        "may_manage": access.may_manage_cases(user.role),
        "statuses": CaseStatus.choices,
        "clock_sentence": case_clock(case, now=timezone.now()).sentence,
        "alerts": live_alerts(user).filter(case=case),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_POST
def case_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Pause at the victim's request, close, or reopen a case."""
    case = selectors.case_detail(request.user, reference, channel=AccessChannel.PAGE)
    try:
        set_case_status(
            case=case,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, validation_message(error))
    else:
        messages.success(request, f"{case.reference} is now {case.get_status_display().lower()}.")
    return redirect("case-detail", reference=reference)
