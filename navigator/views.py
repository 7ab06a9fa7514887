from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alerts.models import Reminder
from alerts.selectors import live_alerts
from cases import access, selectors
from cases.choices import CaseStatus
from contacts.sla import ClockState


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Today: the victims who need contact, most urgent first, and the live alerts."""
    user = request.user
    if not access.may_log_contacts(user.role):
        return redirect("case-list")
    end_of_today = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time.min)
    )
    needing_contact = (
        selectors.case_list(user)
        .filter(
            Q(clock_state__in=[ClockState.DUE, ClockState.OVERDUE])
            | Q(update_due_at__lt=end_of_today)
        )
        .filter(status=CaseStatus.OPEN)
        .order_by("update_due_at", "reference")
    )
    reminders = Reminder.objects.filter(
        recipient=user, happens_on__gte=timezone.localdate(), case__in=access.visible_cases(user)
    ).select_related("case")
    return render(
        request,
        "today.html",
        {"cases": needing_contact, "alerts": live_alerts(user)[:50], "reminders": reminders},
    )
