from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organisation, Staff


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Staff)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
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
