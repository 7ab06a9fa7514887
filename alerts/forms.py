"""The alert queue's forms: the filters (a short allow-list of GET parameters, none of them
about a victim) and the action on the alerts ticked."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet

from accounts.models import Staff
from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from alerts.services import AlertAction

# How long an alert has waited: the queue's "age" filter, in days.
AGES = {"1": 1, "3": 3, "7": 7, "14": 14}
AGE_CHOICES = [
    ("", "Any age"),
    ("1", "Waiting more than a day"),
    ("3", "Waiting more than 3 days"),
    ("7", "Waiting more than a week"),
    ("14", "Waiting more than 2 weeks"),
]
# The most alerts one action takes: two pages of the queue.
MOST_AT_ONCE = 100
# The only parameters the queue reads from its address.
FILTER_FIELDS = ("kind", "severity", "navigator", "age")


class NavigatorField(forms.TypedChoiceField):
    """One of the team, given as a list read once (the page reads it for several forms)."""

    def set_team(self, team: Sequence[Staff], empty: str) -> None:
        people = {person.pk: person for person in team}
        self.choices = [("", empty), *((person.pk, str(person)) for person in team)]
        self.coerce = lambda value: people[int(value)]  # type: ignore[assignment]


class AlertFilterForm(forms.Form):
    """Narrow the queue. A value that is not on the list is ignored, not obeyed."""

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Every kind"), *AlertKind.choices]
    )
    severity = forms.TypedChoiceField(
        label="Severity",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any severity"), *[(str(v), label) for v, label in Severity.choices]],
    )
    navigator = NavigatorField(label="For", required=False, empty_value=None)
    age = forms.ChoiceField(label="Waiting", required=False, choices=AGE_CHOICES)

    def __init__(self, *args: Any, team: Sequence[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["navigator"].set_team(team, "Anyone")  # type: ignore[attr-defined]
        if not team:
            del self.fields["navigator"]

    def apply(self, alerts: QuerySet[Alert], *, now: datetime) -> QuerySet[Alert]:
        """``alerts`` narrowed by each filter chosen validly (one not on the list is left out)."""
        self.is_valid()  # keeps the valid fields in cleaned_data, drops the others
        data = self.cleaned_data
        if data.get("kind"):
            alerts = alerts.filter(kind=data["kind"])
        if data.get("severity"):
            alerts = alerts.filter(severity=data["severity"])
        if data.get("navigator"):
            alerts = alerts.filter(assigned_to=data["navigator"])
        if data.get("age"):
            alerts = alerts.filter(opened_at__lte=now - timedelta(days=AGES[data["age"]]))
        return alerts

    def query(self) -> dict[str, str]:
        """The valid choices, to keep them across an action (never anything else typed)."""
        self.is_valid()
        kept = {}
        for name in FILTER_FIELDS:
            value = self.cleaned_data.get(name)
            if value:
                kept[name] = str(value.pk if isinstance(value, Staff) else value)
        return kept


class AlertIdsField(forms.TypedMultipleChoiceField):
    """Alert numbers; whether each is in the person's queue is the view's to check."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


class AlertActionForm(forms.Form):
    """What to do with the alerts ticked (or the one alert of a card)."""

    alert = AlertIdsField(
        label="Alerts",
        coerce=int,
        error_messages={
            "required": "Tick at least one alert.",
            "invalid_choice": "Tick the alerts from the list.",
        },
    )
    action = forms.ChoiceField(
        label="What to do",
        choices=[
            (AlertAction.ACKNOWLEDGE, "I am on it (acknowledge)"),
            (AlertAction.ASSIGN, "Give to a navigator"),
            (AlertAction.RESOLVE, "Resolve, saying what was done"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do with the alerts."},
    )
    assignee = NavigatorField(
        label="Navigator",
        required=False,
        empty_value=None,
        help_text="Only for giving alerts. A navigator sees the alerts of the cases they hold: "
        "to hand a case itself on, use the dashboard.",
    )
    note = forms.CharField(
        label="What was done about them?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for resolving. Kept with each alert resolved.",
    )

    def __init__(self, *args: Any, team: Sequence[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].set_team(team, "Choose a navigator")  # type: ignore[attr-defined]
        if not team:
            del self.fields["assignee"]
            self.fields["action"].choices = [  # type: ignore[attr-defined]
                c
                for c in self.fields["action"].choices  # type: ignore[attr-defined]
                if c[0] != AlertAction.ASSIGN
            ]

    def clean_alert(self) -> list[int]:
        ids: list[int] = self.cleaned_data["alert"]
        if len(set(ids)) > MOST_AT_ONCE:
            raise forms.ValidationError(f"Tick at most {MOST_AT_ONCE} alerts at a time.")
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == AlertAction.RESOLVE and not data.get("note", "").strip():
            self.add_error("note", "Say what was done about the alerts.")
        if action == AlertAction.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", "Choose the navigator to give the alerts to.")
        return data
