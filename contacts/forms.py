from django import forms
from django.utils import timezone

from contacts.choices import Channel, Concern, Direction, Outcome, Place, UpdateGiven

SCORES = [("", "—")] + [(i, str(i)) for i in range(1, 6)]


class CheckInForm(forms.Form):
    """Collects a contact; the service decides whether it is acceptable."""

    at = forms.DateTimeField(
        label="When",
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    direction = forms.ChoiceField(choices=Direction.choices, initial=Direction.OUTBOUND)
    channel = forms.ChoiceField(choices=Channel.choices)
    outcome = forms.ChoiceField(choices=[("", "—"), *Outcome.choices])
    update_given = forms.ChoiceField(choices=UpdateGiven.choices, initial=UpdateGiven.NONE)
    place = forms.ChoiceField(choices=Place.choices, initial=Place.REMOTE)
    number_withheld = forms.BooleanField(required=False, label="Called from a withheld number")
    interpreter_name = forms.CharField(required=False, label="Interpreter (if one was used)")
    wellbeing = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, i) for i in range(1, 6)],
    )
    trust = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(i, i) for i in range(1, 6)],
    )
    concerns = forms.MultipleChoiceField(
        required=False, choices=Concern.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
