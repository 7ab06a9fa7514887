"""The pages' forms and how every form renders: a label, a hint under it, the error beside
the field in words a navigator understands, and what was typed kept.

Forms only collect and tidy what was typed; the services decide what is acceptable and
name the field they refuse, which the view puts back beside that field.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from cases.choices import Answer, CaseStatus, Engagement
from contacts.choices import Channel, Concern, Direction, Outcome, Place, UpdateGiven
from directory.choices import SpecialistRole
from handovers.choices import HandoverKind
from navigator.errors import ValidationError


class NavigatorFormRenderer(TemplatesSetting):
    """The project's templates first (components/field.html), then Django's widgets."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _moment_field(label: str, help_text: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={
            "required": f"Enter {label.lower().rstrip('?')}.",
            "invalid": "Enter a real date and time, for example 14/11/2026 14:05.",
        },
    )


def _day_field(label: str, help_text: str, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, for example 14/11/2026."},
    )


def _radios(label: str, choices: Any, required_message: str, **extra: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **extra,
    )


class ServiceErrorsMixin:
    """Put a service's refusal beside the field it names, or at the top if it names none."""

    fields: dict[str, forms.Field]

    def add_service_errors(
        self, error: ValidationError, aliases: dict[str, str] | None = None
    ) -> None:
        aliases = aliases or {}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)  # type: ignore[attr-defined]
            return
        for field, problems in error.message_dict.items():
            name = aliases.get(field, field)
            self.add_error(name if name in self.fields else None, problems)  # type: ignore[attr-defined]


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def _score_field(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        coerce=int,
        empty_value=None,
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "choices--inline"}),
    )


class ContactForm(ServiceErrorsMixin, forms.Form):
    """Log a contact: the few things that matter first, the rest folded away."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    channel = _radios("How did you make contact?", Channel.choices, "Choose how you made contact.")
    outcome = _radios("What happened?", Outcome.choices, "Choose what happened.")
    update_given = _radios(
        "Did you give them an update?",
        [
            (UpdateGiven.NEWS, "Yes, there was news"),
            (UpdateGiven.NO_NEWS_ACTIVE, "Yes: no news, but the case is still active"),
            (UpdateGiven.NONE, "No update"),
        ],
        "Choose whether you gave an update.",
        help_text="“No news, but we are still working on it” counts as an update.",
    )
    at = _moment_field("When was it?", "Now, unless you are logging it later.")
    wellbeing = _score_field("Wellbeing", "1 is very low, 5 is very good. Leave blank if unsure.")
    trust = _score_field(
        "Trust in the investigation", "1 is none, 5 is complete. Leave blank if unsure."
    )
    concerns = forms.MultipleChoiceField(
        label="Did they raise any concerns?",
        required=False,
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    events_told = forms.TypedMultipleChoiceField(
        label="Did you tell them of these key decisions?",
        required=False,
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="Only in a contact that reached them.",
    )
    promise_description = forms.CharField(
        label="Did you promise them anything?",
        required=False,
        max_length=300,
        help_text="For example: “I will call you once the hearing date is set.”",
        error_messages={"max_length": "Say what was promised in 300 characters or fewer."},
    )
    promise_due_by = _moment_field(
        "When is the promise due?", "When you will have done it by.", required=False
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only navigators and their supervisors can read these.",
    )
    direction = _radios(
        "Who got in touch?",
        [
            (Direction.OUTBOUND, "We contacted them"),
            (Direction.INBOUND, "They contacted us"),
        ],
        "Choose who got in touch.",
        initial=Direction.OUTBOUND,
    )
    place = forms.ChoiceField(
        label="Where were they?",
        choices=Place.choices,
        initial=Place.REMOTE,
        error_messages={"invalid_choice": "Choose where the contact happened."},
    )
    number_withheld = forms.BooleanField(required=False, label="I called from a withheld number")
    interpreter_name = forms.CharField(
        label="Interpreter",
        required=False,
        max_length=200,
        help_text="Their name, if one was used.",
    )

    # Folded away under "More about this contact" unless one of them has an error.
    MORE = ("direction", "place", "number_withheld", "interpreter_name")
    PROMISE = ("promise_description", "promise_due_by")

    def __init__(
        self,
        *args: Any,
        channels: Sequence[str] = (),
        unsafe_channel: str = "",
        decisions: Sequence[tuple[int, str]] = (),
        may_promise: bool = True,
        show_notes: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices(channels, unsafe_channel)
        if channels:
            self.fields["channel"].initial = channels[0]
        self.fields["events_told"].choices = list(decisions)
        if not decisions:
            del self.fields["events_told"]
        if not may_promise:
            for name in self.PROMISE:
                del self.fields[name]
        if not show_notes:
            del self.fields["notes"]

    @classmethod
    def blank(cls, **kwargs: Any) -> "ContactForm":
        now = timezone.localtime().replace(second=0, microsecond=0)
        return cls(initial={"submission_key": uuid.uuid4(), "at": now}, **kwargs)

    def main_fields(self) -> list[forms.BoundField]:
        folded = set(self.MORE) | set(self.PROMISE) | {"submission_key"}
        return [self[name] for name in self.fields if name not in folded]

    def promise_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PROMISE if name in self.fields]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MORE]

    def more_has_errors(self) -> bool:
        return any(self[name].errors for name in self.MORE)

    def service_fields(self) -> dict[str, Any]:
        """What the form collected, as ``contacts.services.log_checkin`` takes it."""
        data = dict(self.cleaned_data)
        data.setdefault("events_told", [])
        if not data.get("promise_description"):
            data.pop("promise_description", None)
        return data


def channel_choices(channels: Sequence[str], unsafe_channel: str) -> list[tuple[str, str]]:
    """Every channel, the agreed ones first in the victim's order, and the unsafe one named."""
    labels = dict(Channel.choices)
    agreed = [(value, f"{labels[value]} (agreed)") for value in channels if value in labels]
    others = []
    for value, label in Channel.choices:
        if value in channels:
            continue
        if value == unsafe_channel:
            others.append((value, f"{label} (not safe: the victim ruled it out)"))
        else:
            others.append((value, str(label)))
    return agreed + others


class StatusForm(ServiceErrorsMixin, forms.Form):
    status = _radios(
        "Change the case to",
        [
            (CaseStatus.OPEN, "Open"),
            (CaseStatus.PAUSED, "Paused at the victim's request"),
            (CaseStatus.CLOSED, "Closed"),
        ],
        "Choose what the case should be.",
    )
    status_reason = forms.CharField(
        label="Why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to pause or close a case: for example, “Victim asked for no contact "
        "until after the family visit”.",
    )


class EngagementForm(ServiceErrorsMixin, forms.Form):
    support_offered_on = _day_field(
        "When was support offered?", "Leave blank if it has not been yet.", required=False
    )
    support_accepted = _radios(
        "Did they accept support?", Answer.choices, "Choose whether they accepted support."
    )
    investigation_engagement = _radios(
        "How are they engaging with the investigation?",
        Engagement.choices,
        "Choose how they are engaging with the investigation.",
    )


class ChangePasswordForm(PasswordChangeForm):
    """Django's form in the site's words: a short hint instead of the checks listed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Your password now"
        hint = "Not a common password, not only numbers, and not like your name or username."
        self.fields["new_password1"].help_text = hint
        self.fields["new_password2"].label = "The new password again"
        self.fields["new_password2"].help_text = ""


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "The username or password is not right. Check them and try again: after "
            "%(limit)s wrong tries the account is locked for a while."
        ),
        "inactive": "This account is switched off. Ask an administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
    )


class HandoverForm(ServiceErrorsMixin, forms.Form):
    """Send a handover: what, to whom, why, and what the receiver must know. One column.
    Its submission key has it sent once, however often the form is sent."""

    # Not required: a form without one (kept from a sign-in that ended before this field
    # existed) is sent as it was, rather than refused for a field nobody can see.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    kind = _radios(
        "What are you handing over?",
        HandoverKind.choices,
        "Choose what you are handing over.",
    )
    to_organisation = forms.ModelChoiceField(
        label="Which organisation receives it?",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that receives it."},
    )
    to_person = forms.ModelChoiceField(
        label="Who receives it?",
        queryset=Staff.objects.none(),
        required=False,
        empty_label="Anyone at the organisation",
        help_text="Needed for a change of navigator or other point of contact: the person who "
        "takes over. Otherwise leave it for the organisation to choose.",
    )
    reason = forms.CharField(
        label="Why is it being handed over?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, “She asked for counselling, which they provide”.",
        error_messages={"required": "Say why it is being handed over."},
    )
    needs_and_risks = forms.CharField(
        label="Needs and risks",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the receiver must know so the victim need not tell their story again: "
        "needs, fears, what helps and what to avoid. Only the receiver and the navigation team "
        "read it. The agreement on keeping in touch goes with it.",
        error_messages={"required": "Summarise the victim's needs and risks."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["to_person"].queryset = (  # type: ignore[attr-defined]
            Staff.objects.filter(
                is_active=True,
                is_service_account=False,
                role__in=[Role.NAVIGATOR, Role.OFFICER, Role.PARTNER_CASEWORKER],
            )
            .select_related("organisation")
            .order_by("organisation__name", "first_name", "last_name")
        )
        self.fields["to_person"].label_from_instance = _person_and_organisation  # type: ignore[attr-defined]

    @classmethod
    def blank(cls) -> "HandoverForm":
        return cls(initial={"submission_key": uuid.uuid4()})


def _person_and_organisation(person: Any) -> str:
    return f"{person} ({person.organisation})" if person.organisation_id else str(person)


class AcceptHandoverForm(ServiceErrorsMixin, forms.Form):
    introduced_by_predecessor = forms.TypedChoiceField(
        label="Did the person before you introduce you to the victim?",
        help_text="A new face without an introduction is a warning sign: the case's early "
        "warnings take it into account.",
        choices=[("yes", "Yes"), ("no", "Not yet")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you were introduced."},
    )


class DeclineHandoverForm(ServiceErrorsMixin, forms.Form):
    decline_reason = forms.CharField(
        label="Why are you declining?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The sender is told, so they can find someone else.",
        error_messages={"required": "Say why you are declining."},
    )


class HandCaseOnForm(ServiceErrorsMixin, forms.Form):
    """Hand one case to another navigator of the team, from the dashboard."""

    reference = forms.CharField(
        label="Case reference",
        max_length=40,
        help_text="As on the alert or the case, for example C-7K2QX.",
        error_messages={"required": "Enter the case reference."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    person = forms.TypedChoiceField(
        label="New navigator",
        choices=[],
        coerce=int,
        error_messages={
            "required": "Choose the navigator to hand the case to.",
            "invalid_choice": "Choose a navigator in your team.",
        },
    )
    introduced_by_predecessor = forms.BooleanField(
        required=False,
        label="The current navigator will introduce the new one to the victim",
        help_text="A new face the victim has not been introduced to is a sign they may drift "
        "away: an introduction from someone they trust keeps them engaged.",
    )

    def __init__(self, *args: Any, team: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in team}
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a navigator"),
            *((person.pk, str(person)) for person in team),
        ]

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()


class PointOfContactForm(ServiceErrorsMixin, forms.Form):
    """Change a case's point of contact in one role: who, whether they were introduced, why."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    person = _radios("Who should take over?", [], "Choose who should take over.")
    introduced_by_predecessor = _radios(
        "Has the current point of contact introduced them to the victim?",
        [("yes", "Yes, they have been introduced"), ("no", "No, not yet")],
        "Say whether they have been introduced.",
        help_text="Victims trust a new person far more when someone they already trust "
        "introduces them. A change without an introduction is counted as an early sign "
        "that the victim may disengage, for the first weeks: arrange an introduction if "
        "you can, before the change.",
    )
    reason = forms.CharField(
        label="Why is it changing?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “Nadia is moving to the Fenwick office.”",
    )
    at = _moment_field("When does it change?", "Now, unless it changed earlier.")

    def __init__(
        self,
        *args: Any,
        people: Sequence[tuple[int, str]] = (),
        has_current: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(pk), name) for pk, name in people]
        if not has_current:
            del self.fields["introduced_by_predecessor"]

    @classmethod
    def blank(cls, *, based_on: int, **kwargs: Any) -> "PointOfContactForm":
        now = timezone.localtime().replace(second=0, microsecond=0)
        return cls(initial={"based_on": based_on, "at": now}, **kwargs)

    def service_fields(self) -> dict[str, Any]:
        """What ``cases.services.assign_point_of_contact`` takes (the person as an id)."""
        data = self.cleaned_data
        return {
            "person": int(data["person"]),
            "introduced_by_predecessor": data.get("introduced_by_predecessor") == "yes",
            "reason": data["reason"].strip(),
            "at": data["at"],
            "based_on": data["based_on"],
        }


class HandOnForm(ServiceErrorsMixin, forms.Form):
    """Hand all of a navigator's cases on: who takes each, whether introduced, why."""

    reason = forms.CharField(
        label="Why are their cases being handed on?",
        required=False,
        max_length=300,
        help_text="For example: “Nadia is on leave until March.” It is kept with each change.",
    )
    introduced_by_predecessor = _radios(
        "Has the navigator introduced their successors to the victims?",
        [("yes", "Yes, every one of them"), ("no", "No, not all of them")],
        "Say whether the victims have been introduced.",
        help_text="A new navigator who was not introduced is counted as an early sign that "
        "the victim may disengage, for the first weeks. Say no unless every victim has met "
        "their new navigator, and arrange introductions.",
    )

    def __init__(
        self,
        *args: Any,
        cases: Sequence[tuple[int, str]] = (),
        people: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose who takes this case")] + [(str(pk), name) for pk, name in people]
        self.case_field_names = []
        for case_id, label in cases:
            name = f"case_{case_id}"
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                error_messages={
                    "required": "Choose who takes this case.",
                    "invalid_choice": "Choose who takes this case.",
                },
            )
            self.case_field_names.append(name)

    def case_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.case_field_names]

    def successors(self) -> dict[int, int]:
        """Each case's id and the id of who takes it."""
        return {
            int(name.removeprefix("case_")): int(self.cleaned_data[name])
            for name in self.case_field_names
        }


class PreparationForm(ServiceErrorsMixin, forms.Form):
    """Going through an explainer with the victim: how, and when. The ways offered are the
    agreement's (never its unsafe channel); the service checks them again."""

    channel = _radios("How did you go through it?", [], "Choose how you went through it.")
    at = _moment_field("When?", "For example 14/11/2026 14:05. Leave as it is if it was just now.")

    def __init__(self, *args: Any, ways: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(way, Channel(way).label) for way in ways]
        if len(ways) == 1:
            self.fields["channel"].initial = ways[0]


class DirectoryEntryForm(ServiceErrorsMixin, forms.Form):
    role = _radios("Role", SpecialistRole.choices, "Choose the role.")
    title = forms.CharField(
        label="What the role is called in your organisation",
        max_length=200,
        help_text="For example: MSHT tactical adviser (on call)",
        error_messages={"required": "Say what the role is called in your organisation."},
    )
    mailbox = forms.CharField(
        label="Role mailbox",
        max_length=254,
        required=False,
        help_text="A shared mailbox for the role, not a person's own, where there is one",
    )
    phone = forms.CharField(label="Duty phone", max_length=40, required=False)
    hours = forms.CharField(
        label="Hours",
        max_length=200,
        required=False,
        help_text="When it answers, and what to do out of hours",
    )
    person_name = forms.CharField(
        label="Person's name",
        max_length=200,
        required=False,
        help_text="Only if the role has no mailbox or duty phone of its own",
    )
    languages = forms.CharField(
        label="Languages", max_length=200, required=False, help_text="For interpreters"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label="Show this entry in the directory", required=False)
