"""The partner caseworker's forms: which notices to show, telling the case's team what
happened, and naming a new API key. They collect and tidy what was typed; the services
(``partners.services``, ``partners.keys``) decide what is acceptable."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from cases.choices import AccommodationKind
from contacts.choices import Channel, Concern, Outcome
from pages.forms import ServiceErrorsMixin, _day_field, _moment_field, _radios
from partners.models import NoticeKind
from partners.services import NOTE_LIMIT

ALL = ""
WAITING = "waiting"
ACKNOWLEDGED = "acknowledged"


class InboxFilterForm(forms.Form):
    """Sent by GET: nothing here is about a victim, only kinds of notice and their state."""

    kind = forms.ChoiceField(
        label="Kind of notice",
        required=False,
        choices=[(ALL, "All kinds"), *NoticeKind.choices],
    )
    state = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (ALL, "Waiting and acknowledged"),
            (WAITING, "Waiting to be acknowledged"),
            (ACKNOWLEDGED, "Acknowledged"),
        ],
    )

    def selection(self) -> dict[str, Any]:
        """What ``partners.selectors.inbox`` takes; an address edited by hand shows all."""
        if not self.is_valid():
            return {"kinds": None, "acknowledged": None}
        kind = self.cleaned_data.get("kind") or ALL
        state = self.cleaned_data.get("state") or ALL
        return {
            "kinds": [kind] if kind else None,
            "acknowledged": None if state == ALL else state == ACKNOWLEDGED,
        }

    def query(self) -> str:
        """The filter as a query string for the links to other pages of the list."""
        if not self.is_valid():
            return ""
        kept = {k: v for k, v in self.cleaned_data.items() if v}
        return "&".join(f"{k}={v}" for k, v in kept.items())


def _note_field(help_text: str) -> forms.CharField:
    return forms.CharField(
        label="Anything the navigator should know",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"max_length": f"Keep the note to {NOTE_LIMIT} characters or fewer."},
    )


class ReportForm(ServiceErrorsMixin, forms.Form):
    """A report to the case's team; its key makes a form sent twice count once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    @classmethod
    def blank(cls) -> "ReportForm":
        now = timezone.localtime().replace(second=0, microsecond=0)
        return cls(initial={"submission_key": uuid.uuid4(), "happened_at": now})


class RelocationReportForm(ReportForm):
    happened_at = _moment_field("When did they move?", "The day and time, as near as you know.")
    accommodation_kind = _radios(
        "Where do they live now?",
        AccommodationKind.choices,
        "Choose what kind of place they live in now.",
        help_text="The kind of place only. Do not give the address here.",
    )
    note = _note_field(
        "For example: call us before visiting. Only the case's navigation team reads this."
    )


class ContactReportForm(ReportForm):
    happened_at = _moment_field("When was the contact?", "The day and time, as near as you know.")
    channel = _radios("How was the contact?", Channel.choices, "Choose how the contact was.")
    outcome = _radios("What happened?", Outcome.choices, "Choose what happened.")
    concerns = forms.MultipleChoiceField(
        label="Did they raise any concerns?",
        required=False,
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="A fear for their safety reaches the team at once, as a high alert.",
    )
    note = _note_field("Only the case's navigation team reads this.")


def end_of_day(day: Any) -> datetime:
    """A key given a last day works to the end of it, UK time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class IssueKeyForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Name the key",
        max_length=50,
        help_text="The system that will use it, for example “Case system”. Up to 50 characters.",
        error_messages={
            "required": "Name the key, for example after the system that will use it.",
            "max_length": "Keep the name to 50 characters or fewer.",
        },
    )
    expires_on = _day_field(
        "Last day it works",
        "Leave blank for a key that works until it is revoked.",
        required=False,
    )

    def service_fields(self) -> dict[str, Any]:
        expires_on = self.cleaned_data.get("expires_on")
        return {
            "name": self.cleaned_data["name"],
            "expires_at": end_of_day(expires_on) if expires_on else None,
        }
