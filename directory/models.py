from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from directory.choices import SpecialistRole


class DirectoryEntry(models.Model):
    """How to reach a specialist role in a police force or organisation.

    A role contact (a team mailbox, a duty phone) rather than a person's own details
    wherever one exists: people move on, the role stays. Kept by administrators, and by
    each organisation's own people for its entries (``directory.services``); every change
    is in the history.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="directory_entries"
    )
    role = models.CharField(max_length=32, choices=SpecialistRole.choices)
    # What the role is called there: "MSHT tactical adviser (on call)".
    title = models.CharField(max_length=200)
    mailbox = models.EmailField(blank=True, help_text="The role's shared mailbox")
    phone = models.CharField(max_length=40, blank=True, help_text="The duty phone")
    hours = models.CharField(
        max_length=200, blank=True, help_text="When it answers, and what to do out of hours"
    )
    # Only where the role has no mailbox or duty phone of its own.
    person_name = models.CharField(max_length=200, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="For interpreters: the languages they work in"
    )
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "role", "title"]
        verbose_name_plural = "directory entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(mailbox="") | ~Q(phone=""),
                name="directory_entry_has_a_way_to_reach_it",
            ),
            models.CheckConstraint(
                condition=Q(role__in=SpecialistRole.values), name="directory_entry_role_known"
            ),
        ]
        indexes = [
            # The case page: the active entries of a case's organisations for some roles.
            models.Index(
                fields=["organisation", "role"],
                condition=Q(is_active=True),
                name="directory_active_by_org_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organisation}"
