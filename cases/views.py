from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alerts.selectors import case_clock, live_alerts
from audit.models import AccessChannel
from cases import access, selectors
from cases.access import CaseField
from cases.choices import CaseStatus
from cases.services import set_case_status
from contacts.selectors import recent_checkins
from navigator.errors import ValidationError, validation_message
from partners.selectors import reports_on


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list(request.user)
    return render(request, "cases/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    # What this person may see of the case: decided by cases.access, by role or by share.
    fields = access.case_fields(user, case)
    context = {
        "case": case,
        "contacts": case.current_contacts if CaseField.POINTS_OF_CONTACT in fields else [],
        "agreement": selectors.current_agreement(case) if CaseField.AGREEMENT in fields else None,
        "show_identity": CaseField.IDENTITY in fields,
        "show_preferred_name": CaseField.PREFERRED_NAME in fields,
        "show_language": CaseField.LANGUAGE in fields,
        "show_notes": CaseField.NOTES in fields,
        "show_location": CaseField.LOCATION in fields,
        "show_contacts": CaseField.POINTS_OF_CONTACT in fields,
        "show_agreement": CaseField.AGREEMENT in fields,
        "show_investigation": CaseField.INVESTIGATION_STAGE in fields,
        "show_contact_log": CaseField.CONTACT_LOG in fields,
        "checkins": recent_checkins(user, case) if CaseField.CONTACT_LOG in fields else [],
        "partner_reports": reports_on(user, case),
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
