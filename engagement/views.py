from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cases import access
from engagement import export, page, selectors
from engagement.counting import Period
from engagement.forms import ReportForm
from engagement.report import CohortChoice, Report
from navigator.errors import PermissionDenied


def _report(request: HttpRequest) -> tuple[ReportForm, Report | None]:
    """The form as asked (or its defaults), and the report when the form is valid."""
    user: Any = request.user
    if not access.may_read_engagement_report(user.role):
        raise PermissionDenied(
            "The engagement report is for supervisors, administrators and officers."
        )
    data = request.GET.copy()
    data.setdefault("cohort", CohortChoice.BOTH)
    if "force" not in data and (own := access.engagement_report_forces(user)).count() == 1:
        data["force"] = str(own.get().pk)
    form = ReportForm(data, user=user)
    if not form.is_valid():
        return form, None
    report = selectors.engagement_report(
        user,
        cohorts=CohortChoice(form.cleaned_data["cohort"]),
        force=form.cleaned_data["force"],
        period=Period(
            form.cleaned_data["since"], form.cleaned_data["until"], form.cleaned_data["compare_at"]
        ),
    )
    return form, report


@login_required
@never_cache
def report_page(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    context: dict[str, Any] = {"form": form, "report": report}
    if report is not None:
        scope = report.scope
        context |= {
            "sections": page.sections(report),
            "clear": page.clear_findings(report),
            "period": export.period_words(scope.period.since, scope.period.until),
            "csv_query": request.GET.urlencode(),
        }
    return render(request, "engagement/report.html", context)


@login_required
@never_cache
def report_csv(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if report is None:
        return HttpResponse(
            "The report's settings are not valid: " + form.errors.as_text(),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(export.as_csv(report), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="engagement-report-{stamp}.csv"'
    return response
