from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from directory.models import DirectoryEntry
from directory.services import FIELDS, entry_problems, save_entry


class DirectoryEntryForm(forms.ModelForm):
    class Meta:
        model = DirectoryEntry
        fields = ["organisation", *FIELDS, "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {name: str(cleaned.get(name) or "").strip() for name in FIELDS}
        for field, problems in entry_problems(values).items():
            self.add_error(field if field in self.fields else None, problems)
        return cleaned


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(SimpleHistoryAdmin):
    """Administrators keep every organisation's entries here, through the same service as
    the organisations' own people on the pages."""

    form = DirectoryEntryForm
    list_display = ["title", "role", "organisation", "phone", "mailbox", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = save_entry(
            acting_user=request.user,  # type: ignore[arg-type]
            organisation=obj.organisation,
            entry=DirectoryEntry.objects.get(pk=obj.pk) if change else None,
            is_active=obj.is_active,
            **{name: getattr(obj, name) for name in FIELDS},
        )
        obj.pk = saved.pk
