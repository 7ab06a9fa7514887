from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from audit.models import AccessChannel
from cases import access, selectors
from contacts.forms import CheckInForm
from contacts.services import log_checkin
from navigator.errors import ValidationError


@login_required
def checkin_create(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    if not access.may_log_contacts(user.role):
        raise PermissionDenied
    case = selectors.case_detail(user, reference, channel=AccessChannel.PAGE)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            log_checkin(case=case, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Contact logged on {case.reference}.")
            return redirect("case-detail", reference=case.reference)
    return render(
        request,
        "contacts/checkin_form.html",
        {"case": case, "form": form, "agreement": selectors.current_agreement(case)},
    )
