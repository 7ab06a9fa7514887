from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organisation, Staff


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


# How many of someone's current roles an error names before saying "and N more".
_NAMED = 5


class StaffChangeForm(UserChangeForm):  # type: ignore[type-arg]
    """Someone who is still a victim's current point of contact keeps their account and
    role until their cases are handed on: switching the account off, or changing its role,
    would leave the victim with a point of contact who can no longer see the case."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        staff = self.instance
        if staff.pk is None:
            return cleaned
        switching_off = staff.is_active and cleaned.get("is_active") is False
        changing_role = "role" in cleaned and cleaned["role"] != staff.role
        if not (switching_off or changing_role):
            return cleaned
        # The reverse relation from cases.PointOfContact: accounts does not import cases.
        held = list(
            staff.points_of_contact.filter(ended_at__isnull=True)
            .order_by("case__reference")
            .values_list("case__reference", "role")
        )
        if not held:
            return cleaned
        references = [reference for reference, _ in held]
        named = ", ".join(references[:_NAMED])
        if len(references) > _NAMED:
            named += f" and {len(references) - _NAMED} more"
        cases = "1 case" if len(held) == 1 else f"{len(held)} cases"
        message = (
            f"{staff} is still the current point of contact on {cases} ({named}). Hand "
            "them on first: their supervisor can hand all of a navigator's cases on at once "
            "from a case page (Points of contact), and any point of contact can be changed "
            "there, case by case."
        )
        if switching_off:
            self.add_error("is_active", forms.ValidationError(message, code="still_a_contact"))
        if changing_role:
            self.add_error("role", forms.ValidationError(message, code="still_a_contact"))
        return cleaned


@admin.register(Staff)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    form = StaffChangeForm
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active", "is_partner_administrator"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["organisation"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Navigator",
            {
                "fields": [
                    "role",
                    "organisation",
                    "supervisor",
                    "languages",
                    "caseload_capacity",
                    "is_partner_administrator",
                ]
            },
        ),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Navigator", {"fields": ["role", "organisation", "supervisor"]}),
    )
