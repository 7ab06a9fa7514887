from datetime import date
from typing import Any, cast

from django import forms

from accounts.models import Role
from cases import access
from engagement.months import last_day, parse_month, period_problem
from engagement.report import CohortChoice


class MonthField(forms.CharField):
    """A month as YYYY-MM (what a browser's month picker sends), or a date within it."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ReportForm(forms.Form):
    cohort = forms.ChoiceField(
        label="Cases", choices=CohortChoice.choices, initial=CohortChoice.BOTH
    )
    force = forms.ModelChoiceField(
        label="Police force", queryset=None, required=False, empty_label="All forces"
    )
    since = MonthField(label="From (month)", required=False)
    until = MonthField(label="To (month, included)", required=False)
    compare_at = MonthField(
        label="Compare before and from (month)",
        required=False,
        help_text="The research compared cases before 2021 with 2021 and later.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        force = cast(forms.ModelChoiceField, self.fields["force"])  # type: ignore[type-arg]
        force.queryset = access.engagement_report_forces(user).order_by("name")
        if user.role == Role.OFFICER:
            force.required = True
            force.empty_label = None
            force.help_text = "Officers see their own force's figures."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("until"):
            cleaned["until"] = last_day(cleaned["until"])
        problem = period_problem(
            cleaned.get("since"), cleaned.get("until"), cleaned.get("compare_at")
        )
        if problem:
            raise forms.ValidationError(problem)
        return cleaned
