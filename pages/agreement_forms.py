"""The agreement editor's form: what the victim agreed, one column, in the order it is asked.

It only collects and tidies what was typed; ``contacts.services.record_agreement`` decides
what is acceptable and names the field it refuses, which the view puts back beside it. The
form carries the version it was based on, so a form left open while someone else recorded
a newer version is refused rather than saved over it.
"""

from datetime import time
from typing import Any

from django import forms
from django.utils import timezone

from contacts.agreement_words import DAY_NAMES
from contacts.choices import AvoidFlag, Channel, LevelOfDetail
from contacts.models import CommunicationAgreement
from pages.forms import ServiceErrorsMixin, _day_field, _radios

# Two windows cover what victims ask for ("weekday evenings, or weekend mornings"); a
# version recorded with more (through the service) gets a form with as many.
WINDOWS = 2
CHANNEL_CHOICES = 3
_END_OF_DAY = time(23, 59)
DAY_CHOICES = [(str(number), name) for number, name in enumerate(DAY_NAMES)]


def _channel_field(number: int) -> forms.ChoiceField:
    ordinal = {1: "first", 2: "second", 3: "third"}.get(number)
    label = f"Their {ordinal} choice" if ordinal else f"Their choice number {number}"
    return forms.ChoiceField(
        label=label,
        required=number == 1,
        choices=[("", "Choose a channel" if number == 1 else "None"), *Channel.choices],
        help_text="How they most want to hear from us." if number == 1 else "",
        error_messages={"required": "Choose at least one channel the victim accepts."},
    )


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time on the 24-hour clock, for example 09:30."},
    )


class AgreementForm(ServiceErrorsMixin, forms.Form):
    """A new version of the communication agreement."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    channel_1 = _channel_field(1)
    channel_2 = _channel_field(2)
    channel_3 = _channel_field(3)
    update_interval_days = forms.IntegerField(
        label="How often do they want an update?",
        help_text="In days: 7 is once a week. “No news, but we are still working on it” "
        "counts as an update.",
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many days apart updates should be.",
            "invalid": "Enter a number of days, for example 7.",
            "min_value": "Updates must be at least one day apart.",
            "max_value": "Enter 365 days or fewer.",
        },
    )
    level_of_detail = _radios(
        "How much detail do they want?",
        LevelOfDetail.choices,
        "Choose how much detail they want.",
    )
    avoid_flags = forms.MultipleChoiceField(
        label="What must we never do?",
        required=False,
        choices=AvoidFlag.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    unsafe_channel = forms.ChoiceField(
        label="Is any channel unsafe for them?",
        required=False,
        choices=[("", "No"), *Channel.choices],
        help_text="For example, a phone or an email account someone else can read.",
    )
    unsafe_channel_note = forms.CharField(
        label="Why is it unsafe?",
        required=False,
        max_length=200,
        error_messages={"max_length": "Say why in 200 characters or fewer."},
    )
    avoid_notes = forms.CharField(
        label="Anything else to avoid",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="People, places or subjects: for example, “never mention her brother”.",
    )
    language = forms.CharField(
        label="Which language do they want to be contacted in?",
        required=False,
        max_length=100,
        error_messages={"max_length": "Name the language in 100 characters or fewer."},
    )
    interpreter_needed = forms.BooleanField(required=False, label="They need an interpreter")
    preferred_contact = forms.ChoiceField(
        label="Who would they rather hear from?",
        required=False,
        choices=[],
        help_text="One of the case's points of contact, if they named one.",
    )
    agreed_on = _day_field("When did they agree this?", "For example, 14/11/2026.", required=True)
    agreed_through = forms.CharField(
        label="Through whom did they agree it?",
        required=False,
        max_length=300,
        help_text="Who was there and how: for example, “in person with Nadia and a Tigrinya "
        "interpreter”.",
        error_messages={"max_length": "Say through whom in 300 characters or fewer."},
    )
    review_by = _day_field(
        "When should it be reviewed?",
        "An alert reminds the navigator when the date comes.",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]] | tuple[()] = (),
        windows: int = WINDOWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window_count = max(WINDOWS, windows)
        self.fields["agreed_on"].error_messages["required"] = "Enter when they agreed this."
        self.fields["preferred_contact"].choices = [("", "Nobody in particular")] + [
            (str(pk), name) for pk, name in people
        ]
        for number in range(1, self.window_count + 1):
            self.fields[f"window_{number}_days"] = forms.MultipleChoiceField(
                label="Which days?" if number == 1 else f"Which days, in window {number}?",
                required=False,
                choices=DAY_CHOICES,
                widget=forms.CheckboxSelectMultiple,
                help_text="Leave every day unticked if they can be contacted on any day."
                if number == 1
                else "",
            )
            self.fields[f"window_{number}_start"] = _time_field("Not before")
            self.fields[f"window_{number}_end"] = _time_field("Not after")

    @classmethod
    def for_agreement(
        cls, agreement: CommunicationAgreement | None, **kwargs: Any
    ) -> "AgreementForm":
        """A blank form holding the current version's terms, to change what needs changing."""
        initial: dict[str, Any] = {
            "based_on_version": agreement.version if agreement else 0,
            "agreed_on": timezone.localdate(),
            "level_of_detail": LevelOfDetail.HEADLINE,
        }
        if agreement is not None:
            for number, channel in enumerate(agreement.channels[:CHANNEL_CHOICES], start=1):
                initial[f"channel_{number}"] = channel
            for number, window in enumerate(agreement.contact_windows, start=1):
                initial[f"window_{number}_days"] = [str(day) for day in window["days"]]
                initial[f"window_{number}_start"] = window["start"]
                initial[f"window_{number}_end"] = window["end"]
            initial.update(
                update_interval_days=agreement.update_interval_days,
                level_of_detail=agreement.level_of_detail,
                avoid_flags=list(agreement.avoid_flags),
                unsafe_channel=agreement.unsafe_channel,
                unsafe_channel_note=agreement.unsafe_channel_note,
                avoid_notes=agreement.avoid_notes,
                language=agreement.language,
                interpreter_needed=agreement.interpreter_needed,
                preferred_contact=agreement.preferred_contact_id or "",
                review_by=agreement.review_by,
            )
        kwargs.setdefault("windows", len(agreement.contact_windows) if agreement else 0)
        return cls(initial=initial, **kwargs)

    # What the template shows together, in the order it is asked.
    SECTIONS = (
        ("How to reach them", ("channel_1", "channel_2", "channel_3")),
        ("How often, and how much", ("update_interval_days", "level_of_detail")),
        ("What to avoid", ("avoid_flags", "unsafe_channel", "unsafe_channel_note", "avoid_notes")),
        ("Language", ("language", "interpreter_needed")),
        (
            "Who agreed it, and when",
            ("preferred_contact", "agreed_on", "agreed_through", "review_by"),
        ),
    )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def window_fields(self, number: int) -> list[forms.BoundField]:
        return [self[f"window_{number}_{part}"] for part in ("days", "start", "end")]

    def first_window(self) -> list[forms.BoundField]:
        return self.window_fields(1)

    def more_windows(self) -> list[list[forms.BoundField]]:
        return [self.window_fields(n) for n in range(2, self.window_count + 1)]

    def more_windows_in_use(self) -> bool:
        return any(field.errors or field.value() for w in self.more_windows() for field in w)

    def windows(self) -> list[dict[str, Any]]:
        """The contact windows typed, as the service takes them; none means any time."""
        data = self.cleaned_data
        windows = []
        for number in range(1, self.window_count + 1):
            days = [int(day) for day in data.get(f"window_{number}_days") or []]
            start = data.get(f"window_{number}_start")
            end = data.get(f"window_{number}_end")
            if not days and start is None and end is None:
                continue
            windows.append(
                {
                    "days": days or list(range(7)),
                    "start": f"{start or time(0):%H:%M}",
                    "end": f"{end or _END_OF_DAY:%H:%M}",
                }
            )
        return windows

    def service_fields(self) -> dict[str, Any]:
        """What the form collected, as ``contacts.services.record_agreement`` takes it
        (the preferred contact as a person's id, for the view to look up)."""
        data = self.cleaned_data
        channels = [
            data[f"channel_{n}"] for n in range(1, CHANNEL_CHOICES + 1) if data[f"channel_{n}"]
        ]
        return {
            "based_on_version": data["based_on_version"],
            "channels": channels,
            "update_interval_days": data["update_interval_days"],
            "level_of_detail": data["level_of_detail"],
            "contact_windows": self.windows(),
            "avoid_flags": data["avoid_flags"],
            "unsafe_channel": data["unsafe_channel"],
            "unsafe_channel_note": data["unsafe_channel_note"],
            "avoid_notes": data["avoid_notes"],
            "language": data["language"].strip(),
            "interpreter_needed": data["interpreter_needed"],
            "agreed_on": data["agreed_on"],
            "agreed_through": data["agreed_through"],
            "review_by": data["review_by"],
            "preferred_contact": int(data["preferred_contact"])
            if data["preferred_contact"]
            else None,
        }

    # The service's field names, where the form asks differently.
    SERVICE_ALIASES = {"channels": "channel_1", "contact_windows": "window_1_days"}
