"""The small forms reached from the case page: a promise and whether it was kept, a case
event, a date that matters to the victim, what was done about a concern, and sharing the
case with a partner organisation.

Each only collects and tidies what was typed; its service decides what is acceptable and
names the field it refuses, which the view puts back beside that field. Each form that
records something carries a submission key, so a form sent twice is saved once.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Organisation
from cases.choices import PARTNER_ORGANISATION_KINDS, EventKind, SharePurpose, ShareScope
from cases.dates import start_of_day
from contacts.choices import PromiseStatus
from pages.forms import ServiceErrorsMixin, _day_field, _moment_field, _radios


def _key_field() -> forms.UUIDField:
    return forms.UUIDField(widget=forms.HiddenInput)


def _now() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class KeyedForm(ServiceErrorsMixin, forms.Form):
    """A form that records something once, however often it is sent."""

    submission_key = _key_field()

    @classmethod
    def blank(cls, initial: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return cls(initial={"submission_key": uuid.uuid4(), **(initial or {})}, **kwargs)

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PromiseForm(KeyedForm):
    description = forms.CharField(
        label="What did you promise them?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the words you used: for example, “I will call you once the hearing "
        "date is set.”",
        error_messages={
            "required": "Say what was promised.",
            "max_length": "Say what was promised in 300 characters or fewer.",
        },
    )
    due_by = _moment_field(
        "When is it due?",
        "When you will have done it by. An alert reminds you if it is not marked kept by then.",
    )


class ResolvePromiseForm(ServiceErrorsMixin, forms.Form):
    status = _radios(
        "What happened to the promise?",
        [
            (PromiseStatus.KEPT, "Kept: we did what we said"),
            (PromiseStatus.BROKEN, "Broken: we did not do it in time"),
            (PromiseStatus.WITHDRAWN, "Withdrawn: we told them it no longer applies"),
        ],
        "Choose what happened to the promise.",
        help_text="A broken promise costs trust: tell them yourself, and say what happens now.",
    )


class EventForm(KeyedForm):
    kind = _radios(
        "What is it?",
        EventKind.choices,
        "Choose what kind of event it is.",
        help_text="Interviews, court hearings, charging and NRM decisions are hard moments: "
        "partners supporting the victim are told of them in advance, if the case is shared "
        "with them for events.",
    )
    at = _moment_field(
        "When is it, or when was it?",
        "A date coming up, or one that has happened. For example, 14/11/2026 10:00.",
    )
    is_key_decision = forms.BooleanField(
        required=False,
        label="It is a key decision the victim must be told of",
        help_text="Under the Victims' Code: a charging decision, bail or release, a verdict. "
        "Once it has happened, the clock counts the time until you tell them, and raises an "
        "alert if it runs out.",
    )
    victim_prepared = forms.BooleanField(
        required=False,
        label="The victim has been prepared for it",
        help_text="Events they were not prepared for are counted among the signs that they "
        "may disengage.",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only navigators and their supervisors can read these.",
    )


class ImportantDateForm(KeyedForm):
    label = forms.CharField(
        label="What is the date?",
        max_length=200,
        help_text="As they would say it: for example, “her daughter's birthday” or “the day "
        "she left the farm”. Only the navigation team sees it.",
        error_messages={
            "required": "Say what the date is.",
            "max_length": "Say what the date is in 200 characters or fewer.",
        },
    )
    day = _day_field(
        "When is it?",
        "For example, 14/11/2026. You are reminded a few days before it comes round.",
        required=True,
    )
    every_year = forms.BooleanField(
        required=False,
        initial=True,
        label="It comes round every year",
        help_text="A birthday or an anniversary. Leave it unticked for a one-off date.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["required"] = "Enter the date."


class ConcernResponseForm(KeyedForm):
    concern = _radios("Which concern?", [], "Choose the concern you are answering.")
    action = forms.CharField(
        label="What was done about it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: “Safety plan updated with her; police told of the threat.” "
        "A fear left unanswered is counted among the signs that the victim may disengage.",
        error_messages={"required": "Say what was done about the concern."},
    )
    at = _moment_field("When was it done?", "Now, unless you are recording it later.")

    def __init__(self, *args: Any, concerns: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concern"].choices = list(concerns)  # type: ignore[attr-defined]
        if len(concerns) == 1:
            self.fields["concern"].initial = concerns[0][0]


def partner_organisations() -> Any:
    """Those a case can be shared with: organisations supporting victims."""
    return Organisation.objects.filter(kind__in=PARTNER_ORGANISATION_KINDS).order_by("name")


class ShareForm(KeyedForm):
    organisation = forms.ModelChoiceField(
        label="Which organisation?",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation to share the case with.",
            "invalid_choice": "Choose one of the organisations listed.",
        },
    )
    purpose = _radios(
        "Why are you sharing it?",
        SharePurpose.choices,
        "Choose why the case is shared.",
        initial=SharePurpose.SUPPORT,
        help_text="Where the victim lives is shared only with their accommodation provider.",
    )
    covers = forms.MultipleChoiceField(
        label="What did the victim agree to share?",
        choices=ShareScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only what they agreed to. Notes and their full name are never shared.",
        error_messages={"required": "Choose at least one thing the victim agreed to share."},
    )
    consent_recorded_on = _day_field(
        "When did they give their consent?", "For example, 14/11/2026.", required=True
    )
    consent_recorded_by = forms.TypedChoiceField(
        label="Who recorded their consent?",
        choices=[],
        coerce=int,
        error_messages={
            "required": "Choose who recorded the consent.",
            "invalid_choice": "Choose one of the people listed.",
        },
    )
    expires_on = _day_field(
        "When should sharing end?",
        "Leave blank if it lasts until the victim withdraws consent. It ends at the end of "
        "that day; you can end it sooner at any time.",
        required=False,
    )

    def __init__(
        self, *args: Any, recorders: Sequence[tuple[int, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations()  # type: ignore[attr-defined]
        self.fields["consent_recorded_by"].choices = list(recorders)  # type: ignore[attr-defined]
        self.fields["consent_recorded_on"].error_messages["required"] = (
            "Enter when they gave their consent."
        )

    def clean_expires_on(self) -> date | None:
        day: date | None = self.cleaned_data.get("expires_on")
        if day is not None and day >= date.max - timedelta(days=1):
            raise forms.ValidationError("The end of sharing cannot be more than ten years ahead.")
        return day

    def service_fields(self) -> dict[str, Any]:
        """What ``cases.services.share_case`` takes (the recorder as an id)."""
        data = dict(self.cleaned_data)
        day = data.pop("expires_on")
        # The end of the day named: the first moment of the next day, on UK clocks.
        data["expires_at"] = start_of_day(day + timedelta(days=1)) if day else None
        return data

    # The service's field names, where the form asks differently.
    SERVICE_ALIASES = {"expires_at": "expires_on"}
